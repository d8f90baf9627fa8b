"""Survey scores appear beside the chat's aspects, and disagreements are pointed out."""

from __future__ import annotations

import json
from pathlib import Path

from kohesi.report import make_report

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "WhatsApp Chat with Warga RT 05.txt"


def _responses(path: Path) -> Path:
    rows = ["respondent_id,rt,pcs1,pcs2,pcs3,pcs4,pcs5,pcs6,sct1,sct2,sct3,sct4,sct5"]
    for i in range(8):  # everyone feels they belong (10/10); trust answers in the middle of 1–5
        rows.append(f"r{i},05,10,10,10,10,10,10,3,3,3,3,3")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_survey_beside_the_aspects(tmp_path):
    rep = make_report(EXAMPLE, tz="Asia/Jakarta", lang_code="en", bootstrap=10, survey=_responses(tmp_path / "s.csv"))
    rows = {r["scale"]: r for r in json.loads(rep.to_json())["survey"]}
    pcs, sct = rows["perceived-cohesion"], rows["sampson-cohesion-trust"]
    assert pcs["value"] == 1.0 and pcs["n"] == 8 and pcs["aspect"] == "belonging"
    assert sct["value"] == 0.5 and sct["aspect"] == "trust_norms"  # (3 − 1) / (5 − 1); item 4 and 5 reverse-keyed: 3 stays 3
    aspects = {a["key"]: a["value"] for a in json.loads(rep.to_json())["aspects"]}
    assert pcs["behaviour"] == aspects["belonging"]
    assert pcs["disagree"] == (abs(1.0 - aspects["belonging"]) >= 0.2)
    html = rep.to_html()
    assert "What members say, beside what the chat shows" in html and "Perceived Cohesion Scale" in html
