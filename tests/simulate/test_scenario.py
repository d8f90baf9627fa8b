"""Scenario files and intervention schedules."""

from __future__ import annotations

import pytest

from kohesi.errors import InputError
from kohesi.simulate import (
    INTERVENTIONS,
    Intervention,
    Scenario,
    list_scenarios,
    load_scenario,
    parse_intervention,
)


def test_builtin_scenarios_load():
    names = list_scenarios()
    assert set(names) >= {"keluarga", "kampung", "kota", "organisasi", "komunitas-online"}
    loaded = {n: load_scenario(n) for n in names}
    assert all(s.name == n and s.description for n, s in loaded.items())
    assert loaded["keluarga"].n_agents < loaded["kampung"].n_agents < loaded["kota"].n_agents
    assert loaded["kota"].individualism > loaded["kampung"].individualism
    assert loaded["komunitas-online"].social_media > loaded["kota"].social_media
    assert loaded["organisasi"].n_roles > loaded["kampung"].n_roles


def test_scenario_from_path_and_errors(tmp_path):
    good = tmp_path / "mine.toml"
    good.write_text('name = "mine"\n[group]\nn_agents = 50\n[threats]\nindividualism = 0.9\n')
    s = load_scenario(good)
    assert (s.name, s.n_agents, s.individualism) == ("mine", 50, 0.9)
    bad = tmp_path / "bad.toml"
    bad.write_text("[group]\nn_agentz = 50\n")
    with pytest.raises(InputError, match="n_agentz"):
        load_scenario(bad)
    rng = tmp_path / "range.toml"
    rng.write_text("[threats]\nmobility = 2.0\n")
    with pytest.raises(InputError, match="mobility"):
        load_scenario(rng)
    with pytest.raises(InputError, match="built-in scenarios"):
        load_scenario("atlantis")
    with pytest.raises(ValueError):
        Scenario(n_agents=1)


@pytest.mark.parametrize(
    "spec,expected",
    [
        ("gotong-royong@100:weekly", Intervention("gotong-royong", 100, 7)),
        ("education@0:30*0.5", Intervention("education", 0, 30, 0.5)),
        ("media@5:daily", Intervention("media", 5, 1)),
        ("policy@50", Intervention("policy", 50, 0)),
        ("leadership@3:once", Intervention("leadership", 3, 0)),
        ("public-spaces@10:monthly", Intervention("public-spaces", 10, 30)),
    ],
)
def test_parse_intervention(spec, expected):
    assert parse_intervention(spec) == expected


@pytest.mark.parametrize("spec", ["gotong-royong", "dance@1", "media@x", "media@1:yearly", "media@1:7*-1"])
def test_parse_intervention_errors(spec):
    with pytest.raises(ValueError):
        parse_intervention(spec)


def test_fires_schedule():
    weekly = Intervention("gotong-royong", 10, 7)
    assert [t for t in range(40) if weekly.fires(t)] == [10, 17, 24, 31, 38]
    once = Intervention("policy", 3)
    assert [t for t in range(10) if once.fires(t)] == [3]
    assert set(INTERVENTIONS) == {"education", "gotong-royong", "public-spaces", "policy", "media", "leadership"}
