import subprocess
import sys
from pathlib import Path

from kohesi.measure import ASPECTS, STAGES
from kohesi.measure.catalogue import all_indicators

ROOT = Path(__file__).resolve().parents[2]


def test_metadata_is_complete():
    inds = all_indicators()
    assert len(inds) >= 45
    for i in inds:
        assert i.title and i.formula and i.source, i.name
        assert i.proxy in ("validated", "plausible", "weak")
        assert i.orientation in ("up", "down", "report")
        assert i.range[0] < i.range[1]
        assert "Examples" in i.doc and ">>>" in i.doc, f"{i.name} lacks a doctest example"


def test_catalogue_covers_the_spec():
    inds = all_indicators()
    assert {i.stage for i in inds if i.stage} == set(STAGES)
    assert {i.aspect for i in inds if i.aspect} == set(ASPECTS)
    tags = {t for i in inds for t in i.tags}
    for t in ("grouptype", "solidarity_type", "factor:intensity", "factor:shared_goals", "factor:norms",
              "factor:leadership", "factor:communication", "threat:transactional", "threat:individualism",
              "threat:shallow_online"):
        assert t in tags, t
    assert all(i.proxy == "weak" for i in inds if i.stage == "empathy")


def test_docs_are_generated_from_the_registry():
    out = subprocess.run([sys.executable, str(ROOT / "docs" / "gen_indicators.py"), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
