"""Readers: exports, tables and surveys → the canonical event table.

:func:`read` detects the source format and returns an :class:`EventLog`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from kohesi.errors import InputError
from kohesi.ingest.files import MAX_BYTES
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.readers import ReadRequest, read_request
from kohesi.ingest.replies import ReplyRule
from kohesi.ingest.report import ReadReport
from kohesi.ingest.whatsapp.header import ORDERS
from kohesi.privacy import Pseudonymizer, default_salt

__all__ = ["read", "read_all", "EventLog", "ReadReport", "ReplyRule"]

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
    mapping: dict[str, str] | None = None,
    include_bots: bool = False,
    slack_channels: str = "groups",
    tag_acts: bool = True,
) -> EventLog:
    """Read an export into canonical events.

    Parameters
    ----------
    path : a WhatsApp ``.txt`` export or the ``.zip`` that "Export chat" writes; a Telegram
        Desktop ``result.json`` (or its folder or zip); a DiscordChatExporter ``.json`` or ``.csv``;
        or a generic ``.csv``, ``.parquet`` or ``.jsonl`` table read through ``mapping``.
    group : group id to use (default: from the file name or the chat's own subject lines); for a
        multi-chat Telegram export, the name (or id) of the chat to read.
    tz : IANA timezone the export's clock times are in (default: this computer's).
    date_order : ``dmy``, ``mdy``, ``ymd`` or ``ydm`` to override inference.
    keep_text : keep message text (default: only content-free features are kept).
    keep_names : keep display names in the members table (phone numbers are masked anyway).
    salt : secret for pseudonyms and ids (default: the per-user secret, see
        :func:`kohesi.privacy.default_salt`; a store passes its own).
    strict : make any skipped line an error.
    reply_rule : parameters of reply inference for sources without reply links.
    max_bytes : largest file or zip member read.
    mapping : for generic tables, canonical column → source column (``"=value"`` for a constant),
        see :mod:`kohesi.ingest.table`.
    include_bots : keep messages of bot accounts (Discord, Slack); excluded by default.
    slack_channels : for a Slack workspace export (zip or folder with ``channels.json`` and
        ``users.json``): ``"groups"`` (default) reads each channel as its own group (``read`` then
        needs ``group=`` naming the channel when there are several; ``read_all`` gives one log
        per channel), ``"threads"`` reads the channels as threads of one group named after the
        workspace's zip or folder.

    tag_acts : read communicative acts (thanks, help requests, condolences…) from the text while
        it is in memory, into the ``acts`` column, and add a sign-up event per name added to a
        numbered list (:mod:`kohesi.text`); the text is dropped afterwards unless ``keep_text``.

    An mbox mailing-list archive (``.mbox``, or a text file starting with a ``From `` line and
    mail headers) is read as one group, see :mod:`kohesi.ingest.mbox`.
    """
    logs = _read(path, group=group, tz=tz, date_order=date_order, keep_text=keep_text, keep_names=keep_names,
                 salt=salt, strict=strict, reply_rule=reply_rule, max_bytes=max_bytes, mapping=mapping,
                 include_bots=include_bots, slack_channels=slack_channels, every_chat=False, tag_acts=tag_acts)
    return _with_source(logs[0])


def read_all(path: str | Path, **kwargs) -> list[EventLog]:
    """Every chat of an export: one :class:`EventLog` per chat of a full-account Telegram export
    or per channel of a Slack export (unless ``slack_channels="threads"``), else a one-element list
    with what :func:`read` returns. Takes the same keyword arguments."""
    if kwargs.get("group") is not None:
        return [read(path, **kwargs)]
    return [_with_source(log) for log in _read(path, **{"group": None, **kwargs}, every_chat=True)]


def _with_source(log: EventLog) -> EventLog:
    """The log with its source, capabilities and timezone in the events' schema metadata, so
    that they travel with the events into measurement (:func:`kohesi.events.source_info`)."""
    from kohesi.events import SourceInfo, with_source_info

    r = log.report
    caps = frozenset(r.capabilities) if r.capabilities is not None else None
    log.events = with_source_info(log.events, SourceInfo(r.format or None, caps, r.tz))
    return log


def _read(path, *, group, tz=None, date_order=None, keep_text=False, keep_names=False, salt=None,
          strict=False, reply_rule=None, max_bytes=MAX_BYTES, mapping=None, include_bots=False,
          slack_channels="groups", every_chat=False, tag_acts=True) -> list[EventLog]:
    if date_order is not None and date_order not in ORDERS:
        raise InputError(path, f"unknown date order {date_order!r}; use dmy, mdy, ymd or ydm")
    tz = tz or local_timezone()
    _check_tz(tz, path)
    opts = ReadOptions(tz=tz, date_order=date_order, keep_text=keep_text, keep_names=keep_names, strict=strict,
                       reply_rule=reply_rule or ReplyRule(), include_bots=include_bots, tag_acts=tag_acts)
    pseudo = Pseudonymizer(salt if salt is not None else default_salt())
    req = ReadRequest(path, group, pseudo, opts, max_bytes, mapping=mapping, slack_channels=slack_channels,
                      every_chat=every_chat)
    return [EventLog(*chat) for chat in read_request(req)]


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
