"""Pseudonymisation: members become keyed hashes; phone numbers never stay in clear.

A member id is ``m`` + the first 12 hex digits of HMAC-SHA256(salt, canonical name), so the same
person gets the same id on every import into the same store (the salt is per store) and nobody
without the salt can test a guessed name against it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["INVISIBLE", "clean_name", "is_phone", "mask_phone", "mask_phones", "Pseudonymizer", "default_salt",
           "private_group_id", "private_source", "PRIVATE_GROUP"]

INVISIBLE = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
"""Directional marks, embeddings, isolates and the BOM: noise around names in chat exports.
The zero-width joiner (U+200D) is not here: it is part of emoji."""

_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_SPACES_RE = re.compile(r"\s+")
_PHONE_PUNCT = "\\s\\-\u2010-\u2015\u2212\ufe63\uff0d().\u200b\u2060"
"""What exports write between a number's digits: spaces of every width (the no-break and narrow
no-break spaces too: ``\\s``), ASCII and Unicode hyphens and dashes (U+2010–2015, the minus
sign, small and full-width hyphen-minus), brackets, dots and zero-width spaces and joiners."""
_PHONE_RE = re.compile(f"^[+\uff0b]?[\\d{_PHONE_PUNCT}]{{6,}}$")
_LEADING_DIGITS = re.compile(r"\d*")
_PHONE_RUN = re.compile(f"(?<!\\w)[+\uff0b]?\\d(?:[\\d{_PHONE_PUNCT}]*\\d)?(?!\\w)")


def clean_name(raw: str) -> str:
    """Display name without invisible characters, the ``~`` non-contact prefix and extra spaces.

    Examples
    --------
    >>> clean_name("~\\u202fAndi  Wijaya\\u2069")
    'Andi Wijaya'
    >>> clean_name("\\u202a+62 812-3456-7890\\u202c")
    '+62 812-3456-7890'
    """
    name = _INVISIBLE_RE.sub("", raw)
    name = _SPACES_RE.sub(" ", name).strip()
    if name.startswith("~"):
        name = name[1:].strip()
    return name


def is_phone(name: str) -> bool:
    """True when ``name`` is a phone number rather than a contact name.

    >>> is_phone("+62 812-3456-7890"), is_phone("Budi")
    (True, False)
    """
    return bool(_PHONE_RE.match(name)) and sum(c.isdigit() for c in name) >= 6


def _digits(name: str) -> str:
    return "".join(c for c in name if c.isdigit())


def mask_phone(name: str) -> str:
    """``+`` and the first two digits, an ellipsis, the last four digits.

    >>> mask_phone("+62 812-3456-7890")
    '+62…7890'
    """
    d = _digits(name)
    return f"+{d[:2]}…{d[-4:]}"


def mask_phones(text: str) -> str:
    """``text`` with each phone number in it masked (:func:`mask_phone`): a run of digits and
    separators with a leading ``+`` and at least 6 digits, or one with at least 9 digits that
    starts with a group of at least 3 (so that years and short numbers such as ``RT 05 2023-2024``
    stay), standing apart from letters (a pseudonym such as ``chat-m8127391462a0`` stays).

    >>> mask_phones("Arisan +62 812\u20110000\u20111111 & 0812 3456 7890, RT 05 2023-2024")
    'Arisan +62…1111 & +08…7890, RT 05 2023-2024'
    >>> mask_phones("chat-m812739146280")
    'chat-m812739146280'
    """
    def mask(m: re.Match) -> str:
        run = m.group(0)
        digits = sum(c.isdigit() for c in run)
        lead = len(_LEADING_DIGITS.match(run).group(0))
        plus = run[0] in "+\uff0b"
        return mask_phone(run) if (plus and digits >= 6) or (digits >= 9 and lead >= 3) else run

    return _PHONE_RUN.sub(mask, text)


def canonical(name: str) -> str:
    """The key a member is identified by: NFKC, case-folded; phone numbers as their digits."""
    name = clean_name(name)
    if is_phone(name):
        return "tel:" + _digits(name)
    return unicodedata.normalize("NFKC", name).casefold()


@dataclass(frozen=True)
class Pseudonymizer:
    """Keyed member ids. ``salt`` is the per-store secret."""

    salt: bytes = field(repr=False)

    def member_id(self, name: str) -> str:
        """Pseudonymous id of the member called ``name``.

        >>> p = Pseudonymizer(b"s")
        >>> p.member_id("Budi Santoso") == p.member_id(" budi  santoso ")
        True
        >>> p.member_id("Budi").startswith("m") and len(p.member_id("Budi"))
        13
        """
        digest = hmac.new(self.salt, canonical(name).encode("utf-8"), hashlib.sha256).hexdigest()
        return "m" + digest[:12]

    def display(self, name: str, keep_names: bool) -> str | None:
        """What may be stored as the member's name: nothing, unless asked; phones masked."""
        if not keep_names:
            return None
        name = clean_name(name)
        return mask_phone(name) if is_phone(name) else name


PRIVATE_GROUP = re.compile(r"chat-m[0-9a-f]{12}")
"""The group id of a one-to-one chat: ``chat-`` and the other person's pseudonym."""


def private_group_id(name: str, pseudo: Pseudonymizer, actors: set[str] | frozenset[str] = frozenset(), *,
                     person: bool = False) -> str:
    """A group id from a chat's name that cannot identify a person.

    A one-to-one chat is named after the other person: ``person`` (the source says so), a name
    that is a phone number, or one that is the name of a member (its pseudonym is among
    ``actors``) gives ``chat-`` and that person's pseudonym (:meth:`Pseudonymizer.member_id`);
    any other name keeps its words with phone numbers masked (:func:`mask_phones`).

    >>> p = Pseudonymizer(b"s")
    >>> private_group_id("Warga RT 05 (+62 812-0000-1111)", p)
    'Warga RT 05 (+62…1111)'
    >>> private_group_id("+62 812-0000-1111", p) == "chat-" + p.member_id("+62 812 0000 1111")
    True
    >>> private_group_id("Budi Santoso", p, {p.member_id("budi santoso")}).startswith("chat-m")
    True
    """
    cleaned = clean_name(name)
    if PRIVATE_GROUP.fullmatch(cleaned):
        return cleaned
    if person or is_phone(cleaned) or pseudo.member_id(cleaned) in actors:
        return "chat-" + pseudo.member_id(cleaned)
    return mask_phones(cleaned) or name


def private_source(path: str, group_id: str) -> str:
    """What a store records of an export's path: its file name (a zip's with its member), without
    the folders (they name the user's computer, not the group); for a one-to-one chat, whose file
    is named after the other person, the group id instead; phone numbers masked.

    >>> private_source("/home/ani/WhatsApp Chat with +62 812-0000-1111.zip!_chat.txt", "Warga")
    'WhatsApp Chat with +62…1111.zip!_chat.txt'
    >>> private_source("/home/ani/WhatsApp Chat with Siti.txt", "chat-m0123456789ab")
    'chat-m0123456789ab (one-to-one chat; file name not kept)'
    """
    if PRIVATE_GROUP.fullmatch(group_id):
        return f"{group_id} (one-to-one chat; file name not kept)"
    outer, bang, member = path.replace("\\", "/").partition("!")
    return mask_phones(outer.rsplit("/", 1)[-1] + bang + member)


def default_salt() -> bytes:
    """A per-user secret kept in ``$KOHESI_HOME/salt`` (default ``~/.local/share/kohesi``).

    Used by :func:`kohesi.read` when neither a store nor an explicit salt is given, so that the
    pseudonyms of one user are stable across runs but cannot be recomputed by anyone else.
    """
    home = Path(os.environ.get("KOHESI_HOME", Path.home() / ".local" / "share" / "kohesi"))
    path = home / "salt"
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        home.mkdir(parents=True, exist_ok=True)
        salt = secrets.token_bytes(16)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(salt.hex())
        os.chmod(tmp, 0o600)
        tmp.replace(path)
        return salt
