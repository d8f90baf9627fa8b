"""kohesi: measure, explain and simulate social solidarity and cohesion in real groups.

The reader (:func:`read`, :func:`read_all`, :class:`EventLog`, :class:`ReadReport`) is loaded on
first use (PEP 562), so ``import kohesi`` and ``kohesi --help`` stay fast: numba, polars, pyarrow
and the rest load only when something needs them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# polars allocates with jemalloc, which by default keeps freed pages for 10 s: a million-message
# import then peaks ~120 MB higher than it needs. Returning them within 50 ms from a background
# thread costs ~0.02 s there (bench/RESULTS.md). Takes effect only when kohesi is imported before
# polars, and never overrides a setting the user made.
os.environ.setdefault("_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:50,muzzy_decay_ms:0")
# pyarrow's own pool (mimalloc) holds ~40 MB more at the peak of a million-message read than the
# C library's allocator, which kohesi already trims after the read, at the same speed
# (bench/RESULTS.md, session 9). The same rules: only before pyarrow, never over the user's choice.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

from kohesi.errors import InputError, KohesiError, StoreError  # noqa: E402  (light: no third-party imports)

if TYPE_CHECKING:
    from kohesi.ingest import EventLog, ReadReport, read, read_all

__all__ = ["read", "read_all", "EventLog", "ReadReport", "KohesiError", "InputError", "StoreError"]
__version__ = "0.1.0"

_LAZY = {"read": "kohesi.ingest", "read_all": "kohesi.ingest", "EventLog": "kohesi.ingest",
         "ReadReport": "kohesi.ingest"}


def __getattr__(name: str) -> Any:
    """``kohesi.read`` and friends: import :mod:`kohesi.ingest` on first use (PEP 562). A
    subpackage (``kohesi.ingest``, ``kohesi.measure``…) is imported on first access too, as
    ``import kohesi`` used to make ``kohesi.ingest`` and the modules it imports available."""
    import importlib
    import importlib.util

    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
    elif not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
