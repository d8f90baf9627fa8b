"""The store remembers each import's first and last event, so that a later report can compare the
new period with the one before the earlier export (``Store.export_spans``, ``Store.earlier_end``);
a store written before kohesi recorded them gets the columns, filled where the store still tells."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

import kohesi
from kohesi.store import Store

TZ = ZoneInfo("Asia/Jakarta")


def _chat(days: int) -> list[tuple[datetime, str]]:
    """(local time, line) of an Indonesian Android export: two members write every day."""
    out = []
    for d in range(days):
        day = datetime(2026, 3, 1, tzinfo=TZ) + timedelta(days=d)
        for hh, who in ((8, "Budi Santoso"), (19, "Siti Rahayu")):
            t = day.replace(hour=hh, minute=5)
            out.append((t, f"{t:%d/%m/%y %H.%M} - {who}: kabar hari ke-{d} dari {who.split()[0]}"))
    return out


def _write(path: Path, lines: list[tuple[datetime, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(line for _, line in lines) + "\n", encoding="utf-8")
    return path


def _exports(tmp_path: Path) -> tuple[Path, Path, tuple[datetime, datetime], tuple[datetime, datetime]]:
    """An earlier export (the first 40 days) and a later one of the same chat (all 100 days),
    with the first and last message time of each, as the text says."""
    lines = _chat(100)
    earlier = _write(tmp_path / "earlier" / "WhatsApp Chat with RT 07.txt", lines[:80])
    later = _write(tmp_path / "later" / "WhatsApp Chat with RT 07.txt", lines)
    return earlier, later, (lines[0][0], lines[79][0]), (lines[0][0], lines[-1][0])


def _add(st: Store, path: Path) -> None:
    st.add(kohesi.read(path, group="rt07", salt=st.salt, tz="Asia/Jakarta"))


def test_each_import_records_its_first_and_last_event(tmp_path):
    earlier, later, span_a, span_b = _exports(tmp_path)
    with Store(tmp_path / "s.duckdb") as st:
        _add(st, earlier)
        assert st.earlier_end("rt07") is None  # one export: no earlier period
        _add(st, later)
        assert st.export_spans("rt07") == [span_a, span_b]
        assert st.earlier_end("rt07") == span_a[1]
        _add(st, later)  # the same export again: still one earlier period, the same one
        assert st.earlier_end("rt07") == span_a[1]
        # a report limited to an earlier date looks for an export that ended before that
        assert st.earlier_end("rt07", before=span_a[1]) is None


def _drop_span_columns(db: Path) -> None:
    """Make the store look like one written before imports recorded their spans."""
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE imports DROP COLUMN first_ts")
    con.execute("ALTER TABLE imports DROP COLUMN last_ts")
    con.close()


def test_an_old_store_gets_the_spans_of_nested_exports(tmp_path):
    earlier, later, span_a, span_b = _exports(tmp_path)
    db = tmp_path / "old.duckdb"
    with Store(db) as st:
        _add(st, earlier)
        _add(st, later)
    _drop_span_columns(db)
    with Store(db, read_only=True) as st:  # read as it is: the spans are inferred, nothing written
        assert st.export_spans("rt07") == [span_a, span_b]
        assert st.earlier_end("rt07") == span_a[1]
    with Store(db) as st:  # opened to write: migrated, the columns filled
        rows = st.con.execute("SELECT first_ts, last_ts FROM imports ORDER BY import_id").fetchall()
    assert [tuple(r) for r in rows] == [span_a, span_b]


def test_an_old_store_leaves_unknown_what_it_cannot_tell(tmp_path):
    """The later export imported first, then the earlier one: the second import did not hold
    every stored event, so which ones it held (and its last) is unknown, not guessed."""
    earlier, later, _, span_b = _exports(tmp_path)
    db = tmp_path / "old.duckdb"
    with Store(db) as st:
        _add(st, later)
        _add(st, earlier)
    _drop_span_columns(db)
    with Store(db) as st:
        assert st.export_spans("rt07") == [span_b, (None, None)]
        assert st.earlier_end("rt07") is None
