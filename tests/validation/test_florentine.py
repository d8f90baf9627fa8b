"""Padgett's Florentine families: the Medici as brokers (Padgett & Ansell 1993).

Normalised betweenness of the Medici in the marriage network = 0.522, the highest of all families.
"""

import networkx as nx

from kohesi.measure import measure
from kohesi.measure.testing import events_table


def test_medici_are_the_top_broker():
    g = nx.florentine_families_graph()
    ev = events_table([{"actor": u, "target": v} for u, v in g.edges()])
    p = measure(ev, window=None, bootstrap=0)
    m = p.members.sort("broker_rank")
    top = m.row(0, named=True)
    assert top["member"] == "Medici"
    assert top["broker_rank"] == 1
    assert abs(top["betweenness"] - 0.522) < 0.001
    assert len(m) == 15
