"""Read a WhatsApp chat export (Android or iOS, ``.txt`` or ``.zip``) into canonical events.

Steps, all vectorised over the file's lines except the handful of system lines:

1. lines → header-shaped lines (:mod:`.header`), the file's header format, date order, timestamps;
2. each header line's rest → author and body, or a system line (:mod:`.phrases`), following the
   rules of :func:`_classify`;
3. continuation lines appended to their message (newlines kept);
4. members pseudonymised (:mod:`kohesi.privacy`), @mentions resolved, replies inferred
   (:mod:`kohesi.ingest.replies`), ids hashed (:mod:`kohesi.ingest.ids`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import numpy as np
import polars as pl
import pyarrow as pa

from kohesi.errors import InputError
from kohesi.events import EVENT_SCHEMA, MEMBER_SCHEMA, POST_KINDS
from kohesi.ingest.ids import content_ids
from kohesi.ingest.replies import ReplyRule, infer_replies
from kohesi.ingest.report import ReadReport
from kohesi.ingest.source import Source
from kohesi.ingest.text import decode_check, utf8_lines
from kohesi.ingest.whatsapp import scan
from kohesi.ingest.whatsapp.header import (
    GENERIC,
    GENERIC_RE,
    date_parts,
    dominant_format,
    infer_date_order,
    out_of_order,
    to_naive_datetime,
)
from kohesi.ingest.whatsapp.phrases import Phrase, PhraseBook, phrasebook
from kohesi.ingest.whatsapp.scan import span_series
from kohesi.privacy import INVISIBLE, Pseudonymizer, canonical, clean_name, is_phone

__all__ = ["WhatsAppOptions", "read_whatsapp", "is_whatsapp_name", "group_name_from_filename"]

_INV = f"[{INVISIBLE}]"
YOU = "You"

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


@dataclass(frozen=True)
class WhatsAppOptions:
    """How to read a WhatsApp export."""

    tz: str = "UTC"
    """IANA timezone the exporting phone was in (exports carry none)."""
    date_order: str | None = None
    """``dmy``, ``mdy``, ``ymd`` or ``ydm`` to override inference."""
    keep_text: bool = False
    keep_names: bool = False
    strict: bool = False
    reply_rule: ReplyRule = field(default_factory=ReplyRule)
    header_tolerance_s: int = 3600


def read_whatsapp(src: Source, group: str | None, pseudo: Pseudonymizer,
                  opts: WhatsAppOptions) -> tuple[pa.Table, pa.Table, ReadReport]:
    """Parse one export file; return events, members and the read report."""
    report = ReadReport(source=src.path, format="whatsapp", tz=opts.tz,
                        reply_rule=opts.reply_rule.describe())
    data = utf8_lines(decode_check(src.data, src.path), src.path)
    buf = np.frombuffer(data, dtype=np.uint8)
    starts = scan.line_starts(buf)
    report.n_lines = len(starts)
    heads = _messages(data, buf, starts, src, opts, report)
    events = _classify(heads, phrasebook(), report.platform, report)
    del heads
    return (*_finish(events, src, group, pseudo, opts, report), report)


_EASTERN = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                          **{chr(0x06F0 + i): str(i) for i in range(10)}, "\u200f": None})
_EASTERN_RE = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_HEAD = 32


def _western(line: str) -> str:
    """Arabic-Indic and Persian digits (and RLM marks) in a line's first characters, where an
    Arabic-locale export writes its dates and times, as ASCII digits."""
    return line[:_HEAD].translate(_EASTERN) + line[_HEAD:]


def _decode(data: bytes, starts: np.ndarray, ends: np.ndarray, idx) -> list[str]:
    return [data[starts[i]:ends[i]].decode("utf-8") for i in idx]


def _sample(data: bytes, starts: np.ndarray, ends: np.ndarray, cand: np.ndarray, head: int = 5000,
            tail: int = 1000) -> tuple[list[str], bool]:
    """Header-shaped lines from the start and the end of the file (up to ``head`` and ``tail``)
    to learn its layout from, and whether it writes Arabic-Indic digits in its headers."""
    eastern = False

    def shaped(idx) -> list[str]:
        nonlocal eastern
        out = []
        for line in _decode(data, starts, ends, idx):
            if _EASTERN_RE.search(line, 0, _HEAD):
                line, eastern = _western(line), True
            if GENERIC_RE.match(line):
                out.append(line)
        return out

    first, k, batch = [], 0, head + head // 5
    while len(first) < head and k < len(cand):
        first += shaped(cand[k:k + batch])
        k, batch = k + batch, 2 * batch
    last, j, batch = [], len(cand), tail + tail // 5
    while len(last) < tail and j > k:
        last = shaped(cand[max(k, j - batch):j]) + last
        j, batch = j - batch, 2 * batch
    return first[:head] + last[-tail:], eastern


def _messages(data: bytes, buf: np.ndarray, starts: np.ndarray, src: Source, opts: WhatsAppOptions,
              report: ReadReport) -> pl.DataFrame:
    """One row per message: its header line, local time, and the text of its lines as columns
    pointing into ``data`` (``rest`` after the header, ``whole`` without leading marks,
    ``author_raw``, ``body``, ``more`` continuation lines, ``full`` body and continuation)."""
    ends = scan.line_ends(buf, starts)
    cand = scan.maybe_header(buf, starts, np.zeros(len(starts), dtype=np.bool_))
    sample, eastern = _sample(data, starts, ends, cand)
    if not sample:
        first = next((ln for ln in _decode(data, starts, ends, range(min(50, len(starts)))) if ln.strip()), "")
        raise InputError(src.path, f"no WhatsApp message header found; first line reads {first[:60]!r}", line=1)
    fmt, _ = dominant_format(sample)
    if fmt is None:
        raise InputError(src.path, "header-shaped lines found but none in a known WhatsApp layout",
                         line=int(cand[0]) + 1)
    report.platform = fmt.platform
    report.format = f"whatsapp-{fmt.platform}"
    report.header_format = fmt.describe()

    f = scan.header_fields(buf, starts, fmt, eastern)
    if len(f.line) == 0:
        raise InputError(src.path, "no line in a known WhatsApp header layout", line=1)
    hh = f.hour
    if fmt.twelve_hour:
        hh = np.where(hh == 12, 0, hh) + np.where(f.pm, 12, 0)
    prior = "mdy" if fmt.twelve_hour and not fmt.year_first else "dmy"
    order = infer_date_order(f.d1, f.d2, f.d3, hh, f.minute, f.second, year_first=fmt.year_first, era=f.era,
                             given=opts.date_order, prior=prior)
    report.date_order, report.date_order_confidence, report.date_order_basis = order.order, order.confidence, order.basis
    if order.basis == "ambiguous":
        report.warnings.append(
            "dates are ambiguous (every day and month ≤ 12 and both orders are chronological); "
            f"assumed {order.order}; pass --date-order if that is wrong")
    if not order.valid.any():
        raise InputError(src.path, f"no header date is valid in {order.order} order", line=int(f.line[0]) + 1)

    y, m, d = date_parts(order.order, f.d1, f.d2, f.d3, f.era)
    valid = order.valid & (hh < 24) & (f.minute < 60) & (f.second < 60)
    y, m, d = (np.where(valid, a, b) for a, b in ((y, 1970), (m, 1), (d, 1)))
    local = to_naive_datetime(y, m, d, hh, f.minute, f.second)
    accepted = valid.copy()
    idx = np.flatnonzero(valid)
    accepted[idx] &= ~out_of_order(local[idx], opts.header_tolerance_s)
    demoted = f.line[~accepted] + 1
    if len(demoted):
        report.warnings.append(
            f"{len(demoted)} header-shaped lines kept as message text (invalid date or out of "
            f"chronological order): lines {_some(demoted)}")
    is_head = np.zeros(len(starts), dtype=np.bool_)
    is_head[f.line] = True
    other = _other_layout(data, buf, starts, ends, is_head, eastern)
    if other:
        report.warnings.append(f"{other} header-shaped lines in another layout than "
                               f"{fmt.describe()} kept as message text")
    heads = f.line[accepted]
    _before_first(data, starts, ends, int(heads[0]), src, opts, report)
    sp = scan.message_spans(buf, starts, heads, f.end[accepted])
    has_author = sp.author_end >= 0
    return pl.DataFrame([
        pl.Series("lineno", heads + 1, dtype=pl.Int64),
        pl.Series("local", local[accepted].astype("datetime64[us]")),
        span_series("rest", data, sp.rest, sp.line_end),
        span_series("whole", data, sp.whole, sp.line_end),
        span_series("author_raw", data, np.where(has_author, sp.rest, -1), sp.author_end),
        span_series("body", data, sp.body, sp.line_end),
        pl.Series("body_lrm", sp.body_lrm),
        pl.Series("rest_lrm", sp.rest_lrm),
        pl.Series("has_author", has_author),
        span_series("more", data, sp.more, sp.end),
        span_series("full", data, sp.body, sp.end),
    ])


def _other_layout(data: bytes, buf: np.ndarray, starts: np.ndarray, ends: np.ndarray, is_head: np.ndarray,
                  eastern: bool) -> int:
    """How many lines that are not headers of the file's layout are header-shaped all the same."""
    idx = scan.maybe_header(buf, starts, is_head)
    if len(idx) == 0:
        return 0
    lines = span_series("line", data, starts[idx], ends[idx])
    if eastern:
        lines = pl.Series([_western(ln) for ln in lines.to_list()], dtype=pl.String)
    return int(lines.str.contains(GENERIC).sum())


def _before_first(data: bytes, starts: np.ndarray, ends: np.ndarray, first: int, src: Source,
                  opts: WhatsAppOptions, report: ReadReport) -> None:
    """Lines with text before the first header are reported as skipped (fatal with ``--strict``)."""
    lines = _decode(data, starts, ends, range(first))
    report.skipped.extend((i + 1, "text before the first message header") for i, ln in enumerate(lines) if ln.strip())
    if opts.strict and report.skipped:
        ln, reason = report.skipped[0]
        raise InputError(src.path, reason, line=ln)


def _some(numbers, k: int = 10) -> str:
    head = ", ".join(str(n) for n in numbers[:k])
    return head + ("…" if len(numbers) > k else "")


def _classify(heads: pl.DataFrame, book: PhraseBook, platform: str | None, report: ReadReport) -> pl.DataFrame:
    """Split each header line's rest into author and body, and decide its kind.

    Rules, in order (a line is ``rest`` after the header):

    - **system via body**: the line has ``Author: body``, the body is a known system phrase and it
      starts with U+200E — iOS attributes system lines to the group name (or to the contact, for
      security-code notices) and marks their text with U+200E; the split is made at
      ``": \u200e"`` so a group name containing ``": "`` stays whole;
    - **system via the whole line**: the whole rest is a system phrase and the text before the
      first ``": "`` is not a member who writes ordinary messages (so ``X changed the subject to
      "Rapat: Senin"`` is a system line while ``Budi: Andi left`` is Budi's message); on iOS the
      line must also start with U+200E;
    - **member post**: ``Author: body``; the body decides message, media, deleted, edited or a
      missed-call notice;
    - anything else is an unrecognised system line (kept as kind ``system``, subtype ``other``).
    """
    h = heads
    whole = h["whole"]
    cand = screen(whole, book.system, book)  # the body is a suffix of the rest: one screen serves both
    h = h.with_columns(
        first_match(whole, book.system, book, cand).alias("sys_whole"),
        first_match(h["body"], book.system, book, cand).alias("sys_body"),
    ).drop("whole")
    has_whole, has_body = pl.col("sys_whole").is_not_null(), pl.col("sys_body").is_not_null()
    posters = (
        h.filter(pl.col("has_author") & ~has_whole & ~(has_body & pl.col("body_lrm")))
        ["author_raw"].unique().implode()
    )
    known = pl.col("author_raw").is_in(posters).fill_null(False)
    via_body = pl.col("has_author") & has_body & pl.col("body_lrm")
    via_whole = ~via_body & has_whole & ~known
    if platform == "ios":
        via_whole = via_whole & pl.col("rest_lrm")
    h = h.with_columns(
        pl.when(via_body).then(pl.lit("body")).when(via_whole).then(pl.lit("whole"))
        .when(pl.col("has_author")).then(pl.lit("post")).otherwise(pl.lit("unknown")).alias("route"),
        pl.when(via_body).then(pl.col("sys_body")).otherwise(pl.col("sys_whole")).alias("phrase"),
    ).drop("sys_whole", "sys_body", "rest_lrm")
    is_post = pl.col("route") == "post"
    system = h.filter(~is_post)
    sys_rows, reverted = _system_rows(system, book, report)
    posts = h.filter(is_post | pl.col("lineno").is_in(reverted))
    del h
    posts = _post_rows(posts, book)
    sys_rows = sys_rows.select([pl.col(c).cast(t) for c, t in posts.schema.items()])
    return posts.merge_sorted(sys_rows, key="lineno")


def screen(texts: pl.Series, phrases: tuple[Phrase, ...], book: PhraseBook) -> pl.Series:
    """Which texts may match one of ``phrases`` (a superset; never misses a match)."""
    literals, rest = book.screen(phrases)
    cand = texts.str.contains_any(literals) if literals else pl.Series([False] * len(texts))
    for pattern in rest:
        cand = cand | texts.str.contains(pattern)
    return cand.fill_null(False)


def first_match(texts: pl.Series, phrases: tuple[Phrase, ...], book: PhraseBook,
                cand: pl.Series | None = None, clean: bool = False) -> pl.Series:
    """Index of the first phrase matching each text (null if none); ``cand`` may give the
    candidates of :func:`screen` when they are known; ``clean`` drops invisible characters from
    the candidates before matching.

    One Aho–Corasick pass over the phrases' literals finds the few candidate lines and which
    literals each contains; a pattern then runs only on the lines holding its literal (patterns
    without one run on every candidate). A single alternation of hundreds of patterns is far
    slower in every regex engine than this.
    """
    if cand is None:
        cand = screen(texts, phrases, book)
    out = np.full(len(texts), -1, dtype=np.int32)
    idx = cand.arg_true().to_numpy()
    if len(idx) == 0:
        return pl.Series(out).replace(-1, None)
    sub = texts.gather(idx)
    if clean:
        sub = sub.str.replace_all(_INV, "").str.strip_chars()
    sub = sub.fill_null("")
    found = np.full(len(idx), np.iinfo(np.int32).max, dtype=np.int64)
    literals, _ = book.screen(phrases)
    by_literal: dict[str, list[int]] = {}
    loose: list[int] = []
    for i, phrase in enumerate(phrases):
        lit = phrase.literal if phrase.literal in literals else None
        (by_literal.setdefault(lit, []) if lit else loose).append(i)
    rows = pl.DataFrame({"row": np.arange(len(idx)), "lit": sub.str.extract_many(literals, overlapping=True)})
    rows = rows.explode("lit").drop_nulls().unique()
    for (lit,), grp in rows.group_by("lit"):
        r = grp["row"].to_numpy()
        texts_r = sub.gather(r)
        for i in by_literal.get(lit, []):
            hit = texts_r.str.contains(phrases[i].unnamed).to_numpy()
            np.minimum.at(found, r[hit], i)
    for i in loose:
        hit = sub.str.contains(phrases[i].unnamed).to_numpy()
        found[hit] = np.minimum(found[hit], i)
    found = np.where(found == np.iinfo(np.int32).max, -1, found)
    out[idx] = found
    return pl.Series(out).replace(-1, None)


def _edited_marker_length(full: pl.Series, markers: tuple[str, ...]) -> pl.Series:
    """Length of the "edited" marker each text ends with (0 when none); only texts ending with
    a marker's last character are examined."""
    out = np.zeros(len(full), dtype=np.int32)
    tails = sorted({m[-1] for m in markers})
    cand = pl.Series([False] * len(full)) if not tails else full.str.ends_with(tails[0])
    for tail in tails[1:]:
        cand = cand | full.str.ends_with(tail)
    idx = cand.fill_null(False).arg_true().to_numpy()
    if len(idx):
        sub = full.gather(idx)
        found = np.zeros(len(idx), dtype=np.int32)
        for marker in sorted(markers, key=len, reverse=True):
            hit = sub.str.ends_with(marker).fill_null(False).to_numpy() & (found == 0)
            found[hit] = len(marker)
        out[idx] = found
    return pl.Series(out)


def _post_rows(posts: pl.DataFrame, book: PhraseBook) -> pl.DataFrame:
    """Members' posts: kind, subtype and text from the body (vectorised; phrase tests on the few
    bodies that look like a placeholder)."""
    placeholders = book.calls + book.deleted + book.media + book.pending
    special = screen(posts["body"], placeholders, book) | posts["body"].str.contains(_INV).fill_null(False)
    p = posts.select(
        "lineno", "local", "author_raw", "body", "more", "full", special.alias("special"),
    )
    p = p.with_columns(_edited_marker_length(p["full"], book.edited_markers).alias("mlen"))
    edited = pl.col("mlen") > 0
    stripped = pl.col("full").str.head(-pl.col("mlen")).str.strip_chars_end(" \u200e\u200f")
    kinds = [("system" if ph in book.calls else "deleted" if ph.kind == "deleted" else ph.kind) for ph in placeholders]
    subtypes = ["missed_call" if ph in book.calls else ph.subtype for ph in placeholders]
    which = first_match(p["body"], placeholders, book, p["special"], clean=True)
    codes = list(range(len(kinds)))
    p = p.with_columns(
        which.replace_strict(codes, kinds, default=None, return_dtype=pl.String).alias("hit_kind"),
        which.replace_strict(codes, subtypes, default=None, return_dtype=pl.String).alias("hit_sub"),
    )
    hit = pl.col("hit_kind")
    return p.select(
        "lineno", "local",
        pl.lit(0, dtype=pl.Int32).alias("sub"),
        pl.col("author_raw").alias("actor_name"),
        pl.when(hit.is_null() | (hit == "message"))
        .then(pl.when(edited).then(pl.lit("edited")).otherwise(pl.lit("message")))
        .otherwise(hit).alias("kind"),
        pl.col("hit_sub").alias("subtype"),
        pl.lit(None, dtype=pl.String).alias("target_name"),
        pl.when(hit == "media").then(pl.col("more"))
        .when(hit.is_in(["deleted", "system"]) | (pl.col("hit_sub") == "pending")).then(None)
        .when(edited).then(stripped).otherwise(pl.col("full")).alias("text"),
        pl.when(hit == "media").then(1).otherwise(0).cast(pl.Int16).alias("n_media"),
        pl.col("author_raw").alias("key_author"),
        pl.col("full").alias("key_text"),
    )


def _system_rows(system: pl.DataFrame, book: PhraseBook, report: ReadReport) -> tuple[pl.DataFrame, list[int]]:
    """System lines (few): which phrase, who did it, to whom. ``X added A, B and C`` gives three rows."""
    rows: list[dict] = []
    reverted: list[int] = []
    unknown = 0
    languages: dict[str, int] = {}
    for r in system.iter_rows(named=True):
        text = clean_name(r["body"] if r["route"] == "body" else r["rest"])
        hit = None
        if r["route"] != "unknown":
            phrase = book.system[r["phrase"]]
            m = phrase.regex.match(text)
            hit = (phrase, m) if m else book.match_system(text)
        if hit is None:
            unknown += 1
            rows.append(_sys_row(r, "system", "other", None, None, 0))
            continue
        phrase, m = hit
        groups = m.groupdict()
        actor = groups.get("actor")
        if actor is not None and ": " in actor and r["has_author"]:
            reverted.append(r["lineno"])
            continue
        languages[phrase.language] = languages.get(phrase.language, 0) + 1
        if groups.get("group"):
            report.group_hint = clean_name(groups["group"])
        if phrase.subtype in ("security_code", "number_change"):
            actor = None
        actor = _you(actor, book)
        if phrase.kind in ("add", "remove"):
            targets = [_you(t, book) for t in book.split_names(groups.get("targets") or "")]
            for k, target in enumerate(targets or [None]):
                rows.append(_sys_row(r, phrase.kind, phrase.subtype, actor, target, k))
        else:
            if phrase.kind == "join" and actor is None:
                actor = YOU
            rows.append(_sys_row(r, phrase.kind, phrase.subtype, actor, None, 0))
    if languages:
        report.language = max(languages, key=languages.get)
    if unknown:
        report.warnings.append(f"{unknown} system lines not in the phrase tables, kept as kind 'system', subtype 'other'")
    schema = {"lineno": pl.Int64, "local": pl.Datetime("us"), "sub": pl.Int32, "actor_name": pl.String,
              "kind": pl.String, "subtype": pl.String, "target_name": pl.String, "text": pl.String,
              "n_media": pl.Int16, "key_author": pl.String, "key_text": pl.String}
    return pl.DataFrame(rows, schema=schema), reverted


def _you(name: str | None, book: PhraseBook) -> str | None:
    if name is None:
        return None
    name = clean_name(name)
    return YOU if name in book.you else name


def _sys_row(r: dict, kind: str, subtype: str | None, actor: str | None, target: str | None, sub: int) -> dict:
    """A system event. Its text is never kept: system lines name members and show phone numbers."""
    more = "" if r["more"] is None else "\n" + r["more"]
    return {"lineno": r["lineno"], "local": r["local"], "sub": sub, "actor_name": actor, "kind": kind,
            "subtype": subtype, "target_name": target, "text": None, "n_media": 0,
            "key_author": r["author_raw"] or "", "key_text": r["rest"] + more}


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


def _finish(ev: pl.DataFrame, src: Source, group: str | None, pseudo: Pseudonymizer,
            opts: WhatsAppOptions, report: ReadReport) -> tuple[pa.Table, pa.Table]:
    """Pseudonyms, UTC times, ids, mentions and inferred replies; the canonical tables."""
    group_id = (group or group_name_from_filename(src.name)
                or (group_name_from_filename(PurePosixPath(src.container).name) if src.container else None)
                or report.group_hint or PurePosixPath(src.container or src.name).stem)

    names = pl.concat([ev["actor_name"], ev["target_name"]]).drop_nulls().unique().to_list()
    ids = {n: pseudo.member_id(n) for n in names}
    members = pl.DataFrame(
        {
            "group_id": [group_id] * len(names),
            "actor": [ids[n] for n in names],
            "name": [pseudo.display(n, opts.keep_names) for n in names],
            "is_phone": [is_phone(clean_name(n)) for n in names],
        },
        schema={"group_id": pl.String, "actor": pl.String, "name": pl.String, "is_phone": pl.Boolean},
    ).unique("actor", keep="first").sort("actor")

    ts = ev["local"].dt.replace_time_zone(opts.tz, ambiguous="earliest", non_existent="null").dt.convert_time_zone("UTC")
    if ts.null_count():
        bad = ev.filter(ts.is_null())["lineno"][0]
        raise InputError(src.path, f"local time does not exist in timezone {opts.tz} (daylight-saving gap)", line=int(bad))
    ev = ev.with_columns(
        ts.alias("ts"),
        pl.col("actor_name").replace_strict(ids, default=None, return_dtype=pl.String).alias("actor"),
        pl.col("target_name").replace_strict(ids, default=None, return_dtype=pl.String).alias("target"),
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
    )
    ev = ev.with_columns(content_ids(
        ev.select(pl.col("local").dt.epoch("s").alias("t"), "key_author", "key_text", "sub"), pseudo.salt))

    is_post = pl.col("kind").is_in(list(POST_KINDS))
    with_at = ev.filter(pl.col("kind").is_in(["message", "edited", "media"])
                        & pl.col("key_text").str.contains("@", literal=True))
    canon = {canonical(n): ids[n] for n in names}
    found = pl.DataFrame({"_row": with_at["_row"], "mentions": _mentions(with_at["key_text"], canon)})
    replies = infer_replies(ev.filter(is_post).select("_row", "event_id", "actor", "ts"), opts.reply_rule)
    ev = (
        ev.drop("key_text", "key_author", "actor_name", "target_name")
        .join(found, on="_row", how="left")
        .join(replies.select("_row", "reply_to", pl.col("target").alias("reply_target"), "reply_inferred"),
              on="_row", how="left")
    )
    n_chars = pl.when(is_post).then(pl.col("text").str.len_chars().fill_null(0)).otherwise(0).cast(pl.Int32)
    table = ev.select(
        pl.lit(group_id).alias("group_id"),
        "event_id", "ts", "actor", "kind", "subtype",
        "reply_to",
        pl.col("reply_inferred").fill_null(False),
        pl.coalesce("target", "reply_target").alias("target"),
        pl.col("mentions").fill_null(pl.lit([], dtype=pl.List(pl.String))),
        pl.lit(None, dtype=pl.String).alias("thread"),
        pl.col("text") if opts.keep_text else pl.lit(None, dtype=pl.String).alias("text"),
        n_chars.alias("n_chars"),
        "n_media",
        pl.col("lineno").alias("line"),
    ).to_arrow().cast(EVENT_SCHEMA)
    report.n_events = table.num_rows
    report.kinds = dict(sorted(ev["kind"].value_counts().iter_rows()))
    return table, members.to_arrow().cast(MEMBER_SCHEMA)
