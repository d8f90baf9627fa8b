"""Many groups and parameter sweeps, on one machine or a Dask cluster: :func:`measure_many`, :func:`sweep`.

The unit of work is small and pure:

- **measure**: one group. Its events are loaded (from a ``.duckdb`` store by group id, from a
  Hive-partitioned Parquet dataset ``group_id=<g>/…``, from one Parquet file holding many groups,
  or from one export file per group) and passed to :func:`kohesi.measure.measure` unchanged;
  the result is ``profile.to_frame()`` with a ``group_id`` and a ``seed`` column in front.
- **sweep**: one (grid point, run) pair: :func:`kohesi.simulate.simulate` with ``events=False``,
  summarised as the mean of the last ``tail`` steps of a few state columns.

Every unit has its own seed, derived from the run's seed and the unit alone (not from the order
or the process it runs in), so a serial run, a local process pool and a Dask cluster give
identical tables.

Executors: ``"serial"`` (this process), ``"pool"`` (a spawned :class:`ProcessPoolExecutor`, the
default of the CLI; no cluster needed) and ``"dask"`` (``scheduler="tcp://host:8786"`` or a
``distributed.Client`` uses an existing cluster; otherwise a ``LocalCluster`` of ``workers``
single-threaded worker processes on 127.0.0.1 is started and stopped). Dask is imported only
when it is used (``pip install "dask[distributed]"``).

Results are written as they arrive: every finished unit goes into a Parquet file under
``<output>.parts/`` (written atomically by the driver, so workers need no shared disk for
output). When every unit has run, the parts are combined into ``<output>`` (rows sorted by the
unit key, the settings in the schema metadata ``kohesi.run``) and the errors into
``<stem>.errors.parquet`` beside it (``profiles.parquet`` → ``profiles.errors.parquet``), and the parts folder is removed. A rerun with the same settings
skips the units already finished (in the parts folder or in ``<output>``) and retries only
those that failed or never ran. A unit whose data is bad becomes one row of the errors table and
the run goes on; a unit whose worker dies is retried (``retries`` times) and then reported there
too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from kohesi.errors import KohesiError

__all__ = [
    "EXECUTORS",
    "SWEEP_METRICS",
    "RunSummary",
    "Source",
    "open_source",
    "measure_many",
    "measure_unit",
    "sweep",
    "sweep_unit",
    "parse_grid",
    "grid_points",
    "unit_seed",
    "stable_hash",
]

EXECUTORS = ("serial", "pool", "dask")
"""Where units run: this process, a local process pool, or a Dask cluster."""

SWEEP_METRICS = ("mean_trust", "cooperation_rate", "ties_per_member", "norm_dispersion", "solidarity")
"""State columns a sweep row summarises (mean of the last ``tail`` steps)."""

_EXPORT_SUFFIXES = {".txt", ".zip", ".json", ".csv", ".jsonl"}

OnDone = Callable[[str, bool, int, int], None]
"""``on_done(key, ok, finished, total)``: called in this process after every unit."""


# ----------------------------------------------------------------------------------------- seeds


def stable_hash(key: str) -> int:
    """A 64-bit hash of ``key`` that is the same in every process and on every machine.

    Examples
    --------
    >>> stable_hash("rt05") == stable_hash("rt05"), stable_hash("rt05") == stable_hash("rt06")
    (True, False)
    """
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def unit_seed(seed: int, key: str) -> int:
    """The seed of one unit: ``SeedSequence([seed, stable_hash(key)])`` reduced to 32 bits.

    Depends only on the run's seed and the unit's key, so any executor gives the same value.

    Examples
    --------
    >>> unit_seed(0, "rt05") == unit_seed(0, "rt05"), unit_seed(0, "rt05") == unit_seed(1, "rt05")
    (True, False)
    """
    ss = np.random.SeedSequence([int(seed), stable_hash(key)])
    return int(ss.generate_state(1, np.uint32)[0])


# --------------------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    """Where the groups' events are: picklable, so it travels to workers.

    ``kind`` is ``store`` (a ``.duckdb`` file), ``hive`` (a folder of ``<by>=<value>/``
    sub-folders of Parquet files), ``parquet`` (one Parquet file with a ``<by>`` column) or
    ``exports`` (one export file per group; the key is the file name). Paths must be readable
    by the workers (a shared file system on a real cluster).
    """

    kind: str
    path: str
    by: str = "group_id"
    files: tuple[tuple[str, str], ...] = ()  # exports: (key, path)
    salt: bytes | None = field(default=None, repr=False)
    tz: str | None = None

    def keys(self) -> list[str]:
        """The unit keys (group ids, or file names for exports), sorted."""
        if self.kind == "store":
            from kohesi.store import Store

            with Store(self.path, read_only=True) as st:
                return sorted(st.group_ids())
        if self.kind == "hive":
            prefix = f"{self.by}="
            return sorted(unquote(p.name[len(prefix):]) for p in Path(self.path).iterdir()
                          if p.is_dir() and p.name.startswith(prefix))
        if self.kind == "parquet":
            col = pq.read_table(self.path, columns=[self.by]).column(self.by)
            return sorted(str(v) for v in col.unique().to_pylist() if v is not None)
        return sorted(k for k, _ in self.files)

    def unit(self, key: str) -> Source:
        """The part of this source a worker needs for one unit (one export file, not the list)."""
        if self.kind != "exports":
            return self
        return dataclasses.replace(self, files=tuple((k, p) for k, p in self.files if k == key))

    def load(self, key: str) -> tuple[pa.Table, pa.Table | None]:
        """Events (validated, canonical schema) and members (or None) of one unit."""
        from kohesi.events import validate_events

        members = None
        if self.kind == "store":
            from kohesi.store import Store

            with Store(self.path, read_only=True) as st:
                events, members = st.events(key), st.members(key)
            if members.num_rows == 0:
                members = None
        elif self.kind == "hive":
            folder = Path(self.path) / f"{self.by}={key}"
            if not folder.is_dir():
                folder = next((p for p in Path(self.path).iterdir() if p.is_dir() and p.name.startswith(f"{self.by}=")
                           and unquote(p.name[len(self.by) + 1:]) == key), folder)
            files = sorted(str(p) for p in folder.rglob("*") if p.is_file() and not p.name.startswith((".", "_")))
            if not files:
                raise KohesiError(f"{folder}: no data files")
            events = pa.concat_tables([pq.read_table(f) for f in files], promote_options="default")
            if "group_id" not in events.column_names:
                events = events.append_column("group_id", pa.array([key] * events.num_rows, pa.string()))
        elif self.kind == "parquet":
            events = pq.read_table(self.path, filters=[(self.by, "=", key)])
        else:
            (_, path), = self.files
            import kohesi

            log = kohesi.read(path, group=key, tz=self.tz, salt=self.salt)
            events, members = log.events, log.members
        events = validate_events(events, source=f"{self.path} [{self.by}={key}]")
        if events.num_rows == 0:
            raise KohesiError(f"{self.path} [{self.by}={key}]: no events")
        return events, members


def open_source(data: str | Path | Sequence[str | Path] | Source, by: str = "group_id", *,
                tz: str | None = None, salt: bytes | None = None) -> Source:
    """Recognise what ``data`` is: a store, a Hive-partitioned dataset, a Parquet file or exports.

    ``data`` is a ``.duckdb`` store, a folder of ``<by>=<value>/`` sub-folders, one ``.parquet``
    file with a ``<by>`` column, a folder of export files, or a list of export files.
    """
    if isinstance(data, Source):
        return data
    paths = [Path(p) for p in data] if isinstance(data, (list, tuple)) else [Path(data)]
    if len(paths) == 1:
        path = paths[0]
        if not path.exists():
            raise KohesiError(f"{path}: no such file or folder")
        if path.suffix == ".duckdb":
            if by != "group_id":
                raise KohesiError(f"{path}: a store is split by group_id only, not {by!r}")
            return Source("store", str(path), by)
        if path.is_dir() and any(p.is_dir() and p.name.startswith(f"{by}=") for p in path.iterdir()):
            return Source("hive", str(path), by)
        if path.suffix == ".parquet" and path.is_file():
            names = pq.read_schema(path).names
            if by not in names:
                raise KohesiError(f"{path}: no column {by!r} to split by (columns: {', '.join(names)})")
            return Source("parquet", str(path), by)
        if path.is_dir():
            paths = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _EXPORT_SUFFIXES)
            if not paths:
                raise KohesiError(f"{path}: neither {by}=… partitions nor export files "
                                  f"({', '.join(sorted(_EXPORT_SUFFIXES))})")
    names = [p.name for p in paths]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise KohesiError(f"export files must have distinct names (the name is the group key): {', '.join(dup)}")
    if salt is None:
        from kohesi.privacy import default_salt

        salt = default_salt()  # resolved here, so pseudonyms match on every worker
    return Source("exports", str(paths[0].parent), by,
                  tuple((p.name, str(p.resolve())) for p in paths), salt, tz)


# --------------------------------------------------------------------------------- units of work

Result = tuple[str, pl.DataFrame | None, str | None]


def _fail_message(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def measure_unit(source: Source, key: str, opts: dict[str, Any]) -> Result:
    """Measure one group: ``(key, rows, None)`` or ``(key, None, error)`` when its data is bad.

    ``opts`` holds ``window``, ``bootstrap``, ``seed`` (the run's seed; the group's own is
    :func:`unit_seed`) and ``params`` (a :class:`~kohesi.measure.params.MeasureParams` or None).
    """
    from kohesi.measure import measure

    try:
        events, members = source.load(key)
        seed = unit_seed(opts["seed"], key)
        profile = measure(events, members, window=opts["window"], params=opts.get("params"),
                          bootstrap=opts["bootstrap"], seed=seed)
        rows = profile.to_frame()
        rows = rows.select(pl.lit(key, pl.String).alias(source.by), pl.lit(seed, pl.Int64).alias("seed"), pl.all())
        return key, rows, None
    except MemoryError:
        raise  # a worker problem, not the data's: let the executor retry elsewhere
    except Exception as exc:  # noqa: BLE001 - bad data becomes a row of the errors table
        return key, None, _fail_message(exc)


def sweep_unit(job: dict[str, Any]) -> Result:
    """One (grid point, run): simulate without events and summarise the last ``tail`` steps."""
    from kohesi.simulate import simulate

    key = job["key"]
    try:
        res = simulate(job["scenario"], job["steps"], job["seed"], job["interventions"], events=False)
        tail = res.state.tail(job["tail"])
        row: dict[str, Any] = {"point": job["point"], "run": job["run"], "seed": job["seed"]}
        row.update(job["values"])
        row["steps"] = job["steps"]
        for col in SWEEP_METRICS:
            row[col] = float(tail[col].mean()) if tail.height else float("nan")
        schema = {"point": pl.Int64, "run": pl.Int64, "seed": pl.Int64, **job["schema"], "steps": pl.Int64}
        schema |= {c: pl.Float64 for c in SWEEP_METRICS}
        return key, pl.DataFrame([row], schema=schema), None
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001
        return key, None, _fail_message(exc)


# ------------------------------------------------------------------------------------ executors


def _execute(fn: Callable[..., Result], tasks: list[tuple[str, tuple]], *, executor: str,
             scheduler: Any, workers: int | None, retries: int,
             on_result: Callable[[str, pl.DataFrame | None, str | None], None], per_worker: int = 0) -> None:
    """Run ``fn(*args)`` for every ``(key, args)`` and hand each result to ``on_result`` here.

    ``per_worker`` > 0 packs short units into about that many tasks per worker (a task then runs
    several units in a row), so an executor's per-task cost stays small beside the work."""
    if not tasks:
        return
    if per_worker > 0 and executor != "serial":
        fn, tasks, on_result = _packed(fn, tasks, on_result, per_worker * (workers or os.cpu_count() or 1))
    if executor == "serial":
        for key, args in tasks:
            on_result(*_guard(fn, key, args))
    elif executor == "pool":
        _run_pool(fn, tasks, workers, retries, on_result, scheduler)
    elif executor == "dask":
        _run_dask(fn, tasks, scheduler, workers, retries, on_result)
    else:
        raise ValueError(f"unknown executor {executor!r}; use one of {', '.join(EXECUTORS)}")


def _packed(fn: Callable[..., Result], tasks: list[tuple[str, tuple]],
            on_result: Callable[[str, pl.DataFrame | None, str | None], None], n_tasks: int):
    """``tasks`` in about ``n_tasks`` consecutive packs: the pack function, its tasks, and an
    ``on_result`` that unpacks a pack's results (or fails each of its units)."""
    size = max(1, -(-len(tasks) // max(1, n_tasks)))
    packs = [tasks[i:i + size] for i in range(0, len(tasks), size)]
    units = {_pack_key(p): [k for k, _ in p] for p in packs}

    def unpack(key: str, results: Any, error: str | None) -> None:
        if error is None:
            for r in results:
                on_result(*r)
        else:
            for k in units[key]:
                on_result(k, None, error)

    return _run_pack, [(_pack_key(p), (fn, p)) for p in packs], unpack


def _pack_key(pack: list[tuple[str, tuple]]) -> str:
    """A pack's key: its first unit's key and how many units follow."""
    return f"{pack[0][0]}+{len(pack) - 1}"


def _run_pack(fn: Callable[..., Result], pack: list[tuple[str, tuple]]) -> tuple[str, list[Result], None]:
    return _pack_key(pack), [_guard(fn, key, args) for key, args in pack], None


def _guard(fn: Callable[..., Result], key: str, args: tuple) -> Result:
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001
        return key, None, _fail_message(exc)


def _run_pool(fn, tasks, workers, retries, on_result, given=None) -> None:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    attempts = dict.fromkeys((k for k, _ in tasks), 0)
    todo = list(tasks)
    n = workers or os.cpu_count() or 1
    while todo:
        again: list[tuple[str, tuple]] = []
        own = given is None
        pool = ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context("spawn")) if own else given
        given = None  # a pool the caller started (and shuts down) serves the first round only
        futures = {}
        try:
            futures = {pool.submit(fn, *args): (key, args) for key, args in todo}
            for fut in as_completed(futures):
                key, args = futures.pop(fut)  # drop the finished future (and its result) at once
                try:
                    result = fut.result()
                except Exception as exc:  # noqa: BLE001 - a worker died, or e.g. MemoryError
                    attempts[key] += 1
                    if attempts[key] <= retries:
                        again.append((key, args))
                    elif isinstance(exc, BrokenProcessPool):
                        on_result(key, None, f"worker process died {attempts[key]} times while running this unit")
                    else:
                        on_result(key, None, f"failed {attempts[key]} times: {_fail_message(exc)}")
                    continue
                on_result(*result)
        except BaseException:
            for fut in futures:  # stopped midway (Ctrl-C): do not run the rest
                fut.cancel()
            raise
        finally:
            if own:
                pool.shutdown(wait=True, cancel_futures=True)
        todo = again  # after a worker died every unfinished unit is tried again, in a new pool


def _dask_client(scheduler: Any, workers: int | None):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise KohesiError('the dask executor needs Dask: pip install "dask[distributed]"') from None
    if scheduler is not None and not isinstance(scheduler, str):
        return scheduler, None, None  # an existing Client: not ours to close
    if scheduler:
        client = Client(scheduler)
        return client, client, None
    cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None)
    client = Client(cluster)
    return client, client, cluster


def _run_dask(fn, tasks, scheduler, workers, retries, on_result) -> None:
    from distributed import as_completed

    client, own_client, own_cluster = _dask_client(scheduler, workers)
    token = uuid.uuid4().hex[:12]
    futures: dict[Any, str] = {}
    try:
        for key, args in tasks:
            name = f"kohesi-{fn.__name__}-{token}-{stable_hash(key):016x}"
            futures[client.submit(fn, *args, key=name, retries=retries, pure=False)] = key
        seen: set[str] = set()
        for fut in as_completed(list(futures)):
            key = futures[fut]
            if key in seen:
                continue
            seen.add(key)
            if fut.status == "finished":
                on_result(*fut.result())
            else:
                try:
                    exc = fut.exception()
                except Exception as e:  # noqa: BLE001 - e.g. cancelled
                    exc = e
                on_result(key, None, f"worker failure after {retries} retries: {_fail_message(exc)}")
            fut.release()
    finally:
        pending = [f for f in futures if not f.done()]
        if pending:  # stopped midway: take our tasks off a cluster we do not own
            client.cancel(pending)
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


# --------------------------------------------------------------------------- incremental output


@dataclass
class RunSummary:
    """What a :func:`measure_many` or :func:`sweep` run did and where it wrote it."""

    output: Path
    errors_path: Path
    total: int
    computed: int
    resumed: int
    failed: int
    executor: str
    seconds: float

    def frame(self) -> pl.DataFrame:
        """The combined result table."""
        return pl.read_parquet(self.output)

    def errors(self) -> pl.DataFrame:
        """The errors table (key column, ``error``)."""
        return pl.read_parquet(self.errors_path)


class _Parts:
    """Finished units as Parquet files under ``<output>.parts/``; combined at the end."""

    def __init__(self, output: Path, key_cols: list[str], key_of: Callable[[pl.DataFrame], pl.Series],
                 error_col: str, settings: dict[str, Any], overwrite: bool, stream: bool) -> None:
        self.stream = stream
        self.output = output
        self.dir = output.with_name(output.name + ".parts")
        self.errors_path = output.with_name(output.name.removesuffix(".parquet") + ".errors.parquet")
        self.key_cols, self.key_of, self.error_col = key_cols, key_of, error_col
        self.settings = json.dumps(settings, sort_keys=True, default=str)
        self.errors: dict[str, str] = {}
        self._n = 0
        if overwrite:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.output.unlink(missing_ok=True)
        self.reuse_output = False
        if self.output.exists():
            meta = pq.read_schema(self.output).metadata or {}
            if meta.get(b"kohesi.run", b"").decode() != self.settings:
                raise KohesiError(f"{self.output} exists and was written with other settings; "
                                  "choose another output, delete it, or start afresh (--fresh)")
            self.reuse_output = set(key_cols) <= set(pq.read_schema(self.output).names)  # empty if all failed
        manifest = self.dir / "run.json"
        if self.dir.exists():
            if not manifest.exists() or manifest.read_text(encoding="utf-8") != self.settings:
                raise KohesiError(f"{self.dir} holds a run with other settings; "
                                  "delete it or start afresh (--fresh)")
            for f in self.dir.glob("errors-*.parquet"):  # failed units are tried again
                f.unlink()
            for f in self.dir.glob("*.tmp"):
                f.unlink()
        else:
            self.dir.mkdir(parents=True)
            manifest.write_text(self.settings, encoding="utf-8")

    def _files(self) -> list[Path]:
        files = sorted(self.dir.glob("part-*.parquet"))
        return files + ([self.output] if self.reuse_output else [])

    def done(self) -> set[str]:
        keys: set[str] = set()
        for f in self._files():
            keys.update(self.key_of(pl.read_parquet(f, columns=self.key_cols)).to_list())
        return keys

    def _write(self, table: pa.Table, stem: str) -> None:
        self._n += 1
        final = self.dir / f"{stem}-{time.time_ns():020d}-{self._n:06d}.parquet"
        tmp = final.with_suffix(".tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, final)

    def add(self, frames: list[pl.DataFrame]) -> None:
        if frames:
            self._write(pl.concat(frames, how="vertical").to_arrow(), "part")

    def fail(self, key: str, error: str) -> None:
        self.errors[key] = error
        self._write(pa.table({self.error_col: [key], "error": [error]}), "errors")

    def finish(self) -> None:
        """Combine the parts (and a reused output) into ``output``; write the errors table.

        Measure results are streamed one group at a time in key order (memory: one group);
        sweep rows are small and are sorted in memory.
        """
        files = self._files()
        assign: dict[str, Path] = {}
        per_file: dict[Path, set[str]] = {}
        n_keys: dict[Path, int] = {}
        for f in files:
            keys = set(self.key_of(pl.read_parquet(f, columns=self.key_cols)).to_list())
            n_keys[f] = len(keys)
            per_file[f] = {k for k in keys if k not in assign}
            for k in per_file[f]:
                assign[k] = f
        meta = {b"kohesi.run": self.settings.encode()}
        tmp = self.output.with_name(self.output.name + ".tmp")
        if not self.stream:
            frames = []
            for f in files:
                df = pl.read_parquet(f)
                frames.append(df.filter(self.key_of(df).is_in(sorted(per_file[f]))))
            df = pl.concat(frames, how="vertical") if frames else pl.DataFrame()
            if df.height:
                df = df.sort(self.key_cols, maintain_order=True)
            pq.write_table(df.to_arrow().replace_schema_metadata(meta), tmp)
        else:  # one unit at a time, in key order; a multi-unit file is read by row-group statistics
            col = self.key_cols[0]
            writer = None
            try:
                for key in sorted(assign):
                    f = assign[key]
                    if n_keys[f] > 1:
                        table = pq.read_table(f, filters=[(col, "=", key)])
                    else:
                        table = pq.read_table(f)
                    if writer is None:
                        schema = table.schema.with_metadata(meta)
                        writer = pq.ParquetWriter(tmp, schema)
                    writer.write_table(table.replace_schema_metadata(meta).cast(schema))
                if writer is None:  # every unit failed
                    pq.write_table(pa.table({col: pa.array([], pa.large_string())}).replace_schema_metadata(meta), tmp)
            finally:
                if writer is not None:
                    writer.close()
        if tmp.exists():
            os.replace(tmp, self.output)
        errors = {k: v for k, v in self.errors.items() if k not in assign}
        err = pa.table({self.error_col: pa.array(sorted(errors), pa.string()),
                        "error": pa.array([errors[k] for k in sorted(errors)], pa.string())})
        etmp = self.errors_path.with_name(self.errors_path.name + ".tmp")
        pq.write_table(err, etmp)
        os.replace(etmp, self.errors_path)
        shutil.rmtree(self.dir, ignore_errors=True)


def _drive(fn, tasks: list[tuple[str, tuple]], parts: _Parts, *, total: int, resumed: int,
           executor: str, scheduler: Any, workers: int | None, retries: int,
           on_done: OnDone | None, batch: int, per_worker: int = 0) -> RunSummary:
    t0 = time.perf_counter()
    finished = resumed
    counts = {"ok": 0, "fail": 0}
    buffer: list[pl.DataFrame] = []
    last_flush = [time.monotonic()]

    def flush() -> None:
        parts.add(buffer)
        buffer.clear()
        last_flush[0] = time.monotonic()

    def on_result(key: str, rows: pl.DataFrame | None, error: str | None) -> None:
        nonlocal finished
        if error is None and rows is not None:
            buffer.append(rows)
            counts["ok"] += 1
            if len(buffer) >= batch or time.monotonic() - last_flush[0] > 5.0:
                flush()
        else:
            parts.fail(key, error or "no result")
            counts["fail"] += 1
        finished += 1
        if on_done is not None:
            on_done(key, error is None, finished, total)

    try:
        _execute(fn, tasks, executor=executor, scheduler=scheduler, workers=workers,
                 retries=retries, on_result=on_result, per_worker=per_worker)
    finally:
        flush()  # what finished is kept, even when the run stops midway
    parts.finish()
    return RunSummary(parts.output, parts.errors_path, total, counts["ok"], resumed, counts["fail"],
                      executor, time.perf_counter() - t0)


def _check_executor(executor: str, scheduler: Any, workers: int | None) -> str:
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; use one of {', '.join(EXECUTORS)}")
    if scheduler is not None and executor == "serial":
        raise ValueError("scheduler= needs executor='dask' (an address or Client) or 'pool' (an Executor)")
    if executor == "pool" and scheduler is not None:
        from concurrent.futures import Executor

        if not isinstance(scheduler, Executor):
            raise ValueError("with executor='pool', scheduler= must be a concurrent.futures Executor")
    if workers is not None and workers < 1:
        raise ValueError("workers must be >= 1")
    return executor


# ---------------------------------------------------------------------------------- measure_many


def measure_many(
    source: str | Path | Sequence[str | Path] | Source,
    by: str = "group_id",
    *,
    output: str | Path,
    executor: str = "serial",
    scheduler: Any = None,
    workers: int | None = None,
    window: str | timedelta | None = "7D",
    bootstrap: int = 200,
    seed: int = 0,
    params: Any = None,
    tz: str | None = None,
    retries: int = 2,
    overwrite: bool = False,
    on_start: Callable[[int, int], None] | None = None,
    on_done: OnDone | None = None,
) -> RunSummary:
    """Measure every group of ``source``, one group per unit of work; write one Parquet table.

    Parameters
    ----------
    source
        A ``.duckdb`` store, a Hive-partitioned Parquet folder (``<by>=<value>/*.parquet``), a
        Parquet file with a ``<by>`` column, a folder of exports or a list of export files.
    by
        The column that names a group (``group_id``); for exports the file name is the key.
    output
        The result table: ``<by>``, ``seed`` and the columns of
        :meth:`kohesi.measure.Profile.to_frame`. Errors go to ``<output stem>.errors.parquet``.
    executor, scheduler, workers
        ``"serial"``, ``"pool"`` (``workers`` spawned processes, default all cores, or the
        ``concurrent.futures`` Executor given as ``scheduler``) or ``"dask"`` (``scheduler`` =
        address or ``distributed.Client``; else a local cluster of ``workers`` processes).
    window, bootstrap, seed, params
        As for :func:`kohesi.measure.measure`; group ``g`` is measured with seed
        ``unit_seed(seed, g)`` (the table's ``seed`` column).
    retries
        Further attempts for a unit whose worker died.
    overwrite
        Start afresh instead of resuming.
    on_start, on_done
        ``on_start(total, already_done)`` once, ``on_done(key, ok, finished, total)`` per unit.

    Returns
    -------
    RunSummary
    """
    _check_executor(executor, scheduler, workers)
    if bootstrap < 0:
        raise ValueError("bootstrap must be >= 0")
    src = open_source(source, by, tz=tz)
    keys = src.keys()
    params_dict = params.to_dict() if params is not None else None
    settings = {"kind": "measure", "by": by, "window": None if window is None else str(window),
                "bootstrap": bootstrap, "seed": seed, "params": params_dict}
    parts = _Parts(Path(output), [by], lambda df: df.get_column(by).cast(pl.String), by, settings, overwrite,
                   stream=True)
    done = parts.done() & set(keys)
    opts = {"window": window, "bootstrap": bootstrap, "seed": seed, "params": params}
    tasks = [(k, (src.unit(k), k, opts)) for k in keys if k not in done]
    if on_start is not None:
        on_start(len(keys), len(done))
    return _drive(measure_unit, tasks, parts, total=len(keys), resumed=len(done), executor=executor,
                  scheduler=scheduler, workers=workers, retries=retries, on_done=on_done, batch=1)


# ----------------------------------------------------------------------------------------- sweep

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^({_NUM}):({_NUM}):(\d+)$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_OFF = {"0", "none", "off", "no"}
_PERIOD_WORDS = {"daily", "weekly", "monthly", "once"}


def _number(text: str) -> int | float | str:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def parse_grid(text: str) -> dict[str, list[int | float | str]]:
    """Read a grid such as ``"gotong_royong=0,weekly,monthly;individualism=0.2:0.8:4"``.

    Dimensions are separated by ``;``; each is ``name=v1,v2,…`` or ``name=lo:hi:n`` (``n``
    evenly spaced values from ``lo`` to ``hi``, both included). Numbers become int or float.

    Examples
    --------
    >>> parse_grid("gotong_royong=0,weekly,monthly;individualism=0.2:0.8:4")
    {'gotong_royong': [0, 'weekly', 'monthly'], 'individualism': [0.2, 0.4, 0.6, 0.8]}
    """
    grid: dict[str, list[int | float | str]] = {}
    if not text or not text.strip():
        raise ValueError("empty grid: expected name=v1,v2;name2=lo:hi:n")
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise ValueError(f"grid dimension {part!r} has no '=': expected name=v1,v2 or name=lo:hi:n")
        name, _, spec = (s.strip() for s in part.partition("="))
        if not _NAME.match(name):
            raise ValueError(f"grid dimension {part!r}: {name!r} is not a parameter name")
        if name in grid:
            raise ValueError(f"grid dimension {name!r} is given twice")
        if not spec:
            raise ValueError(f"grid dimension {name!r} has no values")
        m = _RANGE.match(spec)
        if m:
            lo, hi, n = float(m[1]), float(m[2]), int(m[3])
            if n < 1:
                raise ValueError(f"grid dimension {name!r}: a range needs n >= 1, got {n}")
            values: list[int | float | str] = [float(round(v, 12)) for v in np.linspace(lo, hi, n)]
        elif ":" in spec and "," not in spec:
            raise ValueError(f"grid dimension {name!r}: cannot read range {spec!r}; expected lo:hi:n, e.g. 0.2:0.8:4")
        else:
            items = [s.strip() for s in spec.split(",")]
            if any(not s for s in items):
                raise ValueError(f"grid dimension {name!r}: empty value in {spec!r}")
            values = [_number(s) for s in items]
        grid[name] = values
    if not grid:
        raise ValueError("empty grid: expected name=v1,v2;name2=lo:hi:n")
    return grid


def _resolve(name: str) -> tuple[str, str]:
    """``("field", scenario_field)`` or ``("intervention", kind)`` for a grid name."""
    from kohesi.simulate.scenario import INTERVENTIONS, Scenario

    fields = {f.name for f in dataclasses.fields(Scenario)} - {"name", "description"}
    if "-" not in name and name in fields:
        return "field", name
    kind = name.replace("_", "-")
    if kind in INTERVENTIONS:
        return "intervention", kind
    raise ValueError(f"unknown grid parameter {name!r}: use a scenario parameter "
                     f"({', '.join(sorted(fields))}) or an intervention ({', '.join(INTERVENTIONS)})")


def _intervention(kind: str, value: int | float | str, start: int) -> str | None:
    text = str(value).strip().lower()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if text in _OFF:
        return None
    strength = ""
    if "*" in text:
        text, _, s = text.partition("*")
        strength = f"*{s}"
    at, _, period = text.rpartition(":") if ":" in text else (str(start), ":", text)
    if period not in _PERIOD_WORDS and not period.isdigit():
        raise ValueError(f"{kind}={value!r}: expected 0/none, a period (daily, weekly, monthly, once, "
                         "or a number of days), optionally start:period and *strength")
    from kohesi.simulate.scenario import parse_intervention

    spec = f"{kind}@{at}:{period}{strength}"
    parse_intervention(spec)  # validates
    return spec


def grid_points(scenario: Any, grid: dict[str, list], *, intervention_start: int = 0) -> list[dict[str, Any]]:
    """Every combination of ``grid``: its scenario, interventions, values and column types.

    Scenario parameters are set with :meth:`Scenario.replace`; intervention names
    (``gotong_royong``, ``education``…; ``public-spaces`` with a hyphen, as ``public_spaces`` is a
    scenario parameter) take ``0``/``none`` (no intervention) or a period, and become
    ``kind@<intervention_start>:<period>``.
    """
    from kohesi.simulate.scenario import Scenario, load_scenario

    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    types = {f.name: f.type for f in dataclasses.fields(Scenario)}
    dims = []
    schema: dict[str, Any] = {}
    for name, values in grid.items():
        if not values:
            raise ValueError(f"grid parameter {name!r} has no values")
        what, target = _resolve(name)
        col = name.replace("-", "_")
        if what == "field":
            typ = types[target]
            conv = []
            for v in values:
                if typ in ("int", int):
                    if not isinstance(v, (int, float)) or float(v) != int(v):
                        raise ValueError(f"{name}={v!r}: {name} is a whole number")
                    conv.append(int(v))
                elif typ in ("float", float):
                    if not isinstance(v, (int, float)):
                        raise ValueError(f"{name}={v!r}: {name} is a number")
                    conv.append(float(v))
                else:
                    conv.append(str(v))
            schema[col] = {"int": pl.Int64, "float": pl.Float64}.get(str(typ), pl.String)
            dims.append([(what, target, col, v, v) for v in conv])
        else:
            schema[col] = pl.String
            dims.append([(what, target, col, str(v), _intervention(target, v, intervention_start)) for v in values])
    points = []
    for i, combo in enumerate(itertools.product(*dims)):
        changes = {target: v for what, target, _, _, v in combo if what == "field"}
        ivs = tuple(v for what, _, _, _, v in combo if what == "intervention" and v is not None)
        try:
            sc = base.replace(**changes)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"grid point {i} ({changes}): {exc}") from None
        points.append({"point": i, "scenario": sc, "interventions": ivs,
                       "values": {col: shown for _, _, col, shown, _ in combo}, "schema": schema})
    return points


_SWEEP_TASKS_PER_WORKER = 16


def sweep(
    scenario: Any,
    grid: dict[str, list] | str,
    runs: int,
    steps: int = 365,
    *,
    output: str | Path,
    seed: int = 0,
    tail: int = 30,
    intervention_start: int = 0,
    executor: str = "serial",
    scheduler: Any = None,
    workers: int | None = None,
    retries: int = 2,
    overwrite: bool = False,
    on_start: Callable[[int, int], None] | None = None,
    on_done: OnDone | None = None,
) -> RunSummary:
    """Simulate every grid combination ``runs`` times and write one summary row per run.

    Run ``r`` of every combination uses seed ``seed + r`` (common random numbers: combinations
    differ only in their parameters), so any row is reproduced by ``simulate(…, seed=row.seed)``.
    Columns: ``point``, ``run``, ``seed``, one per grid parameter, ``steps`` and the mean of the
    last ``tail`` steps of :data:`SWEEP_METRICS`. Same executors, resume and errors table as
    :func:`measure_many` (errors keyed by ``unit`` = ``"<point>:<run>"``).
    """
    _check_executor(executor, scheduler, workers)
    if runs < 1 or steps < 1 or tail < 1:
        raise ValueError("runs, steps and tail must be >= 1")
    if isinstance(grid, str):
        grid = parse_grid(grid)
    from kohesi.simulate.scenario import Scenario, load_scenario

    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    points = grid_points(base, grid, intervention_start=intervention_start)
    settings = {"kind": "sweep", "scenario": base.to_dict(), "grid": grid, "runs": runs, "steps": steps, "seed": seed, "tail": tail,
                "start": intervention_start}

    def key_of(df: pl.DataFrame) -> pl.Series:
        return df.select(pl.format("{}:{}", "point", "run")).to_series()

    parts = _Parts(Path(output), ["point", "run"], key_of, "unit", settings, overwrite, stream=False)
    done = parts.done()
    jobs = []
    for p in points:
        for r in range(runs):
            key = f"{p['point']}:{r}"
            if key in done:
                continue
            jobs.append((key, ({"key": key, "point": p["point"], "run": r, "seed": seed + r,
                                "scenario": p["scenario"], "interventions": p["interventions"],
                                "steps": steps, "tail": tail, "values": p["values"],
                                "schema": p["schema"]},)))
    total = len(points) * runs
    if on_start is not None:
        on_start(total, total - len(jobs))
    return _drive(sweep_unit, jobs, parts, total=total, resumed=total - len(jobs), executor=executor,
                  scheduler=scheduler, workers=workers, retries=retries, on_done=on_done, batch=256,
                  per_worker=_SWEEP_TASKS_PER_WORKER)
