"""kohesi: measure, explain and simulate social solidarity and cohesion in real groups."""

from __future__ import annotations

import os

# polars allocates with jemalloc, which by default keeps freed pages for 10 s: a million-message
# import then peaks ~120 MB higher than it needs. Returning them within 50 ms from a background
# thread costs ~0.02 s there (bench/RESULTS.md). Takes effect only when kohesi is imported before
# polars, and never overrides a setting the user made.
os.environ.setdefault("_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:50,muzzy_decay_ms:0")

from kohesi.errors import InputError, KohesiError, StoreError
from kohesi.ingest import EventLog, ReadReport, read, read_all

__all__ = ["read", "read_all", "EventLog", "ReadReport", "KohesiError", "InputError", "StoreError"]
__version__ = "0.1.0"
