"""Parameter grids for sweeps: ``"gotong_royong=0,weekly;individualism=0.2:0.8:4"`` → grid points.

A grid names scenario parameters (set with :meth:`Scenario.replace`) and interventions (set as
:class:`Intervention` objects); :func:`grid_points` lists every combination.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from typing import Any

import numpy as np
import polars as pl

from kohesi.simulate.scenario import INTERVENTIONS, PERIODS, Intervention, Scenario, load_scenario

__all__ = ["parse_grid", "grid_points"]

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^({_NUM}):({_NUM}):(\d+)$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_OFF = {"0", "none", "off", "no"}


def _number(text: str) -> int | float | str:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def parse_grid(text: str) -> dict[str, list[int | float | str]]:
    """Read a grid such as ``"gotong_royong=0,weekly,monthly;individualism=0.2:0.8:4"``.

    Dimensions are separated by ``;``; each is ``name=v1,v2,…`` or ``name=lo:hi:n`` (``n``
    evenly spaced values from ``lo`` to ``hi``, both included). Numbers become int or float.

    Examples
    --------
    >>> parse_grid("gotong_royong=0,weekly,monthly;individualism=0.2:0.8:4")
    {'gotong_royong': [0, 'weekly', 'monthly'], 'individualism': [0.2, 0.4, 0.6, 0.8]}
    """
    grid: dict[str, list[int | float | str]] = {}
    if not text or not text.strip():
        raise ValueError("empty grid: expected name=v1,v2;name2=lo:hi:n")
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise ValueError(f"grid dimension {part!r} has no '=': expected name=v1,v2 or name=lo:hi:n")
        name, _, spec = (s.strip() for s in part.partition("="))
        if not _NAME.match(name):
            raise ValueError(f"grid dimension {part!r}: {name!r} is not a parameter name")
        if name in grid:
            raise ValueError(f"grid dimension {name!r} is given twice")
        if not spec:
            raise ValueError(f"grid dimension {name!r} has no values")
        m = _RANGE.match(spec)
        if m:
            lo, hi, n = float(m[1]), float(m[2]), int(m[3])
            if n < 1:
                raise ValueError(f"grid dimension {name!r}: a range needs n >= 1, got {n}")
            values: list[int | float | str] = [float(round(v, 12)) for v in np.linspace(lo, hi, n)]
        elif ":" in spec and "," not in spec:
            raise ValueError(f"grid dimension {name!r}: cannot read range {spec!r}; expected lo:hi:n, e.g. 0.2:0.8:4")
        else:
            items = [s.strip() for s in spec.split(",")]
            if any(not s for s in items):
                raise ValueError(f"grid dimension {name!r}: empty value in {spec!r}")
            values = [_number(s) for s in items]
        grid[name] = values
    if not grid:
        raise ValueError("empty grid: expected name=v1,v2;name2=lo:hi:n")
    return grid


def _resolve(name: str) -> tuple[str, str]:
    """``("field", scenario_field)`` or ``("intervention", kind)`` for a grid name."""
    fields = {f.name for f in dataclasses.fields(Scenario)} - {"name", "description"}
    if "-" not in name and name in fields:
        return "field", name
    kind = name.replace("_", "-")
    if kind in INTERVENTIONS:
        return "intervention", kind
    raise ValueError(f"unknown grid parameter {name!r}: use a scenario parameter "
                     f"({', '.join(sorted(fields))}) or an intervention ({', '.join(INTERVENTIONS)})")


def _intervention(kind: str, value: int | float | str, start: int) -> Intervention | None:
    """The intervention a grid value stands for: ``0``/``none`` (none), a period (``weekly``, a
    number of days), optionally ``start:period`` and ``*strength``."""
    text = str(value).strip().lower()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if text in _OFF:
        return None
    strength = 1.0
    if "*" in text:
        text, _, s = text.partition("*")
        try:
            strength = float(s)
        except ValueError:
            raise ValueError(f"{kind}={value!r}: strength {s!r} is not a number") from None
    at, _, period = text.rpartition(":") if ":" in text else (str(start), ":", text)
    if not at.isdigit() or (period not in PERIODS and not period.isdigit()):
        raise ValueError(f"{kind}={value!r}: expected 0/none, a period (daily, weekly, monthly, once, "
                         "or a number of days), optionally start:period and *strength")
    return Intervention(kind, int(at), PERIODS[period] if period in PERIODS else int(period), strength)


def grid_points(scenario: Any, grid: dict[str, list], *, intervention_start: int = 0) -> list[dict[str, Any]]:
    """Every combination of ``grid``: its scenario, interventions, values and column types.

    Scenario parameters are set with :meth:`Scenario.replace`; intervention names
    (``gotong_royong``, ``education``…; ``public-spaces`` with a hyphen, as ``public_spaces`` is a
    scenario parameter) take ``0``/``none`` (no intervention) or a period, and become an
    :class:`Intervention` starting on day ``intervention_start``.
    """
    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    types = {f.name: f.type for f in dataclasses.fields(Scenario)}
    dims = []
    schema: dict[str, Any] = {}
    for name, values in grid.items():
        if not values:
            raise ValueError(f"grid parameter {name!r} has no values")
        what, target = _resolve(name)
        col = name.replace("-", "_")
        if what == "field":
            typ = types[target]
            conv = []
            for v in values:
                if typ in ("int", int):
                    if not isinstance(v, (int, float)) or float(v) != int(v):
                        raise ValueError(f"{name}={v!r}: {name} is a whole number")
                    conv.append(int(v))
                elif typ in ("float", float):
                    if not isinstance(v, (int, float)):
                        raise ValueError(f"{name}={v!r}: {name} is a number")
                    conv.append(float(v))
                else:
                    conv.append(str(v))
            schema[col] = {"int": pl.Int64, "float": pl.Float64}.get(str(typ), pl.String)
            dims.append([(what, target, col, v, v) for v in conv])
        else:
            schema[col] = pl.String
            dims.append([(what, target, col, str(v), _intervention(target, v, intervention_start)) for v in values])
    points = []
    for i, combo in enumerate(itertools.product(*dims)):
        changes = {target: v for what, target, _, _, v in combo if what == "field"}
        ivs = tuple(v for what, _, _, _, v in combo if what == "intervention" and v is not None)
        try:
            sc = base.replace(**changes)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"grid point {i} ({changes}): {exc}") from None
        points.append({"point": i, "scenario": sc, "interventions": ivs,
                       "values": {col: shown for _, _, col, shown, _ in combo}, "schema": schema})
    return points
