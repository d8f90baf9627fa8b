"""Before/after comparison of a profile around a date (an intervention, an event).

Δ = mean over windows after − mean over windows before, for every indicator, aspect, stage and
the index: the pre/post comparison for an intervention. Only complete windows count.

The 95% interval is Welch's t interval on the window values (Welch 1947), which treats windows
as independent draws of the group's state and stays honest with few windows (a percentile
bootstrap of four values is far too narrow). ``method="block"`` uses independent moving-block
bootstraps of the two segments instead (Künsch 1989), for long series with serial dependence.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import polars as pl

from kohesi.measure.bootstrap import block_means, percentile_interval
from kohesi.measure.profile import Profile

__all__ = ["change"]


def change(profile: Profile, at: datetime | str, bootstrap: int = 1000, seed: int = 0,
           method: str = "welch", level: float = 0.95) -> pl.DataFrame:
    """Before/after differences around ``at`` (windows starting before vs at/after it); a date
    without a timezone is read in the group's timezone.

    ``method`` is ``"welch"`` (default) or ``"block"`` (``bootstrap`` replicates, ``seed``).

    Returns columns ``kind`` (indicator, aspect, stage, index), ``name``, ``before``, ``after``,
    ``delta``, ``lo``, ``hi``, ``n_before``, ``n_after``.
    """
    when = datetime.fromisoformat(at) if isinstance(at, str) else at
    if when.tzinfo is None:  # a date without a zone is a date in the group's own calendar
        from zoneinfo import ZoneInfo

        when = when.replace(tzinfo=ZoneInfo(profile.meta.get("tz") or "UTC"))
    ind = profile.rows.filter((pl.col("window") != "all") & pl.col("complete")).select(
        "start", kind=pl.lit("indicator"), name=pl.col("indicator"), value="value"
    )
    sc = profile.scores.filter(pl.col("window") != "all").select("start", "kind", "name", "value")
    data = pl.concat([ind, sc]).with_columns(after=pl.col("start") >= pl.lit(when))
    out = []
    for j, ((kind, name), grp) in enumerate(data.group_by(["kind", "name"], maintain_order=True)):
        before = grp.filter(~pl.col("after")).get_column("value").to_numpy()
        after = grp.filter(pl.col("after")).get_column("value").to_numpy()
        b, a = before[np.isfinite(before)], after[np.isfinite(after)]
        mb = float(b.mean()) if len(b) else np.nan
        ma = float(a.mean()) if len(a) else np.nan
        lo = hi = np.nan
        if method == "welch":
            lo, hi = _welch(b, a, level)
        elif len(b) and len(a) and bootstrap:
            rng = np.random.default_rng([seed, j])
            d = block_means(a, bootstrap, rng) - block_means(b, bootstrap, rng)
            lo, hi = percentile_interval(d, level)
        out.append(
            {
                "kind": kind,
                "name": name,
                "before": mb,
                "after": ma,
                "delta": ma - mb,
                "lo": lo,
                "hi": hi,
                "n_before": len(b),
                "n_after": len(a),
            }
        )
    return pl.DataFrame(out)


def _welch(before: np.ndarray, after: np.ndarray, level: float) -> tuple[float, float]:
    """Welch's t interval for mean(after) − mean(before); NaN with fewer than two per side.

    Examples
    --------
    >>> lo, hi = _welch(np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0]), 0.95)
    >>> round(lo, 3), round(hi, 3)
    (0.733, 5.267)
    """
    from scipy.stats import t as student

    nb, na = len(before), len(after)
    if nb < 2 or na < 2:
        return np.nan, np.nan
    vb, va = before.var(ddof=1) / nb, after.var(ddof=1) / na
    se = np.sqrt(vb + va)
    d = after.mean() - before.mean()
    if se == 0:
        return float(d), float(d)
    df = (vb + va) ** 2 / (vb**2 / (nb - 1) + va**2 / (na - 1))
    q = student.ppf(0.5 + level / 2, df)
    return float(d - q * se), float(d + q * se)
