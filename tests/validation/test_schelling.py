"""Reproduce Schelling (1971) segregation with Mesa's example parameters.

Density 0.8, two types 50/50, homophily 0.4 (share of like Moore neighbours): the segregation
index rises from about 0.50 to about 0.82 within about 10 steps, with nearly all agents happy.
"""

from __future__ import annotations

import numpy as np

from kohesi.simulate.schelling import schelling

SEEDS = range(30)


def test_mesa_example_anchor():
    runs = [schelling(side=20, steps=100, seed=s) for s in SEEDS]
    start = np.array([r.segregation[0] for r in runs])
    end = np.array([r.segregation[-1] for r in runs])
    at10 = np.array([r.segregation[min(10, r.steps)] for r in runs])
    happy = np.array([r.happy[-1] for r in runs])
    steps = np.array([r.steps for r in runs])
    se = lambda x: x.std(ddof=1) / np.sqrt(x.size)  # noqa: E731
    assert abs(start.mean() - 0.50) <= max(3 * se(start), 0.02)
    assert abs(end.mean() - 0.82) <= max(3 * se(end), 0.03)
    assert at10.mean() >= 0.78
    assert happy.mean() >= 0.99
    assert np.median(steps) <= 15


def test_no_preference_no_segregation():
    runs = [schelling(side=20, steps=20, seed=s, homophily=0.0) for s in range(10)]
    assert all(r.steps == 0 for r in runs)
    assert abs(np.mean([r.segregation[-1] for r in runs]) - 0.5) < 0.03


def test_conservation_and_reproducibility():
    a = schelling(side=30, steps=15, seed=7)
    b = schelling(side=30, steps=15, seed=7)
    assert np.array_equal(a.grid, b.grid) and np.array_equal(a.segregation, b.segregation)
    assert (a.grid >= 0).sum() == a.agents
    assert a.moves[1:].sum() > 0
