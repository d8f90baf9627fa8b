"""Benchmark of kohesi.measure: the full profile of one large synthetic group, scaling with the
number of events, and igraph against networkx on the same per-window graphs.

    python bench/bench_measure.py                 # 10k, 100k, 1M events (200 replicates) + networkx ratios
    python bench/bench_measure.py --with-10m      # also 10M events (B = 20, 5 null samples, 2 jobs)
    python bench/bench_measure.py --only-10m

Each size runs in a fresh subprocess so peak memory (max RSS, including generating the events)
is that run's own. Times are wall-clock seconds on whatever machine runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

MEMBERS = 1000
DAYS = 365


def one(n_events: int, bootstrap: int, null_samples: int, n_jobs: int = 1) -> dict:
    from kohesi.measure import MeasureParams, measure
    from kohesi.measure.bootstrap import member_draws
    from kohesi.measure.catalogue import all_indicators
    from kohesi.measure.core import evaluate_window
    from kohesi.measure.frame import prepare
    from kohesi.measure.graphs import windows_from_prepared
    from kohesi.measure.testing import synthetic_events

    ev = synthetic_events(n_events, MEMBERS, days=DAYS, seed=1)
    params = MeasureParams(null_samples=null_samples)

    def cpu() -> float:
        a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime

    load0 = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), cpu()
    profile = measure(ev, window="7D", params=params, bootstrap=bootstrap, seed=0, n_jobs=n_jobs)
    total, cpu_s = time.perf_counter() - t0, cpu() - c0
    t1 = time.perf_counter()
    prep = prepare(ev, window="7D", params=params)
    t_prep = time.perf_counter() - t1
    t1 = time.perf_counter()
    wins = windows_from_prepared(prep, params)
    t_win = time.perf_counter() - t1
    t1 = time.perf_counter()
    draws = member_draws(len(prep.names), bootstrap, np.random.default_rng(0)).astype(np.float32)
    evaluate_window(wins[len(wins) // 2], all_indicators(), draws, 0, params)
    t_one = time.perf_counter() - t1
    return {
        "events": n_events,
        "bootstrap": bootstrap,
        "null_samples": null_samples,
        "jobs": n_jobs,
        "windows": len(profile.windows),
        "rows": len(profile.to_frame()),
        "seconds": total,
        "cpu_s": cpu_s,
        "load1": load0,
        "prepare_s": t_prep,
        "windows_s": t_win,
        "one_window_s": t_one,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def versus_networkx(n_events: int = 1_000_000, n_windows: int = 1) -> list[dict]:
    """igraph (as used by kohesi) against networkx on the same per-window graphs G_W."""
    import networkx as nx

    from kohesi.measure import MeasureParams
    from kohesi.measure.frame import prepare
    from kohesi.measure.graphs import windows_from_prepared
    from kohesi.measure.members import best_partition
    from kohesi.measure.testing import synthetic_events

    params = MeasureParams()
    ev = synthetic_events(n_events, MEMBERS, days=DAYS, seed=1)
    wins = windows_from_prepared(prepare(ev, window="7D", params=params), params)
    picked = wins[len(wins) // 2 : len(wins) // 2 + n_windows]
    _kohesi_rewire(picked[0].graph)  # load the compiled chain once, as a long run would have
    out = []
    for w in picked:
        g = w.graph
        s, d = w.conv_arcs
        h = nx.Graph()
        h.add_nodes_from(range(w.n))
        h.add_edges_from(zip(w.dyads.a[w.tie].tolist(), w.dyads.b[w.tie].tolist(), strict=True))
        dg = nx.DiGraph(list(zip(s.tolist(), d.tolist(), strict=True)))
        from kohesi.measure.graphs import make_graph

        ig_d = make_graph(w.n, s, d, directed=True)
        cases = _cases(g, h, ig_d, dg, best_partition)
        for name, f_ig, f_nx in cases:
            t = time.perf_counter()
            v_ig = f_ig()
            t_ig = time.perf_counter() - t
            t = time.perf_counter()
            v_nx = f_nx()
            t_nx = time.perf_counter() - t
            same = None
            if isinstance(v_ig, float | int) and isinstance(v_nx, float | int):
                same = abs(float(v_ig) - float(v_nx)) < (1e-9 if name != "modularity factions" else 0.02)
            out.append({"metric": name, "n": w.n, "m": int(w.tie.sum()), "igraph_s": t_ig, "networkx_s": t_nx,
                        "ratio": t_nx / max(t_ig, 1e-9), "agree": same})
    return out


def _cases(g, h, ig_d, dg, best_partition) -> list:  # noqa: ANN001
    import networkx as nx
    import numpy as np

    return [
        ("density", lambda: g.density(), lambda: nx.density(h)),
        ("transitivity", lambda: g.transitivity_undirected(), lambda: nx.transitivity(h)),
        ("mean clustering", lambda: g.transitivity_avglocal_undirected(mode="zero"), lambda: nx.average_clustering(h)),
        ("reciprocity", lambda: ig_d.reciprocity(), lambda: nx.overall_reciprocity(dg)),
        ("components", lambda: len(g.connected_components()), lambda: nx.number_connected_components(h)),
        ("global efficiency", lambda: float(np.mean(g.harmonic_centrality(normalized=True))), lambda: nx.global_efficiency(h)),
        ("betweenness", lambda: g.betweenness(), lambda: nx.betweenness_centrality(h)),
        ("modularity factions", lambda: best_partition(g, restarts=1)[1],
         lambda: nx.community.modularity(h, nx.community.louvain_communities(h, seed=0))),
        ("rewiring, 20 samples", lambda: _kohesi_rewire(g), lambda: _nx_rewire(h)),
    ]


def _kohesi_rewire(g) -> None:  # noqa: ANN001
    """The null model's chain: 2m proposals of burn-in, then m/2 before each of 20 samples."""
    import numpy as np

    from kohesi.measure.rewire import swap_chain

    el = np.asarray(g.get_edgelist(), dtype=np.int64)
    swap_chain(el[:, 0], el[:, 1], g.vcount(), 20, seed=0)


def _nx_rewire(h) -> None:  # noqa: ANN001
    """The same chain with networkx's double_edge_swap (copying each sample). networkx counts
    accepted swaps, kohesi proposals; on these sparse graphs nearly every proposal is accepted."""
    import networkx as nx

    m = h.number_of_edges()
    h = h.copy()
    nx.double_edge_swap(h, nswap=2 * m, max_tries=100 * m, seed=0)
    for k in range(20):
        nx.double_edge_swap(h, nswap=m // 2, max_tries=100 * m, seed=k + 1)
        h.copy()


def _child(args: list[str]) -> dict:
    res = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--one", nargs=4, type=int, metavar=("EVENTS", "BOOTSTRAP", "NULLS", "JOBS"))
    ap.add_argument("--nx", action="store_true")
    ap.add_argument("--with-10m", action="store_true")
    ap.add_argument("--only-10m", action="store_true")
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    a = ap.parse_args()
    if a.one:
        print(json.dumps(one(*a.one)))
        return
    if a.nx:
        print(json.dumps(versus_networkx()))
        return
    runs = [] if a.only_10m else [_child(["--one", str(n), "200", "10", "1"]) for n in a.sizes]
    if not a.only_10m and 1_000_000 in a.sizes:
        runs.append(_child(["--one", "1000000", "200", "10", "2"]))
    if a.with_10m or a.only_10m:
        runs.append(_child(["--one", "10000000", "20", "5", "2"]))
    print("\nFull profile, 1,000 members, one year, weekly windows (default MeasureParams)")
    print(f"{'events':>10} {'B':>4} {'nulls':>5} {'jobs':>4} {'windows':>7} {'total s':>8} {'prepare s':>9} "
          f"{'1 window s':>10} {'max RSS MB':>10} {'s / 1M ev':>9} {'CPU s':>7} {'load1':>5}")
    for r in runs:
        print(f"{r['events']:>10,} {r['bootstrap']:>4} {r['null_samples']:>5} {r['jobs']:>4} {r['windows']:>7} {r['seconds']:>8.2f} "
              f"{r['prepare_s']:>9.2f} {r['one_window_s']:>10.3f} {r['max_rss_mb']:>10.0f} "
              f"{r['seconds'] / r['events'] * 1e6:>9.2f} {r['cpu_s']:>7.1f} {r['load1']:>5.1f}")
    if a.only_10m:
        return
    vs = _child(["--nx"])
    print("\nPer-window graph metrics on the same G_W (1M-event group, middle week): kohesi (igraph,"
          " Numba) vs networkx")
    print(f"{'metric':<20} {'n':>5} {'m':>6} {'kohesi s':>9} {'networkx s':>10} {'ratio':>8} {'agree':>6}")
    for r in vs:
        print(f"{r['metric']:<20} {r['n']:>5} {r['m']:>6} {r['igraph_s']:>9.4f} {r['networkx_s']:>10.3f} "
              f"{r['ratio']:>8.0f} {str(r['agree']):>6}")


if __name__ == "__main__":
    main()
