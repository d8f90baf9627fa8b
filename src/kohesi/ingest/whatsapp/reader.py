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
from kohesi.events import EVENT_SCHEMA, MEMBER_SCHEMA
from kohesi.ingest.ids import content_ids
from kohesi.ingest.replies import ReplyRule, infer_replies
from kohesi.ingest.report import ReadReport
from kohesi.ingest.source import Source
from kohesi.ingest.text import decode_check, lines_frame
from kohesi.ingest.whatsapp.header import (
    GENERIC,
    dominant_format,
    infer_date_order,
    out_of_order,
    to_naive_datetime,
)
from kohesi.ingest.whatsapp.phrases import PhraseBook, phrasebook
from kohesi.privacy import INVISIBLE, Pseudonymizer, canonical, clean_name, is_phone

__all__ = ["WhatsAppOptions", "read_whatsapp", "is_whatsapp_name", "group_name_from_filename"]

_INV = f"[{INVISIBLE}]"
_LEAD_MARKS = "^[\u200e\u200f]+"
YOU = "You"

_FILENAME_PATTERNS = [
    r"^WhatsApp Chat with (?P<g>.+)\.(?:txt|zip)$",
    r"^WhatsApp Chat - (?P<g>.+)\.(?:txt|zip)$",
    r"^Chat WhatsApp dengan (?P<g>.+)\.(?:txt|zip)$",
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


@dataclass
class _Parsed:
    events: pl.DataFrame
    members: pl.DataFrame


def read_whatsapp(src: Source, group: str | None, pseudo: Pseudonymizer,
                  opts: WhatsAppOptions) -> tuple[pa.Table, pa.Table, ReadReport]:
    """Parse one export file; return events, members and the read report."""
    report = ReadReport(source=src.path, format="whatsapp", tz=opts.tz,
                        reply_rule=opts.reply_rule.describe())
    data = decode_check(src.data, src.path)
    lines = lines_frame(data)
    report.n_lines = lines.height
    book = phrasebook()

    shaped = lines.filter(pl.col("line").str.contains(GENERIC))
    if shaped.height == 0:
        first = next((ln for ln in lines["line"].head(50) if ln.strip()), "")
        raise InputError(src.path, f"no WhatsApp message header found; first line reads {first[:60]!r}", line=1)
    sample = pl.concat([shaped.head(5000), shaped.tail(1000)])["line"].to_list()
    fmt, share = dominant_format(sample)
    if fmt is None:
        raise InputError(src.path, "header-shaped lines found but none in a known WhatsApp layout", line=int(shaped["lineno"][0]))
    report.platform = fmt.platform
    report.format = f"whatsapp-{fmt.platform}"
    report.header_format = fmt.describe()

    fields = lines["line"].str.extract_groups(fmt.pattern()).struct.unnest()
    fields.columns = ["head", "era", "d1", "d2", "d3", "h", "mi", "s", "ap"][: fields.width]
    if "ap" not in fields.columns:
        fields = fields.with_columns(pl.lit(None, dtype=pl.String).alias("ap"))
    cand = pl.concat([lines, fields], how="horizontal").filter(pl.col("head").is_not_null())

    d1, d2, d3 = (cand[c].cast(pl.Int64).to_numpy() for c in ("d1", "d2", "d3"))
    hh = cand["h"].cast(pl.Int64).to_numpy()
    mi = cand["mi"].cast(pl.Int64).to_numpy()
    ss = cand["s"].cast(pl.Int64, strict=False).fill_null(0).to_numpy()
    if fmt.ampm_space is not None:
        ap = cand["ap"].fill_null("").str.to_lowercase().str.replace_all(r"[.\s]", "").to_numpy()
        pm = np.isin(ap, ["pm", "午後", "下午", "μμ", "nachm"])
        hh = np.where(hh == 12, 0, hh) + np.where(pm, 12, 0)
    era = cand["era"].to_numpy() if fmt.era else None
    lang_prior = "mdy" if fmt.ampm_space is not None and not fmt.year_first else "dmy"
    order = infer_date_order(d1, d2, d3, hh, mi, ss, year_first=fmt.year_first, era=era,
                             given=opts.date_order, prior=lang_prior)
    report.date_order, report.date_order_confidence, report.date_order_basis = order.order, order.confidence, order.basis
    if order.basis == "ambiguous":
        report.warnings.append(
            f"dates are ambiguous (every day and month ≤ 12 and both orders are chronological); "
            f"assumed {order.order}; pass --date-order if that is wrong")
    if order.basis == "given" and not order.valid.any():
        raise InputError(src.path, f"no header date is valid in {order.order} order", line=int(cand["lineno"][0]))

    from kohesi.ingest.whatsapp.header import _ymd  # noqa: PLC0415

    y, m, d = _ymd(order.order, d1, d2, d3, era)
    valid = order.valid & (hh < 24) & (mi < 60) & (ss < 60)
    y, m, d = (np.where(valid, a, b) for a, b in ((y, 1970), (m, 1), (d, 1)))
    local = to_naive_datetime(y, m, d, hh, mi, ss)
    accepted = valid.copy()
    idx = np.flatnonzero(valid)
    pasted = np.zeros(len(valid), dtype=bool)
    pasted[idx] = out_of_order(local[idx], opts.header_tolerance_s)
    accepted &= ~pasted
    demoted = cand["lineno"].to_numpy()[~accepted]
    if len(demoted):
        report.warnings.append(
            f"{len(demoted)} header-shaped lines kept as message text (invalid date or out of "
            f"chronological order): lines {', '.join(map(str, demoted[:10]))}{'…' if len(demoted) > 10 else ''}")
    other_layout = shaped.height - cand.height
    if other_layout:
        report.warnings.append(f"{other_layout} header-shaped lines in another layout than "
                               f"{fmt.describe()} kept as message text")

    heads = cand.filter(pl.Series(accepted)).with_columns(
        pl.Series("local", local[accepted].astype("datetime64[us]")),
        pl.col("line").str.slice(pl.col("head").str.len_chars()).alias("rest"),
    ).select("lineno", "local", "rest")
    if heads.height == 0:
        raise InputError(src.path, "no line with a valid WhatsApp header date", line=int(cand["lineno"][0]))

    # continuation lines, grouped under the header before them
    is_head = lines["lineno"].is_in(heads["lineno"].implode())
    msg = lines.with_columns(is_head.cum_sum().alias("msg"), is_head.alias("is_head"))
    pre = msg.filter((pl.col("msg") == 0) & (pl.col("line").str.strip_chars() != ""))
    for ln in pre["lineno"].to_list():
        report.skipped.append((ln, "text before the first message header"))
    if opts.strict and report.skipped:
        ln, reason = report.skipped[0]
        raise InputError(src.path, reason, line=ln)
    cont = (
        msg.filter(~pl.col("is_head") & (pl.col("msg") > 0))
        .group_by("msg", maintain_order=True)
        .agg(pl.col("line").str.join("\n").alias("more"), pl.len().alias("n_more"))
    )
    heads = heads.with_row_index("msg", offset=1).with_columns(pl.col("msg").cast(msg["msg"].dtype))
    heads = heads.join(cont, on="msg", how="left")

    parsed = _classify(heads, book, fmt.platform, report)
    events, members = _finish(parsed, src, group, pseudo, opts, book, report)
    return events, members, report


def _classify(heads: pl.DataFrame, book: PhraseBook, platform: str, report: ReadReport) -> _Parsed:
    """Split each header line's rest into author and body, and decide its kind.

    Rules, in order (a line is ``rest`` after the header):

    - **system via body**: the line has ``Author: body``, the body is a known system phrase and it
      starts with U+200E or (iOS) the author never writes ordinary messages — iOS attributes
      system lines to the group name (or to the contact, for security-code notices);
    - **system via the whole line**: the whole rest is a system phrase and the text before the
      first ``": "`` is not a member who writes ordinary messages (so ``X changed the subject to
      "Rapat: Senin"`` is a system line while ``Budi: Andi left`` is Budi's message);
    - **member post**: ``Author: body``; the body decides message, media, deleted, edited or a
      missed-call notice;
    - anything else is an unrecognised system line (kept as kind ``system``, subtype ``other``).
    """
    rest = pl.col("rest")
    split = heads["rest"].str.splitn(": ", 2).struct.unnest()
    h = heads.with_columns(
        rest.str.replace_all(_INV, "").str.strip_chars().alias("rest_clean"),
        pl.when(split["field_1"].is_not_null()).then(split["field_0"]).alias("author_raw"),
        split["field_1"].alias("body_raw"),
    ).with_columns(
        pl.col("author_raw").str.replace_all(_INV, "").str.strip_chars().alias("author_clean"),
        pl.col("body_raw").str.contains("^[\u200e\u200f]").fill_null(False).alias("body_lrm"),
        pl.col("body_raw").str.replace(_LEAD_MARKS, "").alias("body"),
    ).with_columns(
        pl.col("body").str.replace_all(_INV, "").str.strip_chars().alias("body_clean"),
    )
    sys_any = book.system_any
    h = h.with_columns(
        pl.col("rest_clean").str.contains(sys_any).alias("sys_whole"),
        pl.col("body_clean").str.contains(sys_any).fill_null(False).alias("sys_body"),
        pl.col("author_raw").is_not_null().alias("has_author"),
    )
    posters = (
        h.filter(pl.col("has_author") & ~pl.col("sys_whole") & ~(pl.col("sys_body") & pl.col("body_lrm")))
        ["author_clean"].unique().implode()
    )
    known = pl.col("author_clean").is_in(posters).fill_null(False)
    ios = platform == "ios"
    via_body = pl.col("has_author") & pl.col("sys_body") & (pl.col("body_lrm") | (pl.lit(ios) & ~known))
    via_whole = ~via_body & pl.col("sys_whole") & ~known
    h = h.with_columns(
        pl.when(via_body).then(pl.lit("body")).when(via_whole).then(pl.lit("whole"))
        .when(pl.col("has_author")).then(pl.lit("post")).otherwise(pl.lit("unknown")).alias("route")
    )
    system = h.filter(pl.col("route").is_in(["body", "whole", "unknown"]))
    posts = h.filter(pl.col("route") == "post")

    sys_rows, reverted = _system_rows(system, book, report)
    if reverted:
        posts = pl.concat([posts, system.filter(pl.col("lineno").is_in(reverted)).with_columns(pl.lit("post").alias("route"))]).sort("lineno")
    post_rows = _post_rows(posts, book)
    return _Parsed(events=pl.concat([post_rows, sys_rows], how="diagonal_relaxed").sort("lineno", "sub"), members=pl.DataFrame())


def _post_rows(posts: pl.DataFrame, book: PhraseBook) -> pl.DataFrame:
    first = pl.col("body_clean")
    media_sub = pl.lit(None, dtype=pl.String)
    for phrase in reversed(book.media):
        media_sub = pl.when(first.str.contains(phrase.unnamed)).then(pl.lit(phrase.subtype)).otherwise(media_sub)
    p = posts.with_columns(first.str.contains(book.media_any).alias("is_media"))
    media_expr = pl.when(pl.col("is_media")).then(media_sub).otherwise(None)
    full = pl.when(pl.col("more").is_not_null()).then(pl.col("body") + "\n" + pl.col("more")).otherwise(pl.col("body"))
    p = p.with_columns(
        media_expr.alias("media_sub"),
        full.alias("full"),
        first.str.contains(book.deleted_any).alias("is_deleted"),
        first.str.contains(book.pending_any).alias("is_pending"),
        first.str.contains(book.calls_any).alias("is_call"),
    ).with_columns(
        pl.col("full").str.contains(book.edited_any).alias("is_edited"),
    )
    edited_strip = pl.col("full")
    for phrase in book.edited_suffix:
        edited_strip = edited_strip.str.replace(phrase.pattern, "")
    kind = (
        pl.when(pl.col("is_call")).then(pl.lit("system"))
        .when(pl.col("is_deleted")).then(pl.lit("deleted"))
        .when(pl.col("is_media")).then(pl.lit("media"))
        .when(pl.col("is_edited")).then(pl.lit("edited"))
        .otherwise(pl.lit("message"))
    )
    subtype = (
        pl.when(pl.col("is_call")).then(pl.lit("missed_call"))
        .when(pl.col("is_deleted")).then(None)
        .when(pl.col("is_media")).then(pl.col("media_sub"))
        .when(pl.col("is_pending")).then(pl.lit("pending"))
        .otherwise(None)
    )
    text = (
        pl.when(pl.col("is_deleted") | pl.col("is_pending") | pl.col("is_call")).then(None)
        .when(pl.col("is_media")).then(pl.col("more"))
        .when(pl.col("is_edited")).then(edited_strip)
        .otherwise(pl.col("full"))
    )
    return p.select(
        "lineno", "local",
        pl.lit(0, dtype=pl.Int32).alias("sub"),
        pl.col("author_clean").alias("actor_name"),
        kind.alias("kind"),
        subtype.alias("subtype"),
        pl.lit(None, dtype=pl.String).alias("target_name"),
        text.alias("text"),
        pl.when(pl.col("is_media")).then(1).otherwise(0).cast(pl.Int16).alias("n_media"),
        pl.col("author_raw").alias("key_author"),
        pl.col("full").alias("key_text"),
    )


def _system_rows(system: pl.DataFrame, book: PhraseBook, report: ReadReport) -> tuple[pl.DataFrame, list[int]]:
    rows: list[dict] = []
    reverted: list[int] = []
    unknown = 0
    languages: dict[str, int] = {}
    for r in system.iter_rows(named=True):
        text = r["body_clean"] if r["route"] == "body" else r["rest_clean"]
        hit = book.match_system(text) if r["route"] != "unknown" else None
        if hit is None:
            unknown += 1
            rows.append(_sys_row(r, "system", "other", None, None, 0, text))
            continue
        phrase, m = hit
        groups = m.groupdict()
        languages[phrase.language] = languages.get(phrase.language, 0) + 1
        if groups.get("group"):
            report.group_hint = clean_name(groups["group"])
        actor = groups.get("actor")
        if actor is not None and ": " in actor and r["has_author"]:
            reverted.append(r["lineno"])
            continue
        if phrase.subtype == "security_code" or phrase.subtype == "number_change":
            actor = None
        actor = _you(actor, book)
        if phrase.kind in ("add", "remove"):
            targets = [_you(t, book) for t in book.split_names(groups.get("targets") or "")]
            for k, target in enumerate(targets or [None]):
                rows.append(_sys_row(r, phrase.kind, phrase.subtype, actor, target, k, text))
        else:
            if phrase.kind in ("join",) and actor is None and phrase.pattern.startswith(("^You", "^Anda")):
                actor = YOU
            rows.append(_sys_row(r, phrase.kind, phrase.subtype, actor, None, 0, text))
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


def _sys_row(r: dict, kind: str, subtype: str | None, actor: str | None, target: str | None,
             sub: int, text: str) -> dict:
    """A system event. Its text is never kept: system lines name members and show phone numbers."""
    return {"lineno": r["lineno"], "local": r["local"], "sub": sub, "actor_name": actor, "kind": kind,
            "subtype": subtype, "target_name": target, "text": None, "n_media": 0,
            "key_author": r["author_raw"] or "", "key_text": r["rest"] + ("" if r["more"] is None else "\n" + r["more"])}


_MENTION = "@\u2068([^\u2069]+)\u2069|@(\\+?\\d{6,15})|@([\\p{L}\\p{N}_.'-]+(?: [\\p{L}\\p{N}_.'-]+)?)"
_MENTION_PY = re.compile("@\u2068([^\u2069]+)\u2069|@(\\+?\\d{6,15})|@([\\w.'-]+(?: [\\w.'-]+)?)")


def _mentions(texts: pl.Series, names: dict[str, str]) -> pl.Series:
    """Resolve @mentions in ``texts`` to member ids using ``names`` (canonical name → id)."""
    first_tokens: dict[str, list[str]] = {}
    for key, actor in names.items():
        if not key.startswith("tel:"):
            first_tokens.setdefault(key.split(" ")[0], []).append(actor)
    out: list[list[str]] = []
    for text in texts.to_list():
        found: list[str] = []
        if text and "@" in text:
            for m in _MENTION_PY.finditer(text):
                actor = None
                if m[1] or m[2]:
                    actor = names.get(canonical(m[1] or m[2]))
                else:
                    words = m[3]
                    actor = names.get(canonical(words))
                    if actor is None:
                        first = canonical(words.split(" ")[0])
                        actor = names.get(first) or (first_tokens[first][0] if len(first_tokens.get(first, [])) == 1 else None)
                if actor and actor not in found:
                    found.append(actor)
        out.append(found)
    return pl.Series("mentions", out, dtype=pl.List(pl.String))


def _finish(parsed: _Parsed, src: Source, group: str | None, pseudo: Pseudonymizer,
            opts: WhatsAppOptions, book: PhraseBook, report: ReadReport) -> tuple[pa.Table, pa.Table]:
    ev = parsed.events
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
            "is_phone": [is_phone(n) for n in names],
        },
        schema={"group_id": pl.String, "actor": pl.String, "name": pl.String, "is_phone": pl.Boolean},
    ).unique("actor", keep="first").sort("actor")
    mapping = pl.DataFrame({"name": names, "id": [ids[n] for n in names]}, schema={"name": pl.String, "id": pl.String})
    ev = (
        ev.join(mapping.rename({"name": "actor_name", "id": "actor"}), on="actor_name", how="left")
        .join(mapping.rename({"name": "target_name", "id": "target"}), on="target_name", how="left")
    )
    ts = ev["local"].dt.replace_time_zone(opts.tz, ambiguous="earliest", non_existent="null").dt.convert_time_zone("UTC")
    if ts.null_count():
        bad = ev.filter(ts.is_null())["lineno"][0]
        raise InputError(src.path, f"local time does not exist in timezone {opts.tz} (daylight-saving gap)", line=int(bad))
    ev = ev.with_columns(ts.alias("ts"))
    ev = ev.with_columns(content_ids(
        ev.with_columns(pl.col("local").dt.strftime("%Y-%m-%dT%H:%M:%S").alias("lk")),
        ["lk", "key_author", "key_text", "sub"], pseudo.salt))
    canon = {canonical(n): ids[n] for n in names}
    has_at = ev["key_text"].str.contains("@", literal=True).fill_null(False) & ev["kind"].is_in(["message", "edited", "media"])
    is_post = pl.col("kind").is_in(["message", "media", "edited", "deleted"])
    n_chars = pl.when(is_post).then(pl.col("text").str.len_chars().fill_null(0)).otherwise(0)
    ev = ev.with_row_index("_row")
    idx = has_at.arg_true()
    found = pl.DataFrame({"_row": ev["_row"].gather(idx), "mentions": _mentions(ev["key_text"].gather(idx), canon)})
    ev = ev.join(found, on="_row", how="left").with_columns(
        pl.col("mentions").fill_null(pl.lit([], dtype=pl.List(pl.String))), n_chars.cast(pl.Int32).alias("n_chars"))

    posts = infer_replies(ev.filter(is_post).select("event_id", "actor", "ts"), opts.reply_rule)
    ev = ev.join(posts.select("event_id", "reply_to", pl.col("target").alias("reply_target"), "reply_inferred"),
                 on="event_id", how="left")
    ev = ev.with_columns(
        pl.coalesce("target", "reply_target").alias("target"),
        pl.col("reply_inferred").fill_null(False),
        pl.lit(group_id).alias("group_id"),
        pl.lit(None, dtype=pl.String).alias("thread"),
        pl.col("lineno").alias("line"),
    )
    if not opts.keep_text:
        ev = ev.with_columns(pl.lit(None, dtype=pl.String).alias("text"))
    table = ev.select([f.name for f in EVENT_SCHEMA]).to_arrow().cast(EVENT_SCHEMA)
    report.n_events = table.num_rows
    report.kinds = dict(ev.group_by("kind").len().sort("kind").iter_rows())
    return table, members.to_arrow().cast(MEMBER_SCHEMA)
