"""The result of :func:`kohesi.measure.measure`: tidy indicator rows plus aggregate views."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import polars as pl
import pyarrow as pa

from kohesi.measure.catalogue import all_indicators
from kohesi.measure.members import Factions
from kohesi.measure.params import MeasureParams

__all__ = ["Profile", "WholePeriod", "ROW_SCHEMA", "SCORE_SCHEMA", "WINDOW_SCHEMA"]

ROW_SCHEMA = {
    "window": pl.String,
    "start": pl.Datetime("us", "UTC"),
    "end": pl.Datetime("us", "UTC"),
    "indicator": pl.String,
    "value": pl.Float64,
    "lo": pl.Float64,
    "hi": pl.Float64,
    "n": pl.Int64,
    "null_pct": pl.Float64,
    "available": pl.Boolean,
    "note": pl.String,
    "complete": pl.Boolean,
}
"""Columns of :meth:`Profile.to_frame`. ``window == "all"`` rows summarise the whole period (the
mean over complete windows); ``window`` is the window's local start; ``complete`` is false for a
window the observation covers only in part; ``available`` is false where the indicator has no
value, and ``note`` says why."""

SCORE_SCHEMA = {
    "kind": pl.String,
    "name": pl.String,
    "window": pl.String,
    "start": pl.Datetime("us", "UTC"),
    "end": pl.Datetime("us", "UTC"),
    "value": pl.Float64,
    "lo": pl.Float64,
    "hi": pl.Float64,
    "n_available": pl.Int64,
    "n_applicable": pl.Int64,
    "enough": pl.Boolean,
    "note": pl.String,
}
"""Columns of :attr:`Profile.scores`: aspect, stage and index scores per window with their
evidence (indicators available of those the source can measure; for ``all`` rows, complete
windows with enough evidence of all complete windows), and why a score is missing."""


WINDOW_SCHEMA = {
    "window": pl.String,
    "start": pl.Datetime("us", "UTC"),
    "end": pl.Datetime("us", "UTC"),
    "complete": pl.Boolean,
    "coverage": pl.Float64,
    "events": pl.Int64,
    "posts": pl.Int64,
    "joins": pl.Int64,
    "leaves": pl.Int64,
    "members": pl.Int64,
    "active": pl.Int64,
}
"""Columns of :attr:`Profile.window_table`: each window's bounds, how much of it was observed,
and its counts (joins: joins and adds; leaves: leaves and removals; members: of the group in the
window, silent ones included)."""


@dataclass(frozen=True)
class WholePeriod:
    """The whole-period graph (members as in ``members.member``, weight = interactions), its
    factions and the members view: what the report draws without measuring again."""

    graph: ig.Graph
    factions: Factions
    members: pl.DataFrame


@dataclass(frozen=True)
class Profile:
    """Indicators of one group per window, with intervals, null percentiles and aggregates.

    Attributes
    ----------
    group_id : str
    params : MeasureParams
    rows : polars.DataFrame
        One row per (window, indicator); see :data:`ROW_SCHEMA`.
    scores : polars.DataFrame
        Aspect, stage and index scores per window: ``kind`` in {aspect, stage, index}.
    members : polars.DataFrame
        One row per member over the whole period (participation, attention, brokerage…).
    factions : Factions
        Factions of the whole-period graph, their modularity and the bridges between them.
    meta : dict
        Window specification, timezone, source capabilities, bootstrap replicates, seed, event
        counts and the ``verdict``.
    whole : WholePeriod
        The whole-period graph and members view.
    """

    group_id: str
    params: MeasureParams
    rows: pl.DataFrame
    scores: pl.DataFrame
    members: pl.DataFrame
    factions: Factions
    meta: dict[str, Any] = field(default_factory=dict)
    whole: WholePeriod | None = field(default=None, repr=False)
    window_table: pl.DataFrame | None = field(default=None, repr=False)
    """One row per window: bounds, coverage and counts (:data:`WINDOW_SCHEMA`)."""

    @property
    def verdict(self) -> dict[str, Any]:
        """Whether the whole-period index is given (``given``), and if not, the ``reasons``."""
        return self.meta.get("verdict", {"given": False, "reasons": ["not measured"]})

    def to_frame(self) -> pl.DataFrame:
        """Tidy rows: window, start, end, indicator, value, lo, hi, n, null_pct, available, note."""
        return self.rows

    def to_arrow(self) -> pa.Table:
        return self.rows.to_arrow()

    def _scores(self, kind: str) -> pl.DataFrame:
        return self.scores.filter(pl.col("kind") == kind).drop("kind")

    @property
    def index(self) -> pl.DataFrame:
        """Overall cohesion index per window (and ``all``): window, start, end, value, lo, hi,
        evidence and note. The ``all`` value is null when the verdict is withheld."""
        return self._scores("index").drop("name")

    @property
    def aspects(self) -> pl.DataFrame:
        """Scores of the five cohesion aspects per window: window, …, name (aspect), value, lo, hi."""
        return self._scores("aspect").rename({"name": "aspect"})

    @property
    def stages(self) -> pl.DataFrame:
        """Scores of the six flow stages per window."""
        return self._scores("stage").rename({"name": "stage"})

    @property
    def windows(self) -> list[str]:
        return [w for w in self.rows.get_column("window").unique(maintain_order=True).to_list() if w != "all"]

    def value(self, indicator: str, window: str = "all") -> float:
        """The value of one indicator in one window (``all`` = mean over windows)."""
        r = self.rows.filter((pl.col("indicator") == indicator) & (pl.col("window") == window))
        if len(r) == 0:
            raise KeyError(f"no row for indicator {indicator!r} in window {window!r}")
        return float(r.get_column("value")[0])

    def catalogue(self) -> pl.DataFrame:
        """Metadata of the indicators in this profile (name, stage, aspect, orientation…)."""
        return pl.DataFrame(
            [
                {
                    "indicator": i.name,
                    "title": i.title,
                    "stage": i.stage,
                    "aspect": i.aspect,
                    "tags": ",".join(i.tags),
                    "orientation": i.orientation,
                    "proxy": i.proxy,
                    "range_lo": i.range[0],
                    "range_hi": i.range[1],
                    "formula": i.formula,
                    "source": i.source,
                }
                for i in all_indicators()
            ]
        )

    def to_json(self) -> str:
        """JSON with params, meta (the verdict included), indicator rows, scores, factions and
        members (NaN → null). Equal profiles give byte-identical JSON."""

        def records(df: pl.DataFrame) -> list[dict[str, Any]]:
            out = []
            for rec in df.with_columns(pl.col(pl.Datetime).dt.to_string("%Y-%m-%dT%H:%M:%SZ")).to_dicts():
                out.append({k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in rec.items()})
            return out

        doc = {
            "schema": "kohesi.profile/2",
            "group_id": self.group_id,
            "params": self.params.to_dict(),
            "meta": self.meta,
            "indicators": records(self.rows),
            "scores": records(self.scores),
            "factions": {
                "method": self.factions.method,
                "modularity": self.factions.modularity if math.isfinite(self.factions.modularity) else None,
                "n_factions": self.factions.n_factions,
                "bridges": records(self.factions.bridges),
            },
            "members": records(self.members),
        }
        return json.dumps(doc, ensure_ascii=False, allow_nan=False)
