"""Readers: exports, tables and surveys → the canonical event table.

:func:`read` detects the source format and returns an :class:`EventLog`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pyarrow as pa

from kohesi.errors import InputError
from kohesi.ingest.replies import ReplyRule
from kohesi.ingest.report import ReadReport
from kohesi.ingest.source import MAX_BYTES, Source, open_source
from kohesi.ingest.whatsapp.reader import WhatsAppOptions, is_whatsapp_name, read_whatsapp
from kohesi.privacy import Pseudonymizer, default_salt

__all__ = ["read", "EventLog", "ReadReport", "ReplyRule"]


@dataclass
class EventLog:
    """Events and members of one group, with the report of how they were read."""

    events: pa.Table
    members: pa.Table
    report: ReadReport

    @property
    def group_id(self) -> str | None:
        col = self.events.column("group_id")
        return col[0].as_py() if len(col) else None

    def to_polars(self):
        """Events as a polars DataFrame (zero-copy)."""
        import polars as pl

        return pl.from_arrow(self.events)

    def to_pandas(self):
        """Events as a pandas DataFrame."""
        return self.events.to_pandas()


def _pick_chat(names: list[str]) -> list[str]:
    """Text files of a zip that may be the chat: the export's own name first, then the others
    (a zip can also hold .txt documents shared in the chat)."""
    txt = [n for n in names if n.lower().endswith(".txt") and not PurePosixPath(n).name.startswith("._")]
    return sorted(txt, key=lambda n: (not is_whatsapp_name(n), n))


def _chat_source(sources: list[Source]) -> Source:
    """The member that is a WhatsApp export: named like one, else the one with most headers."""
    import re

    from kohesi.ingest.whatsapp.header import GENERIC

    header = re.compile(GENERIC, re.MULTILINE)
    scored = []
    for src in sources:
        head = src.data[:65536].decode("utf-8", errors="replace").lstrip("\ufeff")
        scored.append((len(header.findall(head)), is_whatsapp_name(src.name), src))
    best = max(scored, key=lambda s: (s[0] > 0, s[1], s[0]))
    return best[2]


def read(
    path: str | Path,
    *,
    group: str | None = None,
    tz: str | None = None,
    date_order: str | None = None,
    keep_text: bool = False,
    keep_names: bool = False,
    salt: bytes | None = None,
    strict: bool = False,
    reply_rule: ReplyRule | None = None,
    max_bytes: int = MAX_BYTES,
) -> EventLog:
    """Read an export into canonical events.

    Parameters
    ----------
    path : a WhatsApp ``.txt`` export, or the ``.zip`` that "Export chat" writes.
    group : group id to use (default: from the file name or the chat's own subject lines).
    tz : IANA timezone the export's clock times are in (default: this computer's).
    date_order : ``dmy``, ``mdy``, ``ymd`` or ``ydm`` to override inference.
    keep_text : keep message text (default: only content-free features are kept).
    keep_names : keep display names in the members table (phone numbers are masked anyway).
    salt : secret for pseudonyms and ids (default: the per-user secret, see
        :func:`kohesi.privacy.default_salt`; a store passes its own).
    strict : make any skipped line an error.
    reply_rule : parameters of reply inference for sources without reply links.
    max_bytes : largest file or zip member read.
    """
    if date_order is not None and date_order not in ("dmy", "mdy", "ymd", "ydm"):
        raise InputError(path, f"unknown date order {date_order!r}; use dmy, mdy, ymd or ydm")
    tz = tz or local_timezone()
    _check_tz(tz, path)
    sources = open_source(path, pick=_pick_chat, max_bytes=max_bytes)
    if not sources:
        raise InputError(path, "zip archive holds no chat export (.txt)")
    src: Source = sources[0] if len(sources) == 1 else _chat_source(sources)
    name = PurePosixPath(src.name).name.lower()
    if not (name.endswith(".txt") or "." not in name):
        raise InputError(src.path, f"unsupported file type {PurePosixPath(src.name).suffix!r}; kohesi reads WhatsApp .txt and .zip exports")
    pseudo = Pseudonymizer(salt if salt is not None else default_salt())
    opts = WhatsAppOptions(tz=tz, date_order=date_order, keep_text=keep_text, keep_names=keep_names,
                           strict=strict, reply_rule=reply_rule or ReplyRule())
    events, members, report = read_whatsapp(src, group, pseudo, opts)
    return EventLog(events, members, report)


def local_timezone() -> str:
    """IANA name of this computer's timezone (``TZ``, then ``/etc/localtime``), else ``UTC``."""
    import os

    tz = os.environ.get("TZ", "").lstrip(":")
    if tz:
        return tz
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"


def _check_tz(tz: str, path) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(path, f"unknown timezone {tz!r}; use an IANA name such as Asia/Jakarta") from None
