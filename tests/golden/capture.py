"""Outputs whose bytes must not change when code moves without a change of behaviour.

``python tests/golden/capture.py`` writes ``hashes.json`` (the SHA-256 of each output);
``tests/test_golden.py`` recomputes them. Regenerate the file only for a change of behaviour you
mean, and say so in the commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {"small": ROOT / "examples" / "WhatsApp Chat with Warga RT 05.txt",
            "melati": ROOT / "examples" / "WhatsApp Chat with Warga RT 05 Melati.txt"}
SALT = b"kohesi-golden"
HASHES = Path(__file__).with_name("hashes.json")


def _digest(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _rows(table: Any) -> str:
    return json.dumps(table.to_pylist(), default=str, ensure_ascii=False, sort_keys=True)


def outputs(tmp: Path) -> dict[str, str]:
    """name → SHA-256 of every golden output (``tmp``: a scratch folder)."""
    import kohesi
    from kohesi.measure import measure
    from kohesi.report import report_from_events
    from kohesi.simulate import simulate

    out: dict[str, str] = {}
    for name, path in EXAMPLES.items():
        log = kohesi.read(path, tz="Asia/Jakarta", salt=SALT)
        out[f"parse:{name}"] = _digest(_rows(log.events) + _rows(log.members))
        out[f"profile:{name}"] = _digest(measure(log.events, bootstrap=20, seed=0).to_json())
    small = kohesi.read(EXAMPLES["small"], tz="Asia/Jakarta", salt=SALT)
    rep = report_from_events(small.events, members=small.members, bootstrap=20, lang_code="id")
    out["report-json:small"] = _digest(rep.to_json())
    out["report-html:small"] = _digest(rep.to_html())
    sys.path.insert(0, str(ROOT / "tests"))
    from ingest.test_whatsapp_fixtures import FIXTURES

    for name in sorted(FIXTURES):
        fx = FIXTURES[name]
        text = fx.content.replace("\n", "\r\n") if fx.crlf else fx.content
        path = tmp / fx.filename
        path.write_bytes(text.encode("utf-8"))
        log = kohesi.read(path, tz="UTC", salt=SALT, date_order=fx.date_order)
        out[f"parse-fixture:{name}"] = _digest(_rows(log.events) + _rows(log.members))
    sim = simulate("keluarga", 21, seed=3, interventions=["gotong-royong@7:weekly"])
    out["simulate:keluarga"] = _digest(_rows(sim.events) + sim.state.write_csv())
    from kohesi.batch import sweep

    summary = sweep("keluarga", "gotong_royong=0,weekly;individualism=0.2:0.6:2", runs=2, steps=20,
                    output=tmp / "sweep.parquet", seed=5, executor="serial")
    import polars as pl

    out["sweep:keluarga"] = _digest(pl.read_parquet(tmp / "sweep.parquet").write_csv())
    del summary
    return out


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        HASHES.write_text(json.dumps(outputs(Path(d)), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {HASHES}")
