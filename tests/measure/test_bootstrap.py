import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kohesi.measure.bootstrap import block_indices, block_means, member_draws, percentile_interval
from kohesi.measure.catalogue import all_indicators


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 60), st.integers(1, 20), st.integers(0, 10**6))
def test_member_draws_sum_to_n(n, b, seed):
    c = member_draws(n, b, np.random.default_rng(seed))
    assert c.shape == (b, n)
    assert (c.sum(axis=1) == n).all() and (c >= 0).all()


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 40), st.integers(1, 8), st.integers(0, 10**6))
def test_blocks_are_consecutive_runs(t, length, seed):
    idx = block_indices(t, 5, length, np.random.default_rng(seed))
    assert idx.shape == (5, t) and idx.min() >= 0 and idx.max() < t
    length = min(length, t)
    starts = idx[:, ::length]
    for k in range(1, length):
        seg = idx[:, k::length]
        np.testing.assert_array_equal(seg, starts[:, : seg.shape[1]] + k)


def test_block_bootstrap_interval_of_iid_series_covers_mean():
    rng = np.random.default_rng(0)
    hits = 0
    for s in range(100):
        x = rng.normal(0.3, 1.0, size=52)
        lo, hi = percentile_interval(block_means(x, 400, np.random.default_rng(s)))
        hits += lo <= 0.3 <= hi
    assert 85 <= hits <= 100


def test_percentile_interval_needs_enough_replicates():
    assert np.isnan(percentile_interval(np.array([1.0, 2.0]))[0])


def test_no_member_bootstrap_for_connectivity_indicators():
    names = {i.name for i in all_indicators() if not i.bootstrap}
    assert {"structural_cohesion", "embeddedness", "burstiness"} <= names
