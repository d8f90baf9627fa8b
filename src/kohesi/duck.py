"""Small DuckDB helpers shared by the store and the hashing of ids."""

from __future__ import annotations

import duckdb
import pyarrow as pa

__all__ = ["to_arrow"]


def to_arrow(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    """A relation (``con.sql(...)``) as an Arrow table (DuckDB 1.x and 2.x spell it differently)."""
    fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
    return fetch()
