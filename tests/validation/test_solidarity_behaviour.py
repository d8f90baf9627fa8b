"""Behaviour of the solidarity model against the seed articles' claims (docs/architecture.md).

Each claim is a comparison of two arms over at least 10 seeds: the difference of the arms'
means (over the last half of each run) must have a 95 % bootstrap interval that excludes 0 in
the claimed direction. The kampung scenario is the baseline.
"""

from __future__ import annotations

import numpy as np
import pytest

from kohesi.simulate import Scenario, load_scenario, simulate

STEPS = 150
SEEDS = range(12)
OUTCOMES = ("cooperation_rate", "mean_trust", "ties_per_member", "bridging_ties")


def _arm(scenario: Scenario, interventions=(), seeds=SEEDS) -> dict[str, np.ndarray]:
    out: dict[str, list[float]] = {k: [] for k in OUTCOMES}
    for seed in seeds:
        state = simulate(scenario, STEPS, seed, interventions, events=False).state
        tail = state.tail(STEPS // 2)
        for k in OUTCOMES:
            out[k].append(float(tail[k].mean()))
    return {k: np.array(v) for k, v in out.items()}


def _interval(a: np.ndarray, b: np.ndarray, n_boot: int = 4000) -> tuple[float, float, float]:
    """Difference of means b − a with a 95 % percentile bootstrap interval (resampling seeds)."""
    rng = np.random.default_rng(0)
    ia = rng.integers(0, a.size, (n_boot, a.size))
    ib = rng.integers(0, b.size, (n_boot, b.size))
    boot = b[ib].mean(axis=1) - a[ia].mean(axis=1)
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return float(b.mean() - a.mean()), float(lo), float(hi)


def _raises(a, b, outcome):
    diff, lo, hi = _interval(a[outcome], b[outcome])
    assert lo > 0, f"{outcome}: difference {diff:+.3f}, 95% interval [{lo:+.3f}, {hi:+.3f}]"


def _lowers(a, b, outcome):
    diff, lo, hi = _interval(a[outcome], b[outcome])
    assert hi < 0, f"{outcome}: difference {diff:+.3f}, 95% interval [{lo:+.3f}, {hi:+.3f}]"


@pytest.fixture(scope="module")
def kampung() -> Scenario:
    return load_scenario("kampung")


@pytest.fixture(scope="module")
def baseline(kampung) -> dict[str, np.ndarray]:
    return _arm(kampung)


def test_interaction_intensity_raises_cooperation_and_trust(kampung):
    low = _arm(kampung.replace(intensity=0.1))
    high = _arm(kampung.replace(intensity=0.5))
    _raises(low, high, "cooperation_rate")
    _raises(low, high, "mean_trust")


def test_shared_goal_raises_cooperation_and_trust(kampung):
    weak = _arm(kampung.replace(shared_goal=0.2))
    strong = _arm(kampung.replace(shared_goal=0.9))
    _raises(weak, strong, "cooperation_rate")
    _raises(weak, strong, "mean_trust")


def test_gotong_royong_raises_cooperation_and_trust(kampung, baseline):
    weekly = _arm(kampung, ["gotong-royong@10:weekly"])
    _raises(baseline, weekly, "cooperation_rate")
    _raises(baseline, weekly, "mean_trust")


def test_large_diverse_group_without_bridging_lowers_cooperation_and_trust(kampung, baseline):
    big = kampung.replace(n_agents=3000, diversity=0.6, within_diversity=0.25, bridging=0.0,
                          public_spaces=0.0)
    large = _arm(big, seeds=range(10))
    _lowers(baseline, large, "cooperation_rate")
    _lowers(baseline, large, "mean_trust")


def test_social_media_raises_ties_but_not_cooperation(kampung):
    """The 'illusion of solidarity' (the seed articles): more contacts, no more collective action."""
    offline = _arm(kampung.replace(social_media=0.0, capacity=20))
    online = _arm(kampung.replace(social_media=8.0, capacity=20))
    _raises(offline, online, "ties_per_member")
    diff, lo, hi = _interval(offline["cooperation_rate"], online["cooperation_rate"])
    assert hi < 0.02, f"cooperation gained {diff:+.3f} [{lo:+.3f}, {hi:+.3f}] from online contacts"


def test_public_spaces_build_bridges(kampung, baseline):
    """Public spaces: encounters across backgrounds add ties between communities."""
    parks = _arm(kampung, ["public-spaces@10"])
    _raises(baseline, parks, "bridging_ties")


def test_urbanisation_lowers_ties_cooperation_and_trust(kampung, baseline):
    """Urbanisation (the seed articles): mobility and fast tie decay leave fewer, shallower ties."""
    city = _arm(kampung.replace(mobility=0.01, tie_decay=0.04))
    _lowers(baseline, city, "ties_per_member")
    _lowers(baseline, city, "cooperation_rate")
    _lowers(baseline, city, "mean_trust")


def test_individualism_lowers_cooperation(kampung, baseline):
    """Individualism (the seed articles): personal goals before collective welfare."""
    _lowers(baseline, _arm(kampung.replace(individualism=0.6)), "cooperation_rate")
