"""Which reader reads a file: a request, and one (sniff, read) pair per reader, tried in order.

A :class:`ReadRequest` carries what the user asked for (path, group, options, secret, limits);
each :class:`Reader` says whether it recognises the request (``sniff``) and reads it into
``(events, members, report)`` tuples, one per chat (``read``). :func:`read_request` tries them in
the order of :data:`READERS`: folders and archives with a layout of their own first (Slack,
mbox), then a Telegram ``result.json`` streamed from disk, then the file's bytes (a plain file
or the chat inside a zip): WhatsApp text, Telegram or Discord JSON, Discord CSV, and any table.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from kohesi.errors import InputError
from kohesi.ingest.files import SourceFile, open_files
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.report import ReadReport
from kohesi.ingest.whatsapp.reader import is_whatsapp_name
from kohesi.privacy import Pseudonymizer

__all__ = ["ReadRequest", "Reader", "READERS", "read_request", "JSON_SUFFIXES", "TABLE_SUFFIXES"]

JSON_SUFFIXES = (".json",)
TABLE_SUFFIXES = (".csv", ".parquet", ".jsonl", ".ndjson")
Chat = tuple[pa.Table, pa.Table, ReadReport]


@dataclass
class ReadRequest:
    """One read: the path, the chat to take (``group``), how to read, and the limits."""

    path: str | Path
    group: str | None
    pseudo: Pseudonymizer
    opts: ReadOptions
    max_bytes: int
    mapping: dict[str, str] | None = None
    slack_channels: str = "groups"
    every_chat: bool = False
    _file: SourceFile | None = field(default=None, repr=False)

    @cached_property
    def json_file(self) -> Path | None:
        """A plain ``.json`` file (or an export folder's ``result.json``), which can be streamed."""
        import zipfile

        p = Path(self.path)
        if p.is_dir() and (p / "result.json").is_file():
            p = p / "result.json"
        if p.suffix.lower() != ".json" or not p.is_file() or zipfile.is_zipfile(p):
            return None
        return p

    @property
    def file(self) -> SourceFile:
        """The export's bytes: the file itself, or the chat inside a zip (read once)."""
        if self._file is None:
            self._file = _export_file(self.path, self.max_bytes)
        return self._file

    @property
    def name(self) -> str:
        return PurePosixPath(self.file.name).name.lower()


@dataclass(frozen=True)
class Reader:
    """A reader: whether it recognises a request, and how it reads it."""

    name: str
    sniff: Callable[[ReadRequest], bool]
    read: Callable[[ReadRequest], list[Chat] | None]
    """Returns the chats, or None when the file turns out not to be this reader's after all."""


# ------------------------------------------------------------------------------- the export file


def _pick_chat(names: list[str]) -> list[str]:
    """Text files of a zip that may be the chat: the export's own name first, then the others
    (a zip can also hold .txt documents shared in the chat)."""
    txt = [n for n in names if n.lower().endswith(".txt") and not PurePosixPath(n).name.startswith("._")]
    return sorted(txt, key=lambda n: (not is_whatsapp_name(n), n))


def _chat_source(sources: list[SourceFile]) -> SourceFile:
    """The member that is a WhatsApp export: named like one, else the one with most headers."""
    from kohesi.ingest.whatsapp.header import ANY_HEADER

    header = re.compile(ANY_HEADER, re.MULTILINE)
    scored = []
    for src in sources:
        head = src.data[:65536].decode("utf-8", errors="replace").lstrip("\ufeff").replace("\u200f", "")
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
    tests = (lambda b: b == "result.json", lambda b: b.endswith(".txt"), lambda b: b.endswith(JSON_SUFFIXES),
             lambda b: b.endswith(TABLE_SUFFIXES))
    for k, test in enumerate(tests):
        hits = sorted((n for n in names if test(lower[n])), key=lambda n: (n.count("/"), n))
        if hits:
            return _pick_chat(names) if k == 1 else hits[:1]
    return []


def _export_file(path: str | Path, max_bytes: int) -> SourceFile:
    p = Path(path)
    if p.is_dir() and (p / "result.json").is_file():  # an unzipped Telegram Desktop export folder
        p = p / "result.json"
    sources = open_files(p, pick=_pick_export, max_bytes=max_bytes)
    if not sources:
        raise InputError(path, "zip archive holds no chat export (.txt, .json, .csv, .parquet or .jsonl)")
    return sources[0] if len(sources) == 1 else _chat_source(sources)


# ---------------------------------------------------------------------------------- the readers


def _slack_sniff(req: ReadRequest) -> bool:
    from kohesi.ingest.slack import is_slack

    return is_slack(req.path)


def _slack_read(req: ReadRequest) -> list[Chat]:
    from kohesi.ingest.slack import read_slack

    return read_slack(req.path, req.group, req.pseudo, req.opts, mode=req.slack_channels,
                      every_chat=req.every_chat, max_bytes=req.max_bytes)


def _mbox_sniff(req: ReadRequest) -> bool:
    from kohesi.ingest.mbox import is_mbox

    return is_mbox(req.path)


def _mbox_read(req: ReadRequest) -> list[Chat]:
    from kohesi.ingest.mbox import read_mbox

    return [read_mbox(req.file, req.group, req.pseudo, req.opts)]


def _telegram_stream_read(req: ReadRequest) -> list[Chat] | None:
    """A Telegram export read straight from its file, in bounded memory; None for other JSON."""
    from kohesi.ingest.telegram import read_telegram

    p = req.json_file
    try:
        size = p.stat().st_size
        if size > req.max_bytes:
            raise InputError(p, f"file is {size:,} bytes, over the {req.max_bytes:,}-byte limit")
        with open(p, "rb") as fh:
            return read_telegram(fh, str(p), req.group, req.pseudo, req.opts, req.every_chat)
    except PermissionError:
        raise InputError(p, "permission denied") from None


def _whatsapp_sniff(req: ReadRequest) -> bool:
    return req.name.endswith(".txt") or "." not in req.name


def _whatsapp_read(req: ReadRequest) -> list[Chat]:
    from kohesi.ingest.whatsapp.reader import read_whatsapp

    return [read_whatsapp(req.file, req.group, req.pseudo, req.opts)]


def _json_read(req: ReadRequest) -> list[Chat]:
    from kohesi.ingest.common import load_json
    from kohesi.ingest.discord import is_discord, read_discord_json
    from kohesi.ingest.telegram import read_telegram
    from kohesi.ingest.text import decode_check

    src = req.file
    data = decode_check(src.data, src.path)
    out = read_telegram(io.BytesIO(data), src.path, req.group, req.pseudo, req.opts, req.every_chat)
    if out is not None:
        return out
    obj: Any = load_json(src)
    if is_discord(obj):
        return [read_discord_json(obj, src, req.group, req.pseudo, req.opts)]
    keys = ", ".join(sorted(obj)[:12]) if isinstance(obj, dict) else type(obj).__name__
    raise InputError(src.path, "JSON is neither a Telegram Desktop export (result.json) nor a "
                               f"DiscordChatExporter export (top level: {keys})")


def _discord_csv_sniff(req: ReadRequest) -> bool:
    from kohesi.ingest.discord import is_discord_csv

    return req.name.endswith(".csv") and req.mapping is None and is_discord_csv(req.file.data)


def _discord_csv_read(req: ReadRequest) -> list[Chat]:
    from kohesi.ingest.discord import read_discord_csv

    return [read_discord_csv(req.file, req.group, req.pseudo, req.opts)]


def _table_sniff(req: ReadRequest) -> bool:
    if req.name.endswith(TABLE_SUFFIXES):
        return True
    raise InputError(req.file.path, f"unsupported file type {PurePosixPath(req.file.name).suffix!r}; kohesi reads "
                                    "WhatsApp .txt and .zip exports, Telegram and Discord .json, Discord .csv, "
                                    "and .csv, .parquet or .jsonl tables")


def _table_read(req: ReadRequest) -> list[Chat]:
    from kohesi.ingest.table import read_table

    return [read_table(req.file, req.mapping, req.group, req.pseudo, req.opts)]


READERS: tuple[Reader, ...] = (
    Reader("slack", _slack_sniff, _slack_read),
    Reader("mbox", _mbox_sniff, _mbox_read),
    Reader("telegram-stream", lambda req: req.json_file is not None, _telegram_stream_read),
    Reader("whatsapp", _whatsapp_sniff, _whatsapp_read),
    Reader("json", lambda req: req.name.endswith(JSON_SUFFIXES), _json_read),
    Reader("discord-csv", _discord_csv_sniff, _discord_csv_read),
    Reader("table", _table_sniff, _table_read),
)
"""The readers, in the order they are tried."""


def read_request(req: ReadRequest) -> list[Chat]:
    """The chats of a request: the first reader that recognises it, and reads it, wins. Acts
    are read from each chat's text (unless ``tag_acts`` is off), then the text is dropped
    unless the user keeps it."""
    for reader in READERS:
        if reader.sniff(req):
            out = reader.read(req)
            if out is not None:
                return [tag_chat(chat, req.opts) for chat in out]
    raise InputError(req.path, "no reader recognises this file")  # the table reader refuses first


_QUOTED = r"(?m)^[ \t]*>.*$"
"""Quoted lines of an e-mail reply: the earlier message's words, not this one's acts."""


def tag_chat(chat: Chat, opts: ReadOptions) -> Chat:
    """A chat with ``acts`` read from its text (:func:`kohesi.text.annotate`) and sign-up
    events added, its text dropped unless ``opts.keep_text``, and the counts in its report.
    A chat without any text (a table without a text column) keeps null acts. A reader may read
    the acts itself, beside its other steps (WhatsApp's: :func:`~kohesi.text.annotate.read_acts`);
    they are then kept as read."""
    events, members, report = chat
    read = opts.tag_acts and "acts" in events.column_names and events["acts"].null_count < events.num_rows
    if not read:
        if not opts.tag_acts or "text" not in events.column_names or events["text"].null_count == events.num_rows:
            return chat
        import polars as pl

        from kohesi.text.annotate import annotate

        text = events["text"]
        if report.format == "mbox":
            text = pl.Series("t", text, dtype=pl.String).str.replace_all(_QUOTED, "").to_arrow()
        events = annotate(events, text)
    from kohesi.events import KINDS

    if not opts.keep_text:
        events = events.set_column(events.column_names.index("text"), "text", pa.nulls(events.num_rows, pa.string()))
    counts = pc.value_counts(pc.list_flatten(events["acts"])).to_pylist()  # arrow's: a polars copy of
    report.acts = dict(sorted((c["values"], c["counts"]) for c in counts))  # the list column costs 8x more
    added = pc.sum(pc.equal(events["subtype"], "signup")).as_py() or 0
    if added:
        report.acts["signup_events"] = added
        kinds = dict(report.kinds)
        kinds["activity"] = kinds.get("activity", 0) + added
        report.kinds = {k: kinds[k] for k in KINDS if k in kinds}
        report.n_events = events.num_rows
    return events, members, report
