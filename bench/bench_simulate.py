"""Benchmark the simulation laboratory against Mesa 3, side by side in one run.

Rows:

- Axelrod (1997) culture model, F=5, q=15: events per second, kohesi (Numba) vs Mesa, at each
  side (the territory is far from absorbing during the timed events);
- Schelling (1971) segregation, Mesa's example parameters: agent-steps per second over the first
  ``--schelling-steps`` steps, kohesi vs Mesa;
- the solidarity model (scenario ``kota``, communities of 300, state only): seconds for
  ``--steps`` steps at each population size, nanoseconds per agent-step.

Every measurement runs in its own subprocess (this script with ``--child``) so that peak memory
(``VmHWM``, the child's own high-water mark, interpreter and imports included) is that
implementation's alone; timings are the median of ``--repeats`` runs after one untimed warm-up
(Numba compilation or cache load, Mesa's lazy neighbourhoods). Rates are per CPU-second of the
measuring process, so that other load on a shared machine does not distort them; wall-clock
rates are kept beside them. Mesa rows need ``import mesa`` to work in this interpreter (Mesa 3.5 needs
Python >= 3.12); without it they are skipped.

Usage::

    python bench/bench_simulate.py                 # sides 50 100 200; 10k 100k 1M agents
    python bench/bench_simulate.py --quick         # small sizes, seconds
    /tmp/mesa312/bin/python bench/bench_simulate.py --json results.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _peak_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def _median_time(fn, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeats`` calls."""
    wall, cpu = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def _rates(work: float, unit: str, times: tuple[float, float], **extra: float) -> dict:
    wall, cpu = times
    return {"rate": work / cpu, "wall_rate": work / wall, "unit": unit, "cpu_s": cpu, "wall_s": wall, **extra}


def child_axelrod_kohesi(side: int, events: int, repeats: int) -> dict:
    from kohesi.simulate.axelrod import axelrod_events

    axelrod_events(side, 5, 15, 1000, seed=0)
    done = []
    times = _median_time(lambda: done.append(axelrod_events(side, 5, 15, events, seed=len(done))[0]), repeats)
    assert min(done) == events, "territory reached its absorbing state during the timed events"
    return _rates(events, "events/s", times)


def child_axelrod_mesa(side: int, events: int, repeats: int) -> dict:
    sys.path.insert(0, str(HERE))
    from mesa_models import AxelrodModel

    t0 = time.perf_counter()
    model = AxelrodModel(side, 5, 15, rng=0)
    setup = time.perf_counter() - t0
    model.step()
    times = _median_time(lambda: model.run_events(events), repeats)
    return _rates(events, "events/s", times, setup_s=setup)


def child_schelling_kohesi(side: int, steps: int, repeats: int) -> dict:
    from kohesi.simulate.schelling import schelling

    schelling(side=10, steps=2, seed=0)
    batch = max(1, int(2e6 / (0.8 * side * side * steps)))
    agents = []

    def run() -> None:
        for _ in range(batch):
            agents.append(schelling(side=side, steps=steps, seed=len(agents), stop_when_happy=False).agents)

    wall, cpu = _median_time(run, repeats)
    work = sum(agents[-batch:]) * steps
    return _rates(work, "agent-steps/s", (wall, cpu), agents=agents[-1], runs_per_timing=batch)


def child_schelling_mesa(side: int, steps: int, repeats: int) -> dict:
    sys.path.insert(0, str(HERE))
    from mesa_models import SchellingModel

    SchellingModel(10, rng=0).step()
    agents = []

    def run() -> None:
        model = SchellingModel(side, rng=len(agents))
        agents.append(len(model.agents))
        for _ in range(steps):
            model.step()

    times = _median_time(run, repeats)
    return _rates(agents[-1] * steps, "agent-steps/s", times, agents=agents[-1])


def child_solidarity(n: int, steps: int, repeats: int) -> dict:
    from kohesi.simulate import load_scenario, simulate

    kota = load_scenario("kota")
    simulate(kota.replace(n_agents=600, n_communities=2), 2, seed=0, events=False)
    sc = kota.replace(n_agents=n, n_communities=max(1, n // 300))
    times = _median_time(lambda: simulate(sc, steps, seed=1, events=False), repeats)
    return _rates(n * steps, "agent-steps/s", times, ns_per_agent_step=times[1] / (n * steps) * 1e9)


CHILDREN = {
    "axelrod-kohesi": child_axelrod_kohesi,
    "axelrod-mesa": child_axelrod_mesa,
    "schelling-kohesi": child_schelling_kohesi,
    "schelling-mesa": child_schelling_mesa,
    "solidarity-kohesi": child_solidarity,
}


def _run_child(name: str, size: int, work: int, repeats: int, timeout: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, str(size), str(work), str(repeats)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _mesa_available() -> str | None:
    try:
        import mesa
    except Exception:  # noqa: BLE001
        return None
    return mesa.__version__


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--child", nargs=4, metavar=("NAME", "SIZE", "WORK", "REPEATS"), help=argparse.SUPPRESS)
    p.add_argument("--sides", type=int, nargs="+", default=[50, 100, 200])
    p.add_argument("--agents", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    p.add_argument("--steps", type=int, default=100, help="solidarity-model steps")
    p.add_argument("--schelling-steps", type=int, default=10)
    p.add_argument("--mesa-events", type=int, default=200_000)
    p.add_argument("--kohesi-events", type=int, default=20_000_000)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--models", nargs="+", choices=["axelrod", "schelling", "solidarity"],
                   default=["axelrod", "schelling", "solidarity"])
    p.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    p.add_argument("--json", type=Path, help="also write the rows as JSON")
    p.add_argument("--timeout", type=float, default=900.0, help="per child, seconds")
    args = p.parse_args(argv)

    if args.child:
        name, size, work, repeats = args.child
        result = CHILDREN[name](int(size), int(work), int(repeats))
        result["peak_mb"] = _peak_mb()
        print(json.dumps(result))
        return 0

    if args.quick:
        args.sides, args.agents, args.steps = [20, 50], [2_000, 20_000], 20
        args.mesa_events, args.kohesi_events, args.repeats = 20_000, 1_000_000, 1
    mesa_version = _mesa_available()
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}, "
          f"mesa {mesa_version or 'not importable: Mesa rows skipped'}")
    rows = []

    def row(model: str, size: int, kohesi: dict, mesa: dict | None) -> None:
        both = mesa and "rate" in mesa and "rate" in kohesi
        ratio = kohesi["rate"] / mesa["rate"] if both else None
        wall_ratio = kohesi["wall_rate"] / mesa["wall_rate"] if both else None
        rows.append({"model": model, "size": size, "kohesi": kohesi, "mesa": mesa,
                     "ratio": ratio, "wall_ratio": wall_ratio})
        unit = kohesi.get("unit", "")

        def fmt(r: dict | None) -> str:
            if r is None:
                return f"{'-':>14} {'-':>8}"
            if "error" in r:
                return f"{r['error'][:23]:>23}"
            return f"{r['rate']:>14,.0f} {r['peak_mb']:>7.0f}M"

        ratio_s = f"{ratio:>7.0f}x {wall_ratio:>7.0f}x" if ratio else f"{'-':>8} {'-':>8}"
        print(f"{model:<11} {size:>9,} {fmt(kohesi)} {fmt(mesa)} {ratio_s}  {unit}", flush=True)

    print("rates per CPU-second of the measuring process (wall-clock ratio beside it); peak = VmHWM")
    print(f"{'model':<11} {'size':>9} {'kohesi rate':>14} {'peak':>8} {'mesa rate':>14} {'peak':>8} "
          f"{'ratio':>8} {'wall':>8}")
    for side in args.sides if "axelrod" in args.models else []:
        k = _run_child("axelrod-kohesi", side, args.kohesi_events, args.repeats, args.timeout)
        m = _run_child("axelrod-mesa", side, args.mesa_events, args.repeats, args.timeout) if mesa_version else None
        row("axelrod", side, k, m)
    for side in args.sides if "schelling" in args.models else []:
        k = _run_child("schelling-kohesi", side, args.schelling_steps, max(args.repeats, 5), args.timeout)
        m = _run_child("schelling-mesa", side, args.schelling_steps, args.repeats, args.timeout) if mesa_version else None
        row("schelling", side, k, m)
    for n in args.agents if "solidarity" in args.models else []:
        k = _run_child("solidarity-kohesi", n, args.steps, 1, args.timeout)
        row("solidarity", n, k, None)
        if "cpu_s" in k:
            print(f"{'':<11} {'':>9} {args.steps} steps: {k['cpu_s']:.1f} s CPU, {k['wall_s']:.1f} s wall, "
                  f"{k['ns_per_agent_step']:.0f} ns CPU per agent-step")
    if args.json:
        args.json.write_text(json.dumps({"python": platform.python_version(), "mesa": mesa_version,
                                         "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
