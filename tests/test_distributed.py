"""Many groups and sweeps: serial, process pool and Dask give identical tables; resume; errors.

The Dask tests start a real ``distributed.LocalCluster`` (2 single-threaded worker processes on
127.0.0.1) and, once, a scheduler and two workers as separate processes, as on a real cluster.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kohesi.batch import measure_many, stable_hash, sweep, unit_seed
from kohesi.errors import KohesiError
from kohesi.measure import measure
from kohesi.measure.testing import synthetic_events
from kohesi.simulate import parse_grid

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GRID = "gotong_royong=0,weekly;individualism=0.2:0.8:3"
N_GROUPS = 6

try:
    import distributed  # noqa: F401

    HAVE_DASK = True
except ImportError:  # pragma: no cover - depends on the environment
    HAVE_DASK = False
needs_dask = pytest.mark.skipif(not HAVE_DASK, reason='Dask not installed: pip install "dask[distributed]"')


def _groups(n: int = N_GROUPS, events: int = 300) -> pa.Table:
    return pa.concat_tables([synthetic_events(events, 12, days=21, seed=i, group_id=f"g{i}") for i in range(n)])


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("groups")
    table = _groups()
    pq.write_to_dataset(table, root / "hive", partition_cols=["group_id"])
    pq.write_table(table, root / "all.parquet")
    return {"root": root, "hive": root / "hive", "file": root / "all.parquet"}


@pytest.fixture(scope="module")
def serial(data) -> dict[str, pl.DataFrame]:
    out = data["root"] / "serial"
    out.mkdir()
    m = measure_many(data["hive"], output=out / "m.parquet", bootstrap=10)
    s = sweep("kampung", GRID, runs=2, steps=40, output=out / "s.parquet")
    assert m.failed == 0 and s.failed == 0
    return {"measure": m.frame(), "sweep": s.frame()}


def _same(a: pl.DataFrame, b: pl.DataFrame, keys: list[str]) -> None:
    assert a.columns == b.columns
    assert a.sort(keys, maintain_order=True).equals(b.sort(keys, maintain_order=True))


# ------------------------------------------------------------------------------ plain functions


def test_parse_grid_values_and_errors():
    g = parse_grid("gotong_royong=0,weekly,monthly;individualism=0.2:0.8:4")
    assert g == {"gotong_royong": [0, "weekly", "monthly"], "individualism": [0.2, 0.4, 0.6, 0.8]}
    assert parse_grid(" n_agents = 50, 100 ") == {"n_agents": [50, 100]}
    for bad, msg in [("", "empty"), ("individualism", "no '='"), ("x=1;x=2", "twice"),
                     ("individualism=0.2:0.8", "cannot read range"), ("a=1,,2", "empty value"),
                     ("1x=2", "not a parameter name")]:
        with pytest.raises(ValueError, match=msg):
            parse_grid(bad)


def test_sweep_rejects_unknown_and_out_of_range_parameters(tmp_path):
    with pytest.raises(ValueError, match="unknown grid parameter 'trustiness'"):
        sweep("kampung", "trustiness=1,2", runs=1, steps=5, output=tmp_path / "s.parquet")
    with pytest.raises(ValueError, match="individualism must lie in"):
        sweep("kampung", "individualism=0.5,1.5", runs=1, steps=5, output=tmp_path / "s.parquet")
    with pytest.raises(ValueError, match="gotong-royong='fortnightly'"):
        sweep("kampung", "gotong_royong=fortnightly", runs=1, steps=5, output=tmp_path / "s.parquet")
    with pytest.raises(ValueError, match="whole number"):
        sweep("kampung", "n_agents=50.5", runs=1, steps=5, output=tmp_path / "s.parquet")


def test_unit_seed_depends_on_seed_and_key_only():
    assert unit_seed(0, "g1") == unit_seed(0, "g1") != unit_seed(0, "g2")
    assert stable_hash("g1") == 0x0 + stable_hash("g1") and 0 <= unit_seed(5, "x") < 2**32


def test_measure_many_rows_are_measure_of_each_group(data, serial):
    m = serial["measure"]
    assert m.get_column("group_id").unique().sort().to_list() == [f"g{i}" for i in range(N_GROUPS)]
    one = synthetic_events(300, 12, days=21, seed=3, group_id="g3")
    expect = measure(one, window="7D", bootstrap=10, seed=unit_seed(0, "g3")).to_frame()
    got = m.filter(pl.col("group_id") == "g3")
    assert got.get_column("seed").unique().to_list() == [unit_seed(0, "g3")]
    assert got.drop("group_id", "seed").equals(expect)


def test_sources_parquet_file_and_exports_and_store(data, serial, tmp_path, monkeypatch):
    m = measure_many(data["file"], output=tmp_path / "f.parquet", bootstrap=10)
    _same(m.frame(), serial["measure"], ["group_id"])
    monkeypatch.setenv("KOHESI_HOME", str(tmp_path))
    folder = tmp_path / "exports"
    folder.mkdir()
    for f in EXAMPLES.glob("*.txt"):
        shutil.copy(f, folder / f.name)
    ex = measure_many(folder, output=tmp_path / "e.parquet", bootstrap=5, tz="Asia/Jakarta")
    assert ex.failed == 0 and ex.computed == 2
    assert set(ex.frame().get_column("group_id").unique()) == {f.name for f in folder.iterdir()}

    import kohesi
    from kohesi.store import Store

    with Store(tmp_path / "k.duckdb") as st:
        for i, f in enumerate(sorted(folder.iterdir())):
            st.add(kohesi.read(f, group=f"rt{i}", tz="Asia/Jakarta", salt=st.salt))
    sm = measure_many(tmp_path / "k.duckdb", output=tmp_path / "st.parquet", bootstrap=5)
    assert sm.failed == 0 and sorted(sm.frame().get_column("group_id").unique()) == ["rt0", "rt1"]


def test_pool_equals_serial(data, serial, tmp_path):
    m = measure_many(data["hive"], output=tmp_path / "m.parquet", executor="pool", workers=2, bootstrap=10)
    s = sweep("kampung", GRID, runs=2, steps=40, output=tmp_path / "s.parquet", executor="pool", workers=2)
    _same(m.frame(), serial["measure"], ["group_id"])
    _same(s.frame(), serial["sweep"], ["point", "run"])
    assert s.frame().height == 2 * 3 * 2 and not (tmp_path / "s.parquet.parts").exists()


def test_sweep_packs_short_runs_into_few_tasks(serial, tmp_path, monkeypatch):
    import kohesi.batch.executors as ex
    import kohesi.batch.run as run

    monkeypatch.setattr(run, "_SWEEP_TASKS_PER_WORKER", 1)
    packs = []
    real = ex._run_pack

    def spy(fn, pack):
        packs.append(len(pack))
        return real(fn, pack)

    monkeypatch.setattr(ex, "_run_pack", spy)
    done = []
    s = sweep("kampung", GRID, runs=2, steps=40, output=tmp_path / "s.parquet", executor="pool",
              scheduler=ThreadPoolExecutor(2), workers=2,
              on_done=lambda key, ok, *_: done.append((key, ok)))
    assert packs == [6, 6]  # 12 runs, 2 workers, one task per worker
    assert sorted(done) == sorted((f"{p}:{r}", True) for p in range(6) for r in range(2))
    _same(s.frame(), serial["sweep"], ["point", "run"])


def test_a_failed_pack_fails_each_of_its_units():
    import kohesi.batch.executors as ex
    from kohesi.batch.units import sweep_unit

    got = []
    fn, tasks, unpack = ex._packed(sweep_unit, [(f"u{i}", ()) for i in range(5)],
                                   lambda *r: got.append(r), n_tasks=2)
    assert fn is ex._run_pack and [len(t[1][1]) for t in tasks] == [3, 2]
    unpack(tasks[1][0], None, "worker died")
    assert got == [("u3", None, "worker died"), ("u4", None, "worker died")]


def test_sweep_rows(serial):
    s = serial["sweep"]
    assert s.columns[:6] == ["point", "run", "seed", "gotong_royong", "individualism", "steps"]
    assert s.get_column("gotong_royong").to_list()[:6] == ["0"] * 6
    assert s.get_column("seed").to_list()[:2] == [0, 1]
    assert s.select(pl.all().is_null().any()).row(0) == (False,) * s.width


def test_resume_after_a_partial_run(data, serial, tmp_path):
    out = tmp_path / "m.parquet"
    seen = []

    def stop_after_three(key, ok, finished, total):
        seen.append(key)
        if finished == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        measure_many(data["hive"], output=out, bootstrap=10, on_done=stop_after_three)
    assert not out.exists() and len(list((tmp_path / "m.parquet.parts").glob("part-*.parquet"))) == 3
    again = measure_many(data["hive"], output=out, bootstrap=10, on_done=lambda k, *_: seen.append(k))
    assert (again.resumed, again.computed) == (3, N_GROUPS - 3)
    assert sorted(seen) == sorted(f"g{i}" for i in range(N_GROUPS))  # nothing measured twice
    _same(again.frame(), serial["measure"], ["group_id"])
    third = measure_many(data["hive"], output=out, bootstrap=10)  # complete output: nothing to do
    assert (third.resumed, third.computed) == (N_GROUPS, 0)
    _same(third.frame(), serial["measure"], ["group_id"])
    with pytest.raises(KohesiError, match="other settings"):
        measure_many(data["hive"], output=out, bootstrap=11)
    assert measure_many(data["hive"], output=out, bootstrap=11, overwrite=True).computed == N_GROUPS


def test_resume_into_a_complete_output_with_a_new_group(data, serial, tmp_path):
    hive, out = tmp_path / "hive", tmp_path / "m.parquet"
    shutil.copytree(data["hive"], hive)

    def stop(key, ok, finished, total):
        if finished == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        measure_many(hive, output=out, bootstrap=10, on_done=stop)
    _same(measure_many(hive, output=out, bootstrap=10).frame(), serial["measure"], ["group_id"])
    pq.write_to_dataset(synthetic_events(200, 8, days=14, seed=99, group_id="new"), hive, partition_cols=["group_id"])
    r = measure_many(hive, output=out, bootstrap=10)
    assert (r.resumed, r.computed) == (N_GROUPS, 1)
    got = r.frame()
    assert got.get_column("group_id").unique(maintain_order=True).to_list() == sorted(
        [f"g{i}" for i in range(N_GROUPS)] + ["new"])
    _same(got.filter(pl.col("group_id") != "new"), serial["measure"], ["group_id"])


def test_sweep_resumes(serial, tmp_path):
    out = tmp_path / "s.parquet"

    def stop(key, ok, finished, total):
        if finished == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep("kampung", GRID, runs=2, steps=40, output=out, on_done=stop)
    again = sweep("kampung", GRID, runs=2, steps=40, output=out)
    assert again.resumed == 5 and again.computed == 7
    _same(again.frame(), serial["sweep"], ["point", "run"])


def _with_bad_groups(data, tmp_path) -> Path:
    hive = tmp_path / "hive"
    shutil.copytree(data["hive"], hive)
    (hive / "group_id=bad").mkdir()
    (hive / "group_id=bad" / "part-0.parquet").write_bytes(b"this is not parquet")
    bad_kind = synthetic_events(50, 5, days=7, seed=9, group_id="oddkind")
    bad_kind = bad_kind.set_column(4, "kind", pa.array(["teleport"] * bad_kind.num_rows))
    pq.write_to_dataset(bad_kind, hive, partition_cols=["group_id"])
    return hive


def test_bad_groups_go_to_the_errors_table(data, serial, tmp_path):
    hive = _with_bad_groups(data, tmp_path)
    r = measure_many(hive, output=tmp_path / "m.parquet", bootstrap=10)
    assert (r.computed, r.failed, r.total) == (N_GROUPS, 2, N_GROUPS + 2)
    errors = pl.read_parquet(tmp_path / "m.errors.parquet")
    assert errors.columns == ["group_id", "error"]
    assert errors.get_column("group_id").to_list() == ["bad", "oddkind"]
    assert "teleport" in errors.get_column("error")[1]
    _same(r.frame(), serial["measure"], ["group_id"])
    # a rerun retries only the failed groups
    again = measure_many(hive, output=tmp_path / "m.parquet", bootstrap=10)
    assert (again.resumed, again.computed, again.failed) == (N_GROUPS, 0, 2)


# --------------------------------------------------------------------------------------- Dask


@pytest.fixture(scope="module")
def cluster():
    if not HAVE_DASK:
        pytest.skip('Dask not installed: pip install "dask[distributed]"')
    from distributed import Client, LocalCluster

    lc = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None)
    client = Client(lc)
    yield client
    client.close()
    lc.close()


@needs_dask
def test_local_cluster_equals_serial(data, serial, cluster, tmp_path):
    assert len(cluster.scheduler_info()["workers"]) == 2
    m = measure_many(data["hive"], output=tmp_path / "m.parquet", executor="dask", scheduler=cluster, bootstrap=10)
    s = sweep("kampung", GRID, runs=2, steps=40, output=tmp_path / "s.parquet", executor="dask", scheduler=cluster)
    _same(m.frame(), serial["measure"], ["group_id"])
    _same(s.frame(), serial["sweep"], ["point", "run"])


@needs_dask
def test_bad_groups_on_dask(data, serial, cluster, tmp_path):
    hive = _with_bad_groups(data, tmp_path)
    r = measure_many(hive, output=tmp_path / "m.parquet", executor="dask", scheduler=cluster, bootstrap=10)
    assert (r.computed, r.failed) == (N_GROUPS, 2)
    _same(r.frame(), serial["measure"], ["group_id"])


@pytest.fixture(scope="module")
def kill_data(tmp_path_factory) -> tuple[Path, pl.DataFrame]:
    """Ten groups big enough that a worker is busy when the first one finishes."""
    root = tmp_path_factory.mktemp("kill")
    table = pa.concat_tables([synthetic_events(1500, 25, days=35, seed=i, group_id=f"k{i}") for i in range(10)])
    pq.write_to_dataset(table, root / "hive", partition_cols=["group_id"])
    return root / "hive", measure_many(root / "hive", output=root / "serial.parquet", bootstrap=10).frame()


def _once_per_group(expect: pl.DataFrame, got: pl.DataFrame) -> None:
    counts = got.group_by("group_id").len().sort("group_id")
    assert counts.equals(expect.group_by("group_id").len().sort("group_id"))
    _same(got, expect, ["group_id"])


def test_pool_worker_killed_mid_run_loses_and_duplicates_nothing(kill_data, tmp_path):
    import multiprocessing as mp

    hive, expect = kill_data
    killed, done = [], []

    def kill_a_pool_process(key, ok, finished, total):
        done.append(key)
        if not killed and mp.active_children():
            pid = mp.active_children()[0].pid
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    r = measure_many(hive, output=tmp_path / "m.parquet", executor="pool", workers=2, bootstrap=10,
                     on_done=kill_a_pool_process)
    assert killed and r.failed == 0 and sorted(done) == sorted(set(done)) and len(done) == 10
    _once_per_group(expect, r.frame())


def test_a_run_where_every_group_fails_can_be_rerun(data, tmp_path):
    hive = tmp_path / "hive"
    (hive / "group_id=bad").mkdir(parents=True)
    (hive / "group_id=bad" / "part-0.parquet").write_bytes(b"not parquet")
    for _ in range(2):
        r = measure_many(hive, output=tmp_path / "m.parquet", bootstrap=10)
        assert (r.computed, r.failed, r.resumed) == (0, 1, 0)
        assert r.errors().get_column("group_id").to_list() == ["bad"]


@needs_dask
def test_worker_killed_mid_run_loses_and_duplicates_nothing(cluster, kill_data, tmp_path):
    hive, expect = kill_data
    killed = []

    def kill_a_busy_worker(key, ok, finished, total):
        if killed:
            return
        busy = [w for w, tasks in cluster.processing().items() if tasks]
        if busy:
            pid = cluster.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    done = []
    r = measure_many(hive, output=tmp_path / "m.parquet", executor="dask", scheduler=cluster,
                     bootstrap=10, on_done=lambda *a: (done.append(a[0]), kill_a_busy_worker(*a)))
    assert killed, "no worker was busy when the first group finished"
    assert r.failed == 0 and sorted(done) == sorted(set(done)) and len(done) == 10
    _once_per_group(expect, r.frame())
    cluster.wait_for_workers(2, timeout=60)  # the nanny brings the worker back


@pytest.fixture
def separate_processes(tmp_path):
    """A scheduler and two workers started as separate processes on 127.0.0.1."""
    if not HAVE_DASK:
        pytest.skip('Dask not installed: pip install "dask[distributed]"')
    procs: list[subprocess.Popen] = []
    address = None
    log = (tmp_path / "scheduler.log").open("w+")
    try:
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
             "--no-dashboard"], stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path))
        deadline = time.monotonic() + 60
        while address is None and time.monotonic() < deadline:
            time.sleep(0.2)
            m = re.search(r"Scheduler at:\s+(tcp://127\.0\.0\.1:\d+)", (tmp_path / "scheduler.log").read_text())
            address = m[1] if m else None
            assert procs[0].poll() is None, (tmp_path / "scheduler.log").read_text()
        assert address, "the scheduler did not report its address"
        for i in range(2):
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1",
                 "--host", "127.0.0.1", "--no-dashboard", "--name", f"w{i}"],
                stdout=(tmp_path / f"worker{i}.log").open("w"), stderr=subprocess.STDOUT, cwd=tmp_path))
        yield address
    finally:
        if address:
            try:  # ask the cluster to stop cleanly; the signals below are the fallback
                from distributed import Client

                with Client(address, timeout=10) as c:
                    c.shutdown()
            except Exception:  # noqa: BLE001
                pass
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        log.close()


@needs_dask
def test_scheduler_and_workers_as_separate_processes(data, serial, separate_processes, tmp_path):
    from distributed import Client

    with Client(separate_processes, timeout=30) as client:
        client.wait_for_workers(2, timeout=60)
    m = measure_many(data["hive"], output=tmp_path / "m.parquet", executor="dask",
                     scheduler=separate_processes, bootstrap=10)
    s = sweep("kampung", GRID, runs=2, steps=40, output=tmp_path / "s.parquet", executor="dask",
              scheduler=separate_processes)
    _same(m.frame(), serial["measure"], ["group_id"])
    _same(s.frame(), serial["sweep"], ["point", "run"])


# ---------------------------------------------------------------------------------------- CLI


def test_cli_commands(data, serial, tmp_path):
    import typer
    from typer.testing import CliRunner

    from kohesi.cli.batch import measure_by_group, sweep_command

    app = typer.Typer()
    app.command("measure")(measure_by_group)
    app.command("sweep")(sweep_command)
    runner = CliRunner()
    r = runner.invoke(app, ["measure", str(data["hive"]), "--by", "group_id", "--serial", "--bootstrap", "10",
                            "-o", str(tmp_path / "m.parquet")])
    assert r.exit_code == 0, r.output
    _same(pl.read_parquet(tmp_path / "m.parquet"), serial["measure"], ["group_id"])
    r = runner.invoke(app, ["sweep", "--scenario", "kampung", "--grid", GRID, "--runs", "2", "--steps", "40",
                            "--serial", "-o", str(tmp_path / "s.parquet")])
    assert r.exit_code == 0, r.output
    _same(pl.read_parquet(tmp_path / "s.parquet"), serial["sweep"], ["point", "run"])
    r = runner.invoke(app, ["sweep", "--grid", "nonsense", "--serial", "-o", str(tmp_path / "x.parquet")])
    assert r.exit_code == 2 and "no '='" in r.output
    r = runner.invoke(app, ["measure", str(_with_bad_groups(data, tmp_path)), "--serial", "--bootstrap", "10",
                            "-o", str(tmp_path / "b.parquet")])
    assert r.exit_code == 3 and "2 groups failed" in r.output
    r = runner.invoke(app, ["measure", str(data["hive"]), "--serial", "--workers", "2"])
    assert r.exit_code == 2 and "choose one of" in r.output
