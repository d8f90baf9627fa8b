"""Mailing-list archives in mbox format → canonical events (``docs/formats.md`` §7).

Read with the standard library (``mailbox.mbox``, ``email.utils``, ``email.header``):

- ``event_id`` is the ``Message-ID`` without its angle brackets; a message without one gets a
  keyed hash of its ``Date``, ``From`` and ``Subject`` headers. A Message-ID seen twice gets
  ``~1``, ``~2``… (counted in the warnings).
- Replies: ``In-Reply-To`` when it names a message in the archive, else the last entry of
  ``References`` that is in the archive (both recorded: ``reply_inferred`` false); else subject
  threading: a message whose subject starts with a reply prefix (``Re:``, ``AW:``, ``Balas:``,
  ``Sv:``, ``RE:``…) answers the latest earlier message (by date) with the same normalised
  subject, marked ``reply_inferred`` true. ``target`` is the parent's author.
- ``thread`` is the normalised subject: reply/forward prefixes (``Re:``, ``AW:``, ``Balas:``,
  ``Fwd:``, ``Fw:``, ``WG:``) and list tags (``[warga]``) stripped, spaces collapsed.
- Members are keyed by the sender's address, lowercased, with list-archive obfuscation undone
  (``user at host``, ``user (at) host``, ``user [at] host``); names (only with ``keep_names``)
  are the decoded RFC 2047 display names.
- ``keep_text`` keeps the body's first ``text/plain`` part. Messages with attachments are
  ``media`` (``n_media`` = number of attachments, subtype from the first one's type).
- ``Date`` with a zone offset → UTC (``-0000`` is UTC); a date without zone is local time in ``tz``.

A message whose ``Date`` is missing or unreadable is **skipped with a report entry**
(``report.skipped``: the line of its ``From`` separator and the message number) and counted in
the warnings; with ``strict=True`` it is an :class:`~kohesi.errors.InputError` naming the message
number instead. It is never dropped silently.
"""

from __future__ import annotations

import email.errors
import email.header
import email.utils
import re
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path, PurePosixPath

import polars as pl
import pyarrow as pa

from kohesi.errors import InputError
from kohesi.ingest.common import MemberBook, finish_events, to_utc
from kohesi.ingest.files import SourceFile
from kohesi.ingest.ids import content_ids
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.report import ReadReport
from kohesi.ingest.text import decode_check
from kohesi.privacy import Pseudonymizer, private_group_id

__all__ = ["is_mbox", "looks_like_mbox", "read_mbox", "normalise_subject", "normalise_address"]

_REPLY = r"(?:re|aw|sv|vs|balas|antw|odp|r)"
_FORWARD = r"(?:fwd?|wg|tr|teruskan)"
_PREFIX = re.compile(rf"^\s*(?:\[[^\]]*\]\s*)*({_REPLY}|{_FORWARD})\s*(?:\[\d+\])?\s*[:：]\s*", re.IGNORECASE)
_TAG = re.compile(r"^\s*\[[^\]]*\]\s*")
_REPLY_ONLY = re.compile(rf"^{_REPLY}$", re.IGNORECASE)
_HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]", re.MULTILINE)
_AT = re.compile(r"([\w.+-]+)\s+(?:\(at\)|\[at\]|at)\s+([\w-]+(?:(?:\s+(?:\(dot\)|\[dot\]|dot)\s+|\.)[\w-]+)+)",
                 re.IGNORECASE)
_DOT = re.compile(r"\s+(?:\(dot\)|\[dot\]|dot)\s+", re.IGNORECASE)
_ID = re.compile(r"<([^<>\s]+)>")


def looks_like_mbox(head: bytes) -> bool:
    """Whether bytes start like an mbox: a ``From `` line followed by mail headers."""
    head = head.lstrip(b"\xef\xbb\xbf")
    if not head.startswith(b"From "):
        return False
    block = head.split(b"\n", 1)[1] if b"\n" in head else b""
    block = re.split(rb"\r?\n\r?\n", block, maxsplit=1)[0]
    return bool(_HEADER.search(block))


def is_mbox(path: str | Path) -> bool:
    """A plain file named ``*.mbox``, or one whose first line is a ``From `` separator followed by headers."""
    p = Path(path)
    if not p.is_file():
        return False
    if p.suffix.lower() == ".mbox":
        return True
    try:
        with open(p, "rb") as fh:
            return looks_like_mbox(fh.read(8192))
    except OSError:
        return False


def normalise_subject(subject: str | None) -> tuple[str, bool]:
    """Subject without list tags and reply/forward prefixes, and whether it carried a reply prefix.

    >>> normalise_subject("[warga] Re: AW: Fwd:  Kerja   bakti")
    ('Kerja bakti', True)
    >>> normalise_subject("Balas: Rapat")
    ('Rapat', True)
    >>> normalise_subject("Fwd: Rapat")
    ('Rapat', False)
    """
    s = subject or ""
    reply = False
    while True:
        m = _PREFIX.match(s)
        if m:
            reply = reply or bool(_REPLY_ONLY.match(m.group(1)))
            s = s[m.end():]
            continue
        t = _TAG.match(s)
        if t and t.end() < len(s):
            s = s[t.end():]
            continue
        break
    return " ".join(s.split()), reply


def normalise_address(addr: str) -> str:
    """Lowercase address with ``user at host`` / ``user (at) host`` obfuscation undone.

    >>> normalise_address("Budi.Santoso at Example dot ORG")
    'budi.santoso@example.org'
    """
    a = _AT.sub(lambda m: f"{m.group(1)}@{_DOT.sub('.', m.group(2))}", addr.strip())
    return a.strip().strip("<>").lower()


def _decode(value) -> str:
    """Header value with RFC 2047 encoded words decoded."""
    if value is None:
        return ""
    try:
        return str(email.header.make_header(email.header.decode_header(str(value))))
    except (UnicodeError, LookupError, email.errors.HeaderParseError):
        return str(value)


def _sender(msg: Message) -> tuple[str | None, str | None]:
    """(normalised address, display name) of the message's ``From``."""
    raw = msg.get("From")
    if raw is None:
        return None, None
    text = str(raw)
    if "@" not in text:  # an archive's obfuscated address: "budi at example.org (Budi)"
        text = _AT.sub(lambda m: f"{m.group(1)}@{_DOT.sub('.', m.group(2))}", text)
    pairs = email.utils.getaddresses([text])
    name, addr = pairs[0] if pairs else ("", "")
    name = _decode(name).strip() or None
    addr = normalise_address(addr) if addr else ""
    if "@" not in addr:
        return (None, name)
    return addr, name


def _body(msg: Message) -> tuple[str, list[Message]] | None:
    """First text/plain part (decoded) and the attachments; None when the parts nest too deeply."""
    try:
        return _parts(msg)
    except RecursionError:
        return None


def _parts(msg: Message) -> tuple[str, list[Message]]:
    text = None
    attachments = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        disp = (part.get_content_disposition() or "").lower()
        if disp == "attachment" or (part.get_filename() and part.get_content_maintype() != "text"):
            attachments.append(part)
            continue
        if text is None and part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or "utf-8"
            try:
                text = payload.decode(charset, errors="replace")
            except LookupError:
                text = payload.decode("utf-8", errors="replace")
    return (text or "").replace("\r\n", "\n"), attachments


def _media_subtype(part: Message) -> str:
    main = part.get_content_maintype()
    if part.get_content_type() == "image/gif":
        return "gif"
    return {"image": "image", "video": "video", "audio": "audio"}.get(main, "document")


_SEPARATOR = re.compile(rb"^From ", re.MULTILINE)


def _split(data: bytes) -> list[tuple[int, bytes]]:
    """(1-based line of its ``From `` separator, bytes after that line) of each message, split as
    ``mailbox.mbox`` splits (every line starting with ``From `` begins a message; the blank line
    before it belongs to neither). The separator line itself is not decoded: real archives carry
    non-ASCII bytes there, which ``mailbox`` refuses."""
    starts = [m.start() for m in _SEPARATOR.finditer(data)]
    out, line, last = [], 1, 0
    for k, pos in enumerate(starts):
        line += data.count(b"\n", last, pos)
        last = pos
        head_end = data.find(b"\n", pos)
        begin = len(data) if head_end < 0 else head_end + 1
        stop = starts[k + 1] if k + 1 < len(starts) else len(data)
        if k + 1 < len(starts) and stop - begin >= 1 and data[stop - 2:stop] == b"\n\n":
            stop -= 1
        out.append((line, data[begin:max(begin, stop)]))
    return out


def _parse(raw: bytes) -> Message | None:
    """The message, or None when its MIME structure nests too deeply for the parser."""
    try:
        return email.message_from_bytes(raw)
    except RecursionError:
        return None


def read_mbox(src: SourceFile, group: str | None, pseudo: Pseudonymizer,
              opts: ReadOptions) -> tuple[pa.Table, pa.Table, ReadReport]:
    """Read an mbox archive (one group: the list) → events, members and the read report."""
    decode_check(src.data, src.path)
    parts = _split(src.data.lstrip(b"\xef\xbb\xbf"))
    if not parts:
        raise InputError(src.path, "mbox holds no messages (no 'From ' separator lines)")
    lines = [line for line, _ in parts]
    msgs = [_parse(raw) for _, raw in parts]
    list_id = (_decode(msgs[0].get("List-Id")).strip() or None) if msgs[0] is not None else None
    report = ReadReport(source=src.path, format="mbox", platform="email", tz=opts.tz, n_lines=len(msgs),
                        group_hint=list_id,
                        reply_rule="recorded by In-Reply-To / References; else subject threading (a 'Re:' "
                                   "subject answers the latest earlier message with that subject, "
                                   "reply_inferred=True)")
    members = MemberBook(pseudo, prefix="mail:")
    kept: list[dict] = []
    no_sender = 0
    for k, msg in enumerate(msgs, start=1):
        if msg is None or (body := _body(msg)) is None:
            reason = f"message {k}: its MIME parts nest too deeply to read"
            if opts.strict:
                raise InputError(src.path, reason, line=lines[k - 1])
            report.skipped.append((lines[k - 1], reason))
            continue
        raw_date = msg.get("Date")
        ts = None
        if raw_date is not None:
            try:
                parsed = email.utils.parsedate_to_datetime(str(raw_date))
                if isinstance(parsed, datetime) and parsed.tzinfo is None and "-0000" in str(raw_date):
                    parsed = parsed.replace(tzinfo=UTC)  # RFC 5322: -0000 is UTC, local zone unknown
                ts = to_utc(parsed, opts.tz) if isinstance(parsed, datetime) else None
            except (TypeError, ValueError, IndexError, OverflowError):
                ts = None
        if ts is None:
            reason = (f"message {k} lacks a Date header" if raw_date is None
                      else f"message {k} has an unreadable Date {str(raw_date)!r}")
            if opts.strict:
                raise InputError(src.path, reason, line=lines[k - 1])
            report.skipped.append((lines[k - 1], reason))
            continue
        addr, name = _sender(msg)
        if addr is None:
            no_sender += 1
        actor = members.add(addr, name) if addr else None
        ids = _ID.findall(str(msg.get("Message-ID") or msg.get("Message-Id") or ""))
        subject = _decode(msg.get("Subject"))
        thread, is_reply = normalise_subject(subject)
        text, attachments = body
        kind, subtype, n_media = "message", None, 0
        if attachments:
            kind, subtype, n_media = "media", _media_subtype(attachments[0]), len(attachments)
        kept.append({"event_id": ids[0] if ids else None, "ts": ts, "line": lines[k - 1], "actor": actor,
                     "kind": kind, "subtype": subtype, "text": text, "n_media": n_media,
                     "thread": thread or None, "_reply": is_reply,
                     "_irt": _ID.findall(str(msg.get("In-Reply-To") or "")),
                     "_refs": _ID.findall(" ".join(str(v) for v in (msg.get_all("References") or []))),
                     "_key": (str(raw_date), str(msg.get("From") or ""), str(msg.get("Subject") or ""))})
    if not kept:
        raise InputError(src.path, "no message of the mbox has a readable Date")
    _assign_ids(kept, pseudo.salt, report)
    _link(kept)
    for r in kept:
        for key in ("_reply", "_irt", "_refs", "_key"):
            del r[key]
    if no_sender:
        report.warnings.append(f"{no_sender} messages without a sender address (actor left empty)")
    if report.skipped:
        deep = sum("nest too deeply" in reason for _, reason in report.skipped)
        if len(report.skipped) > deep:
            report.warnings.append(f"{len(report.skipped) - deep} messages without a readable Date skipped "
                                   "(see skipped; strict=True makes this an error)")
        if deep:
            report.warnings.append(f"{deep} messages whose MIME parts nest too deeply to read skipped "
                                   "(see skipped; strict=True makes this an error)")
    if any(r["reply_inferred"] for r in kept):
        report.warnings.append(f"{sum(r['reply_inferred'] for r in kept)} replies inferred from subjects "
                               "(reply_inferred=True)")
    group_id = group or private_group_id(PurePosixPath(src.name).stem, pseudo)
    events, members_t = finish_events(kept, group_id, members, opts, report, src.path)
    return events, members_t, report


def _assign_ids(rows: list[dict], salt: bytes, report: ReadReport) -> None:
    missing = [r for r in rows if r["event_id"] is None]
    if missing:
        frame = pl.DataFrame({f"c{j}": [r["_key"][j] for r in missing] for j in range(3)})
        for r, eid in zip(missing, content_ids(frame, salt).to_list(), strict=True):
            r["event_id"] = eid
        report.warnings.append(f"{len(missing)} messages without a Message-ID: ids are keyed hashes of "
                               "Date, From and Subject")
    seen: dict[str, int] = {}
    dups = 0
    for r in rows:
        eid = r["event_id"]
        if eid in seen:
            seen[eid] += 1
            r["event_id"] = f"{eid}~{seen[eid]}"
            dups += 1
        else:
            seen[eid] = 0
    if dups:
        report.warnings.append(f"{dups} repeated Message-IDs given a '~k' suffix")


def _link(rows: list[dict]) -> None:
    """Set reply_to / reply_inferred / target: recorded headers first, then subject threading."""
    author = {}
    for r in rows:
        author.setdefault(r["event_id"], r["actor"])
    for r in rows:
        r["reply_inferred"] = False
        own = r["event_id"]
        parent = next((x for x in r["_irt"] if x in author and x != own), None)
        if parent is None:
            parent = next((x for x in reversed(r["_refs"]) if x in author and x != own), None)
        if parent is not None:
            r["reply_to"], r["target"] = parent, author[parent]
    latest: dict[str, dict] = {}
    for r in sorted(rows, key=lambda x: x["ts"]):  # stable: file order among equal times
        if r.get("reply_to") is None and r["_reply"] and r["thread"] and r["thread"] in latest:
            p = latest[r["thread"]]
            r.update(reply_to=p["event_id"], target=p["actor"], reply_inferred=True)
        if r["thread"]:
            latest[r["thread"]] = r
