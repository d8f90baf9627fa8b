"""Acts are read from the text while it is in memory; the text itself goes nowhere unless kept.

The bundled RT example is read, stored, measured and reported without ``keep_text``; no message
text may appear in the store, the profile's JSON or the HTML report, while the acts do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kohesi
from kohesi.store import Store

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "WhatsApp Chat with Warga RT 05 Melati.txt"
)
# phrases of the example's messages: a condolence, a help request, a sign-up list line
PHRASES = (
    "turut berduka cita",
    "ada yang punya nomornya",
    "innalillahi",
    "matur nuwun",
    "pinjam tangga",
)


@pytest.fixture(scope="module")
def log():
    return kohesi.read(EXAMPLE, tz="Asia/Jakarta")


def _present(blob: str) -> list[str]:
    low = blob.lower()
    return [p for p in PHRASES if p in low]


def test_the_example_holds_the_phrases():
    """The check below can fail: the phrases are in the export itself."""
    assert _present(EXAMPLE.read_text(encoding="utf-8")) == list(PHRASES)


def test_acts_are_read_and_text_dropped(log):
    assert log.events["text"].null_count == log.events.num_rows
    acts = {a for row in log.events["acts"].to_pylist() if row for a in row}
    assert {"help_request", "sympathy", "thanks", "distress", "signup"} <= acts
    assert log.report.acts["signup_events"] > 0


def test_no_text_in_the_store(log, tmp_path):
    path = tmp_path / "k.duckdb"
    with Store(path) as st:
        st.add(log)
        dump = "\n".join(str(r) for r in st.con.execute("SELECT * FROM events").fetchall())
        assert (
            st.con.execute("SELECT count(*) FROM events WHERE text IS NOT NULL").fetchone()[0] == 0
        )
    assert _present(dump) == []
    assert _present(path.read_bytes().decode("latin-1")) == []


def test_no_text_in_the_profile_or_the_report(log):
    from kohesi.measure import measure
    from kohesi.report import report_from_events

    prof = measure(log.events, window="30D", bootstrap=0)
    assert _present(prof.to_json()) == []
    rep = report_from_events(log.events, lang_code="id", window="30D", bootstrap=0)
    html = rep.to_html()
    assert _present(html) == [] and _present(rep.to_json()) == []
    assert 'id="acts"' in html  # the counts are there, the words are not


def test_kept_text_is_tagged_the_same(log):
    kept = kohesi.read(EXAMPLE, tz="Asia/Jakarta", keep_text=True)
    assert kept.events["acts"].to_pylist() == log.events["acts"].to_pylist()
    assert _present("\n".join(t for t in kept.events["text"].to_pylist() if t)) == list(PHRASES)


def test_the_reader_reads_acts_as_annotate_does(log):
    """The WhatsApp reader reads the acts beside assembling the events (from each message's text
    and time, lists named by row); the other readers annotate the finished events. Both give the
    same events: the same acts, the same sign-up events, ids and threads, in the same order."""
    from kohesi.text.annotate import annotate

    plain = kohesi.read(EXAMPLE, tz="Asia/Jakarta", tag_acts=False, keep_text=True).events
    assert plain["acts"].null_count == plain.num_rows  # nothing read yet
    after = annotate(plain, plain["text"]).drop_columns(["text"])
    assert log.events.drop_columns(["text"]).equals(after)
    assert log.report.acts["signup_events"] == after.num_rows - plain.num_rows > 0
