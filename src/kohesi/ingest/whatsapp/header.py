"""Message header lines of a WhatsApp export: which lines start a message, and when.

A header is ``<date><join><time>[ampm] - `` (Android) or ``[<date><join><time>[ampm]] `` (iOS),
with the many locale variants listed in ``docs/formats.md`` §1. The reader works in three steps:

1. a permissive pattern (:data:`GENERIC`) marks header-shaped lines (one vectorised pass);
2. the file's dominant header format is learnt from those lines (:func:`dominant_format`), and an
   exact pattern for it extracts the fields; header-shaped lines of another format are message
   text (a member typed or pasted them);
3. the date order (d/m/y, m/d/y, y/m/d, y/d/m) is inferred from the whole file
   (:func:`infer_date_order`): first from values > 12, then from chronology.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from kohesi._numba import numba

__all__ = ["AMPM_AFTER", "AMPM_BEFORE", "PM", "GENERIC", "GENERIC_RE", "GENERIC_TIME_FIRST", "ANY_HEADER", "header_match",
           "HeaderFormat", "layouts", "dominant_format", "DateOrder",
           "infer_date_order", "civil_seconds", "out_of_order"]

_LEAD = "[\u200e\u200f\ufeff\u202a\u202c]*"
AMPM_AFTER = ("午前", "午後", "上午", "下午", "π.μ.", "μ.μ.", "vorm.", "nachm.", "ص", "م")
"""AM/PM words written after the time, besides the Latin ``AM``/``p. m.`` forms (matching order)."""
AMPM_BEFORE = ("오전", "오후", "上午", "下午", "午前", "午後")
"""AM/PM words written before the time (Korean, Chinese, Japanese layouts)."""
PM = frozenset({"午後", "下午", "μ.μ.", "nachm.", "م", "오후"})
_AMPM = r"[AaPp]\.?\s?[Mm]\.?|" + "|".join(re.escape(w) for w in AMPM_AFTER)
_AMPM_BEFORE = "|".join(AMPM_BEFORE)
_JOIN = r",\s?klo\s|\sklo\s|\sà\s|،\s?|,\s?|\s"
_CLOSE = r"\]\s?|\s[-–]\s|:\s"

_TIME = (f"(?:(?P<ap0>{_AMPM_BEFORE})(?P<ap0sp>\\s?))?(?P<h>\\d{{1,2}})(?P<ts>[:.])(?P<mi>\\d{{2}})(?:[:.](?P<s>\\d{{2}}))?"
         f"(?P<apsp>[\\s\u00a0\u202f]?)(?P<ap>{_AMPM})?")
_DATE = ("(?P<era>[RHS])?(?P<d1>\\d{1,4})(?P<ds>[./-]\\s?)(?P<d2>\\d{1,2})[./-]\\s?(?P<era3>[RHS])?(?P<d3>\\d{1,4})"
         "(?P<be>(?:\\s?(?:BE|B\\.E\\.))?\\.?)")
GENERIC = f"^{_LEAD}(?P<br>\\[)?{_DATE}(?P<join>{_JOIN}){_TIME}(?P<close>{_CLOSE})"
"""Any header-shaped line start with the date first, in both Python ``re`` and Rust ``regex`` syntax."""
GENERIC_TIME_FIRST = f"^{_LEAD}(?P<br>\\[)?{_TIME}(?P<join>,\\s?|\\s){_DATE}(?P<close>{_CLOSE})"
"""A header-shaped line start with the time first (Vietnamese iOS: ``[14:56:01, 3/18/22] ``)."""
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
ANY_HEADER = "|".join(f"(?:{_NAMED_GROUP.sub('(?:', g)})" for g in (GENERIC, GENERIC_TIME_FIRST))
"""Either of the two, without group names (for counting and for polars)."""

GENERIC_RE = re.compile(GENERIC)
_TIME_FIRST_RE = re.compile(GENERIC_TIME_FIRST)


def header_match(line: str) -> re.Match | None:
    """The header-shaped start of ``line`` (date first, else time first), or None."""
    return GENERIC_RE.match(line) or _TIME_FIRST_RE.match(line)


@dataclass(frozen=True)
class HeaderFormat:
    """One concrete header layout, e.g. Indonesian Android ``22/11/26 05.53 - ``."""

    bracket: bool
    era: bool
    date_sep: str
    year_first: bool
    buddhist_marker: str
    join: str
    time_sep: str
    seconds: bool
    ampm_space: str | None
    """``None`` for a 24-hour clock; otherwise the character before AM/PM ('' when none)."""
    close: str
    ampm_before: str | None = None
    """Korean/Chinese/Japanese layouts put AM/PM before the time: the character after it."""
    era_last: bool = False
    """Japanese era letter before the year written last (``3/18/R4``) rather than first."""
    time_first: bool = False
    """The time comes before the date (Vietnamese iOS: ``[14:56:01, 3/18/22] ``)."""

    @property
    def platform(self) -> str:
        return "ios" if self.bracket else "android"

    @property
    def twelve_hour(self) -> bool:
        return self.ampm_space is not None or self.ampm_before is not None

    def describe(self) -> str:
        d = self.date_sep.strip() or self.date_sep
        date = f"y{d}m{d}d" if self.year_first else f"d{d}m{d}y"
        time = f"H{self.time_sep}M" + (f"{self.time_sep}S" if self.seconds else "")
        if self.ampm_before is not None:
            time = "AM/PM " + time
        elif self.ampm_space is not None:
            time += " AM/PM"
        first, second = (time, date) if self.time_first else (date, time)
        head = f"[{first}{self.join}{second}]{self.close}" if self.bracket else f"{first}{self.join}{second}{self.close}"
        return repr(head)[1:-1]


def _layout_key(m: re.Match) -> tuple:
    """What of a header-shaped match decides its layout (see :func:`_format_of`)."""
    return (bool(m["br"]), bool(m["era"]), m["ds"], len(m["d1"]) >= 3, m["be"] or "", m["join"], m["ts"],
            m["s"] is not None, m["apsp"] if m["ap"] else None, m["close"], m["ap0sp"] if m["ap0"] else None,
            bool(m["era3"]), m.re is _TIME_FIRST_RE)


def _format_of(key: tuple) -> HeaderFormat | None:
    (bracket, era, date_sep, year_first, marker, join, time_sep, seconds, ampm_space, close, ampm_before,
     era_last, time_first) = key
    if bracket != close.startswith("]") or (era and era_last) or (time_first and ampm_before is not None):
        return None
    return HeaderFormat(bracket=bracket, era=era, date_sep=date_sep, year_first=year_first,
                        buddhist_marker=marker, join=join, time_sep=time_sep, seconds=seconds,
                        ampm_space=ampm_space, close=close, ampm_before=ampm_before, era_last=era_last,
                        time_first=time_first)


def layouts(lines: list[str]) -> Counter[HeaderFormat]:
    """How many of the header-shaped ``lines`` are in each header layout (in order of first
    appearance, so ``most_common`` breaks ties by the layout seen first)."""
    keys: Counter[tuple] = Counter(_layout_key(m) for m in map(header_match, lines) if m)
    counts: Counter[HeaderFormat] = Counter()
    for key, n in keys.items():
        fmt = _format_of(key)
        if fmt is not None:
            counts[fmt] += n
    return counts


def dominant_format(lines: list[str]) -> tuple[HeaderFormat | None, float]:
    """The most common header format among header-shaped ``lines`` and its share (ties: the
    format seen first)."""
    counts = layouts(lines)
    if not counts:
        return None, 0.0
    fmt, n = counts.most_common(1)[0]
    return fmt, n / sum(counts.values())


ORDERS = ("dmy", "mdy", "ymd", "ydm")


@dataclass(frozen=True)
class DateOrder:
    order: str
    confidence: float
    basis: str
    """``values`` (a part > 12 decides), ``chronology``, ``given`` or ``ambiguous``."""
    valid: np.ndarray
    """Per header: is the date valid under the chosen order."""
    seconds: np.ndarray
    """Per header: local wall-clock time in seconds since 1970 (the time of 1970-01-01 where the
    date is not valid)."""


ORDER_CODES = {"dmy": 0, "mdy": 1, "ymd": 2, "ydm": 3}
_DIM = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


@numba.njit(cache=True, nogil=True)
def _civil(order, d1, d2, d3, hh, mi, ss, era, valid, seconds):  # pragma: no cover - compiled
    """Date parts in ``order`` (:data:`ORDER_CODES`) → validity and seconds since 1970.

    Years: two digits are 20xx; ≥ 2400 are Buddhist (−543); Japanese era letters R/H/S (ASCII
    codes in ``era``, 0 for none) count from 2018/1988/1925. Valid dates lie in 1970–2200. Days
    from the civil date by H. Hinnant's ``days_from_civil`` algorithm."""
    for i in range(len(d1)):
        a, b, c = np.int64(d1[i]), np.int64(d2[i]), np.int64(d3[i])
        if order == 0:
            y, m, d = c, b, a
        elif order == 1:
            y, m, d = c, a, b
        elif order == 2:
            y, m, d = a, b, c
        else:
            y, m, d = a, c, b
        e = era[i] if len(era) == len(d1) else 0
        if e == 82:
            y = 2018 + y
        elif e == 72:
            y = 1988 + y
        elif e == 83:
            y = 1925 + y
        else:
            if y < 100:
                y += 2000
            if y >= 2400:
                y -= 543
        ok = 1 <= m <= 12 and d >= 1 and 1970 <= y <= 2200
        if ok:
            leap = (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
            ok = d <= _DIM[m - 1] + (1 if (m == 2 and leap) else 0)
        valid[i] = ok
        if not ok:
            y, m, d = 1970, 1, 1
        y -= 1 if m <= 2 else 0
        cycle = y // 400
        yoe = y - cycle * 400
        doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
        days = cycle * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
        seconds[i] = days * 86400 + np.int64(hh[i]) * 3600 + np.int64(mi[i]) * 60 + np.int64(ss[i])


def civil_seconds(order: str, d1, d2, d3, hh, mi, ss, era=None) -> tuple[np.ndarray, np.ndarray]:
    """Whether each header's date is valid in ``order`` and its local time in seconds since 1970.

    ``era``: per header ``"R"``, ``"H"``, ``"S"`` (Japanese era layouts) or None.

    >>> valid, t = civil_seconds("dmy", np.array([29, 30]), np.array([2, 2]), np.array([24, 24]),
    ...                          np.array([13, 0]), np.array([5, 0]), np.array([0, 0]))
    >>> valid.tolist(), t[:1].astype("datetime64[s]").tolist()
    ([True, False], [datetime.datetime(2024, 2, 29, 13, 5)])
    """
    n = len(d1)
    valid, seconds = np.empty(n, dtype=np.bool_), np.empty(n, dtype=np.int64)
    codes = np.zeros(0, dtype=np.uint8) if era is None else np.asarray(era, dtype="S1").view(np.uint8)
    _civil(ORDER_CODES[order], d1, d2, d3, hh, mi, ss, codes, valid, seconds)
    return valid, seconds


@numba.njit(cache=True, nogil=True)
def _monotone_share(t, valid):  # pragma: no cover - compiled
    """Share of consecutive valid headers whose time does not go backwards (1 if < 2 valid)."""
    pairs, forward, prev = 0, 0, np.int64(0)
    seen = False
    for i in range(len(t)):
        if valid[i]:
            if seen:
                pairs += 1
                forward += t[i] >= prev
            prev, seen = t[i], True
    return 1.0 if pairs == 0 else forward / pairs


def infer_date_order(d1, d2, d3, hh, mi, ss, *, year_first: bool, era=None,
                     given: str | None = None, prior: str = "dmy") -> DateOrder:
    """Choose the date order that makes the file's dates valid and chronological.

    1. An order under which more headers are valid dates wins (a day > 12 rules out m/d).
    2. If several orders make every date valid, the one whose timestamps are most often
       non-decreasing from one message to the next wins ("chronology").
    3. If chronology cannot tell them apart the file is ambiguous and ``prior`` is used.
    ``given`` (``--date-order``) overrides the inference.
    """
    candidates = ("ymd", "ydm") if year_first else ("dmy", "mdy")
    if given:
        return DateOrder(given, 1.0, "given", *civil_seconds(given, d1, d2, d3, hh, mi, ss, era))
    stats = {order: civil_seconds(order, d1, d2, d3, hh, mi, ss, era) for order in candidates}
    best_valid = max(int(valid.sum()) for valid, _ in stats.values())
    tied = [order for order, (valid, _) in stats.items() if int(valid.sum()) == best_valid]
    if len(tied) == 1:
        return DateOrder(tied[0], 1.0, "values", *stats[tied[0]])
    shares = sorted(((_monotone_share(stats[o][1], stats[o][0]), o) for o in tied), key=lambda s: -s[0])
    (s_win, order), (s_lose, _) = shares[0], shares[1]
    if s_win - s_lose < 1e-9:
        pick = prior if prior in candidates else candidates[0]
        return DateOrder(pick, 0.5, "ambiguous", *stats[pick])
    confidence = 0.5 + 0.5 * (s_win - s_lose) / ((s_win - s_lose) + (1.0 - s_win) + 1e-12)
    return DateOrder(order, round(min(1.0, confidence), 4), "chronology", *stats[order])


def _around(x: np.ndarray, rows: np.ndarray, offsets: range) -> np.ndarray:
    """Matrix of ``x[r + o]`` for each row r and offset o (NaN outside the array)."""
    pos = rows[:, None] + np.asarray(list(offsets))[None, :]
    ok = (pos >= 0) & (pos < len(x))
    return np.where(ok, x[np.clip(pos, 0, len(x) - 1)], np.nan)


def _median(m: np.ndarray, upper: bool) -> np.ndarray:
    """Row-wise lower (or upper) median ignoring NaN; NaN for empty rows."""
    srt = np.sort(m, axis=1)
    cnt = (~np.isnan(m)).sum(axis=1)
    k = np.where(upper, cnt // 2, (cnt - 1) // 2)
    k = np.clip(k, 0, m.shape[1] - 1)
    val = srt[np.arange(len(m)), k]
    return np.where(cnt > 0, val, np.nan)


def out_of_order(t: np.ndarray, tolerance_s: int = 3600, k: int = 4) -> np.ndarray:
    """Header lines out of time order: typed or pasted by a member (an old message quoted, a fake
    announcement), not real headers.

    For header i, let ``around`` be the median time of the ``k`` headers before and ``k`` after it
    (i excluded), ``before`` the median of the ``k`` before and ``after`` of the ``k`` after.
    Header i is rejected when it is more than ``tolerance_s`` earlier than both ``around`` and
    ``before``, or more than ``tolerance_s`` later than all three. A real
    export runs forward in time and a long pause moves forward only, so the headers on both
    sides of a pause stay; pasted headers are caught, up to about ``k - 1`` in a row. Only
    headers more than ``tolerance_s`` from a neighbour can be rejected, so only they are examined.

    >>> t = np.array(["2026-11-22T08:00", "2026-11-22T08:05", "2020-01-01T10:00", "2026-11-22T09:00"],
    ...              dtype="datetime64[s]")
    >>> out_of_order(t).tolist()
    [False, False, True, False]
    """
    n = len(t)
    out = np.zeros(n, dtype=bool)
    if n < 2:
        return out
    x = t.astype("datetime64[s]").view(np.int64) if t.dtype.kind == "M" else np.asarray(t, dtype=np.int64)
    step = np.flatnonzero(np.abs(np.diff(x)) > tolerance_s)
    cand = np.unique(np.concatenate([step, step + 1]))
    if len(cand) == 0:
        return out
    prev = _around(x, cand, range(-k, 0))
    nxt = _around(x, cand, range(1, k + 1))
    around = _median(np.hstack([prev, nxt]), upper=False)
    before = _median(prev, upper=True)
    after = _median(nxt, upper=False)
    xc = x[cand].astype(float)
    with np.errstate(invalid="ignore"):
        early = (xc < around - tolerance_s) & (xc < before - tolerance_s)
        late = (xc > around + tolerance_s) & (xc > after + tolerance_s) & (xc > before + tolerance_s)
    out[cand] = early | late
    return out
