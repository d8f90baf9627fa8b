"""Message header lines of a WhatsApp export: which lines start a message, and when.

A header is ``<date><join><time>[ampm] - `` (Android) or ``[<date><join><time>[ampm]] `` (iOS),
with the many locale variants listed in ``shared/formats.md`` §1. The reader works in three steps:

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

__all__ = ["AMPM_AFTER", "AMPM_BEFORE", "PM", "GENERIC", "GENERIC_RE", "HeaderFormat", "dominant_format", "DateOrder", "infer_date_order", "date_parts",
           "to_naive_datetime", "out_of_order"]

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

GENERIC = (
    f"^{_LEAD}(?P<br>\\[)?(?P<era>[RHS])?(?P<d1>\\d{{1,4}})(?P<ds>[./-]\\s?)(?P<d2>\\d{{1,2}})[./-]\\s?(?P<d3>\\d{{1,4}})"
    f"(?P<be>(?:\\s?(?:BE|B\\.E\\.))?\\.?)(?P<join>{_JOIN})(?:(?P<ap0>{_AMPM_BEFORE})(?P<ap0sp>\\s?))?(?P<h>\\d{{1,2}})(?P<ts>[:.])(?P<mi>\\d{{2}})(?:[:.](?P<s>\\d{{2}}))?"
    f"(?P<apsp>[\\s\u00a0\u202f]?)(?P<ap>{_AMPM})?(?P<close>{_CLOSE})"
)
"""Any header-shaped line start, in both Python ``re`` and Rust ``regex`` syntax."""

GENERIC_RE = re.compile(GENERIC)


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

    @property
    def platform(self) -> str:
        return "ios" if self.bracket else "android"

    def pattern(self) -> str:
        """Exact pattern capturing the whole header (group 1), the date parts, time parts and AM/PM."""
        e = re.escape
        before = after = ""
        if self.ampm_before is not None:
            before = f"(?P<ap>{_AMPM_BEFORE}){e(self.ampm_before)}"
        elif self.ampm_space is not None:
            after = f"{e(self.ampm_space)}?(?P<ap>{_AMPM})"
        sec = f"{e(self.time_sep)}(?P<s>\\d{{2}})" if self.seconds else ""
        return (
            f"^(?P<head>{_LEAD}{e('[') if self.bracket else ''}(?P<era>{'[RHS]' if self.era else ''})"
            f"(?P<d1>\\d{{1,4}}){e(self.date_sep)}(?P<d2>\\d{{1,2}}){e(self.date_sep)}(?P<d3>\\d{{1,4}})"
            f"{e(self.buddhist_marker)}{e(self.join)}{before}(?P<h>\\d{{1,2}}){e(self.time_sep)}(?P<mi>\\d{{2}}){sec}"
            f"{after}{e(self.close)})"
        )

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
        head = f"[{date}{self.join}{time}]{self.close}" if self.bracket else f"{date}{self.join}{time}{self.close}"
        return repr(head)[1:-1]


def _format_of(m: re.Match) -> HeaderFormat | None:
    if bool(m["br"]) != m["close"].startswith("]"):
        return None
    return HeaderFormat(
        bracket=bool(m["br"]),
        era=bool(m["era"]),
        date_sep=m["ds"],
        year_first=len(m["d1"]) >= 3,
        buddhist_marker=m["be"] or "",
        join=m["join"],
        time_sep=m["ts"],
        seconds=m["s"] is not None,
        ampm_space=m["apsp"] if m["ap"] else None,
        close=m["close"],
        ampm_before=m["ap0sp"] if m["ap0"] else None,
    )


def dominant_format(lines: list[str]) -> tuple[HeaderFormat | None, float]:
    """The most common header format among header-shaped ``lines`` and its share."""
    counts: Counter[HeaderFormat] = Counter()
    for line in lines:
        m = GENERIC_RE.match(line)
        if m:
            fmt = _format_of(m)
            if fmt is not None:
                counts[fmt] += 1
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


def _years(raw: np.ndarray, era: np.ndarray | None) -> np.ndarray:
    y = raw.astype(np.int64).copy()
    y = np.where(y < 100, 2000 + y, y)
    y = np.where(y >= 2400, y - 543, y)
    if era is not None:
        y = np.where(era == "R", 2018 + raw, np.where(era == "H", 1988 + raw, np.where(era == "S", 1925 + raw, y)))
    return y


_DIM = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def date_parts(order: str, d1, d2, d3, era) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    parts = {"dmy": (d3, d2, d1), "mdy": (d3, d1, d2), "ymd": (d1, d2, d3), "ydm": (d1, d3, d2)}[order]
    y, m, d = parts
    return _years(y, era), m.astype(np.int64), d.astype(np.int64)


def _valid(y, m, d) -> np.ndarray:
    ok = (m >= 1) & (m <= 12) & (d >= 1)
    mm = np.clip(m, 1, 12) - 1
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    dim = _DIM[mm] + ((mm == 1) & leap)
    return ok & (d <= dim) & (y >= 1970) & (y <= 2200)


def to_naive_datetime(y, m, d, hh, mi, ss) -> np.ndarray:
    """Vectorised local wall-clock times (``datetime64[s]``); inputs must be valid dates."""
    days = (
        (y - 1970).astype("datetime64[Y]").astype("datetime64[M]")
        + (m - 1).astype("timedelta64[M]")
    ).astype("datetime64[D]") + (d - 1).astype("timedelta64[D]")
    return days.astype("datetime64[s]") + (hh * 3600 + mi * 60 + ss).astype("timedelta64[s]")


def _monotone_share(t: np.ndarray, valid: np.ndarray) -> float:
    tv = t[valid]
    if len(tv) < 2:
        return 1.0
    return float(np.mean(np.diff(tv.astype(np.int64)) >= 0))


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
        y, m, d = date_parts(given, d1, d2, d3, era)
        return DateOrder(given, 1.0, "given", _valid(y, m, d))
    stats = []
    for order in candidates:
        y, m, d = date_parts(order, d1, d2, d3, era)
        valid = _valid(y, m, d)
        stats.append((order, valid, y, m, d))
    best_valid = max(int(s[1].sum()) for s in stats)
    tied = [s for s in stats if int(s[1].sum()) == best_valid]
    if len(tied) == 1:
        order, valid = tied[0][0], tied[0][1]
        return DateOrder(order, 1.0, "values", valid)
    shares = []
    for order, valid, y, m, d in tied:
        yv, mv, dv = (np.where(valid, a, b) for a, b in ((y, 1970), (m, 1), (d, 1)))
        t = to_naive_datetime(yv, mv, dv, hh, mi, ss)
        shares.append((_monotone_share(t, valid), order, valid))
    shares.sort(key=lambda s: -s[0])
    (s_win, order, valid), (s_lose, _, _) = shares[0], shares[1]
    if s_win - s_lose < 1e-9:
        pick = prior if prior in candidates else candidates[0]
        valid = next(s[2] for s in shares if s[1] == pick)
        return DateOrder(pick, 0.5, "ambiguous", valid)
    confidence = 0.5 + 0.5 * (s_win - s_lose) / ((s_win - s_lose) + (1.0 - s_win) + 1e-12)
    return DateOrder(order, round(min(1.0, confidence), 4), "chronology", valid)


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
    x = t.astype("datetime64[s]").astype(np.int64).astype(float)
    step = np.abs(np.diff(x)) > tolerance_s
    cand = np.flatnonzero(np.r_[step, False] | np.r_[False, step])
    if len(cand) == 0:
        return out
    prev = _around(x, cand, range(-k, 0))
    nxt = _around(x, cand, range(1, k + 1))
    around = _median(np.hstack([prev, nxt]), upper=False)
    before = _median(prev, upper=True)
    after = _median(nxt, upper=False)
    xc = x[cand]
    with np.errstate(invalid="ignore"):
        early = (xc < around - tolerance_s) & (xc < before - tolerance_s)
        late = (xc > around + tolerance_s) & (xc > after + tolerance_s) & (xc > before + tolerance_s)
    out[cand] = early | late
    return out
