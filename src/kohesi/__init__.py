"""kohesi: measure, explain and simulate social solidarity and cohesion in real groups."""

from __future__ import annotations

from kohesi.errors import InputError, KohesiError, StoreError
from kohesi.ingest import EventLog, ReadReport, read, read_all

__all__ = ["read", "read_all", "EventLog", "ReadReport", "KohesiError", "InputError", "StoreError"]
__version__ = "0.1.0"
