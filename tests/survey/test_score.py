"""Scoring: the missing-data rule, reverse keys, bad-input messages, templates and the round trip."""

from __future__ import annotations

import csv
import math

import polars as pl
import pytest
from typer.testing import CliRunner

from kohesi.cli.survey import survey_app
from kohesi.errors import InputError, KohesiError
from kohesi.survey import MISSING_RULE, csv_header, render_questionnaire, score, score_csv


def sampson(rows):
    cols = ["respondent_id", "rt", "sct1", "sct2", "sct3", "sct4", "sct5"]
    return pl.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], infer_schema_length=None)


ROWS = [
    ("a", "01", 5, 4, 4, 1, 2, ),     # reversed: 5, 4 → mean (5+4+4+5+4)/5 = 4.4
    ("b", "01", 4, 4, None, 2, 2),    # 4 of 5 answered ≥ ⌈10/3⌉ = 4 → (4+4+4+4)/4 = 4.0
    ("c", "01", 3, None, None, 3, 3),  # 3 of 5 answered < 4 → missing
    ("d", "02", 2, 2, 1, 4, 5),       # (2+2+1+2+1)/5 = 1.6
    ("e", "02", 1, 2, 2, 5, 4),       # (1+2+2+1+2)/5 = 1.6
    ("f", "02", 2, 1, 2, 4, 4),       # (2+1+2+2+2)/5 = 1.8
]


def test_scores_follow_reverse_keys_and_the_two_thirds_rule():
    res = score(sampson(ROWS), scales=["sampson-cohesion-trust"], group_col="rt", n_boot=0)
    got = dict(res.scores.select("respondent_id", "score").rows())
    assert got["a"] == pytest.approx(4.4) and got["b"] == pytest.approx(4.0)
    assert got["c"] is None
    assert [got[k] for k in "def"] == pytest.approx([1.6, 1.6, 1.8])
    assert res.scores.filter(respondent_id="c")["n_answered"].item() == 3
    assert res.scores["min_answered"].unique().to_list() == [4]
    assert "⌈2/3 · k⌉" in MISSING_RULE and any(MISSING_RULE in n for n in res.notes)
    assert "⌈2/3" in score.__doc__
    means = dict(res.groups.select("group", "mean").rows())
    assert means == pytest.approx({"01": 4.2, "02": 5.0 / 3})
    assert res.wide().columns == ["respondent_id", "rt", "sampson-cohesion-trust"]


def test_min_items_override():
    res = score(sampson(ROWS), scales=["sampson-cohesion-trust"], min_items=3, n_boot=0, ignore=["rt"])
    got = dict(res.scores.select("respondent_id", "score").rows())
    assert got["c"] == pytest.approx(3.0)  # 3, 3 → reversed 3, 3


def test_subscales_are_scored_separately():
    df = pl.DataFrame({"pcs1": [10, 8, 6], "pcs2": [10, 8, None], "pcs3": [10, 8, None],
                       "pcs4": [0, 2, 6], "pcs5": [0, 2, 6], "pcs6": [0, 2, 6]})
    res = score(df, scales=["perceived-cohesion"], n_boot=0)
    w = res.wide()
    assert w["perceived-cohesion.belonging"].to_list()[:2] == [10.0, 8.0]
    assert w["perceived-cohesion.belonging"][2] is None  # 1 of 3 answered < 2
    assert w["perceived-cohesion"].to_list() == pytest.approx([5.0, 5.0, 6.0])  # 4 of 6 answered


def test_scales_are_inferred_from_columns():
    res = score(pl.DataFrame({"ppltrst": [1, 5, 9]}), n_boot=0)
    assert [s.key for s in res.scales] == ["generalised-trust"]
    assert res.reliability["alpha"].item() is None  # single item: undefined, not invented


# ------------------------------------------------------------------------------------------------- bad input
def test_out_of_range_names_column_and_rows():
    rows = [list(r) for r in ROWS]
    rows[1][5] = 7
    rows[4][5] = 0
    with pytest.raises(InputError) as exc:
        score(sampson(rows), scales=["sampson-cohesion-trust"], group_col="rt", n_boot=0)
    msg = str(exc.value)
    assert "'sct4'" in msg and "rows 2, 5" in msg and "1–5" in msg
    assert exc.value.rows == [2, 5]


def test_csv_errors_give_line_numbers(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text("respondent_id,rt,sct1,sct2,sct3,sct4,sct5\n"
                    "a,01,5,4,4,1,2\nb,01,4,empat,4,2,2\nc,01,3,3,3,3,3\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        score_csv(path, ["sampson-cohesion-trust"], group_col="rt", n_boot=0)
    assert str(exc.value).startswith("responses.csv: column 'sct2': not a number in line 3")
    assert exc.value.line == 3


def test_non_integer_answers_are_rejected():
    with pytest.raises(InputError, match=r"'ppltrst': answers must be whole numbers; found 4.5 in row 2"):
        score(pl.DataFrame({"ppltrst": [3.0, 4.5, 6.0]}), n_boot=0)


def test_unknown_and_missing_columns():
    df = sampson(ROWS).with_columns(pl.lit("x").alias("Timestamp"))
    with pytest.raises(InputError, match=r"unknown column 'Timestamp'.*leave it out with ignore=\['Timestamp'\]$"):
        score(df, scales=["sampson-cohesion-trust"], group_col="rt", n_boot=0)
    with pytest.raises(InputError, match="leave it out with --ignore-col Timestamp$"):  # as the command line says it
        score(df, scales=["sampson-cohesion-trust"], group_col="rt", n_boot=0, flags={"ignore": "--ignore-col"})
    score(df, scales=["sampson-cohesion-trust"], group_col="rt", n_boot=0, ignore=["Timestamp"])
    with pytest.raises(InputError, match="missing item column.*sampson-cohesion-trust: sct5"):
        score(sampson(ROWS).drop("sct5"), scales=["sampson-cohesion-trust"], group_col="rt", n_boot=0)
    with pytest.raises(InputError, match=r"group column 'RT' not found \(group_col='RT'\).*did you mean group_col='rt'\?$"):
        score(sampson(ROWS), scales=["sampson-cohesion-trust"], group_col="RT", n_boot=0)


def test_too_few_respondents_in_a_group_is_reported_and_the_others_scored():
    rows = [*ROWS, ("g", "03", 3, 3, 3, 3, 3), ("h", "04", 4, 4, 2, 2, 2), ("i", "04", 5, 5, 1, 1, 1)]
    res = score(sampson(rows), scales=["sampson-cohesion-trust"], group_col="rt", n_boot=0)
    total = res.groups.filter(part="total").sort("group")
    assert total["group"].to_list() == ["01", "02", "03", "04"]
    assert total["enough"].to_list() == [True, True, False, False]
    assert total["n"].to_list() == [3, 3, 1, 2]
    assert total["mean"][1] == pytest.approx((1.6 + 1.6 + 1.8) / 3)  # 02 scored as before
    assert total["mean"][2] is None and total["rwg_j"][3] is None  # 03 and 04: no group mean, no r_wg
    agree = res.agreement.filter(part="total").row(0, named=True)
    assert agree["n_groups"] == 2  # the ICCs use 01 and 02 only
    note = next(n for n in res.notes if "not enough respondents" in n)
    assert "'03' (1 respondent, row 7)" in note and "'04' (2 respondents, rows 8, 9)" in note
    assert "at least 3 (min_group_size=3)" in note
    assert res.scores.filter(part="total").height == 9  # every respondent still has a score


def test_too_few_respondents_everywhere_still_scores_the_scale():
    res = score(sampson(ROWS), scales=["sampson-cohesion-trust"], group_col="rt", n_boot=0, min_group_size=4)
    assert not any(res.groups["enough"]) and res.agreement["n_groups"].to_list() == [0]
    assert res.reliability.filter(part="total")["n_scored"][0] == 5


def test_min_group_size_below_one_is_refused():
    with pytest.raises(KohesiError, match="min_group_size=0: a group needs 1 respondent or more"):
        score(sampson(ROWS), scales=["sampson-cohesion-trust"], group_col="rt", n_boot=0, min_group_size=0)


def test_empty_group_and_duplicate_ids():
    rows = [list(r) for r in ROWS]
    rows[2][1] = ""
    with pytest.raises(InputError, match="group column 'rt': empty in row 3"):
        score(sampson(rows), scales=["sampson-cohesion-trust"], group_col="rt", n_boot=0)
    rows = [list(r) for r in ROWS]
    rows[3][0] = "a"
    with pytest.raises(InputError, match="'respondent_id': duplicate ids in row 4"):
        score(sampson(rows), scales=["sampson-cohesion-trust"], group_col="rt", n_boot=0)
    with pytest.raises(InputError, match="no responses"):
        score(sampson(ROWS).clear(), scales=["sampson-cohesion-trust"], n_boot=0)


# -------------------------------------------------------------------------------------------------- templates
def test_templates_render_in_both_languages():
    html_id = render_questionnaire(["perceived-cohesion", "sampson-cohesion-trust"], "id", group_name="RT 05")
    html_en = render_questionnaire(["perceived-cohesion", "sampson-cohesion-trust"], "en", group_name="RT 05")
    assert '<html lang="id">' in html_id and '<html lang="en">' in html_en
    assert "Kuesioner" in html_id and "Pernyataan" in html_id and "Sangat setuju" in html_id
    assert "Saya merasa menjadi bagian dari RT 05." in html_id
    assert "belum divalidasi" in html_id and "kohesi (unvalidated)" in html_id
    assert "Questionnaire" in html_en and "I feel a sense of belonging to RT 05." in html_en
    assert "People in this neighbourhood can be trusted." in html_en and "not been validated" not in html_en
    assert "Bollen" in html_en and "10.1093/sf/69.2.479" in html_id
    for html in (html_id, html_en):  # every radio column: 11 for PCS, 5 for Sampson
        assert html.count('class="box"') == 6 * 11 + 5 * 5
    default = render_questionnaire(["perceived-cohesion"], "id")
    assert "Saya merasa menjadi bagian dari kelompok ini." in default
    assert "Kelompok ini adalah salah satu komunitas terbaik" in default  # capitalised at sentence start


def test_template_autoescapes():
    html = render_questionnaire(["perceived-cohesion"], "en", group_name="<script>x</script>")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_unknown_language():
    with pytest.raises(KohesiError, match="unknown questionnaire language"):
        render_questionnaire(["perceived-cohesion"], "fr")


def test_csv_header():
    assert csv_header(["perceived-cohesion"], group_col="rt") == "respondent_id,rt,pcs1,pcs2,pcs3,pcs4,pcs5,pcs6"
    assert csv_header(["generalised-trust"], group_col=None) == "respondent_id,ppltrst"


# ------------------------------------------------------------------------------------------------- round trip
def test_round_trip_template_csv_score(tmp_path):
    runner = CliRunner()
    out = tmp_path / "kuesioner.html"
    r = runner.invoke(survey_app, ["template", "--scale", "perceived-cohesion", "--scale", "sampson-cohesion-trust",
                                   "--lang", "id", "--group-col", "rt", "--group-name", "RT 05", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "Kuesioner" in out.read_text("utf-8")
    header = (tmp_path / "kuesioner.csv").read_text("utf-8").strip().split(",")
    assert header[:2] == ["respondent_id", "rt"] and len(header) == 2 + 6 + 5
    # fill the form as an online tool would export it
    answers = {
        "01": [[8, 9, 8, 7, 8, 9, 4, 4, 5, 2, 1], [9, 9, 9, 8, 8, 8, 5, 4, 4, 1, 2], [7, 8, 8, 8, 7, 7, 4, 5, 4, 2, 2]],
        "02": [[3, 2, 3, 4, 3, 2, 2, 2, 3, 4, 4], [2, 3, 2, 3, 3, 3, 2, 3, 2, 4, 5], [4, 3, 3, 2, 2, "", 3, 2, 2, 5, 4]],
    }
    filled = tmp_path / "jawaban.csv"
    with filled.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        n = 0
        for rt, rows in answers.items():
            for row in rows:
                n += 1
                w.writerow([f"R{n:02d}", rt, *row])
    res = score_csv(filled, ["perceived-cohesion", "sampson-cohesion-trust"], group_col="rt", n_boot=50)
    pcs = res.scores.filter(scale="perceived-cohesion", part="total")
    assert pcs["score"].to_list() == pytest.approx([49 / 6, 51 / 6, 45 / 6, 17 / 6, 16 / 6, 14 / 5])
    sct = res.scores.filter(scale="sampson-cohesion-trust", part="total")
    assert sct["score"][0] == pytest.approx((4 + 4 + 5 + 4 + 5) / 5)
    agree = res.agreement.filter(scale="perceived-cohesion", part="total").row(0, named=True)
    assert agree["n_groups"] == 2 and agree["icc1"] > 0.8 and agree["group_means_reliable"]
    assert res.groups.filter(part="total")["rwg_j"].min() > 0.9
    # and through the command line
    r = runner.invoke(survey_app, ["score", str(filled), "--scale", "perceived-cohesion", "--scale",
                                   "sampson-cohesion-trust", "--group-col", "rt", "--boot", "50",
                                   "--scores", str(tmp_path / "skor.csv")])
    assert r.exit_code == 0, r.output
    assert "ICC(1)" in r.output and "⌈2/3" in r.output
    wide = pl.read_csv(tmp_path / "skor.csv")
    assert wide.columns[:3] == ["respondent_id", "rt", "perceived-cohesion"]
    assert not math.isnan(wide["sampson-cohesion-trust"][5])


def test_cli_bad_input_raises_input_error(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("respondent_id,rt,ppltrst\n1,01,3\n2,01,12\n3,01,4\n", encoding="utf-8")
    r = CliRunner().invoke(survey_app, ["score", str(path), "--scale", "generalised-trust", "--group-col", "rt"])
    assert r.exit_code != 0 and isinstance(r.exception, InputError)
    assert str(r.exception).startswith("r.csv: column 'ppltrst': values outside the response range 0–10")
    assert "line 3 (e.g. 12)" in str(r.exception) and r.exception.line == 3


def test_cli_scores_the_other_groups_and_names_its_flags(tmp_path):
    """The template's CSV with one group of two: that group is listed as not enough respondents, the
    note names --min-group-size (not the Python parameter), and the run goes on (exit 0)."""
    path = tmp_path / "jawaban.csv"
    rows = ["R1,01,8,9,8,7,8,9", "R2,01,7,8,8,8,7,7", "R3,01,9,9,9,8,8,8", "R4,02,3,2,3,4,3,2", "R5,02,2,3,2,3,3,3"]
    path.write_text(csv_header(["perceived-cohesion"], group_col="rt") + "\n" + "\n".join(rows) + "\n", "utf-8")
    r = CliRunner().invoke(survey_app, ["score", str(path), "--group-col", "rt", "--boot", "0"],
                           env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    group_rows = [ln for ln in r.output.splitlines() if "│ 02 " in ln]
    assert len(group_rows) == 3 and all("not enough respondents" in ln for ln in group_rows)  # total and 2 parts
    assert any("│ 01 " in ln and "8.06" in ln for ln in r.output.splitlines())  # (49 + 45 + 51) / 18
    note = next(ln for ln in r.output.splitlines() if "not enough respondents in group" in ln)
    assert "'02' (2 respondents, lines 5, 6)" in note and "--min-group-size 3" in note
    assert "min_group_size" not in r.output
