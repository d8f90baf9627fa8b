"""Numbered sign-up lists: ``numbered_items``, ``SignupChains`` and ``annotate``.

Expected behaviour is read from the rules in the docstring of :mod:`kohesi.text.signup`, the
docstring of :func:`kohesi.text.annotate.annotate` and the ``signup`` row of docs/acts.md. Cases
where the code departs from those rules are kept and marked ``xfail(strict=True)``.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

from kohesi.events import EVENT_SCHEMA, conform, validate_events
from kohesi.text.annotate import annotate
from kohesi.text.signup import ListPost, SignupChains, follow_lists, numbered_items

KB = "Kerja bakti Minggu 14 Juni"
RONDA = "Ronda malam Sabtu"


def roster(header: str | None, names: list[str]) -> str:
    """A list message: an optional header line, then ``1. name`` lines."""
    return "\n".join(([header] if header else []) + [f"{i}. {n}" for i, n in enumerate(names, 1)])


# ------------------------------------------------------------------------------------------
# numbered_items
# ------------------------------------------------------------------------------------------


def test_numbered_items_docstring_example():
    post = numbered_items("Kerja bakti Minggu\n1. Pak Harjo\n2) Bu  Yuni")
    assert post == ListPost(header="kerja bakti minggu", items=((1, "pak harjo"), (2, "bu yuni")))
    assert post.keys == frozenset({"pak harjo", "bu yuni"})


def test_numbering_styles():
    post = numbered_items(
        "Daftar\n1. Pak Harjo\n2) Bu Yuni\n3 - Mas Dedi\n4: Mbak Rina\n- 5. Pak Eko"
    )
    assert [n for n, _ in post.items] == [1, 2, 3, 4, 5]
    assert [k for _, k in post.items] == [
        "pak harjo",
        "bu yuni",
        "mas dedi",
        "mbak rina",
        "pak eko",
    ]


def test_items_are_normalised():
    a = numbered_items("Kerja bakti\n1. Pak Harjo\n2. Mas Dedi ✅")
    b = numbered_items("KERJA BAKTI\n1. PAK HARJO\n2. mas  dedi")
    assert a.keys == b.keys == {"pak harjo", "mas dedi"}
    assert a.header == b.header == "kerja bakti"


def test_two_numbered_lines_without_header_are_a_list():
    post = numbered_items("1. Pak Harjo\n2. Bu Yuni")
    assert post is not None and post.header == "" and len(post.items) == 2


def test_one_item_under_a_header_is_a_list():
    post = numbered_items(roster(KB, ["Pak Harjo"]))
    assert post == ListPost(
        header=" ".join(re.sub(r"[^\w\s+/]", " ", KB.lower()).split()), items=((1, "pak harjo"),)
    )


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "Rapat jam 7.30 ya",
        "Kerja bakti\n2. Pak Harjo",
        "Kerja bakti Minggu\nkumpul di pos jam 7",
        KB,
    ],
    ids=[
        "none",
        "empty",
        "one-line",
        "single-item-not-1",
        "no-items",
        "header-only",
    ],
)
def test_not_a_list(text):
    assert numbered_items(text) is None


def test_lone_first_item_only_extends_a_list():
    post = numbered_items("1. Pak Harjo")
    assert post is not None and post.items == ((1, "pak harjo"),) and not post.opens
    assert SignupChains().add("x", post, 0.0) is None  # alone, not a list
    assert numbered_items("1. Pak Harjo dan keluarga besar dari blok C") is None  # a sentence, not a name


def test_template_opens_a_chain_its_first_name_signs_up():
    chains = SignupChains()
    assert numbered_items("Yang bisa ikut tulis nama:\n1.").items == ()
    assert chains.add("t", "Kerja bakti Minggu, yang bisa ikut tulis nama:\n1.", 0.0) == ("t", False, True)
    assert chains.add("a", "1. Ijal", 0.01) == ("t", True, False)
    assert chains.add("b", "1. Ijal\n2. Pak Darwis + 2 anak", 0.02) == ("t", True, False)
    assert chains.add("c", "1. Ijal\n2. Pak Darwis + 2 anak", 0.03) == ("t", False, False)  # pasted back


def test_lone_first_name_fills_the_template_not_a_longer_list_it_is_on():
    chains = SignupChains()
    chains.add("r", "Jadwal ronda\n1. Pak Joko\n2. Mas Yanto\n3. Pak Harjo", 0.0)
    chains.add("t", "Panitia qurban butuh tenaga, mangga nyerat nami:\n1.", 0.01)
    assert chains.add("a", "1. Mas Yanto", 0.02) == ("t", True, False)


def test_template_with_sections_extended_under_its_section_header():
    chains = SignupChains()
    opened = "17an! Panitia lomba butuh volunteer, isi nama ya:\nPANITIA:\n1.\n\nPESERTA LOMBA ANAK:\n1."
    assert chains.add("t", opened, 0.0) == ("t", False, True)
    assert chains.add("a", "PANITIA:\n1. Dimas\n\nPESERTA LOMBA ANAK:\n1. Kenzo (7)", 0.01) == ("t", True, False)


def test_template_of_another_activity_is_not_extended_by_a_headed_list():
    chains = SignupChains()
    chains.add("t", "Ronda malam Sabtu, tulis nama:\n1.", 0.0)
    assert chains.add("k", "Arisan ibu-ibu bulan depan\n1. Bu Ani", 0.01) == ("k", True, True)


def test_date_schedule_is_a_list():
    template = "Jadwal takjil Ramadhan, 1 hari 1 keluarga:\n1 Ramadhan:\n2 Ramadhan:\n3 Ramadhan:\n4 Ramadhan:"
    assert numbered_items(template).items == ()
    one = "1 Ramadhan: Kel. Darwis\n2 Ramadhan:\n3 Ramadhan:\n4 Ramadhan:"
    two = "1 Ramadhan: Kel. Darwis\n2 Ramadhan: Kel. Rudi\n3 Ramadhan:\n4 Ramadhan:"
    assert [k for _, k in numbered_items(two).items] == ["kel darwis", "kel rudi"]
    chains = SignupChains()
    assert chains.add("t", template, 0.0) == ("t", False, True)
    assert chains.add("a", one, 0.01) == ("t", True, False)
    assert chains.add("b", two, 0.02) == ("t", True, False)
    assert numbered_items("Tgl 5: Pak Budi\nTgl 12: Bu Ani\nTgl 19: Mas Joko").keys == {"pak budi", "bu ani", "mas joko"}
    assert numbered_items("12 orang: sudah\n3 kali: belum\n4 hari: lagi") is None  # numbers, not dates


def test_template_with_empty_slots_filled_out_of_order():
    post = numbered_items("Daftar kerja bakti\n1.\n2. Bu Yuni\n3.")
    assert post is not None and post.items == ((2, "bu yuni"),)


# ------------------------------------------------------------------------------------------
# SignupChains
# ------------------------------------------------------------------------------------------


def test_list_extended_by_successive_members():
    chains = SignupChains()
    assert chains.add("e1", roster(KB, ["Pak Harjo"]), 0.0) == ("e1", True, True)
    assert chains.add("e2", roster(KB, ["Pak Harjo", "Bu Yuni"]), 0.1) == ("e1", True, False)
    assert chains.add("e3", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi"]), 0.2) == (
        "e1",
        True,
        False,
    )
    assert len(chains.open_chains) == 1


def test_non_list_message_is_none_and_changes_nothing():
    chains = SignupChains()
    chains.add("e1", roster(KB, ["Pak Harjo"]), 0.0)
    assert chains.add("x", "Saya ikut ya", 0.05) is None
    assert chains.add("y", None, 0.05) is None
    assert chains.add("e2", roster(KB, ["Pak Harjo", "Bu Yuni"]), 0.1) == ("e1", True, False)


def test_household_adding_two_names_signs_up_once():
    chains = SignupChains()
    chains.add("e1", roster(KB, ["Pak Harjo"]), 0.0)
    res = chains.add("e2", roster(KB, ["Pak Harjo", "Bu Yuni", "Pak Yanto (suami)"]), 0.1)
    assert res == ("e1", True, False)  # a single boolean: one sign-up per message


def test_list_pasted_back_signs_no_one():
    chains = SignupChains()
    chains.add("e1", roster(KB, ["Pak Harjo"]), 0.0)
    chains.add("e2", roster(KB, ["Pak Harjo", "Bu Yuni"]), 0.1)
    assert chains.add("e3", roster(KB, ["Pak Harjo", "Bu Yuni"]), 0.2) == ("e1", False, False)
    # …also without its header, or with an item dropped (a cancellation adds nobody).
    assert chains.add("e4", roster(None, ["Pak Harjo", "Bu Yuni"]), 0.3) == ("e1", False, False)
    assert chains.add("e5", roster(KB, ["Pak Harjo"]), 0.4) == ("e1", False, False)


def test_edited_item_signs_no_one():
    # "items only edited (same number, the item's first word kept: '3. Bu Yuni' ->
    # '3. Bu Yuni + suami'), signs no one up"; titles (Bu, Pak, Mas…) are not the first word.
    chains = SignupChains()
    chains.add("e1", roster(KB, ["Pak Harjo", "Mas Dedi", "Bu Yuni"]), 0.0)
    assert chains.add("e2", roster(KB, ["Pak Harjo", "Mas Dedi", "Bu Yuni + suami"]), 0.1) == (
        "e1",
        False,
        False,
    )
    assert chains.add("e3", roster(KB, ["Pak Harjo", "Mas Dedi", "Ibu Yuni + suami"]), 0.2) == (
        "e1",
        False,
        False,
    )


def test_changed_name_at_same_number_is_a_new_item():
    # Same number, but the first word is not kept: not an edit, so an item no earlier version
    # had - the poster signs up.
    chains = SignupChains()
    chains.add("e1", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi"]), 0.0)
    assert chains.add("e2", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Eko"]), 0.1) == (
        "e1",
        True,
        False,
    )
    # and the replaced name is not new when it comes back.
    assert chains.add("e3", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi"]), 0.2) == (
        "e1",
        False,
        False,
    )


def test_two_members_extending_the_same_version():
    chains = SignupChains()
    chains.add("e1", roster(KB, ["Pak Harjo", "Bu Yuni"]), 0.0)
    assert chains.add("e2", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi"]), 0.1) == (
        "e1",
        True,
        False,
    )
    assert chains.add("e3", roster(KB, ["Pak Harjo", "Bu Yuni", "Mbak Rina"]), 0.2) == (
        "e1",
        True,
        False,
    )
    merged = roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi", "Mbak Rina"])
    assert chains.add("e4", merged, 0.3) == ("e1", False, False)


def test_two_members_extending_the_same_version_with_haji_titles():
    chains = SignupChains()
    chains.add("e1", roster(KB, ["Pak Harjo", "Bu Yuni"]), 0.0)
    assert chains.add("e2", roster(KB, ["Pak Harjo", "Bu Yuni", "H. Dedi"]), 0.1) == (
        "e1",
        True,
        False,
    )
    assert chains.add("e3", roster(KB, ["Pak Harjo", "Bu Yuni", "H. Rina"]), 0.2) == (
        "e1",
        True,
        False,
    )


def test_two_parallel_lists_are_two_chains():
    chains = SignupChains()
    assert chains.add("k1", roster(KB, ["Pak Harjo"]), 0.0) == ("k1", True, True)
    assert chains.add("r1", roster(RONDA, ["Pak Slamet"]), 0.01) == ("r1", True, True)
    assert chains.add("k2", roster(KB, ["Pak Harjo", "Bu Yuni"]), 0.02) == ("k1", True, False)
    assert chains.add("r2", roster(RONDA, ["Pak Slamet", "Mas Eko"]), 0.03) == ("r1", True, False)
    assert chains.add("r3", roster(RONDA, ["Pak Slamet", "Mas Eko"]), 0.04) == ("r1", False, False)
    assert chains.add("k3", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi"]), 0.05) == (
        "k1",
        True,
        False,
    )
    assert len(chains.open_chains) == 2


def test_parallel_lists_opened_by_the_same_organiser():
    chains = SignupChains()
    assert chains.add("k1", roster(KB, ["Pak Harjo"]), 0.0) == ("k1", True, True)
    assert chains.add("r1", roster(RONDA, ["Pak Harjo"]), 0.01) == ("r1", True, True)


def test_copy_with_every_name_under_a_chatty_header_is_a_version():
    chains = SignupChains()
    chains.add("t", "Kerja bakti Minggu, tulis nama:\n1.\n2.\n3.", 0.0)
    chains.add("a", "1. Mang Ujang\n2. Cek Nurdin\n3.", 0.01)
    assert chains.add("b", "salah kirim kakak ni 😅\n1. Mang Ujang\n2. Cek Nurdin\n3. Yudi", 0.02) == ("t", True, False)
    # one name in common is not enough against another header: a new activity.
    assert chains.add("r", "Ronda malam Sabtu\n1. Mang Ujang", 0.03) == ("r", True, True)


def test_chain_membership_by_shared_items_or_header():
    chains = SignupChains()
    chains.add("e1", roster(KB, ["Pak Harjo", "Bu Yuni"]), 0.0)
    # the same non-empty header, no name in common: the same chain.
    assert chains.add("e2", roster(KB, ["Mas Dedi", "Mbak Rina"]), 0.1) == ("e1", True, False)
    # no header, half of the shorter list's items shared: the same chain.
    assert chains.add("e3", roster(None, ["Mas Dedi", "Pak Eko"]), 0.2) == ("e1", True, False)
    # no header, less than half shared: a new chain.
    assert chains.add("e4", roster(None, ["Pak Eko", "Bu Ani", "Bu Sri"]), 0.3) == (
        "e4",
        False,
        True,
    )
    # another header, nothing shared: a new chain.
    assert chains.add("e5", roster(RONDA, ["Pak Slamet"]), 0.4) == ("e5", True, True)
    assert chains.open_chains == ["e1", "e4", "e5"]


def test_repost_after_max_gap_days_starts_a_new_chain():
    chains = SignupChains(max_gap_days=7)
    chains.add("e1", roster(KB, ["Pak Harjo"]), 0.0)
    chains.add("e2", roster(KB, ["Pak Harjo", "Bu Yuni"]), 1.0)
    # within the gap (counted from the last version): still the same chain.
    assert chains.add("e3", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi"]), 7.5) == (
        "e1",
        True,
        False,
    )
    # more than max_gap_days after the last version: a new chain, whose first version (three
    # items) is a roster, not a sign-up.
    assert chains.add(
        "e4", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi", "Mbak Rina"]), 15.0
    ) == ("e4", False, True)
    assert chains.add(
        "e5", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi", "Mbak Rina", "Pak Eko"]), 15.5
    ) == ("e4", True, False)


def test_default_gap_is_thirty_days():
    chains = SignupChains()
    chains.add("e1", roster(KB, ["Pak Harjo", "Bu Yuni"]), 0.0)
    assert chains.add("e2", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi"]), 29.0)[0] == "e1"
    assert chains.add("e3", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi"]), 60.0) == (
        "e3",
        False,
        True,
    )


def test_first_list_with_one_item_signs_the_poster():
    chains = SignupChains()
    assert chains.add("e1", roster(KB, ["Pak Harjo"]), 0.0) == ("e1", True, True)


def test_first_list_with_several_items_is_a_roster():
    chains = SignupChains()
    assert chains.add("e1", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi"]), 0.0) == (
        "e1",
        False,
        True,
    )
    assert chains.add("e2", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi", "Mbak Rina"]), 0.1) == (
        "e1",
        True,
        False,
    )


def test_header_only_is_not_a_list():
    chains = SignupChains()
    assert chains.add("e0", f"{KB}\nYang ikut tulis nama ya", 0.0) is None
    assert chains.open_chains == []
    # the first list after it opens the chain.
    assert chains.add("e1", roster(KB, ["Pak Harjo"]), 0.1) == ("e1", True, True)


# ------------------------------------------------------------------------------------------
# annotate
# ------------------------------------------------------------------------------------------

T0 = dt.datetime(2024, 6, 10, 8, 0, tzinfo=dt.UTC)


def events(rows: list[tuple]) -> tuple[pa.Table, pa.Array]:
    """(group, event id, minutes after T0, actor, text) rows as a conformed event table and its
    aligned text column."""
    table = pa.table(
        {
            "group_id": [r[0] for r in rows],
            "event_id": [r[1] for r in rows],
            "ts": pa.array(
                [T0 + dt.timedelta(minutes=r[2]) for r in rows], pa.timestamp("us", tz="UTC")
            ),
            "actor": pa.array([r[3] for r in rows], pa.string()),
            "kind": ["message"] * len(rows),
            "text": pa.array([r[4] for r in rows], pa.string()),
            "n_chars": pa.array([len(r[4] or "") for r in rows], pa.int32()),
            "line": pa.array(range(1, len(rows) + 1), pa.int64()),
        }
    )
    return conform(table), pa.array([r[4] for r in rows], pa.string())


def added(out: pa.Table, n: int) -> list[dict]:
    return out.slice(n).to_pylist()


def by_id(out: pa.Table) -> dict[str, dict]:
    return {r["event_id"]: r for r in out.to_pylist()}


DAY = 24 * 60

CHAIN = [
    ("rt05", "e1", 0, "harjo", roster(KB, ["Pak Harjo"])),
    ("rt05", "e2", 5, "yuni", roster(KB, ["Pak Harjo", "Bu Yuni"])),
    ("rt05", "m1", 6, "dedi", "Makasih bu"),
    ("rt05", "e3", 9, "dedi", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi + istri"])),
    ("rt05", "e4", 20, "eko", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi + istri"])),
    ("rt05", "m2", 21, "eko", None),
    ("rt05", "e5", 25, "yuni", roster(KB, ["Pak Harjo", "Bu Yuni + suami", "Mas Dedi + istri"])),
]


def test_annotate_extended_list():
    table, text = events(CHAIN)
    out = annotate(table, text)
    assert out.schema == EVENT_SCHEMA
    validate_events(out)  # event ids stay unique within the group
    n = table.num_rows
    assert out.num_rows == n + 3
    # the original rows come first, unchanged but for acts.
    assert out.slice(0, n).drop_columns(["acts"]).equals(table.drop_columns(["acts"]))

    new = added(out, n)
    assert [r["event_id"] for r in new] == ["e1:signup", "e2:signup", "e3:signup"]
    assert [r["actor"] for r in new] == ["harjo", "yuni", "dedi"]
    source = by_id(out)
    for r in new:
        msg = source[r["event_id"].removesuffix(":signup")]
        assert r["kind"] == "activity"
        assert r["subtype"] == "signup"
        assert r["thread"] == "signup:e1"
        assert r["group_id"] == msg["group_id"] and r["ts"] == msg["ts"]
        assert r["text"] is None
        assert r["reply_to"] is None and r["target"] is None and r["mentions"] == []
        assert not r["acts"]  # the message carries the acts; the event does not repeat them


def test_annotate_acts_of_list_messages():
    table, text = events(CHAIN)
    acts = {
        r["event_id"]: r["acts"] for r in annotate(table, text).slice(0, table.num_rows).to_pylist()
    }
    assert "signup" in acts["e1"]
    for eid in ("e2", "e3"):  # later versions sign up and do not call the activity again
        assert "signup" in acts[eid] and "activity_call" not in acts[eid]
    assert acts["e4"] == []  # pasted back: no new name, no act
    assert acts["e5"] == []  # an item edited (first word kept): no act
    assert acts["m1"] == ["thanks"]
    assert acts["m2"] == []


def test_annotate_follows_time_not_row_order():
    table, text = events(list(reversed(CHAIN)))
    out = annotate(table, text)
    new = added(out, table.num_rows)
    assert sorted(r["event_id"] for r in new) == ["e1:signup", "e2:signup", "e3:signup"]
    assert {r["thread"] for r in new} == {"signup:e1"}


def test_annotate_parallel_lists_in_one_group():
    rows = [
        ("rt05", "k1", 0, "harjo", roster(KB, ["Pak Harjo"])),
        ("rt05", "r1", 1, "slamet", roster(RONDA, ["Pak Slamet"])),
        ("rt05", "k2", 2, "yuni", roster(KB, ["Pak Harjo", "Bu Yuni"])),
        ("rt05", "r2", 3, "eko", roster(RONDA, ["Pak Slamet", "Mas Eko"])),
        ("rt05", "k3", 4, "dedi", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi"])),
    ]
    table, text = events(rows)
    new = {r["event_id"]: r["thread"] for r in added(annotate(table, text), table.num_rows)}
    assert new == {
        "k1:signup": "signup:k1",
        "k2:signup": "signup:k1",
        "k3:signup": "signup:k1",
        "r1:signup": "signup:r1",
        "r2:signup": "signup:r1",
    }


def test_annotate_groups_are_followed_apart():
    rows = [
        ("rt05", "e1", 0, "harjo", roster(KB, ["Pak Harjo"])),
        ("rt06", "e1", 1, "budi", roster(KB, ["Pak Budi", "Bu Ani", "Mas Eko"])),
        ("rt05", "e2", 2, "yuni", roster(KB, ["Pak Harjo", "Bu Yuni"])),
    ]
    table, text = events(rows)
    new = added(annotate(table, text), table.num_rows)
    assert [(r["group_id"], r["event_id"], r["thread"]) for r in new] == [
        ("rt05", "e1:signup", "signup:e1"),
        ("rt05", "e2:signup", "signup:e1"),
    ]


def test_annotate_repost_after_gap_is_a_new_thread():
    rows = [
        ("rt05", "e1", 0, "harjo", roster(KB, ["Pak Harjo"])),
        ("rt05", "e2", 5, "yuni", roster(KB, ["Pak Harjo", "Bu Yuni"])),
        ("rt05", "f1", 40 * DAY, "harjo", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Eko"])),
        ("rt05", "f2", 40 * DAY + 5, "dedi", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Eko", "Mas Dedi"])),
    ]
    table, text = events(rows)
    out = annotate(table, text)
    new = {r["event_id"]: r["thread"] for r in added(out, table.num_rows)}
    assert new == {"e1:signup": "signup:e1", "e2:signup": "signup:e1", "f2:signup": "signup:f1"}
    assert "signup" not in by_id(out)["f1"]["acts"]


def test_annotate_roster_and_unknown_actor_add_no_event():
    rows = [
        ("rt05", "e1", 0, "harjo", roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi"])),
        ("rt05", "e2", 1, None, roster(KB, ["Pak Harjo", "Bu Yuni", "Mas Dedi", "Mbak Rina"])),
    ]
    table, text = events(rows)
    out = annotate(table, text)
    assert out.num_rows == table.num_rows
    assert "signup" not in by_id(out)["e1"]["acts"]
    assert "signup" in by_id(out)["e2"]["acts"]  # the message still signs someone up


def test_annotate_roster_with_call_header_is_a_call_not_a_signup():
    rows = [
        (
            "rt05",
            "e1",
            0,
            "harjo",
            "Besok kerja bakti, yang ikut tulis nama:\n1. Pak Harjo\n2. Bu Yuni\n3. Mas Dedi",
        )
    ]
    table, text = events(rows)
    out = annotate(table, text)
    assert out.num_rows == 1
    assert out["acts"].to_pylist() == [["activity_call"]]


def test_a_first_list_of_one_name_signs_its_poster_up_of_two_it_is_a_roster():
    """The organiser opening a list with their own name signs up; a first list of two names is a
    roster, though annotators often read its poster as the second name: a two-point agenda or
    topic schedule would otherwise sign its poster up."""
    chains = SignupChains()
    assert chains.add("a", roster("Daftar gotong royong Minggu 21", ["Pak Anang"])) == ("a", True, True)
    chains = SignupChains()
    assert chains.add("b", roster("Daftar gotong royong Minggu 21", ["Pak Anang", "Pak Rahmat"])) == ("b", False, True)
    chains = SignupChains()
    assert chains.add("c", "Jadwal kajian pekan ini:\n1. Senin: Tafsir\n2. Kamis: Fiqih") == ("c", False, True)


def test_annotate_without_lists_only_adds_acts():
    rows = [
        ("rt05", "m1", 0, "a", "Makasih bu"),
        ("rt05", "m2", 1, "b", None),
        ("rt05", "m3", 2, "c", "Rapat jam 7.30 ya\nbawa KTP"),
    ]
    table, text = events(rows)
    out = annotate(table, text)
    assert out.num_rows == 3
    assert out["acts"].to_pylist()[:2] == [["thanks"], []]
    assert out.drop_columns(["acts"]).equals(table.drop_columns(["acts"]))


def test_annotate_replaces_an_existing_acts_column():
    table, text = events(CHAIN[:2])
    table = table.set_column(
        table.column_names.index("acts"),
        "acts",
        pa.array([["hostility"], ["hostility"]], pa.list_(pa.string())),
    )
    out = annotate(table, text)
    assert out.column_names == table.column_names
    assert all("hostility" not in a for a in out["acts"].to_pylist())


# ------------------------------------------------------------------------------------------
# weekday schedules ("Senin: Sarah, Dede")
# ------------------------------------------------------------------------------------------

TAKJIL = "JADWAL BERBAGI TAKJIL\nSenen: {mon}\nSalasa: {tue}\nRebo:\nKemis:\nJumaah:"


def test_weekday_schedule_is_a_list_of_names_by_day():
    post = numbered_items(TAKJIL.format(mon="Sarah, Dede", tue="Iqbal & Rizky"))
    assert post.header == "jadwal berbagi takjil"
    assert post.items == ((101, "sarah"), (102, "dede"), (201, "iqbal"), (202, "rizky"))
    inline = numbered_items("Jadwal ronda:\nSenin: 1. Warsito 2. 3.\nSelasa: 1. Anto 2. 3.\nRabu: 1. 2. 3.")
    assert inline.items == ((101, "warsito"), (201, "anto"))
    english = numbered_items("Mon – Dimas\nTue – Rani\nWed – ?\nThu: Tom and Mei")
    assert english.keys == frozenset({"dimas", "rani", "tom", "mei"})


@pytest.mark.parametrize("text", [
    "Rapat hari Senin: jam 7 di balai",  # a day inside a sentence
    "Senin: libur\nSelasa: masuk",  # two day lines are not a schedule
    "Minggu depan kerja bakti, jangan lupa",
])
def test_not_a_weekday_schedule(text):
    assert numbered_items(text) is None


def test_weekday_schedule_chain_signs_up_who_adds_a_name():
    chains = SignupChains()
    assert chains.add("e1", TAKJIL.format(mon="Sarah", tue="")) == ("e1", True, True)  # the organiser's own name
    assert chains.add("e2", TAKJIL.format(mon="Sarah, Dede", tue="")) == ("e1", True, False)
    assert chains.add("e3", TAKJIL.format(mon="Sarah, Dede", tue="")) == ("e1", False, False)  # pasted back
    assert chains.add("e4", TAKJIL.format(mon="Sarah, Dede", tue="Iqbal")) == ("e1", True, False)
    assert chains.add("e5", "Mon – Dimas\nTue – Rani\nWed – Sarah") == ("e5", False, True)  # a roster, not a sign-up


def test_a_list_for_another_date_is_a_new_activity():
    """The RT head's schedule for the next month, or a kerja bakti list for another Sunday, is a
    new roster (its poster signs nobody up), not the old list extended."""
    chains = SignupChains()
    feb = "Jadwal ronda bulan Februari\nSenin: Mas Fajar, Pak Agus\nSelasa: Pak Rudi\nRabu: Mas Dedi"
    mar = "Jadwal ronda bulan Maret\nSenin: Mas Fajar, Pak Agus\nSelasa: Bu Yuni\nRabu: Mas Dedi"
    assert chains.add("e1", feb) == ("e1", False, True)
    assert chains.add("e2", mar, day=27.0) == ("e2", False, True)
    assert chains.add("e3", mar.replace("Bu Yuni", "Bu Yuni, Pak Harjo"), day=28.0) == ("e2", True, False)
    assert chains.add("e4", roster("Kerja bakti Minggu 14 Juni", ["Pak Harjo", "Bu Yuni"]), day=30.0)[2] is True
    assert chains.add("e5", roster("Kerja bakti Minggu 21 Juni", ["Pak Harjo", "Bu Yuni", "Mas Dedi"]), day=37.0) == (
        "e5", False, True)


def test_a_copy_naming_fewer_of_its_dates_is_the_same_list():
    """The organiser's call names the day and the hour ("Minggu tanggal 14 … jam 7"); the copies
    keep a short header ("Gotong royong Blok C Minggu 14"): no other date, the same list."""
    chains = SignupChains()
    call = ("PENGUMUMAN\nMinggu tanggal 14 kita gotong royong bersihkan parit Blok C, mulai jam 7 pagi.\n"
            "Yang ikut tulis nama ya:\n1. Pak Hasibuan")
    assert chains.add("e1", call) == ("e1", True, True)
    assert chains.add("e2", "Gotong royong Blok C Minggu 14\n1. Pak Hasibuan\n2. Bang Togar", day=0.1) == ("e1", True, False)
    assert chains.add("e3", "Gotong royong Blok C Minggu 21\n1. Pak Hasibuan\n2. Bang Togar", day=0.2)[2] is True


def test_a_list_for_a_day_of_the_month_is_not_the_month_roster():
    """A kerja bakti on one Sunday of June is another activity than the month's ronda roster, though
    its header shares "Juni" and "ronda" and its first name is on the roster; a header naming one
    of two days copies the list of both."""
    chains = SignupChains()
    ronda = "Jadwal ronda bulan Juni\nSenin: Pak Budi, Pak Imam\nSelasa: Pak Joko\nRabu: Mas Yoga"
    assert chains.add("r", ronda) == ("r", False, True)
    call = "Kerja bakti Minggu 14 Juni, cat pos ronda, jam 07.00\nYg bisa ikut tulis nama:\n1. Pak Budi"
    assert chains.add("k", call, day=1.0) == ("k", True, True)
    both = "Lomba Sabtu 13 dan Minggu 14 April\n1. Pak Sutrisno"
    assert chains.add("l", both, day=2.0) == ("l", True, True)
    assert chains.add("l2", "Sabtu 13 April:\n1. Pak Sutrisno\n2. Parmin", day=2.1) == ("l", True, False)


def test_a_day_line_above_a_numbered_list_stays_its_header():
    post = numbered_items("Minggu: kerja bakti\n1. Pak Harjo\n2. Bu Yuni")
    assert post.header == "minggu kerja bakti" and post.keys == frozenset({"pak harjo", "bu yuni"})


def test_names_numbered_under_day_headings():
    """A ronda schedule written as day headings with numbered slots under each: the names are the
    items, numbered by day and place; a copy with a name added signs its poster up."""
    template = "Ronda mulai malam Senin, silakan isi nama:\n\nSenin:\n1. {a}\n2. {b}\n\nSelasa:\n1. {c}\n2.\n\nRabu:\n1.\n2."
    post = numbered_items(template.format(a="Pak Syahrial", b="", c=""))
    assert post.items == ((101, "pak syahrial"),)
    assert post.header == "ronda mulai malam senin silakan isi nama"
    chains = SignupChains()
    assert chains.add("e1", template.format(a="Pak Syahrial", b="", c="")) == ("e1", True, True)
    assert chains.add("e2", template.format(a="Pak Syahrial", b="Zulkifli", c="")) == ("e1", True, False)
    assert chains.add("e3", template.format(a="Pak Syahrial", b="Zulkifli", c="")) == ("e1", False, False)
    assert chains.add("e4", template.format(a="Pak Syahrial", b="Zulkifli", c="Rizal")) == ("e1", True, False)


def test_numbered_day_lines_are_a_schedule():
    """"1. Senen: Kang Asep, Pak Ade": a numbered line that opens with a day is a day line of a
    schedule, its names the items; adding a name to a day signs up (it used to read as an edit of
    item 1). Two such lines are still a numbered list of topics, not a schedule."""
    ronda = "Jadwal ronda minggu ieu (RT 03):\n1. Senen: Kang Asep, Pak Ade\n2. Salasa: Mang Dudi\n3. Rebo: {rebo}"
    post = numbered_items(ronda.format(rebo="Kang Yusuf"))
    assert post.items == ((101, "kang asep"), (102, "pak ade"), (201, "mang dudi"), (301, "kang yusuf"))
    chains = SignupChains()
    assert chains.add("e1", ronda.format(rebo="Kang Yusuf")) == ("e1", False, True)
    assert chains.add("e2", ronda.format(rebo="Kang Yusuf, A Rendi")) == ("e1", True, False)
    topics = numbered_items("Jadwal kajian pekan ini:\n1. Senin: Tafsir\n2. Kamis: Fiqih")
    assert topics.items == ((1, "senin tafsir"), (2, "kamis fiqih"))


# ------------------------------------------------------------------------------------------
# follow_lists: a whole column of messages, placed as SignupChains places them one by one
# ------------------------------------------------------------------------------------------

_NAMES = ["Pak Harjo", "Bu Yuni", "Mas Dedi", "Mbak Rina", "Pak Eko", "Bu Ani", "Kel. Darwis", "Ijal",
          "Bu Yuni + suami", "Pak Harjo 2 org", "Dimas", "Kenzo (7)"]
_HEADERS = [None, KB, "Kerja bakti Minggu 21 Juni", RONDA, "Jadwal ronda bulan Maret", "Jadwal ronda bulan Februari",
            "Arisan ibu2", "Yang bisa ikut tulis nama:", "salah kirim 😅", "Gotong royong Minggu 14 jam 7",
            "Minggu tanggal 14 jam 7"]


def _random_chat(rng: random.Random, n: int) -> list[str | None]:
    """Lists, templates, lone first names, schedules and plain messages, as a group posts them."""
    out: list[str | None] = []
    for _ in range(n):
        r = rng.random()
        if r < 0.1:
            out.append(rng.choice([None, "Saya ikut ya", "1. " + rng.choice(_NAMES)]))
        elif r < 0.15:
            out.append("Senin: Pak Harjo, Bu Yuni\nSelasa: Mas Dedi\nRabu:\nKamis: Ijal & Dimas")
        else:
            head = rng.choice(_HEADERS)
            names = rng.sample(_NAMES, rng.randint(0, 6)) if r < 0.95 else [f"Warga {i}" for i in range(rng.randint(15, 40))]
            out.append("\n".join(([head] if head else []) + [f"{i}. {x}" if rng.random() > 0.1 else f"{i}."
                                                             for i, x in enumerate(names, 1)]))
    return out


@pytest.mark.parametrize("seed", range(4))
def test_follow_lists_places_a_column_as_the_chains_do_one_by_one(seed):
    rng = random.Random(seed)
    max_gap, max_open = rng.choice([(3.0, 2), (30.0, 32), (5.0, 4)])
    texts, groups, days = [], [], []
    for g in range(5):
        day = 0.0
        for text in _random_chat(rng, rng.randint(1, 60)):
            day += rng.choice([0.01, 0.5, 2.0, 5.0])
            texts.append(text), groups.append(g), days.append(day)
    expected = []
    chains: SignupChains | None = None
    for i, (text, g, day) in enumerate(zip(texts, groups, days, strict=True)):
        if i == 0 or g != groups[i - 1]:
            chains = SignupChains(max_gap_days=max_gap, max_open=max_open)
        expected.append(chains.add(i, text, day) or (-1, False, False))
    chain, signed, first = follow_lists(pl.Series(texts, dtype=pl.String), np.array(groups), np.array(days),
                                        max_gap_days=max_gap, max_open=max_open)
    assert list(zip(chain.tolist(), signed.tolist(), first.tolist(), strict=True)) == expected
    assert sum(c >= 0 for c in chain) > len(texts) // 2  # the lists were placed, not all passed over


def test_a_long_list_keeps_growing():
    chains = SignupChains()
    names = [f"Warga {i}" for i in range(60)]
    assert chains.add("e0", roster(KB, names[:30]), 0.0) == ("e0", False, True)
    for k in range(31, 61):
        assert chains.add(f"e{k}", roster(KB, names[:k]), k / 100) == ("e0", True, False)
    assert chains.add("x", roster(KB, names), 1.0) == ("e0", False, False)
