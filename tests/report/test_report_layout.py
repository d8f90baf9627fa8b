"""What the report says about its pieces: units, who is left out, names, the timeline's marks.

Built from small invented chats and a short simulation, so the checks are about the report's
wording and drawing, not the measures (those are tested in tests/measure and tests/validation).
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime

import pytest

from kohesi.report import make_report
from kohesi.report.content import WEAK, Score, weak_aspects
from kohesi.report.html import left_out_groups, trigger_text
from kohesi.report.i18n import lang
from kohesi.sources import simulation_reading


def _chat(tmp_path, silent: tuple[str, ...] = ("Pak Diam", "Bu Sepi")):
    """Four weeks of an invented RT chat where two members were added and never wrote."""
    lines = [f"01/10/26 07.00 - Pak RT added {name}" for name in silent]
    for day in range(1, 29):
        lines += [
            f"{day:02d}/10/26 08.00 - Bu Ani: Besok kerja bakti jam 7 ya",
            f"{day:02d}/10/26 08.03 - Pak Budi: Siap bu",
            f"{day:02d}/10/26 08.05 - Pak RT: Terima kasih semua",
            f"{day:02d}/10/26 09.00 - Mbak Citra: Saya bawa teh",
            f"{day:02d}/10/26 09.10 - Bu Ani: Makasih mbak",
        ]
    path = tmp_path / "WhatsApp Chat with RT 09.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def chat(tmp_path_factory):
    return _chat(tmp_path_factory.mktemp("chat"))


def _svgs(page: str) -> list[str]:
    return [base64.b64decode(m).decode() for m in re.findall(r'data:image/svg\+xml;base64,([^"]*)', page)]


def test_weak_means_below_half_and_among_the_lowest() -> None:
    high = [Score(k, v, None, None) for k, v in zip("abcde", (0.74, 0.80, 0.90, 0.85, 0.77), strict=True)]
    assert weak_aspects(high) == []
    mixed = [Score(k, v, None, None) for k, v in zip("abcde", (0.57, 0.84, 0.37, 0.93, 0.56), strict=True)]
    assert weak_aspects(mixed) == ["c"]
    assert WEAK == 0.5


def test_suggestion_values_on_the_0_to_100_scale() -> None:
    t = lang("id")
    assert trigger_text("cooperation", 0.37, t) == "37 dari 100"
    assert trigger_text("newcomer_inclusion", 0.16, t) == "16%"
    assert trigger_text("cooperation", 0.5, lang("en")) == "50 out of 100"


def test_left_out_grouped_by_reason() -> None:
    rows = [{"label": f"A{i:02d}", "reason": "silent", "posts": 0} for i in range(30, 45)]
    rows += [{"label": "A05", "reason": "unanswered", "posts": 3}]
    groups = left_out_groups(rows, limit=12)
    assert [g["reason"] for g in groups] == ["silent", "unanswered"]
    assert groups[0]["n"] == 15 and len(groups[0]["labels"]) == 12 and groups[0]["more"] == 3
    assert groups[1] == {"reason": "unanswered", "n": 1, "labels": ["A05"], "more": 0}


@pytest.mark.parametrize("code", ["id", "en"])
def test_silent_members_by_code_then_by_name(chat, code: str) -> None:
    coded = make_report(chat, tz="Asia/Jakarta", lang_code=code, bootstrap=10)
    page = coded.to_html()
    summary = re.search(r'<section id="summary".*?</section>', page, re.S).group(0)
    silent = [m["label"] for m in coded.data.left_out if m["reason"] == "silent"]
    assert len(silent) == 2 and all(re.fullmatch(r"A\d\d", s) for s in silent)
    for label in silent:
        assert label in summary
    assert not coded.data.names
    assert "--names" in page
    named = make_report(chat, tz="Asia/Jakarta", lang_code=code, bootstrap=10, names=True)
    page = named.to_html()
    summary = re.search(r'<section id="summary".*?</section>', page, re.S).group(0)
    assert named.data.names
    assert "Pak Diam" in summary and "Bu Sepi" in summary
    assert "--names" not in page
    # and every isolated member is labelled in the network map
    network = next(s for s in _svgs(page) if "Pak Diam" in s)
    assert "Bu Sepi" in network


def test_units_read_out_of_100(chat) -> None:
    """Outside the method appendix no number is written as a fraction of one ("0,37")."""
    page = make_report(chat, tz="Asia/Jakarta", lang_code="id", bootstrap=10).to_html()
    page = re.sub(r'<section id="method".*?<footer>', "", re.sub(r'src="data:[^"]*"', "", page), flags=re.S)
    text = re.sub(r"<[^>]+>", " ", page)
    assert "dari 100" in text
    fractions = re.findall(r"(?<![\d,.])[01],\d+\b", text)
    assert not fractions, fractions


def test_simulated_interventions_on_the_timeline() -> None:
    meta = {b"kohesi.simulate.interventions": b"gotong-royong@100:7*1.0,education@30:0*2"}
    got = simulation_reading(meta)
    assert got["format"] == "simulation"
    assert [(i["kind"], i["start"], i["period_days"]) for i in got["interventions"]] == [
        ("gotong-royong", datetime(2024, 4, 10, tzinfo=UTC), 7), ("education", datetime(2024, 1, 31, tzinfo=UTC), 0)]
    assert simulation_reading({b"other": b"x"}) == {}
    assert simulation_reading(None) == {}


def test_simulated_report_marks_the_intervention(tmp_path) -> None:
    from kohesi.simulate import simulate

    run = simulate("keluarga", 84, seed=3, interventions=["gotong-royong@42:weekly"])
    path = tmp_path / "sim.parquet"
    run.to_parquet(path)
    rep = make_report(path, lang_code="en", bootstrap=10)
    assert [i["kind"] for i in rep.data.reading["interventions"]] == ["gotong-royong"]
    page = rep.to_html()
    trend = next(s for s in _svgs(page) if "cohesion index" in s)
    assert "gotong-royong" in trend
    assert "Dashed lines: when the simulated intervention began." in page


def _members_file(tmp_path):
    path = tmp_path / "warga.csv"
    path.write_text("name,peran,RT\nBu Ani,pengurus,01\nPak Budi,warga,01\nPak RT,pengurus,02\n"
                    "Mbak Citra,warga,02\nPak Diam,warga,01\nBu Sepi,warga,02\n", encoding="utf-8")
    return path


def test_a_members_file_with_roles_shows_the_solidarity_type(chat, tmp_path) -> None:
    """Roles and where members live are read from the members file's peran and RT columns, so
    the page can tell mechanical from organic solidarity, as it promises."""
    rep = make_report(chat, tz="Asia/Jakarta", lang_code="en", bootstrap=10, members_file=_members_file(tmp_path))
    assert rep.data.solidarity_type["available"]
    assert rep.data.solidarity_type["interdependence"] is not None
    assert rep.data.solidarity_type["similarity"] is not None
    without = make_report(chat, tz="Asia/Jakarta", lang_code="en", bootstrap=10)
    assert not without.data.solidarity_type["available"]


def test_an_unknown_role_column_is_named(chat, tmp_path) -> None:
    from kohesi.errors import KohesiError

    with pytest.raises(KohesiError, match=r"--role: the members file has no column 'jabatan'; its columns: peran, RT"):
        make_report(chat, tz="Asia/Jakarta", bootstrap=0, members_file=_members_file(tmp_path), role="jabatan")
