"""Executors: run units serially, on a local process pool, or on a Dask cluster.

``"serial"`` (this process), ``"pool"`` (a spawned :class:`ProcessPoolExecutor`; no cluster
needed) and ``"dask"`` (``scheduler="tcp://host:8786"`` or a ``distributed.Client`` uses an
existing cluster; otherwise a ``LocalCluster`` of ``workers`` single-threaded processes on
127.0.0.1 is started and stopped). Dask is imported only when it is used.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from typing import Any

import polars as pl

from kohesi.batch.seeds import stable_hash
from kohesi.batch.units import Result, failure_message
from kohesi.errors import KohesiError

__all__ = ["EXECUTORS", "execute", "check_executor"]

EXECUTORS = ("serial", "pool", "dask")
"""Where units run: this process, a local process pool, or a Dask cluster."""


def check_executor(executor: str, scheduler: Any, workers: int | None) -> str:
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


def execute(fn: Callable[..., Result], tasks: list[tuple[str, tuple]], *, executor: str,
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
        return key, None, failure_message(exc)


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
                        on_result(key, None, f"failed {attempts[key]} times: {failure_message(exc)}")
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
                on_result(key, None, f"worker failure after {retries} retries: {failure_message(exc)}")
            fut.release()
    finally:
        pending = [f for f in futures if not f.done()]
        if pending:  # stopped midway: take our tasks off a cluster we do not own
            client.cancel(pending)
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()
