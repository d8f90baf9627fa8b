"""The index does not follow how long an export spans.

Measured over many real exports, the old index correlated 0.68 with the log of the weeks an
export covered: short exports scored low because of edge and thin-window effects, not because
their groups were less cohesive. Here the same steady process is observed for 3 to 24 weeks.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from helpers import archetypes as A
from kohesi.measure import MeasureParams, measure

SPANS = (3, 6, 12, 24)


def test_a_steady_group_scores_the_same_whatever_the_span():
    means = []
    for weeks in SPANS:
        vals = []
        for seed in (0, 1):
            g = A.stationary(weeks=weeks, seed=seed)
            p = measure(g.events, members=g.members, bootstrap=0, params=MeasureParams(null_samples=5))
            assert p.verdict["given"], (weeks, p.verdict["reasons"])
            vals.append(p.index.filter(pl.col("window") == "all")["value"][0])
        means.append(np.mean(vals))
    slope = np.polyfit(np.log2(SPANS), means, 1)[0]  # index change per doubling of the span
    assert max(means) - min(means) <= 0.04, means
    assert abs(slope) <= 0.01, (slope, means)
