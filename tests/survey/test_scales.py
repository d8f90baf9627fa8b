"""Scale files: the four built-in scales load with the documented structure; user-defined scales validate."""

from __future__ import annotations

import pytest

from kohesi.errors import InputError, KohesiError
from kohesi.survey import available_scales, load_scale, score
from kohesi.survey.scales import UNVALIDATED

BUILT_IN = ["buckner-short", "generalised-trust", "perceived-cohesion", "sampson-cohesion-trust"]


def test_built_in_scales_are_listed():
    assert available_scales() == BUILT_IN


def test_perceived_cohesion_structure():
    s = load_scale("perceived-cohesion")
    assert (s.n_items, s.response_min, s.response_max) == (6, 0, 10)
    assert s.parts() == {"total": ("pcs1", "pcs2", "pcs3", "pcs4", "pcs5", "pcs6"),
                         "belonging": ("pcs1", "pcs2", "pcs3"), "morale": ("pcs4", "pcs5", "pcs6")}
    assert s.reverse_keys == ()
    assert s.doi == "10.1093/sf/69.2.479" and "Bollen" in s.citation
    assert s.null_variance == pytest.approx(10.0)  # (11² − 1)/12


def test_sampson_structure():
    s = load_scale("sampson-cohesion-trust")
    assert (s.n_items, s.response_min, s.response_max) == (5, 1, 5)
    assert s.reverse_keys == ("sct4", "sct5")
    assert "Sampson" in s.citation and s.doi == "10.1126/science.277.5328.918"
    assert s.null_variance == pytest.approx(2.0)


def test_buckner_short_structure():
    s = load_scale("buckner-short")
    assert s.n_items == 8 and (s.response_min, s.response_max) == (1, 5)
    parts = s.parts()
    assert parts["community"] == ("nci1", "nci2", "nci5", "nci7")
    assert parts["neighbouring"] == ("nci3", "nci4", "nci8")
    assert parts["attraction"] == ("nci6",)
    assert "Buckner" in s.citation and "Understanding Society" in s.citation
    assert "Uncertainty" in s.notes


def test_generalised_trust_is_ess_ppltrst():
    s = load_scale("generalised-trust")
    assert s.item_keys == ("ppltrst",) and (s.response_min, s.response_max) == (0, 10)


@pytest.mark.parametrize("key", BUILT_IN)
def test_every_item_has_english_and_marked_indonesian_text(key):
    s = load_scale(key)
    assert s.translation_status("id") == UNVALIDATED
    for it in s.items:
        assert it.text["en"].strip() and it.text["id"].strip()
        assert it.translation == UNVALIDATED
    assert s.name["id"] and s.instructions["id"] and s.labels["id"]


@pytest.mark.parametrize(("k", "need"), [(1, 1), (3, 2), (5, 4), (6, 4), (8, 6)])
def test_two_thirds_rule(k, need):
    assert load_scale("perceived-cohesion").min_answered(k) == need


USER_SCALE = """
key = "rt-gotong-royong"
name = { en = "Mutual help", id = "Gotong royong" }
languages = { en = "original", id = "kohesi (unvalidated)" }
[source]
citation = "Our own items, 2026."
[response]
min = 1
max = 4
[[items]]
key = "gr1"
text = { en = "Neighbours help when someone is ill.", id = "Tetangga membantu ketika ada yang sakit." }
[[items]]
key = "gr2"
reverse = true
text = { en = "Nobody joins kerja bakti here." }
[[items]]
key = "gr3"
text = { en = "I join kerja bakti." }
"""


def test_user_defined_scale_loads_and_scores(tmp_path):
    path = tmp_path / "gotong.toml"
    path.write_text(USER_SCALE, encoding="utf-8")
    s = load_scale(path)
    assert s.key == "rt-gotong-royong" and s.reverse_keys == ("gr2",) and s.n_options == 4
    res = score({"gr1": [4, 3, 2], "gr2": [1, 2, 3], "gr3": [4, 3, None]}, scales=[path], n_boot=0)
    got = res.scores.filter(part="total").get_column("score").to_list()
    assert got == pytest.approx([4.0, 3.0, 2.0])  # gr2 reversed: 5 − x; third answers 2 of 3 ≥ ⌈2⌉


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace('citation = "Our own items, 2026."', ""), "citation"),
    (lambda t: t.replace("max = 4", "max = 1"), "min < max"),
    (lambda t: t.replace('key = "gr3"', 'key = "gr1"'), "used twice"),
    (lambda t: t.replace('key = "gr3"', 'key = "gr 3"'), "CSV column"),
    (lambda t: t.replace('key = "gr3"', 'key = "gr3"\nsubscale = "x"'), "not declared"),
    (lambda t: t.replace('text = { en = "I join kerja bakti." }', 'text = { id = "Saya ikut." }'), "English"),
])
def test_invalid_user_scales_are_rejected(tmp_path, edit, message):
    path = tmp_path / "bad.toml"
    path.write_text(edit(USER_SCALE), encoding="utf-8")
    with pytest.raises(InputError, match=message) as exc:
        load_scale(path)
    assert "bad.toml" in str(exc.value)


def test_unknown_scale_names_the_choices():
    with pytest.raises(KohesiError, match="perceived-cohesion"):
        load_scale("perceived-cohesin")
