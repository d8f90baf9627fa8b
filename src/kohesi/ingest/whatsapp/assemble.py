"""The canonical tables of a WhatsApp export: events with pseudonyms, UTC times, ids, mentions
and inferred replies, and the members table."""

from __future__ import annotations

import ctypes
import re
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
import polars as pl
import pyarrow as pa

from kohesi.errors import InputError
from kohesi.events import EVENT_SCHEMA, MEMBER_SCHEMA, POST_KINDS
from kohesi.ingest.arrow import constant_array, numeric_array, strings_array, take_codes
from kohesi.ingest.ids import event_id_array, hash64, hash_spans, repeats
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.replies import infer_replies
from kohesi.ingest.report import ReadReport
from kohesi.ingest.whatsapp import scan
from kohesi.ingest.whatsapp.classify import Rows, placeholder_kinds
from kohesi.ingest.whatsapp.messages import Messages
from kohesi.ingest.whatsapp.phrases import PhraseBook
from kohesi.privacy import Pseudonymizer, canonical, clean_name, is_phone

if TYPE_CHECKING:
    from kohesi.text.annotate import TextActs

__all__ = ["assemble", "add_keys", "message_texts", "text_flags"]

_BLOCK = 1 << 16
"""Events per block of the events table."""


_MENTION_PY = re.compile("@\u2068([^\u2069]+)\u2069|@(\\+?\\d{6,15})|@(?=\\w)")


def _mentions(texts: pl.Series, names: dict[str, str]) -> pl.Series:
    """Resolve @mentions in ``texts`` to member ids; ``names`` maps canonical names to ids.

    ``@⁨Name⁩`` (newer exports wrap the name in isolates) and ``@6281234567890`` resolve
    exactly; a bare ``@Name …`` resolves to the longest member name the text continues with
    (so ``@Pak Budi Santoso`` is not ``@Pak Budi``), else to the only member whose first name
    it is.
    """
    by_length = sorted((k for k in names if not k.startswith("tel:")), key=len, reverse=True)
    first_tokens: dict[str, list[str]] = {}
    for key in by_length:
        first_tokens.setdefault(key.split(" ")[0], []).append(names[key])
    out: list[list[str]] = []
    for text in texts.to_list():
        found: list[str] = []
        for m in _MENTION_PY.finditer(text or ""):
            if m[1] or m[2]:
                actor = names.get(canonical(m[1] or m[2]))
            else:
                after = text[m.end():m.end() + 80].casefold()
                actor = next((names[k] for k in by_length if after.startswith(k)
                              and not after[len(k):len(k) + 1].isalnum()), None)
                if actor is None:
                    word = re.match(r"[\w.'-]+", after)
                    cands = first_tokens.get(word[0], []) if word else []
                    actor = cands[0] if len(cands) == 1 else None
            if actor and actor not in found:
                found.append(actor)
        out.append(found)
    return pl.Series("mentions", out, dtype=pl.List(pl.String))


class _Vocab(dict):
    """Codes for a handful of strings (kinds, subtypes, member names), -1 for None."""

    def code(self, value: str | None) -> int:
        return -1 if value is None else self.setdefault(value, len(self))

    def among(self, codes: np.ndarray, values: tuple[str, ...]) -> np.ndarray:
        """Whether each code stands for one of ``values`` (by table lookup; -1 never does)."""
        table = np.zeros(len(self) + 1, dtype=np.bool_)
        table[[self[v] for v in values if v in self]] = True
        return table[codes]


def _list_array(n: int, rows: np.ndarray, items: list[list[str]]) -> pa.ListArray:
    """A list-of-strings array of length ``n``: ``items[k]`` at row ``rows[k]``, else empty."""
    lengths = np.zeros(n, dtype=np.int32)
    lengths[rows] = [len(v) for v in items]
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    values = pl.Series([v for vs in items for v in vs], dtype=pl.String).to_arrow().cast(pa.string())
    return pa.ListArray.from_arrays(pa.Array.from_buffers(pa.int32(), n + 1, [None, pa.py_buffer(offsets)]), values)


def _give_back_memory() -> None:
    """Return freed heap memory to the system before the events table is built (glibc keeps
    arrays freed below its adaptive mmap threshold; ``malloc_trim`` releases them)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _edited_text(msgs: Messages, m: np.ndarray, marker: np.ndarray) -> pl.Series:
    """The text of messages ``m`` without the "edited" marker they end with (and the spaces and
    marks before it)."""
    return msgs.text("full", m).str.head(-pl.Series(marker[m])).str.strip_chars_end(" \u200e\u200f")


def _text_series(msgs: Messages, m: np.ndarray, media: np.ndarray, empty: np.ndarray, marker: np.ndarray) -> pl.Series:
    """The text of messages ``m``: a media message's continuation lines (its caption), none for
    a message without text, an edited message's without its marker, the body and continuation
    lines of any other. Built from byte spans (one copy of the text); only the edited few are
    cut apart."""
    sp = msgs.spans
    start = np.where(media, sp.more[m], np.where(empty, -1, sp.body[m]))
    text = scan.span_series("text", msgs.data, start, sp.end[m])
    edited = np.flatnonzero(~media & ~empty & (marker[m] > 0))
    if len(edited):
        text = text.scatter(edited, _edited_text(msgs, m[edited], marker))
    return text


def text_flags(rows: Rows, book: PhraseBook) -> tuple[np.ndarray, np.ndarray]:
    """Per message: whether it is a member's media post (its text is its caption), and whether
    it has no text at all (a system line, a deleted message, a missed call, a pending one)."""
    placeholders = [*placeholder_kinds(book), (None, None)]
    media = np.array([k == "media" for k, _ in placeholders])
    none = np.array([k in ("deleted", "system") or s == "pending" for k, s in placeholders])
    return rows.is_post & media[rows.placeholder], ~rows.is_post | none[rows.placeholder]


def message_texts(msgs: Messages, rows: Rows, book: PhraseBook) -> pl.Series:
    """The text each message's event holds (:func:`text_flags`; null where none), one per
    message, independent of the file's bytes once built."""
    media, empty = text_flags(rows, book)
    return _text_series(msgs, np.arange(len(msgs)), media, empty, rows.marker)


def add_keys(msgs: Messages, tz: str, salt: bytes, path: str) -> np.ndarray:
    """Set (and return) each message's time in UTC, in microseconds, and the keyed hash of
    (local time, author, text, 0) its id is made of (:mod:`kohesi.ingest.ids`). Independent of what
    :func:`~kohesi.ingest.whatsapp.classify.classify` decides, so it can run alongside it."""
    local = pl.Series("local", msgs.local.astype("datetime64[us]"))
    ts = local.dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null").dt.convert_time_zone("UTC")
    if ts.null_count():
        bad = msgs.lineno[ts.is_null().arg_true()[0]]
        raise InputError(path, f"local time does not exist in timezone {tz} (daylight-saving gap)", line=int(bad))
    sp = msgs.spans
    hashed = hash_spans(msgs.local.view(np.int64), msgs.data, (sp.rest, sp.author_end), (sp.body, sp.end),
                        np.zeros(len(msgs), dtype=np.int64), salt, scan.THREADS)
    msgs.utc, msgs.key = ts.to_physical().to_numpy(), hashed
    return msgs.utc


def assemble(msgs: Messages, rows: Rows, book: PhraseBook, keys: Future, group_id: str,
             pseudo: Pseudonymizer, opts: ReadOptions, report: ReadReport,
             acts: Future[TextActs] | None = None) -> tuple[pa.Table, pa.Table]:
    """The canonical tables: one event per post and per system event, with pseudonyms, UTC times,
    ids, mentions and inferred replies. Per-event values are arrays of codes until the last step,
    which builds the table block by block. ``keys`` finishes :func:`add_keys`; ``acts``, where
    given, the acts read from :func:`message_texts` meanwhile (:func:`kohesi.text.annotate.read_acts`),
    attached to the events, and the text column is then built only if the user keeps it."""
    n = len(msgs)
    counts = np.ones(n, dtype=np.int32)
    for i, events in rows.system.items():
        counts[i] = len(events)
    msg = np.repeat(np.arange(n, dtype=np.int32), counts)
    first = np.cumsum(counts) - counts
    sys_at = np.concatenate([first[i] + np.arange(len(ev)) for i, ev in rows.system.items()] or [np.zeros(0, np.int64)])
    del counts
    sys_events = [e for ev in rows.system.values() for e in ev]
    post = rows.is_post[msg]

    kinds, subtypes, names = _Vocab(), _Vocab(), _Vocab()
    for name in rows.names:
        names.code(name)
    placeholders = placeholder_kinds(book)
    ph_kind = np.array([kinds.code(k) for k, _ in placeholders] + [-1], dtype=np.int16)
    ph_sub = np.array([subtypes.code(s) for _, s in placeholders] + [-1], dtype=np.int16)
    message, edited = kinds.code("message"), kinds.code("edited")
    hit = ph_kind[rows.placeholder[msg]]
    kind = np.where((hit < 0) | (hit == message), np.where(rows.marker[msg] > 0, edited, message), hit).astype(np.int16)
    subtype = ph_sub[rows.placeholder[msg]]
    media_m, empty_m = text_flags(rows, book)
    is_media, no_text = media_m[msg], empty_m[msg]
    del media_m, empty_m
    actor = np.where(post, rows.author[msg], -1).astype(np.int32)
    target = np.full(len(msg), -1, dtype=np.int32)
    sub = np.zeros(len(sys_at), dtype=np.int32)
    for k, (r, e) in enumerate(zip(sys_at.tolist(), sys_events, strict=True)):
        kind[r], subtype[r] = kinds.code(e["kind"]), subtypes.code(e["subtype"])
        actor[r], target[r], sub[k] = names.code(e["actor"]), names.code(e["target"]), e["sub"]

    keys.result()
    ts_us, hashed = msgs.utc[msg], msgs.key[msg]
    if len(sys_at):
        epoch = msgs.local.view(np.int64)[msg[sys_at]]
        hashed[sys_at] = hash64([pl.Series(epoch), pl.Series([e["key_author"] for e in sys_events]),
                                 pl.Series([e["key_text"] for e in sys_events]), pl.Series(sub)], pseudo.salt)
    rank = repeats(hashed)

    used = np.flatnonzero(np.bincount(actor[actor >= 0], minlength=len(names))
                          + np.bincount(target[target >= 0], minlength=len(names))).tolist()
    vocab = list(names)
    ids = {vocab[c]: pseudo.member_id(vocab[c]) for c in used}
    id_of = [ids.get(name) for name in vocab]
    members = pl.DataFrame(
        {
            "group_id": [group_id] * len(ids),
            "actor": list(ids.values()),
            "name": [pseudo.display(name, opts.keep_names) for name in ids],
            "is_phone": [is_phone(clean_name(name)) for name in ids],
        },
        schema={"group_id": pl.String, "actor": pl.String, "name": pl.String, "is_phone": pl.Boolean},
    ).unique("actor", keep="first").sort("actor")

    posts = np.flatnonzero(kinds.among(kind, POST_KINDS))
    post_ts = pl.Series("ts", ts_us[posts]).cast(pl.Datetime("us", "UTC"))
    replies = infer_replies(pl.DataFrame({"event_id": posts, "actor": actor[posts], "ts": post_ts}),
                            opts.reply_rule)
    back = np.full(len(msg), -1, dtype=np.int32)
    back[posts] = replies["reply_to"].fill_null(-1).to_numpy()
    target[posts] = np.where(target[posts] >= 0, target[posts], replies["target"].fill_null(-1).to_numpy())
    del replies, posts

    canon = {canonical(name): ids[name] for name in ids}
    tagged = np.flatnonzero(rows.at[msg] & post & kinds.among(kind, ("message", "edited", "media")))
    mentions = _list_array(len(msg), tagged, _mentions(msgs.text("full", msg[tagged]), canon).to_list())

    del hit
    chars, chars_more = msgs.spans.chars[msg], msgs.spans.chars_more[msg]
    n_chars = np.where(is_media, chars_more, np.where(no_text, 0, chars)).astype(np.int32)
    del chars, chars_more
    edited_rows = np.flatnonzero(~is_media & ~no_text & (rows.marker[msg] > 0))
    n_chars[edited_rows] = _edited_text(msgs, msg[edited_rows], rows.marker).str.len_chars().to_numpy()
    with_text = opts.keep_text if acts is not None else opts.hold_text
    msgs.release(with_text)
    trim = ThreadPoolExecutor(1)
    trim.submit(_give_back_memory)  # ctypes releases the GIL: the blocks are built meanwhile
    kind_names, subtype_names = strings_array(list(kinds)), strings_array(list(subtypes))
    event_ids = event_id_array(hashed, rank)
    id_names = strings_array(id_of)
    group_ids, nulls = constant_array(group_id, _BLOCK), pa.nulls(_BLOCK, pa.string())  # shared by every block
    no_acts = pa.nulls(_BLOCK, EVENT_SCHEMA.field("acts").type)  # read from the text afterwards

    def block(lo: int) -> pa.Table:
        c = slice(lo, min(len(msg), lo + _BLOCK))
        m = msg[c]
        size = len(m)
        none = nulls.slice(0, size)
        text = _text_series(msgs, m, is_media[c], no_text[c], rows.marker).to_arrow().cast(pa.string()) \
            if with_text else none
        answered = back[c] >= 0
        return pa.Table.from_arrays([
            group_ids.slice(0, size),
            event_ids.slice(lo, size),
            numeric_array(ts_us[c], pa.timestamp("us", tz="UTC")),
            take_codes(id_names, actor[c]),
            take_codes(kind_names, kind[c]),
            take_codes(subtype_names, subtype[c]),
            take_codes(event_ids, back[c]),
            numeric_array(answered, pa.bool_()),
            take_codes(id_names, target[c]),
            mentions.slice(lo, size),
            none,
            text,
            numeric_array(n_chars[c], pa.int32()),
            numeric_array(is_media[c].astype(np.int16), pa.int16()),
            numeric_array(msgs.lineno[m], pa.int64()),
            no_acts.slice(0, size),
        ], schema=EVENT_SCHEMA)

    with ThreadPoolExecutor(scan.THREADS) as pool:
        blocks = list(pool.map(block, range(0, len(msg), _BLOCK)))
    trim.shutdown()
    table = pa.concat_tables(blocks) if blocks else EVENT_SCHEMA.empty_table()
    if acts is not None:
        from kohesi.text.annotate import attach

        table = attach(table, acts.result().take(msg, first))
    report.n_events = table.num_rows
    counted = np.bincount(kind, minlength=len(kinds))
    report.kinds = dict(sorted((k, int(counted[c])) for k, c in kinds.items() if counted[c]))
    return table, members.to_arrow().cast(MEMBER_SCHEMA)
