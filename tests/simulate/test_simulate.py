"""The solidarity model: reproducibility, canonical events, state, invariants, process pool."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kohesi.events import EVENT_SCHEMA, KINDS, validate_events
from kohesi.simulate import (
    START,
    STATE_COLUMNS,
    SolidarityModel,
    load_scenario,
    run_many,
    simulate,
)


@pytest.fixture(scope="module")
def run():
    sc = load_scenario("kampung").replace(n_agents=120, mobility=0.01)
    return simulate(sc, 60, seed=3, interventions=["gotong-royong@7:weekly", "education@20"])


def test_same_seed_same_events_bit_for_bit(run):
    again = simulate(run.scenario, 60, seed=3, interventions=["gotong-royong@7:weekly", "education@20"])
    assert again.events.equals(run.events)
    assert again.state.equals(run.state)
    other = simulate(run.scenario, 60, seed=4, interventions=["gotong-royong@7:weekly", "education@20"])
    assert not other.events.equals(run.events)


def test_events_are_canonical(run):
    ev = run.events
    assert ev.schema.equals(EVENT_SCHEMA)
    validate_events(ev)
    kinds = set(ev.column("kind").to_pylist())
    assert kinds <= set(KINDS)
    assert {"join", "leave", "message", "activity"} <= kinds
    assert set(ev.column("group_id").to_pylist()) == {"sim-kampung-3"}
    ts = ev.column("ts").to_pylist()
    assert ts == sorted(ts)
    assert ts[0] >= START and ts[-1] < START + dt.timedelta(days=61)


def test_replies_answer_their_messages(run):
    df = pl.from_arrow(run.events)
    msgs = df.filter(pl.col("kind") == "message")
    assert msgs["reply_inferred"].to_list() == [False] * msgs.height
    assert msgs["target"].null_count() == 0
    replies = msgs.filter(pl.col("reply_to").is_not_null())
    assert 0 < replies.height < msgs.height
    joined = replies.join(msgs, left_on="reply_to", right_on="event_id", suffix="_parent")
    assert joined.height == replies.height
    assert (joined["actor"] == joined["target_parent"]).all()
    assert (joined["target"] == joined["actor_parent"]).all()
    assert (joined["ts"] > joined["ts_parent"]).all()
    assert set(msgs["subtype"].unique().to_list()) <= {"offline", "online", "encounter"}


def test_activities_are_tasks(run):
    df = pl.from_arrow(run.events).filter(pl.col("kind") == "activity")
    assert df.height > 0
    assert df["thread"].str.starts_with("task-").all()
    gr = df.filter(pl.col("subtype") == "gotong-royong")
    days = (gr["ts"].dt.date() - START.date()).dt.total_days().unique().sort().to_list()
    assert days and all((d - 7) % 7 == 0 for d in days)


def test_membership_is_consistent(run):
    df = pl.from_arrow(run.events).with_row_index("row")
    joins = df.filter(pl.col("kind") == "join")
    leaves = df.filter(pl.col("kind") == "leave")
    assert joins.filter(pl.col("subtype") == "founding").height == run.scenario.n_agents
    assert leaves.height > 0
    assert joins.height == run.scenario.n_agents + leaves.height
    first = df.group_by("actor").agg(pl.col("kind").sort_by("row").first())
    assert (first["kind"] == "join").all()
    after_leave = df.join(leaves.select("actor", pl.col("row").alias("left")), on="actor").filter(
        pl.col("row") > pl.col("left")
    )
    assert after_leave.height == 0
    present = set(run.members.column("actor").to_pylist())
    gone = set(leaves["actor"].to_list())
    assert not present & gone and len(present) == run.scenario.n_agents


def test_state_table(run):
    s = run.state
    assert s.height == 60 and s["step"].to_list() == list(range(60))
    assert s["date"][0] == START.date()
    for col in (*STATE_COLUMNS, "cooperation_rate", "solidarity", "contacts", "leavers"):
        assert col in s.columns
    assert s.filter(pl.col("gotong_royong"))["step"].to_list() == list(range(7, 60, 7))
    assert s["mean_trust"].is_between(0, 1).all() and s["solidarity"].is_between(0, 1).all()
    coop = s["cooperation_rate"].drop_nulls()
    assert coop.len() > 0 and coop.is_between(0, 1).all()


def test_event_budget_and_state_only():
    sc = load_scenario("kampung")
    r = simulate(sc, 30, seed=0, event_budget=50)
    per_day = (
        pl.from_arrow(r.events)
        .filter((pl.col("kind") == "message") & pl.col("reply_to").is_null())
        .group_by(pl.col("ts").dt.date()).len()
    )
    assert per_day["len"].max() < 150
    full = simulate(sc, 30, seed=0, event_budget=100_000)
    assert full.events.num_rows > 3 * r.events.num_rows
    bare = simulate(sc, 30, seed=0, events=False)
    assert bare.events.num_rows == 0 and bare.events.schema.equals(EVENT_SCHEMA)
    assert bare.state.equals(r.state)


def test_to_parquet_round_trip(run, tmp_path):
    paths = run.to_parquet(tmp_path / "kampung.parquet")
    assert [p.name for p in paths] == ["kampung.parquet", "kampung.state.parquet", "kampung.members.parquet"]
    back = pq.read_table(paths[0])
    assert back.num_rows == run.events.num_rows
    assert validate_events(back).equals(run.events)
    assert b"kohesi.simulate.seed" in back.schema.metadata
    assert pl.read_parquet(paths[1]).equals(run.state)


def test_run_many_matches_serial():
    sc = load_scenario("keluarga")
    pooled = run_many(sc, 20, seeds=[1, 2], interventions=["media@5"], processes=2)
    serial = [simulate(sc, 20, seed=s, interventions=["media@5"]) for s in (1, 2)]
    for a, b in zip(pooled, serial, strict=True):
        assert a.events.equals(b.events) and a.state.equals(b.state)


def _check_invariants(m: SolidarityModel) -> None:
    n, cap = m.nbr.shape
    for i in range(n):
        partners = [j for j in m.nbr[i] if j >= 0]
        assert len(partners) == len(set(partners)) and i not in partners
        for s in range(cap):
            j = m.nbr[i, s]
            if j < 0:
                continue
            r = m.rev[i, s]
            assert m.nbr[j, r] == i
            assert m.strength[i, s] == m.strength[j, r]
            assert m.online[i, s] == m.online[j, r]
    for arr in (m.strength, m.trust):
        assert np.all((arr >= 0) & (arr <= 1))
    for arr in (m.empathy, m.norm, m.indiv, m.expect):
        assert np.all((arr >= 0) & (arr <= 1))


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(["keluarga", "kampung", "kota", "organisasi", "komunitas-online"]),
    seed=st.integers(0, 1000),
    mobility=st.floats(0, 0.05),
    social_media=st.floats(0, 12),
    ivs=st.lists(st.sampled_from(["education@2", "gotong-royong@1:3", "public-spaces@0",
                                  "policy@4:2", "media@1:5", "leadership@3"]), max_size=3),
)
def test_model_invariants(name, seed, mobility, social_media, ivs):
    from kohesi.simulate.scenario import parse_intervention

    sc = load_scenario(name).replace(n_agents=60, n_communities=3, mobility=mobility,
                                     social_media=social_media)
    m = SolidarityModel(sc, seed, [parse_intervention(i) for i in ivs])
    _check_invariants(m)
    for _ in range(12):
        row = m.step()
        assert 0 <= row["solidarity"] <= 1
    _check_invariants(m)
    assert len(set(m.uid.tolist())) == sc.n_agents


def test_interventions_change_the_state():
    sc = load_scenario("kota").replace(n_agents=300)
    base = simulate(sc, 10, seed=1, events=False).state
    policy = simulate(sc, 10, seed=1, interventions=["policy@2"], events=False).state
    assert policy["resource_gini"][5] < 0.6 * base["resource_gini"][5]
    lead = simulate(sc, 10, seed=1, interventions=["leadership@2"], events=False).state
    assert lead["leaders"][5] >= base["leaders"][5] + sc.n_communities - 1
    edu = simulate(sc, 10, seed=1, interventions=["education@2"], events=False).state
    assert edu["mean_empathy"][5] > base["mean_empathy"][5] + 0.05
    assert pc.sum(pc.equal(simulate(sc, 3, 0).events.column("kind"), "join")).as_py() >= 300


def test_online_contacts_come_from_the_wider_circle():
    sc = load_scenario("kota").replace(n_agents=2000, n_communities=4, online_reach=100, mobility=0.02)
    m = SolidarityModel(sc, 5)
    for _ in range(5):
        m.step()
    i, s = np.nonzero(m.online & (m.nbr >= 0))
    assert i.size > 1000
    gap = np.abs(i - m.nbr[i, s])
    assert np.all(np.minimum(gap, sc.n_agents - gap) <= 50)
