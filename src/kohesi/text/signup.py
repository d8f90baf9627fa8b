"""Numbered sign-up lists: one shared activity, followed across the messages that extend it.

RT groups organise kerja bakti, ronda, qurban and lomba by a list that members copy, extend with
their own name and post again::

    Kerja bakti Minggu 14 Juni
    1. Pak Harjo
    2. Bu Yuni
    3. Mas Dedi        ← posted by Mas Dedi: he signed up

Rules (each with a test in ``tests/text/test_signup.py``):

- A message is a list when it has at least two numbered lines (``1.``, ``2)``, ``3 -``; empty
  slots of a template count), or one line numbered 1, of at most four words, under a header line.
  A **template**, a header over empty slots only ("Yang bisa ikut tulis nama:\n1."), is a list
  without items: it opens a chain for the names to come.
- A message that is one line numbered 1 and nothing else ("1. Ijal", at most six words) is a
  list only where it extends an open chain of at most one item (the first name written into a
  template); alone, it is not a list.
- A **schedule** is a list too: at least three lines that open with a day of the week
  (Indonesian, Javanese, Sundanese or English: "Senin:", "Rebo -", "Mon –") or a date ("1
  Ramadhan:", "12 Juni -", "Tgl 5:"), each followed by the names taking that day, separated by
  commas, "&", "dan"/"and" or numbers ("Senin: 1. Warsito 2. 3."), or by nothing (a day still
  open). The day lines may be numbered ("1. Senen: Kang Asep, Pak Ade"), or be headings ("Senin:")
  with the names numbered on the lines under each ("1. Pak Syahrial", "2."). Its items are the
  names, numbered by day and place.
- A list belongs to the open chain it shares most items with (at least half of the shorter
  list's items), or whose header it shares (at least half of the header words; headers
  that share less than a third of their words are two activities, whatever names they share,
  and so are headers that name different dates: another month or day number, "Jadwal ronda
  bulan Maret" after "… Februari", "Kerja bakti Minggu 14 Juni" after "Jadwal ronda bulan Juni";
  but a header naming some of the other's days, one of them at least, names the same dates ("Sabtu
  13 April" copies "… Sabtu 13 dan Minggu 14 April"), and an hour is no date ("Gotong royong
  Minggu 14" copies "Minggu tanggal 14 … jam 7"); a copy that holds every item of a list of two or more is a
  version of it whatever it says above them: "salah kirim 😅"), or, having no header of its
  own, to the open chain that has no items yet (a template); otherwise it starts a new chain.
  Two lists extended at the same time are two chains.
- Posting a list with an item no earlier version had **signs the poster up** (one sign-up per
  message, whatever number of names it adds: a household signs together). The first version of
  a chain signs its poster up only when it holds one item (the organiser opening the list with
  their own name); a longer first list is a roster, not a sign-up. (Blind annotators of whole
  chats often read the poster of a new list of two names as its second: counting those would gain
  22 messages and lose 7 of 7,800 labelled, but would make every two-point agenda or topic schedule,
  "Jadwal kajian pekan ini:\n1. Senin: Tafsir\n2. Kamis: Fiqih", a sign-up and a co-participation.)
- A list posted back with the same items, or with items only edited (same number, the item's
  first word kept: "3. Bu Yuni" → "3. Bu Yuni + suami"), signs no one up.
- A chain is closed after ``max_gap_days`` without a new version; a list is compared with the
  ``max_open`` chains extended most recently (a chat holds only a few lists in play at once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import polars as pl

from kohesi._numba import numba

__all__ = ["ListPost", "numbered_items", "list_posts", "follow_lists", "SignupChains", "LIST_PREFILTER"]

_ITEM = re.compile(r"^\s*[*•\-]?\s*(\d{1,3})\s*[.):\-]\s*(\S.*?)\s*$")
_SLOT = re.compile(r"^\s*[*•\-]?\s*\d{1,3}\s*[.)]\s*$")
"""An empty numbered slot of a template ("3.") waiting for a name."""
_CLEAN = re.compile(r"[^\w\s+/]")
_LONE_ITEM = r"^\s*[*•\-]?\s*1\s*[.):\-]\s*\S"
"""A one-line text that may be the first name written into a template ("1. Ijal")."""

_DAYS = {
    0: "senin senen sen mon monday",
    1: "selasa salasa sel tue tues tuesday",
    2: "rabu rebo rab wed weds wednesday",
    3: "kamis kemis kam thu thur thurs thursday",
    4: "jumat jum'at jumaat jemuah jumaah jumuah jum fri friday",
    5: "sabtu setu saptu sab sat saturday",
    6: "minggu minggon ahad ahat min sun sunday",
}
DAY_INDEX = {w: d for d, words in _DAYS.items() for w in words.split()}
"""Day of the week (0 = Monday) of each weekday name or abbreviation a schedule line may open with."""
_DAY_NAMES = "|".join(sorted(map(re.escape, DAY_INDEX), key=len, reverse=True))
_MONTHS = frozenset(
    "januari februari maret april mei juni juli agustus september oktober november desember "
    "january february march june july august october december jan feb mar apr may jun jul aug agu ags "
    "sep sept okt oct nov des dec pebruari nopember".split())
"""Month names and abbreviations (Indonesian and English) a list's header may name."""
_DATE_MONTHS = "|".join(sorted(_MONTHS | {"ramadhan", "ramadan", "romadhon", "syawal", "dzulhijjah"}, key=len,
                               reverse=True))
"""The months a schedule line's date may name: the calendar's and the Hijri months of the fasting
and the feasts."""
_DATE = rf"(?i:tgl|tanggal|tg)\.?\s*\d{{1,2}}|\d{{1,2}}\s+(?i:{_DATE_MONTHS})"
"""A date that opens a schedule line: "1 Ramadhan", "12 Juni", "Tgl 5" (a day of the month; the colon
or dash after it ends the word, so no word boundary, which would slow the column-wide prefilter)."""
_DAY_LINE = re.compile(rf"(?i)^\s*[*•\-]?\s*(?:\d{{1,2}}\s*[.)]\s*)?({_DAY_NAMES}|{_DATE})\.?\s*[:=–—\-]\s*(.*?)\s*$")
_NAME_SEP = r"\s*(?:,|;|&|/|\+|\band\b|\bdan\b|\blan\b|\bjeung\b|\b\d{1,2}\s*[.)])\s*"

LIST_PREFILTER = rf"(?m)^\s*[*•\-]?\s*(?:\d{{1,3}}\s*[.):\-]|(?:(?i:{_DAY_NAMES})|{_DATE})\.?\s*[:=–—\-])"
"""Regex a text must match to be a candidate list (cheap to run on a whole column: case is
ignored only around words, a case-blind ``\\d`` or ``\\s`` makes it four times slower)."""


@dataclass(slots=True)
class ListPost:
    """A numbered list in a message: its header and its items (number, matching key); with the
    sets a chain compares, derived from those two: its keys, its header's words, the dates its
    header names."""

    header: str
    items: tuple[tuple[int, str], ...]
    opens: bool = field(default=True, compare=False)
    """Whether it may open a chain: a lone line numbered 1 only extends one."""
    keys: frozenset[str] = field(init=False, repr=False, compare=False)
    header_words: frozenset[str] = field(init=False, repr=False, compare=False)
    dates: frozenset[str] = field(init=False, repr=False, compare=False)
    """The months and day numbers its header names: lists for two dates are two activities."""

    def __post_init__(self) -> None:
        self.keys = frozenset(k for _, k in self.items)
        self.header_words = frozenset(self.header.split())
        self.dates = _dates(self.header)


_HOUR = re.compile(r"\b(?:jam|pukul|pkl|jm|at)\s+\d{1,2}(?:\s+\d{2})?\b")
"""An hour in a header key ("jam 7", "pukul 07 00"): no date."""


@lru_cache(maxsize=4096)
def _dates(header: str) -> frozenset[str]:
    """The months and day numbers a header (its key) names, its hours left out (cached: the
    versions of a list repeat its header)."""
    return frozenset(w for w in _HOUR.sub(" ", header).split() if w in _MONTHS or w.isdigit())


def _list_frame(texts: pl.Series) -> pl.DataFrame:
    """One row per text of ``texts`` that holds a list: its index ``i``, its ``header`` (key), whether
    it ``opens`` a chain, and its items' numbers ``num`` and keys ``key``. Columnar: the lines of
    all texts are matched in one pass, each distinct line once (the versions of a list repeat the
    lines of the last); only schedules' names are split in Python."""
    n = len(texts)
    lines = (
        pl.DataFrame({"i": pl.int_range(n, eager=True), "t": texts.cast(pl.String)})
        .filter(pl.col("t").str.contains("\n", literal=True) | pl.col("t").str.contains(_LONE_ITEM))
        .select("i", line=pl.col("t").str.replace_all("\r\n?", "\n").str.split("\n"))
        .explode("line")
        .set_sorted("i")  # each text's lines together: polars groups them without hashing
    )
    parsed = (
        lines.select(pl.col("line").unique())
        .with_columns(item=pl.col("line").str.extract_groups(_ITEM.pattern),
                      slot=pl.col("line").str.contains(_SLOT.pattern),
                      day_line=pl.col("line").str.extract_groups(_DAY_LINE.pattern))
        .select(
            "line", "slot",
            line_key=_key_expr(pl.col("line")),
            num=pl.col("item").struct[0].cast(pl.Int64, strict=False),
            key=_key_expr(pl.col("item").struct[1]),
            day=pl.col("day_line").struct[0].str.to_lowercase().replace_strict(DAY_INDEX, default=None,
                                                                                return_dtype=pl.Int64)
            .fill_null(7 + pl.col("day_line").struct[0].str.extract(r"(\d+)").cast(pl.Int64)),  # dates after the week
            names=pl.col("day_line").struct[1],
        )
    )
    schema = {"i": pl.Int64, "header": pl.String, "opens": pl.Boolean, "num": pl.List(pl.Int64), "key": pl.List(pl.String)}
    if lines.is_empty():
        return pl.DataFrame(schema=schema)
    # Whether a line comes before the text's first item (and first day line): running counts over
    # all lines, less the count where the line's text begins (the texts' lines are together).
    item, dated = (pl.col("num").is_not_null() | pl.col("slot")).cast(pl.Int64), pl.col("day").is_not_null().cast(pl.Int64)
    starts = pl.col("i") != pl.col("i").shift(1, fill_value=-1)
    lines = (
        lines.join(parsed, on="line", how="left", maintain_order="left", nulls_equal=True)
        .with_columns(items=item.cum_sum(), items_at=item, days=dated.cum_sum(), days_at=dated, starts=starts)
        .with_columns(
            before=pl.col("items") == pl.when("starts").then(pl.col("items") - pl.col("items_at")).forward_fill(),
            before_day=pl.col("days") == pl.when("starts").then(pl.col("days") - pl.col("days_at")).forward_fill())
    )
    # A header is its lines' keys joined: the key of lines joined by spaces, empty keys left out.
    header_lines = pl.col("line_key").filter(pl.col("before") & (pl.col("line_key") != ""))
    per = lines.group_by("i", maintain_order=True).agg(
        header=header_lines, num=pl.col("num").drop_nulls(), key=pl.col("key").filter(pl.col("num").is_not_null()),
        slots=pl.col("slot").sum(), day=pl.col("days_at").sum(),
    ).with_columns(header=pl.col("header").list.join(" "))
    rows = []
    schedules = per.filter(pl.col("day") >= 3)["i"]
    if len(schedules):  # a schedule's names by day: rare, in Python
        under_heading = pl.col("num").is_not_null() & pl.col("day").is_null() & pl.col("under").is_not_null()
        for i, header, days, names, nums, keys in (
            lines.filter(pl.col("i").is_in(schedules.implode()))
            .with_columns(under=pl.col("day").forward_fill().over("i"))  # the day heading a line is under
            .group_by("i", maintain_order=True).agg(
                day_header=pl.col("line_key").filter(pl.col("before") & pl.col("before_day") & (pl.col("line_key") != "")),
                day=pl.col("day").drop_nulls(),
                names=pl.col("names").filter(pl.col("day").is_not_null()),
                under_num=(100 * (pl.col("under") + 1) + pl.col("num")).filter(under_heading),
                under_key=pl.col("key").filter(under_heading),
            ).with_columns(pl.col("day_header").list.join(" ")).iter_rows()
        ):
            items = _schedule_items(days, names) + tuple(zip(nums, keys, strict=True))
            rows.append((i, header, True, [n for n, _ in items], [k for _, k in items]))
    schedule = pl.col("day") >= 3
    count, first_key = pl.col("num").list.len(), pl.col("key").list.first()
    one = (count == 1) & (pl.col("num").list.first() == 1) & (pl.col("slots") == 0)
    headed = pl.col("header") != ""
    opens = (count + pl.col("slots") >= 2) | (one & headed & (first_key.str.count_matches(" ", literal=True) < 4)) \
        | ((count == 0) & headed)
    lone = one & ~headed & (first_key.str.count_matches(" ", literal=True) < 6)  # a name written into a template
    numbered = (per.filter(~schedule & ((count > 0) | (pl.col("slots") > 0)))
                .with_columns(opens=opens, lone=lone).filter(pl.col("opens") | pl.col("lone"))
                .select(pl.col("i").cast(pl.Int64), "header", "opens", "num", "key"))
    return pl.concat([numbered, pl.DataFrame(rows, schema=schema, orient="row")]).sort("i") if rows else numbered


def list_posts(texts: pl.Series) -> list[ListPost | None]:
    """:func:`numbered_items` of every text (:func:`_list_frame`, then one object per list)."""
    out: list[ListPost | None] = [None] * len(texts)
    for i, header, opens, nums, keys in _list_frame(texts).iter_rows():
        out[i] = ListPost(header, tuple(zip(nums, keys, strict=True)), opens=opens)
    return out


def _schedule_items(days: list[int], names: list[str | None]) -> tuple[tuple[int, str], ...]:
    """Items of a weekday schedule: each name, numbered ``100 × (day + 1) + place``."""
    items = []
    for day, line in zip(days, names, strict=True):
        keys = [_key(n) for n in re.split(_NAME_SEP, line or "", flags=re.I)]
        items += [(100 * (day + 1) + j, k) for j, k in enumerate((k for k in keys if k), 1)]
    return tuple(items)


def _key_expr(col: pl.Expr) -> pl.Expr:
    """:func:`_key` as a polars expression."""
    return col.str.to_lowercase().str.replace_all(_CLEAN.pattern, " ").str.replace_all(r"\s+", " ").str.strip_chars()


def numbered_items(text: str | None) -> ListPost | None:
    """The numbered list in ``text``, or None when it is not a list.

    >>> numbered_items("Kerja bakti Minggu\\n1. Pak Harjo\\n2) Bu  Yuni").items
    ((1, 'pak harjo'), (2, 'bu yuni'))
    >>> numbered_items("Rapat jam 7.30 ya") is None
    True
    """
    return list_posts(pl.Series([text], dtype=pl.String))[0]


def _key(text: str) -> str:
    """Matching key of a list line: lower case, letters and digits only, single spaces."""
    return " ".join(_CLEAN.sub(" ", text.lower()).split())


@lru_cache(maxsize=65536)
def _first_word(key: str) -> str:
    """The first word of an item's key that is not a title ("bu yuni + suami" → "yuni"), or the
    key (cached: the versions of a list repeat its items)."""
    words = [w for w in key.split() if w not in _TITLES]
    return words[0] if words else key


_TITLES = frozenset(
    "pak bpk bapak bu ibu ib mas mbak mba kak bang dik dek sdr sdri mr mrs ms om tante h hj haji hajjah hajah kel "
    "keluarga klg ust ustadz ustaz ustadzah dr drs dra ir mbah pakde bude cak kang teh aa akang eyang".split())


# The chains of one group, as arrays a compiled step reads and updates: ``sets[c, kind, :size[c, kind]]``
# holds chain slot ``c``'s item keys (kind 0, sorted), its first version's header words (1, sorted)
# and dates (2, sorted; a date's code is odd where it is a day number), and its items' numbers (3)
# with the first word of each one's key (4); ``last[c]`` is the day it was last extended, ``ident[c]``
# the id of its first version; ``order[:n_open[0]]`` the open chains' slots, most recently extended
# last. Strings are compared by integer codes.
_KEYS, _HEAD, _DATES, _NUMS, _FIRSTS = range(5)


@numba.njit(cache=True, nogil=True)
def _common(a, b, odd=False):  # pragma: no cover - compiled
    """How many values two sorted arrays without repeats share (``odd``: only odd values, the
    date codes of day numbers)."""
    i = j = c = 0
    while i < len(a) and j < len(b):
        if a[i] < b[j]:
            i += 1
        elif a[i] > b[j]:
            j += 1
        else:
            if not odd or a[i] & 1:
                c += 1
            i += 1
            j += 1
    return c


@numba.njit(cache=True, nogil=True)
def _step(sets, size, last, ident, order, n_open, keys, words, dates, nums, item_keys, firsts, opens, day, post_id,
          max_gap, max_open):  # pragma: no cover - compiled
    """Place one list in the open chains (the rules of :class:`SignupChains`): ``keys``, ``words``
    and ``dates`` its item keys, header words and header dates (sorted, no repeats); ``nums``,
    ``item_keys`` and ``firsts`` its items in order. Returns ``(sets, chain id, signed, first)``;
    the chain id is -1 where the list joins no chain and may not open one. ``sets`` is the one
    given, or a wider copy where a chain outgrew it."""
    kept = 0
    for q in range(n_open[0]):  # chains not extended for max_gap days are closed
        c = order[q]
        if day - last[c] <= max_gap:
            order[kept] = c
            kept += 1
    lo = max(0, kept - max_open)
    for q in range(lo, kept):
        order[q - lo] = order[q]
    n_open[0] = kept - lo
    best, score = -1, 0.0
    for q in range(n_open[0]):
        c = order[q]
        nk = size[c, _KEYS]
        if not opens and nk > 1:
            continue  # a lone first name is written into a template, not copied from a longer list
        nd = size[c, _DATES]
        if len(dates) and nd:
            cd = sets[c, _DATES, :nd]
            shared = _common(dates, cd)
            if not (shared == len(dates) == nd) and not (
                    (shared == len(dates) or shared == nd) and _common(dates, cd, True) > 0):
                continue  # the same activity on another date
        ck = sets[c, _KEYS, :nk]
        common = _common(keys, ck)
        bonus = 0.0
        nh = size[c, _HEAD]
        if len(words) and nh:  # share of the shorter header's words the other has
            same_header = _common(words, sets[c, _HEAD, :nh]) / min(len(words), nh)
            if same_header < 1 / 3 and not (nk >= 2 and common == nk):
                continue  # two activities that happen to share names; but a copy holding every
                # name of the list is a version of it
            bonus = 0.5 if same_header >= 0.5 else 0.0
        if nk:
            s = common / max(1, min(len(keys), nk)) + bonus
        else:  # a template: the names to come, under its header or none
            s = max(bonus, 0.0 if len(words) else 0.5)
        if s > score or (s == score and best >= 0 and last[c] >= last[best]):
            best, score = c, s
    width = sets.shape[2]
    if best < 0 or score < 0.5:
        if not opens:
            return sets, -1, False, False
        c = 0
        while _open(order, n_open[0], c):  # a free slot: at most max_open are open
            c += 1
        need = max(len(keys), len(words), len(dates), len(nums))
        if need > width:
            sets = _wider(sets, need)
        size[c, :] = 0
        sets[c, _KEYS, :len(keys)] = keys
        sets[c, _HEAD, :len(words)] = words
        sets[c, _DATES, :len(dates)] = dates
        size[c, _KEYS], size[c, _HEAD], size[c, _DATES] = len(keys), len(words), len(dates)
        _set_items(sets, size, c, nums, firsts)
        last[c], ident[c] = day, post_id
        order[n_open[0]] = c
        n_open[0] += 1
        return sets, post_id, len(nums) == 1, True
    c = best
    nk, ni = size[c, _KEYS], size[c, _NUMS]
    signed = False
    for q in range(len(nums)):  # a new item: a key no version had, not an edit of the same number's item
        if not _has(sets[c, _KEYS], nk, item_keys[q]):
            edited = False
            for r in range(ni):
                if sets[c, _NUMS, r] == nums[q]:
                    edited = sets[c, _FIRSTS, r] == firsts[q]
                    break
            if not edited:
                signed = True
                break
    need = max(nk + len(keys), ni + len(nums))
    if need > width:
        sets = _wider(sets, 2 * need)
    size[c, _KEYS] = _merge_into(sets[c, _KEYS], nk, keys)
    _set_items(sets, size, c, nums, firsts)
    last[c] = day
    q = 0
    while order[q] != c:
        q += 1
    for r in range(q, n_open[0] - 1):  # most recently extended last
        order[r] = order[r + 1]
    order[n_open[0] - 1] = c
    return sets, ident[c], signed, False


@numba.njit(cache=True, nogil=True)
def _open(order, n_open, c):  # pragma: no cover - compiled
    for q in range(n_open):
        if order[q] == c:
            return True
    return False


@numba.njit(cache=True, nogil=True)
def _merge_into(row, n, values):  # pragma: no cover - compiled
    """Merge the sorted ``values`` into the sorted ``row[:n]`` (room for both), no repeats; returns
    the new length. From the back, so that nothing is overwritten before it is read."""
    extra = 0
    for v in values:  # how many values are new
        if not _has(row, n, v):
            extra += 1
    i, j, k = n - 1, len(values) - 1, n + extra - 1
    while j >= 0:
        if i >= 0 and row[i] > values[j]:
            row[k] = row[i]
            i -= 1
        elif i >= 0 and row[i] == values[j]:
            row[k] = row[i]
            i -= 1
            j -= 1
        else:
            row[k] = values[j]
            j -= 1
        k -= 1
    return n + extra


@numba.njit(cache=True, nogil=True)
def _has(row, n, v):  # pragma: no cover - compiled
    """Whether the sorted ``row[:n]`` holds ``v``."""
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if row[mid] < v:
            lo = mid + 1
        else:
            hi = mid
    return lo < n and row[lo] == v


@numba.njit(cache=True, nogil=True)
def _sorted_set(values, out):  # pragma: no cover - compiled
    """``values`` sorted without repeats into ``out`` (insertion sort: a list has a few items);
    returns how many."""
    m = 0
    for v in values:
        k = m
        while k > 0 and out[k - 1] > v:
            k -= 1
        if k > 0 and out[k - 1] == v:
            continue
        for r in range(m, k, -1):
            out[r] = out[r - 1]
        out[k] = v
        m += 1
    return m


@numba.njit(cache=True, nogil=True)
def _set_items(sets, size, c, nums, firsts):  # pragma: no cover - compiled
    """Write a version's items into chain ``c``: each number's item is the latest one given."""
    for q in range(len(nums)):
        ni = size[c, _NUMS]
        r = 0
        while r < ni and sets[c, _NUMS, r] != nums[q]:
            r += 1
        sets[c, _NUMS, r], sets[c, _FIRSTS, r] = nums[q], firsts[q]
        if r == ni:
            size[c, _NUMS] = ni + 1


@numba.njit(cache=True, nogil=True)
def _wider(sets, width):  # pragma: no cover - compiled
    out = np.zeros((sets.shape[0], sets.shape[1], width), dtype=sets.dtype)
    out[:, :, :sets.shape[2]] = sets
    return out


@numba.njit(cache=True, nogil=True)
def _follow(group, day, opens, head, w_off, w_code, d_off, d_code, i_off, i_num, i_key, i_first, max_gap,
            max_open):  # pragma: no cover - compiled
    """:func:`_step` over lists in order, the chains started afresh where ``group`` changes; a
    list's header is ``head[p]``, whose words and dates are ``w_code[w_off[h]:w_off[h + 1]]`` and
    ``d_code[d_off[h]:…]``. Returns each list's chain (the index of its first version; -1: none),
    whether it signed its poster up, whether it opened its chain."""
    n = len(group)
    w_len, d_len = np.empty(len(w_off) - 1, dtype=np.int64), np.empty(len(d_off) - 1, dtype=np.int64)
    for h in range(len(w_len)):  # each header's words and dates sorted, once
        w_len[h] = _sorted_set(w_code[w_off[h]:w_off[h + 1]].copy(), w_code[w_off[h]:])
        d_len[h] = _sorted_set(d_code[d_off[h]:d_off[h + 1]].copy(), d_code[d_off[h]:])
    longest = 0
    for p in range(n):
        longest = max(longest, i_off[p + 1] - i_off[p])
    keys = np.empty(longest, dtype=np.int64)
    chain = np.full(n, -1, dtype=np.int64)
    signed = np.zeros(n, dtype=np.bool_)
    first = np.zeros(n, dtype=np.bool_)
    slots = max_open + 1
    sets = np.zeros((slots, 5, 16), dtype=np.int64)
    size = np.zeros((slots, 5), dtype=np.int64)
    last = np.zeros(slots, dtype=np.float64)
    ident = np.zeros(slots, dtype=np.int64)
    order = np.zeros(slots, dtype=np.int64)
    n_open = np.zeros(1, dtype=np.int64)
    for p in range(n):
        if p == 0 or group[p] != group[p - 1]:
            n_open[0] = 0
        h = head[p]
        lo, hi = i_off[p], i_off[p + 1]
        k = _sorted_set(i_key[lo:hi], keys)
        sets, chain[p], signed[p], first[p] = _step(
            sets, size, last, ident, order, n_open, keys[:k], w_code[w_off[h]:w_off[h] + w_len[h]],
            d_code[d_off[h]:d_off[h] + d_len[h]], i_num[lo:hi], i_key[lo:hi], i_first[lo:hi], opens[p], day[p], p,
            max_gap, max_open)
    return chain, signed, first


def _codes(values: list[str] | pl.Series) -> np.ndarray:
    """A 64-bit code per string (polars' hash; equal strings, equal codes)."""
    return pl.Series(values, dtype=pl.String).hash(seed=0).to_numpy().view(np.int64).copy()


def _date_codes(dates: list[str]) -> np.ndarray:
    """Codes of header dates, odd for a day number (two dates share a day when both name it)."""
    digit = np.array([d.isdigit() for d in dates], dtype=np.int64)
    return (_codes(dates) & ~np.int64(1)) | digit


def follow_lists(texts: pl.Series, group: np.ndarray | None = None, day: np.ndarray | None = None, *,
                 max_gap_days: float = 30.0, max_open: int = 32) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The lists among ``texts`` (messages in time order; ``group``: each one's group as integers,
    equal within a group and each group's messages together; ``day``: each one's time in days)
    placed in chains as :class:`SignupChains` places them, columnar: for each text, the index of
    its chain's first version (-1: no list, or one that joins no chain), whether it signed its
    poster up, whether it opened its chain."""
    n = len(texts)
    chain, signed, first = np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    f = _list_frame(texts)
    if f.is_empty():
        return chain, signed, first
    rows = f["i"].to_numpy()
    headers = f["header"].unique(maintain_order=True)
    head = f["header"].replace_strict(headers, pl.int_range(len(headers), eager=True), return_dtype=pl.Int64).to_numpy()
    heads = [ListPost(h, ()) for h in headers.to_list()]  # each header's words and dates, as a list's
    words = [list(h.header_words) for h in heads]
    dates = [list(h.dates) for h in heads]
    items = f.filter(pl.col("num").list.len() > 0).select(pl.col("num").explode(), pl.col("key").explode())
    keys = items["key"]
    distinct = keys.unique(maintain_order=True)
    first_word = pl.Series([_first_word(k) for k in distinct.to_list()], dtype=pl.String)
    got = _follow(
        np.zeros(len(rows), np.int64) if group is None else np.asarray(group)[rows],
        np.zeros(len(rows)) if day is None else np.asarray(day, dtype=np.float64)[rows],
        f["opens"].to_numpy(), head,
        np.r_[0, np.cumsum([len(w) for w in words])].astype(np.int64), _codes([w for ws in words for w in ws]),
        np.r_[0, np.cumsum([len(d) for d in dates])].astype(np.int64), _date_codes([d for ds in dates for d in ds]),
        np.r_[0, np.cumsum(f["num"].list.len().to_numpy())].astype(np.int64),
        items["num"].to_numpy().astype(np.int64), _codes(keys),
        _codes(keys.replace_strict(distinct, first_word)), max_gap_days, max_open)
    placed = got[0] >= 0
    chain[rows[placed]] = rows[got[0][placed]]
    signed[rows] = got[1]
    first[rows] = got[2]
    return chain, signed, first


@dataclass
class SignupChains:
    """Follow the lists of one group, message by message in time order.

    ``add`` returns, for a list message, the chain it belongs to and whether its poster signed
    up; ``None`` for a message that is not a list. (:func:`follow_lists` places a whole column of
    messages the same way.)
    """

    max_gap_days: float = 30.0
    max_open: int = 32
    _ids: list = field(default_factory=list, repr=False)
    _state: tuple = field(default=None, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        slots = self.max_open + 1
        self._state = (np.zeros((slots, 5, 16), dtype=np.int64), np.zeros((slots, 5), dtype=np.int64),
                       np.zeros(slots), np.zeros(slots, dtype=np.int64), np.zeros(slots, dtype=np.int64),
                       np.zeros(1, dtype=np.int64))

    @property
    def open_chains(self) -> list:
        """The ids of the open chains (their first versions), the most recently extended last."""
        order, n_open = self._state[4], self._state[5][0]
        return [self._ids[self._state[3][c]] for c in order[:n_open]]

    def add(self, event_id: str | int, text: str | ListPost | None,
            day: float = 0.0) -> tuple[str | int, bool, bool] | None:
        """Feed one message (``event_id``: its id; ``day``: its time in days, for closing old
        chains): its text, or the list already parsed from it (:func:`list_posts`).

        Returns ``(chain id, signed, first)`` (``first``: the message opened the chain; the chain
        id is the ``event_id`` of its first version), or None when ``text`` holds no list."""
        post = text if isinstance(text, ListPost) or text is None else numbered_items(text)
        if post is None:
            return None
        nums = np.array([n for n, _ in post.items], dtype=np.int64)
        keys = _codes([k for _, k in post.items])
        sets, size, last, ident, order, n_open = self._state
        sets, chain, signed, first = _step(
            sets, size, last, ident, order, n_open, np.unique(keys), np.unique(_codes(list(post.header_words))),
            np.unique(_date_codes(list(post.dates))), nums, keys, _codes([_first_word(k) for _, k in post.items]),
            post.opens, float(day), len(self._ids), self.max_gap_days, self.max_open)
        self._state = (sets, size, last, ident, order, n_open)
        if chain < 0:
            return None
        if first:
            self._ids.append(event_id)
        return self._ids[chain], bool(signed), bool(first)
