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

__all__ = ["INVISIBLE", "clean_name", "is_phone", "mask_phone", "Pseudonymizer", "default_salt"]

INVISIBLE = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
"""Directional marks, embeddings, isolates and the BOM: noise around names in chat exports.
The zero-width joiner (U+200D) is not here: it is part of emoji."""

_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_SPACES_RE = re.compile(r"\s+")
_PHONE_RE = re.compile(r"^\+?[\d\s\-().\u00a0]{6,}$")


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
