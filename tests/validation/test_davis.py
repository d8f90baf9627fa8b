"""Davis southern women: 18 women × 14 events, expressed as co-participation activities.

Davis, Gardner & Gardner 1941; Freeman 2003 (consensus of 21 methods: women 1–9 vs 10–18, with a
few boundary women — 8, 9 and 16 most often — varying by method).
"""

from datetime import UTC, datetime, timedelta

import networkx as nx
import numpy as np
import pyarrow as pa
import pytest

from kohesi.events import EVENT_SCHEMA
from kohesi.measure import measure
from kohesi.measure.frame import prepare
from kohesi.measure.members import whole_graph
from kohesi.measure.params import MeasureParams

BOUNDARY = {8, 9, 16}


@pytest.fixture(scope="module")
def davis():
    g = nx.davis_southern_women_graph()
    women = g.graph["top"]
    rows = [(w, e) for w in women for e in g[w]]
    t0 = datetime(1936, 1, 1, tzinfo=UTC)
    ev = pa.table(
        {
            "group_id": ["davis"] * len(rows),
            "event_id": [f"{i}" for i in range(len(rows))],
            "ts": [t0 + timedelta(minutes=i) for i in range(len(rows))],
            "actor": [w for w, _ in rows],
            "kind": ["activity"] * len(rows),
            "thread": [e for _, e in rows],
        }
    ).cast(pa.schema([EVENT_SCHEMA.field(c) for c in ("group_id", "event_id", "ts", "actor", "kind", "thread")]))
    number = {w: i + 1 for i, w in enumerate(women)}
    return ev, number, g


def test_projection_weights_are_shared_events(davis):
    ev, number, g = davis
    prep = prepare(ev, window=None, params=MeasureParams())
    gg = whole_graph(prep, MeasureParams())
    names = list(prep.names)
    for a, b in [("Evelyn Jefferson", "Laura Mandeville"), ("Evelyn Jefferson", "Nora Fayette")]:
        eid = gg.get_eid(names.index(a), names.index(b))
        assert gg.es[eid]["weight"] == len(set(g[a]) & set(g[b]))


def test_two_groups_recovered_up_to_boundary_women(davis):
    ev, number, _ = davis
    p = measure(ev, window=None, bootstrap=0)
    fac = dict(zip(p.factions.membership["member"], p.factions.membership["faction"], strict=True))
    assert p.factions.n_factions == 2
    first = np.bincount([fac[w] for w in fac if number[w] <= 7]).argmax()
    wrong = {number[w] for w in fac if (fac[w] == first) != (number[w] <= 9)}
    assert wrong <= BOUNDARY, wrong
    assert p.factions.modularity > 0


def test_within_group_ties_rank_above_cross_group_ties(davis):
    ev, number, _ = davis
    prep = prepare(ev, window=None, params=MeasureParams())
    gg = whole_graph(prep, MeasureParams())
    grp = np.array([number[m] <= 9 for m in prep.names])
    within, across = [], []
    for e in gg.es:
        a, b = e.tuple
        (within if grp[a] == grp[b] else across).append(e["weight"])
    within, across = np.array(within), np.array(across)
    auc = (within[:, None] > across[None, :]).mean() + 0.5 * (within[:, None] == across[None, :]).mean()
    assert within.mean() > 1.5 * across.mean()
    assert auc > 0.75
