"""Many groups and sweeps: serial vs a local process pool vs Dask (2 workers), in one run.

Rows:

- ``measure``: :func:`kohesi.batch.measure_many` over a Hive-partitioned Parquet dataset
  (``group_id=<g>/part-0.parquet``) of synthetic groups (:func:`kohesi.measure.testing.synthetic_events`,
  a year, 40 members each), ``--bootstrap`` replicates; default 2,000 groups and 10M events.
- ``sweep``: :func:`kohesi.batch.sweep` of ``kampung`` over
  ``gotong_royong=0,weekly,monthly,daily`` × ``--runs / 4`` runs (200 runs by default).

Each (workload, executor) runs in its own subprocess (this script with ``--child``). The pool
or cluster is started and warmed first (imports, Numba cache) and that start-up is timed apart;
then the run is timed (speed-ups are given without and with start-up). Peak memory of the driver
(``VmHWM``) and of every worker process (``VmHWM`` of the child processes, sampled every 0.2 s
by a thread of the driver; for Dask the worker processes of the ``LocalCluster``) and the CPU
seconds each worker spent in the run (serial: the driver's). Results of
the three executors are checked to be identical. The load average is printed: on a shared
machine other processes take cores, and speed-ups fall with them.

Usage::

    python bench/bench_distributed.py                   # 2,000 groups / 10M events, 200-run sweep
    python bench/bench_distributed.py --small           # 100 groups / 500k events (same group size)
    python bench/bench_distributed.py --groups 400 --events 2000000 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXECUTORS = ("serial", "pool", "dask")


def _vm_hwm_mb(pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _cpu_s(pid: int | str = "self") -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


class _WorkerPeaks(threading.Thread):
    """Samples VmHWM and CPU time of this process's descendants (worker processes) until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, float] = {}
        self.cpu: dict[int, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for pid in _descendants(os.getpid()):
                try:
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
                except OSError:
                    continue
                if b"resource_tracker" in cmd or b"forkserver" in cmd:
                    continue
                mb = _vm_hwm_mb(pid)
                if mb == mb:
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), mb)
                cpu = _cpu_s(pid)
                if cpu == cpu:
                    self.cpu[pid] = cpu
            self.stop.wait(0.2)


def make_groups(folder: Path, groups: int, events: int) -> Path:
    """Write ``groups`` synthetic groups of ``events // groups`` events each (reused if present)."""
    import pyarrow.parquet as pq

    from kohesi.measure.testing import synthetic_events

    done = folder / "_complete"
    if done.exists():
        return folder
    per = events // groups
    for i in range(groups):
        part = folder / f"group_id=g{i:05d}"
        part.mkdir(parents=True, exist_ok=True)
        t = synthetic_events(per, 40, days=365, seed=i, group_id=f"g{i:05d}")
        pq.write_table(t.drop_columns(["group_id"]), part / "part-0.parquet")
    done.write_text(f"{groups} {events}\n")
    return folder


def _warm() -> int:
    """Import and compile what a unit needs (Numba cache, igraph), so start-up is timed apart."""
    from kohesi.measure import measure
    from kohesi.measure.testing import synthetic_events
    from kohesi.simulate import simulate

    measure(synthetic_events(200, 10, days=14), bootstrap=2)
    simulate("kampung", 5, 0, events=False)
    time.sleep(0.5)  # so that every worker gets one of the warm-up tasks
    return os.getpid()


def child(args: argparse.Namespace) -> None:
    from kohesi.batch import measure_many, sweep

    monitor = _WorkerPeaks()
    monitor.start()
    out = Path(args.out)
    t0 = time.perf_counter()
    scheduler, closers = None, []
    if args.executor == "serial":
        _warm()
    elif args.executor == "pool":
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        scheduler = ProcessPoolExecutor(max_workers=2, mp_context=mp.get_context("spawn"))
        assert len(set(scheduler.map(lambda_free_warm, range(2)))) >= 1
        closers.append(scheduler.shutdown)
    else:
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        scheduler = Client(cluster)
        scheduler.run(_warm)
        closers += [cluster.close, scheduler.close]
    startup = time.perf_counter() - t0
    cpu0 = {**monitor.cpu}
    driver_cpu0 = _cpu_s()
    t1 = time.perf_counter()
    kw = {"executor": args.executor, "scheduler": scheduler, "overwrite": True}
    if args.what == "measure":
        summary = measure_many(args.data, output=out, bootstrap=args.bootstrap, **kw)
    else:
        summary = sweep("kampung", "gotong_royong=0,weekly,monthly,daily", runs=args.runs // 4,
                        steps=args.steps, output=out, **kw)
    seconds = time.perf_counter() - t1
    driver_cpu = _cpu_s() - driver_cpu0
    time.sleep(0.3)
    monitor.stop.set()
    monitor.join()
    pids = sorted(monitor.peaks, key=lambda p: -monitor.peaks[p])[:2]
    workers = [monitor.peaks[p] for p in pids]
    worker_cpu = [monitor.cpu.get(p, 0.0) - cpu0.get(p, 0.0) for p in pids]
    if args.executor == "serial":
        workers, worker_cpu = [_vm_hwm_mb()], [driver_cpu]
    for close in reversed(closers):
        close()
    print(json.dumps({"startup": startup, "seconds": seconds, "driver_mb": _vm_hwm_mb(),
                      "workers_mb": workers, "workers_cpu": worker_cpu, "driver_cpu": driver_cpu,
                      "units": summary.total, "failed": summary.failed}))


def lambda_free_warm(_: int) -> int:
    return _warm()


def run_child(what: str, executor: str, a: argparse.Namespace, data: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", what, "--executor", executor, "--data", str(data),
           "--out", str(out), "--bootstrap", str(a.bootstrap), "--runs", str(a.runs), "--steps", str(a.steps)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"{what}/{executor} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", action="store_true", help="100 groups / 500k events (same group size)")
    ap.add_argument("--groups", type=int, default=2000)
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--bootstrap", type=int, default=20)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--steps", type=int, default=365)
    ap.add_argument("--only", choices=("measure", "sweep"))
    ap.add_argument("--data", default=None, help="dataset folder (default bench/data/groups-<G>x<E>)")
    ap.add_argument("--json", default=None)
    ap.add_argument("--child", choices=("measure", "sweep"), help=argparse.SUPPRESS)
    ap.add_argument("--executor", choices=EXECUTORS, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        a.what = a.child
        child(a)
        return
    if a.small:
        a.groups, a.events = 100, 500_000
    data = Path(a.data) if a.data else HERE / "data" / f"groups-{a.groups}x{a.events}"
    import polars as pl

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="kohesi-bench-") as tmp:
        for what in ("measure", "sweep"):
            if a.only and a.only != what:
                continue
            if what == "measure":
                t = time.perf_counter()
                make_groups(data, a.groups, a.events)
                print(f"data: {a.groups:,} groups, {a.events:,} events in {data} ({time.perf_counter() - t:.0f} s)")
                label = f"measure {a.groups:,} groups / {a.events:,} events, bootstrap {a.bootstrap}"
            else:
                label = f"sweep kampung, 4 points x {a.runs // 4} runs = {a.runs} runs of {a.steps} days"
            frames = {}
            for ex in EXECUTORS:
                out = Path(tmp) / f"{what}-{ex}.parquet"
                res = run_child(what, ex, a, data, out)
                results[f"{what}/{ex}"] = res
                frames[ex] = pl.read_parquet(out)
            keys = ["group_id"] if what == "measure" else ["point", "run"]
            same = all(frames[ex].sort(keys, maintain_order=True).equals(frames["serial"].sort(keys, maintain_order=True))
                       for ex in EXECUTORS)
            base = results[f"{what}/serial"]["seconds"]
            print(f"\n{label}   (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
                  f"results identical: {same})")
            print(f"{'executor':<22}{'start s':>8}{'run s':>8}{'speed-up':>10}{'incl. start':>12}"
                  f"{'driver MB':>10}   worker peak MB   worker CPU s")
            for ex, name in zip(EXECUTORS, ("serial", "process pool (2)", "Dask LocalCluster (2)"), strict=True):
                r = results[f"{what}/{ex}"]
                r["speedup"] = base / r["seconds"]
                r["speedup_with_startup"] = base / (r["seconds"] + r["startup"])
                r["identical"] = same
                print(f"{name:<22}{r['startup']:>8.1f}{r['seconds']:>8.1f}{r['speedup']:>9.2f}x"
                      f"{r['speedup_with_startup']:>11.2f}x{r['driver_mb']:>10.0f}   "
                      + ", ".join(f"{m:.0f}" for m in r["workers_mb"]).ljust(17)
                      + ", ".join(f"{c:.1f}" for c in r["workers_cpu"]))
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
