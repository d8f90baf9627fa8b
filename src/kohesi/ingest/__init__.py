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
from kohesi.ingest.whatsapp.header import ORDERS
from kohesi.ingest.whatsapp.reader import WhatsAppOptions, is_whatsapp_name, read_whatsapp
from kohesi.privacy import Pseudonymizer, default_salt

__all__ = ["read", "read_all", "EventLog", "ReadReport", "ReplyRule"]

_JSON = (".json",)
_TABLES = (".csv", ".parquet", ".jsonl", ".ndjson")


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


def _pick_export(names: list[str]) -> list[str]:
    """Members of a zip that may be the export: a WhatsApp chat first, then a Telegram
    ``result.json``, other JSON, tables, and any other text file."""
    names = [n for n in names if not PurePosixPath(n).name.startswith("._")]
    if any(is_whatsapp_name(n) for n in names):
        return _pick_chat(names)
    lower = {n: PurePosixPath(n).name.lower() for n in names}
    tests = (lambda b: b == "result.json", lambda b: b.endswith(".txt"), lambda b: b.endswith(_JSON),
             lambda b: b.endswith(_TABLES))
    for k, test in enumerate(tests):
        hits = sorted((n for n in names if test(lower[n])), key=lambda n: (n.count("/"), n))
        if hits:
            return _pick_chat(names) if k == 1 else hits[:1]
    return []


def _sources(path: str | Path, max_bytes: int) -> Source:
    p = Path(path)
    if p.is_dir() and (p / "result.json").is_file():  # an unzipped Telegram Desktop export folder
        p = p / "result.json"
    sources = open_source(p, pick=_pick_export, max_bytes=max_bytes)
    if not sources:
        raise InputError(path, "zip archive holds no chat export (.txt, .json, .csv, .parquet or .jsonl)")
    return sources[0] if len(sources) == 1 else _chat_source(sources)


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

    An mbox mailing-list archive (``.mbox``, or a text file starting with a ``From `` line and
    mail headers) is read as one group, see :mod:`kohesi.ingest.mbox`.
    """
    logs = _read(path, group=group, tz=tz, date_order=date_order, keep_text=keep_text, keep_names=keep_names,
                 salt=salt, strict=strict, reply_rule=reply_rule, max_bytes=max_bytes, mapping=mapping,
                 include_bots=include_bots, slack_channels=slack_channels, every_chat=False)
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
          slack_channels="groups", every_chat=False) -> list[EventLog]:
    if date_order is not None and date_order not in ORDERS:
        raise InputError(path, f"unknown date order {date_order!r}; use dmy, mdy, ymd or ydm")
    tz = tz or local_timezone()
    _check_tz(tz, path)
    from kohesi.ingest.mbox import is_mbox
    from kohesi.ingest.slack import is_slack

    slack, mbox = is_slack(path), is_mbox(path)
    json_file = None if slack or mbox else _json_file(path)
    src = None if slack or json_file else _sources(path, max_bytes)
    pseudo = Pseudonymizer(salt if salt is not None else default_salt())
    rule = reply_rule or ReplyRule()
    if json_file is not None:
        logs = _stream_telegram(json_file, group, pseudo, max_bytes, every_chat, tz=tz, keep_text=keep_text,
                                keep_names=keep_names, strict=strict, reply_rule=rule, include_bots=include_bots)
        if logs is not None:
            return logs
        src = _sources(path, max_bytes)
    if slack or mbox:
        from kohesi.ingest.table import ReadOptions

        opts = ReadOptions(tz=tz, keep_text=keep_text, keep_names=keep_names, strict=strict, reply_rule=rule,
                           include_bots=include_bots)
        if slack:
            from kohesi.ingest.slack import read_slack

            return [EventLog(*t) for t in read_slack(path, group, pseudo, opts, mode=slack_channels,
                                                      every_chat=every_chat, max_bytes=max_bytes)]
        from kohesi.ingest.mbox import read_mbox

        return [EventLog(*read_mbox(src, group, pseudo, opts))]
    name = PurePosixPath(src.name).name.lower()
    if name.endswith(".txt") or "." not in name:
        opts = WhatsAppOptions(tz=tz, date_order=date_order, keep_text=keep_text, keep_names=keep_names,
                               strict=strict, reply_rule=rule)
        return [EventLog(*read_whatsapp(src, group, pseudo, opts))]
    if not name.endswith(_JSON + _TABLES):
        raise InputError(src.path, f"unsupported file type {PurePosixPath(src.name).suffix!r}; kohesi reads "
                                   "WhatsApp .txt and .zip exports, Telegram and Discord .json, Discord .csv, "
                                   "and .csv, .parquet or .jsonl tables")
    from kohesi.ingest.table import ReadOptions, read_table

    opts = ReadOptions(tz=tz, keep_text=keep_text, keep_names=keep_names, strict=strict, reply_rule=rule,
                       include_bots=include_bots)
    if name.endswith(_JSON):
        return _read_json(src, group, pseudo, opts, every_chat)
    from kohesi.ingest.discord import is_discord_csv, read_discord_csv

    if name.endswith(".csv") and is_discord_csv(src.data) and mapping is None:
        return [EventLog(*read_discord_csv(src, group, pseudo, opts))]
    return [EventLog(*read_table(src, mapping, group, pseudo, opts))]


def _json_file(path: str | Path) -> Path | None:
    """A plain ``.json`` file (or an export folder's ``result.json``), which can be streamed."""
    import zipfile

    p = Path(path)
    if p.is_dir() and (p / "result.json").is_file():
        p = p / "result.json"
    if p.suffix.lower() != ".json" or not p.is_file() or zipfile.is_zipfile(p):
        return None
    return p


def _stream_telegram(p: Path, group, pseudo, max_bytes: int, every_chat: bool, **options) -> list[EventLog] | None:
    """A Telegram export read straight from its file, in bounded memory; None for any other JSON."""
    from kohesi.ingest.table import ReadOptions
    from kohesi.ingest.telegram import read_telegram

    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(p, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        with open(p, "rb") as fh:
            out = read_telegram(fh, str(p), group, pseudo, ReadOptions(**options), every_chat)
    except PermissionError:
        raise InputError(p, "permission denied") from None
    return None if out is None else [EventLog(*t) for t in out]


def _read_json(src: Source, group, pseudo, opts, every_chat: bool) -> list[EventLog]:
    import io

    from kohesi.ingest.discord import is_discord, read_discord_json
    from kohesi.ingest.table import load_json
    from kohesi.ingest.telegram import read_telegram
    from kohesi.ingest.text import decode_check

    data = decode_check(src.data, src.path)
    out = read_telegram(io.BytesIO(data), src.path, group, pseudo, opts, every_chat)
    if out is not None:
        return [EventLog(*t) for t in out]
    obj = load_json(src)
    if is_discord(obj):
        return [EventLog(*read_discord_json(obj, src, group, pseudo, opts))]
    keys = ", ".join(sorted(obj)[:12]) if isinstance(obj, dict) else type(obj).__name__
    raise InputError(src.path, "JSON is neither a Telegram Desktop export (result.json) nor a "
                               f"DiscordChatExporter export (top level: {keys})")


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
