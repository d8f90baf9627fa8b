"""Arrow arrays from numpy arrays and codes, without a copy where the buffers allow one, and
without ``pa.array`` (which imports pandas, ~0.15 s, to look for pandas types)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["numeric_array", "strings_array", "take_codes", "constant_array"]


def numeric_array(values: np.ndarray, type_: pa.DataType, valid: np.ndarray | None = None) -> pa.Array:
    """A numpy array as an Arrow array of ``type_`` (null where ``valid`` is False), its buffer
    shared (``pa.array`` would import pandas, ~0.15 s, to look for pandas types)."""
    values = np.ascontiguousarray(values)
    data = np.packbits(values, bitorder="little") if type_ == pa.bool_() else values
    mask = None if valid is None or valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(type_, len(values), [mask, pa.py_buffer(data)])


def strings_array(values: list[str | None]) -> pa.Array:
    return pl.Series(values, dtype=pl.String).to_arrow().cast(pa.string())


def take_codes(values: pa.Array, codes: np.ndarray, pool: pa.MemoryPool | None = None) -> pa.Array:
    """``values[code]`` per code, null where the code is negative."""
    return pc.take(values, numeric_array(codes.astype(np.int32), pa.int32(), codes >= 0), memory_pool=pool)


def constant_array(text: str, n: int) -> pa.Array:
    """``text`` ``n`` times (for a block of rows: offsets are 32-bit)."""
    raw = text.encode()
    offsets = np.arange(n + 1, dtype=np.int32) * len(raw)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(raw * n)])
