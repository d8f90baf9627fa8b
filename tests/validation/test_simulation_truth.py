"""The simulation as ground truth: the measured index follows the model's own solidarity.

The solidarity model (:mod:`kohesi.simulate`) knows each agent's trust, expected reciprocity and
norms; its ``solidarity`` is their summary. Measuring the events it emits — the same canonical
events a chat gives — must rank runs as that summary does, across scenarios, seeds and
interventions, and an intervention that raises the model's solidarity must raise the measured
index, seed for seed. Runs are 12 weeks; the city scenario is scaled to 1,000 agents to keep the
test quick (its other parameters unchanged).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl
import pytest
from scipy.stats import spearmanr

from kohesi.measure import MeasureParams, measure
from kohesi.simulate import load_scenario, simulate

STEPS = 84
PARAMS = MeasureParams(null_samples=5)
SCENARIOS = ("keluarga", "kampung", "organisasi", "komunitas-online", "kota")
ARMS = ((), ("gotong-royong@0:weekly",))


def _scenario(name: str):
    sc = load_scenario(name)
    return sc.replace(n_agents=1000) if name == "kota" else sc


@cache
def run(name: str, seed: int, arm: tuple[str, ...]) -> tuple[float, float]:
    """(model solidarity over the second half, measured whole-period index)."""
    r = simulate(_scenario(name), STEPS, seed, list(arm))
    p = measure(r.events, members=r.members, bootstrap=0, params=PARAMS)
    assert p.verdict["given"], (name, seed, arm, p.verdict["reasons"])
    idx = p.index.filter(pl.col("window") == "all").get_column("value")[0]
    return float(r.state.tail(STEPS // 2)["solidarity"].mean()), float(idx)


def test_measured_index_ranks_runs_like_the_models_solidarity():
    pairs = [run(s, seed, arm) for s in SCENARIOS for arm in ARMS for seed in (0, 1)]
    sol, idx = np.array(pairs).T
    rho = spearmanr(sol, idx).statistic
    assert rho >= 0.5, (rho, pairs)


@pytest.mark.parametrize("scenario", ["kampung"])
def test_gotong_royong_raises_solidarity_and_the_measured_index(scenario):
    ups = []
    for seed in range(6):
        base, weekly = run(scenario, seed, ARMS[0]), run(scenario, seed, ARMS[1])
        assert weekly[0] > base[0], "the model's own solidarity should rise"
        ups.append(weekly[1] > base[1])
    assert sum(ups) >= 5, ups
