"""Indicators read from acts move the right way on groups whose state is known by construction.

Two neighbourhood groups talk alike (same members, same rhythm, same replies); they differ only
in what members do when one of them is in need, or after a quarrel. Any sociologist would rank
the group that answers bad news with condolences and help above the one that lets it pass, and
the group whose quarrels end in apologies above the one whose quarrels are left standing.
The bundled RT example (an invented export with such episodes) must measure empathy.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import kohesi
from kohesi.measure import measure
from kohesi.measure.testing import events_table

MEMBERS = [f"m{i}" for i in range(12)]


def _group(support: bool, repair: bool, seed: int = 0, weeks: int = 8) -> list[dict]:
    """Daily chatter among 12 members for ``weeks`` weeks; each week one member tells a
    misfortune and another asks for help, and every other week two members quarrel."""
    rng = np.random.default_rng(seed)
    rows: list[dict] = []
    for day in range(weeks * 7):
        t0 = day * 24 * 60
        for k in range(8):  # ordinary talk, answered by the next speaker
            a = MEMBERS[int(rng.integers(12))]
            rows.append({"actor": a, "t": t0 + 60 * k, "acts": []})
        if day % 7 == 1:
            rows.append({"actor": MEMBERS[day % 12], "t": t0 + 600, "acts": ["distress"]})
            rows.append({"actor": MEMBERS[(day + 3) % 12], "t": t0 + 610,
                         "acts": ["sympathy"] if support else []})
            rows.append({"actor": MEMBERS[(day + 5) % 12], "t": t0 + 620, "acts": ["sympathy"] if support else []})
        if day % 7 == 3:
            asker = MEMBERS[(day + 1) % 12]
            rows.append({"actor": asker, "t": t0 + 700, "acts": ["help_request"]})
            rows.append({"actor": MEMBERS[(day + 6) % 12], "t": t0 + 730, "acts": ["help_offer"] if support else []})
            rows.append({"actor": asker, "t": t0 + 760, "acts": ["thanks"] if support else []})
        if day % 14 == 5:
            a, b = MEMBERS[(day + 2) % 12], MEMBERS[(day + 7) % 12]
            rows.append({"actor": a, "t": t0 + 800, "acts": []})
            rows.append({"actor": b, "t": t0 + 805, "acts": ["hostility"], "reply_to": None})
            rows.append({"actor": b, "t": t0 + 2000, "acts": ["apology"] if repair else []})
    rows.sort(key=lambda r: r["t"])
    return rows


def _score(frame, col: str, name: str) -> float:
    import polars as pl

    return frame.filter((pl.col("window") == "all") & (pl.col(col) == name))["value"][0]


def _profile(rows):
    table = events_table(rows)
    from kohesi.events import SourceInfo, with_source_info

    table = with_source_info(table, SourceInfo("test", frozenset({"reply", "text", "deletion"}), "UTC"))
    return measure(table, window="7D", bootstrap=0)


@pytest.fixture(scope="module")
def groups():
    return {(s, r): _profile(_group(s, r)) for s in (True, False) for r in (True, False)}


def test_support_ranks_the_caring_group_higher(groups):
    caring, neglect = groups[(True, True)], groups[(False, True)]
    assert caring.value("supportive_response_rate") == 1.0
    assert neglect.value("supportive_response_rate") == 0.0
    assert caring.value("help_response_rate") > neglect.value("help_response_rate")
    emp = {k: _score(p.stages, "stage", "empathy") for k, p in groups.items()}
    assert emp[(True, True)] > emp[(False, True)]


def test_repair_ranks_the_reconciled_group_higher(groups):
    fixed, open_ = groups[(True, True)], groups[(True, False)]
    assert fixed.value("conflict_repair_rate") == 1.0
    assert open_.value("conflict_repair_rate") == 0.0

    assert _score(fixed.aspects, "aspect", "conflict") > _score(open_.aspects, "aspect", "conflict")


def test_same_talk_same_interaction(groups):
    """The groups differ in acts only: indicators blind to acts agree."""
    a, b = groups[(True, True)], groups[(False, False)]
    assert a.value("participation_rate") == pytest.approx(b.value("participation_rate"))


def test_the_rt_example_measures_empathy():
    example = Path(__file__).resolve().parents[2] / "examples" / "WhatsApp Chat with Warga RT 05 Melati.txt"
    log = kohesi.read(example, tz="Asia/Jakarta")
    p = measure(log.events, window="7D", bootstrap=0)
    v = p.value("supportive_response_rate")
    assert not math.isnan(v) and 0.3 < v < 1.0  # requests were answered, not all of them
    emp = _score(p.stages, "stage", "empathy")
    assert emp is not None and not math.isnan(emp)
    acts = p.meta["acts"]["all"]
    assert acts["help_request"] > acts["help_answered"] > 0 and acts["signups"] > 0
