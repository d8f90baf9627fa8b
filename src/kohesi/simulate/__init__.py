"""Simulation laboratory: the solidarity model and the classic models that validate the engine.

- :func:`simulate` / :func:`run_many`: the agent-based model of how solidarity forms
  (interaction → communication → cooperation → empathy → shared norms → solidarity) under
  scenarios (:func:`load_scenario`) and scheduled interventions, emitting canonical events;
- :func:`axelrod`: Axelrod's (1997) culture dissemination model;
- :func:`schelling`: Schelling's (1971) segregation model with Mesa's example rules;
- :func:`parse_grid` / :func:`grid_points`: parameter grids for sweeps (run by
  :func:`kohesi.batch.sweep`).
"""

from __future__ import annotations

from kohesi.simulate.axelrod import AxelrodResult, axelrod, count_regions
from kohesi.simulate.grid import grid_points, parse_grid
from kohesi.simulate.model import STATE_COLUMNS, SolidarityModel
from kohesi.simulate.run import START, SimulationResult, run_many, simulate
from kohesi.simulate.scenario import (
    INTERVENTIONS,
    Intervention,
    Scenario,
    list_scenarios,
    load_scenario,
    parse_intervention,
)
from kohesi.simulate.schelling import SchellingResult, schelling

__all__ = [
    "simulate",
    "run_many",
    "SimulationResult",
    "SolidarityModel",
    "STATE_COLUMNS",
    "START",
    "Scenario",
    "Intervention",
    "INTERVENTIONS",
    "load_scenario",
    "list_scenarios",
    "parse_intervention",
    "parse_grid",
    "grid_points",
    "axelrod",
    "AxelrodResult",
    "count_regions",
    "schelling",
    "SchellingResult",
]
