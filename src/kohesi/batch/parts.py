"""Resumable output: finished units as Parquet parts, combined into one table at the end.

Every finished unit goes into a Parquet file under ``<output>.parts/`` (written atomically by the
driver, so workers need no shared disk for output). When every unit has run, the parts are
combined into ``<output>`` (rows sorted by the unit key, the settings in the schema metadata
``kohesi.run``) and the errors into ``<stem>.errors.parquet`` beside it, and the parts folder is
removed. A rerun with the same settings skips the units already finished and retries only those
that failed or never ran.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from kohesi.batch.executors import execute
from kohesi.errors import KohesiError

__all__ = ["RunSummary", "Parts", "drive", "OnDone"]

OnDone = Callable[[str, bool, int, int], None]
"""``on_done(key, ok, finished, total)``: called in this process after every unit."""


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


class Parts:
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


def drive(fn, tasks: list[tuple[str, tuple]], parts: Parts, *, total: int, resumed: int,
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
        execute(fn, tasks, executor=executor, scheduler=scheduler, workers=workers,
                 retries=retries, on_result=on_result, per_worker=per_worker)
    finally:
        flush()  # what finished is kept, even when the run stops midway
    parts.finish()
    return RunSummary(parts.output, parts.errors_path, total, counts["ok"], resumed, counts["fail"],
                      executor, time.perf_counter() - t0)


