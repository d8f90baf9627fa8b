import json
import math

import numpy as np
import polars as pl
import pytest

from kohesi.measure import ASPECTS, MeasureParams, change, measure
from kohesi.measure.catalogue import all_indicators
from kohesi.measure.profile import ROW_SCHEMA
from kohesi.measure.testing import events_table, synthetic_events


@pytest.fixture(scope="module")
def profile():
    ev = synthetic_events(3000, 30, days=42, seed=3)
    return measure(ev, window="7D", params=MeasureParams(null_samples=10), bootstrap=40, seed=1)


def test_tidy_rows(profile):
    df = profile.to_frame()
    assert df.schema == pl.Schema(ROW_SCHEMA)
    n_ind = len(all_indicators())
    assert len(df) == n_ind * (len(profile.windows) + 1)
    assert len(profile.windows) == 6
    assert df.filter(~pl.col("available")).get_column("value").is_nan().all()


def test_seeded_runs_are_identical(profile):
    ev = synthetic_events(3000, 30, days=42, seed=3)
    again = measure(ev, window="7D", params=MeasureParams(null_samples=10), bootstrap=40, seed=1)
    assert profile.to_frame().equals(again.to_frame())
    assert profile.scores.equals(again.scores)
    other = measure(ev, window="7D", params=MeasureParams(null_samples=10), bootstrap=40, seed=2)
    assert not profile.to_frame().equals(other.to_frame())


def test_intervals_bracket_their_estimates(profile):
    df = profile.to_frame().filter(pl.col("lo").is_not_nan() & (pl.col("window") != "all"))
    assert len(df) > 100
    inside = ((df["lo"] <= df["value"] + 1e-9) & (df["value"] <= df["hi"] + 1e-9)).mean()
    assert inside > 0.95
    assert (df["lo"] <= df["hi"]).all()


def test_aggregates(profile):
    a = profile.aspects.filter(pl.col("window") != "all")
    assert set(a.get_column("aspect")) == set(ASPECTS)
    assert a.get_column("value").is_between(0, 1).all()
    idx = profile.index.filter(pl.col("window") != "all")
    assert len(idx) == 6
    assert idx.get_column("value").is_not_nan().sum() >= 4
    for wlabel, v in zip(idx["window"], idx["value"], strict=True):
        s = a.filter(pl.col("window") == wlabel).get_column("value").to_numpy()
        if np.isfinite(v):
            assert v == pytest.approx(np.exp(np.log(np.maximum(s, 0.01)).mean()))
        else:  # no index without every aspect's evidence
            assert not np.isfinite(s).all() or not idx.filter(pl.col("window") == wlabel)["enough"][0]
    assert set(profile.stages.get_column("stage")) >= {"interaction", "communication", "cooperation"}


def test_aspect_is_mean_of_its_indicator_scores(profile):
    from kohesi.measure.catalogue import get

    w = profile.windows[1]
    rows = profile.to_frame().filter(pl.col("window") == w)
    val = dict(zip(rows["indicator"], rows["value"], strict=True))
    scores = [float(get(n).score(np.array([val[n]]))[0]) for n in
              ("participation_rate", "activity_equality", "newcomer_inclusion", "contributor_spread", "coverage",
               "activity_participation")]
    scores = [s for s in scores if not math.isnan(s)]
    got = profile.aspects.filter((pl.col("window") == w) & (pl.col("aspect") == "inclusion"))["value"][0]
    assert got == pytest.approx(np.mean(scores))


def test_weights_are_swappable():
    ev = synthetic_events(2000, 20, days=14, seed=5)
    only = {a: 0.0 for a in ASPECTS} | {"inclusion": 1.0}
    p = measure(ev, window=None, params=MeasureParams(aspect_weights=only), bootstrap=0)
    inc = p.aspects.filter((pl.col("aspect") == "inclusion") & (pl.col("window") != "all"))["value"][0]
    assert p.index["value"][0] == pytest.approx(inc)
    ar = measure(ev, window=None, params=MeasureParams(index_method="arithmetic"), bootstrap=0)
    s = ar.aspects.filter(pl.col("window") != "all")["value"].to_numpy()
    assert ar.index["value"][0] == pytest.approx(s.mean())


def test_json_round_trip(profile):
    doc = json.loads(profile.to_json())
    assert doc["schema"] == "kohesi.profile/2"
    assert doc["meta"]["verdict"]["given"] in (True, False)
    assert len(doc["indicators"]) == len(profile.to_frame())
    assert doc["params"]["response_window_h"] == 24.0


def test_members_view(profile):
    m = profile.members
    ev = synthetic_events(3000, 30, days=42, seed=3)
    kinds = ev.column("kind").to_pylist()
    assert m.get_column("posts").sum() == sum(k in ("message", "media") for k in kinds)
    assert set(m.columns) >= {"member", "posts", "attention_received", "betweenness", "faction", "isolated",
                              "tenure_days", "retention", "broker_rank"}
    assert m.get_column("betweenness").is_between(0, 1).all()
    assert m.get_column("post_share").sum() == pytest.approx(1.0)


def test_change_detects_a_drop_in_density():
    members = [f"m{k}" for k in range(8)]
    rows = []
    for week in range(8):
        if week < 4:
            pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
        else:
            pairs = [(members[k], members[(k + 1) % 8]) for k in range(8)]
        rows += [{"actor": a, "target": b, "t": week * 7 * 1440 + j} for j, (a, b) in enumerate(pairs)]
    p = measure(events_table(rows), window="7D", anchor="start", bootstrap=100, indicators=["density"])
    dens = p.to_frame().filter(pl.col("window") != "all").get_column("value").to_list()
    assert dens == pytest.approx([1.0] * 4 + [8 / 28] * 4)
    ch = change(p, "2024-01-29", bootstrap=500)
    d = ch.filter((pl.col("kind") == "indicator") & (pl.col("name") == "density")).row(0, named=True)
    # the last week is observed only for its first minutes: a partial window, left out
    assert d["n_before"] == 4 and d["n_after"] == 3
    assert d["delta"] == pytest.approx(8 / 28 - 1.0)
    assert d["hi"] < 0


def test_parallel_windows_give_identical_results(monkeypatch):
    import kohesi.measure.core as core

    monkeypatch.setattr(core, "_PARALLEL_MIN_EVENTS", 0)
    ev = synthetic_events(2000, 20, days=28, seed=9)
    one = measure(ev, window="7D", params=MeasureParams(null_samples=5), bootstrap=20, seed=4)
    assert core._workers(2, core.prepare(ev, window="7D"), 4) == 2
    two = measure(ev, window="7D", params=MeasureParams(null_samples=5), bootstrap=20, seed=4, n_jobs=2)
    assert one.to_frame().equals(two.to_frame())
    assert one.scores.equals(two.scores)
    assert one.members.equals(two.members)
    assert not core._FORKED


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_progress_counts_windows_up_to_the_total(monkeypatch, n_jobs):
    import kohesi.measure.core as core

    monkeypatch.setattr(core, "_PARALLEL_MIN_EVENTS", 0)
    ev = synthetic_events(2000, 20, days=28, seed=9)
    calls: list[tuple[int, int]] = []
    p = measure(ev, window="7D", params=MeasureParams(null_samples=5), bootstrap=10, seed=4, n_jobs=n_jobs,
                progress=lambda done, total: calls.append((done, total)))
    n = p.meta["n_windows"]
    assert n >= 4
    assert calls == [(i, n) for i in range(n + 1)]  # (0, n) first, then one more per window
    quiet = measure(ev, window="7D", params=MeasureParams(null_samples=5), bootstrap=10, seed=4, n_jobs=n_jobs)
    assert quiet.to_frame().equals(p.to_frame())
