"""Stable event ids for sources without message ids (WhatsApp): a keyed hash of the message.

``event_id`` = 16 hex digits of a 64-bit keyed hash of (local time, author, text, part) plus
``~k`` for the k-th repeat of an identical message. It does not depend on line numbers, so a later
export of the same group that overlaps an earlier one gives the overlapping messages the same
ids, and importing it adds only what is new.

The hash is FNV-1a over the UTF-8 bytes, seeded with the store's salt, with the MurmurHash3
``fmix64`` finaliser for avalanche. It is our own code rather than a library's (DuckDB's and
polars' hashes are not promised stable across versions, and ids must stay stable in a store for
years), compiled with Numba: ~0.1 s per million messages against ~0.6 s for MD5 in DuckDB.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl
import pyarrow as pa

from kohesi._numba import numba

__all__ = ["content_ids", "event_ids", "event_id_array", "hash64", "hash_spans", "repeats"]

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


@numba.njit(cache=True, nogil=True, inline="always")
def _fnv_span(h, data, lo, hi):  # pragma: no cover - compiled
    """FNV-1a of ``data[lo:hi]`` continuing from ``h`` (empty when ``lo`` is -1), then the 0x1F
    column separator."""
    prime = np.uint64(0x100000001B3)
    for j in range(lo if lo >= 0 else hi, hi):
        h = (h ^ np.uint64(data[j])) * prime
    return (h ^ np.uint64(0x1F)) * prime



@numba.njit(cache=True, nogil=True)
def _fnv_rows(data, offsets, seed, out):  # pragma: no cover - compiled
    for i in range(len(offsets) - 1):
        out[i] = _fnv_span(out[i] ^ seed, data, offsets[i], offsets[i + 1])


@numba.njit(cache=True, nogil=True)
def _fmix(out):  # pragma: no cover - compiled
    for i in range(len(out)):
        k = out[i]
        k ^= k >> np.uint64(33)
        k *= np.uint64(0xFF51AFD7ED558CCD)
        k ^= k >> np.uint64(33)
        k *= np.uint64(0xC4CEB9FE1A85EC53)
        k ^= k >> np.uint64(33)
        out[i] = k


def _load_numba_runtime() -> None:
    """Load Numba's typing and lowering registries now, as part of importing kohesi's readers.

    Numba does it on the first call of any compiled function in a process: ~0.3 s, most of it
    importing ``scipy.linalg`` for its BLAS check. Done here, it is counted where it belongs,
    in the import, and every kernel afterwards loads from Numba's cache in milliseconds."""
    numba.core.registry.cpu_target.target_context.refresh()


_load_numba_runtime()


def _seed(salt: bytes) -> np.uint64:
    h = int(_FNV_OFFSET)
    for b in salt:
        h = ((h ^ b) * int(_FNV_PRIME)) & 0xFFFFFFFFFFFFFFFF
    return np.uint64(h)


def hash64(columns: list[pl.Series], salt: bytes) -> np.ndarray:
    """Keyed 64-bit hash of each row of ``columns`` (cast to strings, nulls as ``"\\x00"``).

    Examples
    --------
    >>> a = hash64([pl.Series(["x", "y"])], b"salt")
    >>> b = hash64([pl.Series(["x", "y"])], b"salt")
    >>> bool((a == b).all()), bool(a[0] != a[1])
    (True, True)
    >>> bool(hash64([pl.Series(["x"])], b"other")[0] != a[0])
    True
    """
    n = len(columns[0])
    out = np.zeros(n, dtype=np.uint64)
    seed = _seed(salt)
    for col in columns:
        arr = col.cast(pl.String).fill_null("\x00").to_arrow()
        arr = arr.cast(pa.large_string()) if arr.type != pa.large_string() else arr
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        _, off_buf, data_buf = arr.buffers()
        offsets = np.frombuffer(off_buf, dtype=np.int64)[arr.offset: arr.offset + n + 1]
        data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
        _fnv_rows(data, offsets, seed, out)
    _fmix(out)
    return out


_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


@numba.njit(cache=True, nogil=True)
def _hex_digits(values, digits, out):  # pragma: no cover - compiled
    for i in range(len(values)):
        v = values[i]
        for k in range(15, -1, -1):
            out[16 * i + k] = digits[v & np.uint64(15)]
            v >>= np.uint64(4)


def _hex(values: np.ndarray) -> pa.StringArray:
    """16 lowercase hex digits per value (big-endian)."""
    n = len(values)
    out = np.empty(16 * n, dtype=np.uint8)
    _hex_digits(np.ascontiguousarray(values, dtype=np.uint64), _HEX_DIGITS, out)
    offsets = np.arange(0, 16 * n + 1, 16, dtype=np.int32 if 16 * n < 2**31 else np.int64)
    kind = pa.string() if offsets.dtype == np.int32 else pa.large_string()
    return pa.Array.from_buffers(kind, n, [None, pa.py_buffer(offsets), pa.py_buffer(out)])


@numba.njit(cache=True, nogil=True)
def _ranks(hashed, out):  # pragma: no cover - compiled
    size = 1
    while size < 2 * len(hashed):
        size *= 2
    keys = np.empty(size, dtype=np.uint64)
    seen = np.zeros(size, dtype=np.int32)
    mask = np.uint64(size - 1)
    for i in range(len(hashed)):
        h = hashed[i]
        j = h & mask
        while seen[j] != 0 and keys[j] != h:
            j = (j + np.uint64(1)) & mask
        keys[j] = h
        out[i] = seen[j]
        seen[j] += 1


def repeats(hashed: np.ndarray) -> np.ndarray:
    """For each hash, how many equal hashes come before it (0 for a first occurrence): one pass
    over an open-addressing table (the hashes are already mixed, so their low bits index it).

    >>> repeats(np.array([7, 9, 7, 7], dtype=np.uint64)).tolist()
    [0, 0, 1, 2]
    """
    rank = np.zeros(len(hashed), dtype=np.int32)
    _ranks(np.asarray(hashed, dtype=np.uint64), rank)
    return rank


def event_ids(hashed: np.ndarray, rank: np.ndarray) -> pl.Series:
    """Ids from hashes: 16 hex digits, then ``~k`` where ``rank`` (see :func:`repeats`) is k > 0."""
    ids = pl.Series("event_id", _hex(hashed))
    idx = np.flatnonzero(rank > 0)
    if len(idx) == 0:
        return ids
    sub = pl.select(ids.gather(idx) + "~" + pl.Series(rank[idx]).cast(pl.String)).to_series()
    return ids.scatter(idx, sub).alias("event_id")


def event_id_array(hashed: np.ndarray, rank: np.ndarray) -> pa.Array:
    """:func:`event_ids` as an Arrow string array."""
    if (rank > 0).any():
        return event_ids(hashed, rank).to_arrow().cast(pa.string())
    return _hex(hashed)


def content_ids(frame: pl.DataFrame, salt: bytes) -> pl.Series:
    """One id per row of ``frame``: the keyed hash of all its columns, ``~k`` on repeats."""
    hashed = hash64([frame[c] for c in frame.columns], salt)
    return event_ids(hashed, repeats(hashed))


@numba.njit(cache=True, nogil=True, inline="always")
def _fnv_decimal(h, value):  # pragma: no cover - compiled
    prime = np.uint64(0x100000001B3)
    digits = np.empty(20, dtype=np.uint8)
    k = 0
    v = -value if value < 0 else value
    while True:
        digits[k] = 48 + v % 10
        v //= 10
        k += 1
        if v == 0:
            break
    if value < 0:
        h = (h ^ np.uint64(45)) * prime
    for j in range(k - 1, -1, -1):
        h = (h ^ np.uint64(digits[j])) * prime
    return (h ^ np.uint64(0x1F)) * prime


@numba.njit(cache=True, nogil=True)
def _fnv_text_rows(data, number, a0, a1, b0, b1, part, seed, out):  # pragma: no cover - compiled
    for i in range(len(out)):
        h = _fnv_decimal(np.uint64(0) ^ seed, number[i])
        h = _fnv_span(h ^ seed, data, a0[i], a1[i])
        h = _fnv_span(h ^ seed, data, b0[i], b1[i])
        out[i] = _fnv_decimal(h ^ seed, part[i])


def hash_spans(number: np.ndarray, data: bytes, first: tuple[np.ndarray, np.ndarray],
               second: tuple[np.ndarray, np.ndarray], part: np.ndarray, salt: bytes, threads: int = 1) -> np.ndarray:
    """:func:`hash64` of the rows (``number``, ``data[first]``, ``data[second]``, ``part``) read
    straight from byte spans of ``data``, no string built: equal to ``hash64`` of the same values
    as columns (integers as their decimal text). A span starting at -1 reads as empty.

    >>> data = b"Budi: hello"
    >>> h = hash_spans(np.array([5]), data, (np.array([0]), np.array([4])), (np.array([6]), np.array([11])),
    ...                np.array([0]), b"s")
    >>> cols = [pl.Series([5]), pl.Series(["Budi"]), pl.Series(["hello"]), pl.Series([0])]
    >>> bool(h[0] == hash64(cols, b"s")[0])
    True
    """
    out = np.zeros(len(number), dtype=np.uint64)
    buf, seed = np.frombuffer(data, dtype=np.uint8), _seed(salt)
    cuts = np.linspace(0, len(out), threads + 1).astype(np.int64)

    def run(k: int) -> None:
        r = slice(cuts[k], cuts[k + 1])
        _fnv_text_rows(buf, number[r], first[0][r], first[1][r], second[0][r], second[1][r], part[r], seed, out[r])

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, range(threads)))
    _fmix(out)
    return out
