"""Read a WhatsApp chat export (Android or iOS, ``.txt`` or ``.zip``) into canonical events.

The steps, each in its module, work on the file's bytes and on arrays; only the few system lines
are handled one by one:

1. :mod:`.messages` — the header lines (:mod:`.header`, :mod:`.scan`), their local times and the
   byte spans of each message's author, body and continuation lines;
2. :mod:`.classify` — members' posts and system lines (:mod:`.phrases`), media, deleted and edited
   messages;
3. :mod:`.assemble` — pseudonyms (:mod:`kohesi.privacy`), UTC times, ids
   (:mod:`kohesi.ingest.ids`), @mentions and inferred replies (:mod:`kohesi.ingest.replies`): the
   events and members tables.
"""

from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import PurePosixPath

import numpy as np
import polars as pl
import pyarrow as pa

from kohesi.ingest.files import SourceFile
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.report import ReadReport
from kohesi.ingest.text import decode_check, repair_text
from kohesi.ingest.whatsapp.assemble import add_keys, assemble, message_texts
from kohesi.ingest.whatsapp.classify import Rows, classify, prepare
from kohesi.ingest.whatsapp.messages import find_messages
from kohesi.ingest.whatsapp.phrases import phrasebook
from kohesi.privacy import Pseudonymizer, clean_name, private_group_id

__all__ = ["read_whatsapp", "is_whatsapp_name", "group_name_from_filename"]

_FILENAME_PATTERNS = [
    r"^WhatsApp Chat with (?P<g>.+)\.(?:txt|zip)$",
    r"^WhatsApp Chat - (?P<g>.+)\.(?:txt|zip)$",
    r"^Chat WhatsApp dengan (?P<g>.+)\.(?:txt|zip)$",
    r"^WhatsApp Chat dengan (?P<g>.+)\.(?:txt|zip)$",
    r"^Chat WhatsApp - (?P<g>.+)\.(?:txt|zip)$",
    r"^WhatsApp-Chat mit (?P<g>.+)\.(?:txt|zip)$",
    r"^Chat de WhatsApp con (?P<g>.+)\.(?:txt|zip)$",
    r"^Conversa do WhatsApp com (?P<g>.+)\.(?:txt|zip)$",
    r"^Discussion WhatsApp avec (?P<g>.+)\.(?:txt|zip)$",
    r"^WhatsApp-chat met (?P<g>.+)\.(?:txt|zip)$",
    r"^Chat WhatsApp con (?P<g>.+)\.(?:txt|zip)$",
]


def group_name_from_filename(name: str) -> str | None:
    """``WhatsApp Chat with RT 05.txt`` → ``RT 05`` (English, Indonesian and other locales)."""
    base = PurePosixPath(name).name
    for pattern in _FILENAME_PATTERNS:
        m = re.match(pattern, base, flags=re.IGNORECASE)
        if m:
            return clean_name(m["g"])
    return None


def is_whatsapp_name(name: str) -> bool:
    base = PurePosixPath(name).name
    return base == "_chat.txt" or group_name_from_filename(base) is not None


def read_whatsapp(src: SourceFile, group: str | None, pseudo: Pseudonymizer,
                  opts: ReadOptions) -> tuple[pa.Table, pa.Table, ReadReport]:
    """Parse one export file; return events, members and the read report."""
    report = ReadReport(source=src.path, format="whatsapp", tz=opts.tz,
                        reply_rule=opts.reply_rule.describe())
    with ThreadPoolExecutor(2) as pool:
        prepared = pool.submit(lambda: prepare(phrasebook()))
        data = repair_text(decode_check(src.take(), src.path, stray_nul=True), src.path, report.warnings)
        msgs = find_messages(data, src, opts, report)
        book = prepared.result()
        keys = pool.submit(add_keys, msgs, opts.tz, pseudo.salt, src.path)
        rows = classify(msgs, book, report.platform, report)
        acts = _read_acts(pool, message_texts(msgs, rows, book), keys) if opts.tag_acts else None
        group_id = group or _group_id(src, rows, pseudo, report)
        return (*assemble(msgs, rows, book, keys, group_id, pseudo, opts, report, acts), report)


def _read_acts(pool: ThreadPoolExecutor, text: pl.Series, keys: Future) -> Future | None:
    """Read the messages' acts (:func:`kohesi.text.annotate.read_acts`) in ``pool`` while the
    events are assembled, once ``keys`` gives their times; ``None`` where no message has text."""
    if text.null_count() == len(text):
        return None
    from kohesi.text.annotate import read_acts

    return pool.submit(lambda: read_acts(text, keys.result()))


_MEMBERSHIP = ("join", "leave", "add", "remove")


def _group_id(src: SourceFile, rows: Rows, pseudo: Pseudonymizer, report: ReadReport) -> str:
    """The group id when the user gives none: the chat's name from the file (or zip) name, else
    the subject the chat itself records, else the file's stem; never a person's name or number
    (:func:`kohesi.privacy.private_group_id`). WhatsApp names a one-to-one chat after the other
    person, so a name that is a member's, or a chat with one author and no one joining or
    leaving, is pseudonymised like a member."""
    name = (group_name_from_filename(src.name)
            or (group_name_from_filename(PurePosixPath(src.container).name) if src.container else None)
            or report.group_hint or PurePosixPath(src.container or src.name).stem)
    authors = np.unique(rows.author[rows.is_post & (rows.author >= 0)]).tolist()
    system = [e for events in rows.system.values() for e in events]
    grouped = any(e["kind"] in _MEMBERSHIP for e in system)
    people = {rows.names[k] for k in authors} | {e[r] for e in system for r in ("actor", "target") if e[r]}
    actors = {pseudo.member_id(n) for n in people}
    return private_group_id(name, pseudo, actors, person=len(authors) <= 1 and not grouped)
