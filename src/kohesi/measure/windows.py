"""Time windows in the group's own calendar: ``every``, ``period``, ``offset`` and an anchor.

A window specification reads like polars' ``group_by_dynamic``: windows start every ``every``
and last ``period`` (default: ``every``, so they tile time), shifted by ``offset``. Day, week
and month units are *calendar* units in the group's timezone, so a daily window runs from local
midnight to local midnight and a weekly window across a daylight-saving change lasts 167 or
169 hours; second, minute and hour units are fixed lengths.

Anchors:

- ``"end"`` (default): the last window ends at the local midnight after the last event, so
  the most recent window is complete; the first one usually is not.
- ``"start"``: the first window starts at the local midnight of the first event's day.
- ``"calendar"``: days start at midnight, weeks on Monday, months on the 1st.

A window is *complete* when the observed period covers at least ``min_coverage`` of it; for
day, week and month windows the observed period is every local day from the first event's to
the last event's, for shorter units the exact span between them. Incomplete windows are measured and shown, but they carry no verdict
and are left out of whole-period values: a window observed for two days of seven would otherwise
read as a collapse of activity.

Examples
--------
>>> spec = window_spec("7D")
>>> spec.every, spec.period, spec.anchor
('7d', '7d', 'end')
>>> tl = timeline(spec, "Asia/Jakarta", first_us=0, last_us=20 * 86_400_000_000)
>>> len(tl), tl.labels[-1]
(3, '1970-01-15')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from kohesi.errors import InputError

__all__ = ["WindowSpec", "Timeline", "window_spec", "is_window_spec", "parse_duration", "timeline", "Anchor",
           "utc_from_us"]

Anchor = Literal["end", "start", "calendar"]
US = 1_000_000
_DUR = re.compile(r"^\s*(\d+)\s*(mo|[smhdw])\s*$", re.IGNORECASE)
_FIXED_S = {"s": 1, "m": 60, "h": 3600}


def parse_duration(text: str | timedelta, *, allow_zero: bool = False) -> tuple[int, str]:
    """``"7D"`` → ``(7, "d")``; units s, m (minutes), h, d, w, mo (months); a timedelta in seconds.

    Examples
    --------
    >>> parse_duration("7D"), parse_duration("12h"), parse_duration("1mo"), parse_duration("2w")
    ((7, 'd'), (12, 'h'), (1, 'mo'), (2, 'w'))
    """
    if isinstance(text, timedelta):
        secs = int(text.total_seconds())
        if secs % 86400 == 0 and secs:
            return secs // 86400, "d"
        if secs <= 0 and not allow_zero:
            raise ValueError("window must be positive")
        return secs, "s"
    m = _DUR.match(str(text))
    if not m:
        raise ValueError(f"{text!r}: expected a whole number and a unit s, m, h, d, w or mo, e.g. '7d' or '1mo'")
    n, unit = int(m.group(1)), m.group(2).lower()
    if n <= 0 and not allow_zero:
        raise ValueError(f"{text!r}: must be positive")
    return n, unit


def _fmt(d: tuple[int, str]) -> str:
    return f"{d[0]}{d[1]}"


@dataclass(frozen=True)
class WindowSpec:
    """How to cut time into windows. ``every is None`` means one window over the whole period."""

    every: str | None = "7d"
    period: str | None = None
    offset: str = "0d"
    anchor: Anchor = "end"
    min_coverage: float = 0.9

    def __post_init__(self) -> None:
        if self.anchor not in ("end", "start", "calendar"):
            raise ValueError(f"anchor must be 'end', 'start' or 'calendar', not {self.anchor!r}")
        if self.every is not None:
            object.__setattr__(self, "every", _fmt(parse_duration(self.every)))
            object.__setattr__(self, "period", _fmt(parse_duration(self.period or self.every)))
        sign = -1 if str(self.offset).strip().startswith("-") else 1
        n, unit = parse_duration(str(self.offset).strip().lstrip("+-"), allow_zero=True)
        object.__setattr__(self, "offset", f"{'-' if sign < 0 and n else ''}{n}{unit}")
        if not 0 < self.min_coverage <= 1:
            raise ValueError("min_coverage must lie in (0, 1]")

    def describe(self) -> str:
        if self.every is None:
            return "whole period"
        extra = "" if self.period == self.every else f", each {self.period} long"
        shift = "" if self.offset in ("0d", "0s") else f", offset {self.offset}"
        return f"every {self.every}{extra}, anchored at the {self.anchor}{shift}"


def is_window_spec(window: object) -> bool:
    """A :class:`WindowSpec` (by its fields: doctest collection may import this module twice)."""
    return all(hasattr(window, f) for f in ("every", "period", "offset", "anchor", "min_coverage"))


def window_spec(window: str | timedelta | WindowSpec | None = "7D", *, every: str | None = None,
                period: str | None = None, offset: str | None = None, anchor: Anchor | None = None,
                min_coverage: float | None = None) -> WindowSpec:
    """A :class:`WindowSpec` from the short form ``window`` (``"7D"``, ``None``) and overrides."""
    if is_window_spec(window):
        base = window
    elif window is None and every is None:
        base = WindowSpec(every=None)
    else:
        w = every if every is not None else window
        base = WindowSpec(every=_fmt(parse_duration(w)) if w is not None else None)
    return WindowSpec(
        every=base.every if every is None else every,
        period=period if period is not None else (base.period if every is None else None),
        offset=offset if offset is not None else base.offset,
        anchor=anchor or base.anchor,
        min_coverage=min_coverage if min_coverage is not None else base.min_coverage,
    )


@dataclass(frozen=True)
class Timeline:
    """The windows of one group: UTC bounds in µs, local labels, and how much of each was observed."""

    tz: str
    starts_us: np.ndarray
    ends_us: np.ndarray
    coverage: np.ndarray
    complete: np.ndarray
    labels: list[str]
    spec: WindowSpec
    first_us: int
    last_us: int

    def __len__(self) -> int:
        return len(self.starts_us)

    @property
    def tiled(self) -> bool:
        """True when windows do not overlap (each event belongs to one window at most)."""
        return bool(np.all(self.starts_us[1:] >= self.ends_us[:-1]))

    def start(self, k: int) -> datetime:
        return utc_from_us(int(self.starts_us[k]))

    def end(self, k: int) -> datetime:
        return utc_from_us(int(self.ends_us[k]))

    def slices(self, t_us: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For time-sorted ``t_us``, the [lo, hi) index range of each window."""
        return np.searchsorted(t_us, self.starts_us, "left"), np.searchsorted(t_us, self.ends_us, "left")


def utc_from_us(us: int) -> datetime:
    """The UTC moment ``us`` microseconds after 1970-01-01 (the events' time unit)."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(None, f"unknown timezone {tz!r}; use an IANA name such as Asia/Jakarta") from None


def _shift(local: datetime, n: int, unit: str) -> datetime:
    """``local`` (naive wall time) moved by n units; calendar units keep the wall clock."""
    if unit == "mo":
        m = local.month - 1 + n
        y, m = local.year + m // 12, m % 12 + 1
        day = min(local.day, [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30,
                              31, 31, 30, 31, 30, 31][m - 1])
        return local.replace(year=y, month=m, day=day)
    if unit in ("d", "w"):
        return local + timedelta(days=n * (7 if unit == "w" else 1))
    return local + timedelta(seconds=n * _FIXED_S[unit])


def _to_us(local: datetime, zone: ZoneInfo) -> int:
    """µs since the epoch (UTC) of a naive local wall time in ``zone``."""
    aware = local.replace(tzinfo=zone)
    return int((aware - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1))


def timeline(spec: WindowSpec, tz: str, first_us: int, last_us: int) -> Timeline:
    """The windows covering [first_us, last_us] (UTC µs) under ``spec`` in timezone ``tz``."""
    zone = _zone(tz)
    if spec.every is None:
        cov = np.array([1.0])
        return Timeline(tz, np.array([first_us], np.int64), np.array([last_us + 1], np.int64), cov,
                        np.array([True]), [_label(first_us, zone, "d")], spec, first_us, last_us)
    en, eu = parse_duration(spec.every)
    pn, pu = parse_duration(spec.period or spec.every)
    off_neg = spec.offset.startswith("-")
    on, ou = parse_duration(spec.offset.lstrip("-"), allow_zero=True)
    on = -on if off_neg else on
    fixed = eu in _FIXED_S
    first_local = utc_from_us(first_us).astimezone(zone).replace(tzinfo=None)
    last_local = utc_from_us(last_us).astimezone(zone).replace(tzinfo=None)
    midnight = datetime.min.time()
    if spec.anchor == "end":
        anchor = datetime.combine(last_local.date() + timedelta(days=1), midnight)
        anchor = _shift(anchor, on, ou)
        # the last window ends at the anchor: step back until a window starts at or before first
        ks = []
        k = 1
        while True:
            s = _shift(anchor, -k * en, eu) if not fixed else anchor - timedelta(seconds=k * en * _FIXED_S[eu])
            ks.append(s)
            if _to_us(s, zone) <= first_us:
                break
            k += 1
        starts_local = ks[::-1]
    else:
        if spec.anchor == "start":
            base = datetime.combine(first_local.date(), midnight)
        else:
            base = datetime.combine(first_local.date(), midnight)
            if eu == "w":
                base -= timedelta(days=base.weekday())
            elif eu == "mo":
                base = base.replace(day=1)
            elif fixed:
                step = en * _FIXED_S[eu]
                secs = int((first_local - base).total_seconds())
                base += timedelta(seconds=secs - secs % step)
        base = _shift(base, on, ou)
        while _to_us(base, zone) > first_us:
            base = _shift(base, -en, eu)
        starts_local = []
        k = 0
        while True:
            s = _shift(base, k * en, eu)
            if _to_us(s, zone) > last_us:
                break
            starts_local.append(s)
            k += 1
    starts = np.array([_to_us(s, zone) for s in starts_local], dtype=np.int64)
    ends = np.array([_to_us(_shift(s, pn, pu), zone) for s in starts_local], dtype=np.int64)
    if fixed:
        obs_lo, obs_hi = first_us, last_us + 1
    else:  # calendar windows: the chat covers whole local days, from its first day to its last
        obs_lo = _to_us(datetime.combine(first_local.date(), midnight), zone)
        obs_hi = _to_us(datetime.combine(last_local.date() + timedelta(days=1), midnight), zone)
    seen = np.clip(np.minimum(ends, obs_hi) - np.maximum(starts, obs_lo), 0, None)
    coverage = seen / np.maximum(ends - starts, 1)
    labels = [_label(int(s), zone, eu) for s in starts]
    return Timeline(tz, starts, ends, coverage, coverage >= spec.min_coverage - 1e-12, labels, spec,
                    first_us, last_us)


def _label(us: int, zone: ZoneInfo, unit: str) -> str:
    local = utc_from_us(us).astimezone(zone)
    return local.strftime("%Y-%m-%d") if unit in ("d", "w", "mo") and local.hour == 0 and local.minute == 0 \
        else local.strftime("%Y-%m-%dT%H:%M")
