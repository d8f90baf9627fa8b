"""Shapes of real WhatsApp exports that readers miss, each with the exact events it must give.

The shapes (described in ``docs/formats.md``, "Real-export shapes"): clocks that jump backwards
and chats appended one after another; NUL and other stray bytes, isolated invalid UTF-8 and
CR-only line endings; 12 h and 24 h headers mixed in one file; the Arabic, Japanese-era and
time-before-date (Vietnamese) iOS layouts; system lines naming several members. Every chat is
invented. Expectations come from what a person reading the file sees, not from the reader.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kohesi

SALT = b"real-shapes-test-salt"


def _read(path: Path, **kw):
    kw = {"tz": "UTC", "keep_text": True, "keep_names": True, "salt": SALT, "tag_acts": False, **kw}
    return kohesi.read(path, **kw)


def _write(tmp_path: Path, content: str | bytes, name: str = "WhatsApp Chat with Warga RT 05.txt") -> Path:
    p = tmp_path / name
    p.write_bytes(content.encode() if isinstance(content, str) else content)
    return p


def _rows(log) -> list[tuple]:
    """(local minute, author name, kind, text) per event, in file order."""
    names = {m["actor"]: m["name"] for m in log.members.to_pylist()}
    out = []
    for r in log.events.to_pylist():
        out.append((r["ts"].strftime("%Y-%m-%d %H:%M"), names.get(r["actor"]), r["kind"], r["text"]))
    return out


def _names_line(warning: str, n: int) -> bool:
    """Whether ``warning`` names line ``n`` ("line 4", "lines 2, 4…")."""
    return any(str(n) in re.split(r"[,…\s]+", m) for m in re.findall(r"lines? ([\d, …]+)", warning))


def _posts(log) -> list[tuple[str, str, str]]:
    return [(t, a, x) for t, a, k, x in _rows(log) if k == "message"]


# ---------------------------------------------------------------------------------------------
# Clock jumps and appended chats
# ---------------------------------------------------------------------------------------------

def test_a_late_message_a_few_minutes_early_is_a_message(tmp_path):
    content = (
        "[22/11/26 08.00.00] Budi Santoso: Pagi semua\n"
        "[22/11/26 08.10.00] Siti Rahayu: Pagi Pak\n"
        "[22/11/26 08.06.00] Budi Santoso: Terkirim telat\n"
        "[22/11/26 08.20.00] Siti Rahayu: Oke\n"
    )
    log = _read(_write(tmp_path, content))
    assert _posts(log) == [
        ("2026-11-22 08:00", "Budi Santoso", "Pagi semua"),
        ("2026-11-22 08:10", "Siti Rahayu", "Pagi Pak"),
        ("2026-11-22 08:06", "Budi Santoso", "Terkirim telat"),
        ("2026-11-22 08:20", "Siti Rahayu", "Oke"),
    ]


def test_a_phone_clock_a_day_wrong_loses_no_message(tmp_path):
    content = (
        "20/11/26 10.00 - Budi Santoso: Satu\n"
        "20/11/26 18.00 - Siti Rahayu: Dua\n"
        "22/11/26 09.00 - Budi Santoso: Tiga\n"
        "21/11/26 09.00 - Siti Rahayu: Empat\n"
        "23/11/26 10.00 - Budi Santoso: Lima\n"
        "23/11/26 12.00 - Siti Rahayu: Enam\n"
    )
    log = _read(_write(tmp_path, content))
    assert [x for _, _, x in _posts(log)] == ["Satu", "Dua", "Tiga", "Empat", "Lima", "Enam"]
    warning = " ".join(log.report.warnings)
    assert "time order" in warning and _names_line(warning, 4)


def test_last_line_two_years_earlier_by_a_known_member_is_a_message(tmp_path):
    content = (
        "[22/11/26 08.00.00] Budi Santoso: Satu\n"
        "[22/11/26 08.01.00] Siti Rahayu: Dua\n"
        "[22/11/26 08.02.00] Budi Santoso: Tiga\n"
        "[22/11/24 09.00.00] Siti Rahayu: Dari dua tahun lalu\n"
    )
    log = _read(_write(tmp_path, content))
    assert _posts(log)[-1] == ("2024-11-22 09:00", "Siti Rahayu", "Dari dua tahun lalu")
    assert len(_posts(log)) == 4


def test_two_exports_appended_keep_every_message_in_file_order(tmp_path):
    """Two chats exported and pasted into one file: the second part starts again with the
    end-to-end notice and earlier dates; its members write nowhere in the first part."""
    first = (
        "01/03/26 07.00 - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, "
        "termasuk WhatsApp, dapat membaca atau mendengarkannya.\n"
        "01/03/26 07.05 - Budi Santoso: Rapat RT nanti malam\n"
        "01/03/26 07.06 - Siti Rahayu: Siap Pak\n"
        "01/03/26 07.10 - Budi Santoso: Jam 8 di balai\n"
        "01/03/26 07.12 - Siti Rahayu: Oke\n"
    )
    second = (
        "10/01/25 19.00 - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, "
        "termasuk WhatsApp, dapat membaca atau mendengarkannya.\n"
        "10/01/25 19.01 - Andi Wijaya: Arisan minggu depan di rumah saya\n"
        "10/01/25 19.02 - Dewi Lestari: Baik Mas\n"
        "10/01/25 19.03 - Andi Wijaya: Jangan lupa bawa undian\n"
        "10/01/25 19.04 - Dewi Lestari: Siap\n"
    )
    log = _read(_write(tmp_path, first + second))
    posts = _posts(log)
    assert [a for _, a, _ in posts] == ["Budi Santoso", "Siti Rahayu", "Budi Santoso", "Siti Rahayu",
                                        "Andi Wijaya", "Dewi Lestari", "Andi Wijaya", "Dewi Lestari"]
    assert posts[4] == ("2025-01-10 19:01", "Andi Wijaya", "Arisan minggu depan di rumah saya")
    assert sum(1 for r in _rows(log) if r[2] == "system") == 2
    assert _names_line(" ".join(log.report.warnings), 6)


def test_no_reply_is_inferred_across_a_backward_jump(tmp_path):
    content = (
        "22/11/26 08.00 - Budi Santoso: Satu\n"
        "22/11/26 08.01 - Siti Rahayu: Dua\n"
        "21/11/26 08.02 - Budi Santoso: Dari kemarin\n"
        "22/11/26 08.03 - Siti Rahayu: Empat\n"
    )
    log = _read(_write(tmp_path, content))
    replies = [r["reply_to"] is not None for r in log.events.to_pylist()]
    assert replies == [False, True, False, False]


def test_a_typed_header_naming_nobody_in_the_chat_stays_text(tmp_path):
    """The documented rule: a header-shaped line out of time order whose author writes no message
    of the file's own layout in time order, and that is no system line, is a member's typed text."""
    content = (
        "22/11/26 08.00 - Budi Santoso: Ini percakapan lama kita:\n"
        "01/01/20 10.00 - Budi: Rapat dibatalkan\n"
        "22/11/26 08.05 - Siti Rahayu: Wah masih disimpan\n"
    )
    log = _read(_write(tmp_path, content))
    assert _posts(log) == [
        ("2026-11-22 08:00", "Budi Santoso", "Ini percakapan lama kita:\n01/01/20 10.00 - Budi: Rapat dibatalkan"),
        ("2026-11-22 08:05", "Siti Rahayu", "Wah masih disimpan"),
    ]


def test_a_quoted_copy_of_a_members_own_message_stays_text(tmp_path):
    """A member pastes an earlier message of the chat (same time, author and text): a copy, not a
    second message."""
    content = (
        "22/11/26 08.00 - Budi Santoso: Iuran naik mulai Desember\n"
        "23/11/26 09.00 - Siti Rahayu: Pak, ini maksudnya?\n"
        "22/11/26 08.00 - Budi Santoso: Iuran naik mulai Desember\n"
        "23/11/26 09.05 - Budi Santoso: Iya Bu\n"
    )
    log = _read(_write(tmp_path, content))
    assert _posts(log) == [
        ("2026-11-22 08:00", "Budi Santoso", "Iuran naik mulai Desember"),
        ("2026-11-23 09:00", "Siti Rahayu", "Pak, ini maksudnya?\n22/11/26 08.00 - Budi Santoso: Iuran naik mulai Desember"),
        ("2026-11-23 09:05", "Budi Santoso", "Iya Bu"),
    ]


_NAMES = ["Budi Santoso", "Siti Rahayu", "Andi Wijaya", "Dewi Lestari", "Pak RT"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=8, max_value=40),
       st.floats(min_value=0.0, max_value=0.3))
def test_shuffled_timestamps_still_give_every_message(tmp_path, seed, n, share):
    """A generated chat whose timestamps are partly shuffled (late delivery, wrong clocks) gives
    every message, in file order, with its own time and author. Each member's first message
    keeps its place in time: the evidence that they write in this chat."""
    rng = random.Random(seed)
    times = sorted(rng.sample(range(0, 28 * 24 * 60), n))
    k = int(share * n)
    moved = rng.sample(range(len(_NAMES), n), min(k, n - len(_NAMES)))
    shuffled = [times[i] for i in moved]
    rng.shuffle(shuffled)
    for i, t in zip(moved, shuffled, strict=True):
        times[i] = t
    authors = [_NAMES[i % len(_NAMES)] if i < len(_NAMES) else rng.choice(_NAMES) for i in range(n)]
    lines, expect = [], []
    for i, (t, a) in enumerate(zip(times, authors, strict=True)):
        d, rest = divmod(t, 24 * 60)
        h, m = divmod(rest, 60)
        lines.append(f"{d + 1:02d}/10/26 {h:02d}.{m:02d} - {a}: pesan {i}")
        expect.append((f"2026-10-{d + 1:02d} {h:02d}:{m:02d}", a, f"pesan {i}"))
    d = tmp_path / f"s{seed}-{n}"
    d.mkdir(exist_ok=True)
    log = _read(_write(d, "\n".join(lines) + "\n"))
    assert _posts(log) == expect


# ---------------------------------------------------------------------------------------------
# Stray bytes and line endings
# ---------------------------------------------------------------------------------------------

_CHAT = (
    "22/11/26 08.00 - Budi Santoso: Pagi semua\n"
    "22/11/26 08.01 - Siti Rahayu: Pagi Pak\n"
    "22/11/26 08.02 - Budi Santoso: Rapat jam 8\n"
)


def test_nul_bytes_inside_a_message_are_removed_with_a_warning(tmp_path):
    data = _CHAT.replace("Pagi Pak", "Pagi\x00 Pak\x00").encode()
    log = _read(_write(tmp_path, data))
    assert [x for _, _, x in _posts(log)] == ["Pagi semua", "Pagi Pak", "Rapat jam 8"]
    warning = " ".join(log.report.warnings)
    assert "2 control" in warning and _names_line(warning, 2)


def test_an_invalid_utf8_byte_costs_one_character_not_the_chat(tmp_path):
    data = _CHAT.encode().replace(b"Rapat", b"Ra\xffpat")
    log = _read(_write(tmp_path, data))
    assert [x for _, _, x in _posts(log)] == ["Pagi semua", "Pagi Pak", "Ra\ufffdpat jam 8"]
    warning = " ".join(log.report.warnings)
    assert "invalid UTF-8" in warning and _names_line(warning, 3)


def test_a_real_binary_file_is_still_refused(tmp_path):
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    with pytest.raises(kohesi.InputError, match="binary"):
        _read(_write(tmp_path, data))


@pytest.mark.parametrize("ending", ["\r", "\r\n", "mixed"])
def test_cr_only_and_mixed_line_endings_are_lines(tmp_path, ending):
    lines = _CHAT.splitlines()
    if ending == "mixed":
        data = lines[0] + "\r" + lines[1] + "\r\n" + lines[2] + "\n"
    else:
        data = ending.join(lines) + ending
    log = _read(_write(tmp_path, data))
    assert [x for _, _, x in _posts(log)] == ["Pagi semua", "Pagi Pak", "Rapat jam 8"]


# ---------------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------------

def test_12_and_24_hour_headers_mixed_in_one_file(tmp_path):
    content = (
        "11/22/26, 8:00 AM - Budi Santoso: Pagi semua\n"
        "11/22/26, 8:01 AM - Siti Rahayu: Pagi Pak\n"
        "11/22/26, 8:05 AM - Budi Santoso: Rapat jam 8 malam\n"
        "22/11/2026, 20:10 - Siti Rahayu: Sudah di balai\n"
        "22/11/2026, 20:12 - Andi Wijaya: Saya menyusul\n"
        "11/23/26, 7:00 AM - Budi Santoso: Terima kasih semua\n"
    )
    log = _read(_write(tmp_path, content))
    assert _posts(log) == [
        ("2026-11-22 08:00", "Budi Santoso", "Pagi semua"),
        ("2026-11-22 08:01", "Siti Rahayu", "Pagi Pak"),
        ("2026-11-22 08:05", "Budi Santoso", "Rapat jam 8 malam"),
        ("2026-11-22 20:10", "Siti Rahayu", "Sudah di balai"),
        ("2026-11-22 20:12", "Andi Wijaya", "Saya menyusul"),
        ("2026-11-23 07:00", "Budi Santoso", "Terima kasih semua"),
    ]


_R = "\u200f"
_THREE_POSTS = [("2022-03-18 14:56", "Budi Santoso"), ("2022-03-18 14:57", "Siti Rahayu"),
                ("2022-03-19 09:02", "Budi Santoso")]


@pytest.mark.parametrize(("headers", "texts"), [
    pytest.param(("[3/18/R4, 14:56:01] ", "[3/18/R4, 14:57:30] ", "[3/19/R4, 9:02:00] "),
                 ("Pagi semua", "Pagi Pak", "Rapat jam 8"), id="japanese-era"),
    pytest.param((f"[{_R}18{_R}/3{_R}/2022\u060c 14:56:01] ", f"[{_R}18{_R}/3{_R}/2022\u060c 14:57:30] ",
                  f"[{_R}19{_R}/3{_R}/2022\u060c 9:02:00] "),
                 ("Pagi semua", "Pagi Pak", "Rapat jam 8"), id="arabic-rlm-and-comma"),
    pytest.param(("[14:56:01, 3/18/22] ", "[14:57:30, 3/18/22] ", "[09:02:00, 3/19/22] "),
                 ("Chào mọi người", "Chào anh", "Họp lúc 8 giờ"), id="time-before-date"),
])
def test_ios_layouts(tmp_path, headers, texts):
    content = "".join(f"{h}{a}: {x}\r\n" for h, (_, a), x in zip(headers, _THREE_POSTS, texts, strict=True))
    log = _read(_write(tmp_path, content))
    assert _posts(log) == [(t, a, x) for (t, a), x in zip(_THREE_POSTS, texts, strict=True)]


# ---------------------------------------------------------------------------------------------
# System lines naming several members
# ---------------------------------------------------------------------------------------------

def _members(log) -> set[str]:
    return {m["name"] for m in log.members.to_pylist()}


@pytest.mark.parametrize(("line", "kind", "who"), [
    ("Andi Wijaya and Dewi Lestari left", "leave", ["Andi Wijaya", "Dewi Lestari"]),
    ("Andi Wijaya, Dewi Lestari dan Rudi Hartono keluar", "leave", ["Andi Wijaya", "Dewi Lestari", "Rudi Hartono"]),
    ("Andi Wijaya, Dewi Lestari and Rudi Hartono joined using this group's invite link", "join",
     ["Andi Wijaya", "Dewi Lestari", "Rudi Hartono"]),
    ("Andi Wijaya: left", "leave", ["Andi Wijaya"]),
])
def test_membership_lines_naming_several_members(tmp_path, line, kind, who):
    content = (
        "22/11/26 08.00 - Budi Santoso: Pagi semua\n"
        f"22/11/26 08.01 - {line}\n"
        "22/11/26 08.02 - Siti Rahayu: Pagi Pak\n"
    )
    log = _read(_write(tmp_path, content))
    names = {m["actor"]: m["name"] for m in log.members.to_pylist()}
    got = [names[r["actor"]] for r in log.events.to_pylist() if r["kind"] == kind]
    assert got == who
    assert _members(log) == {"Budi Santoso", "Siti Rahayu", *who}
    for name in _members(log):
        assert not name.endswith(":") and not re.search(r"\b(and|dan|left|keluar)\b", name)


def test_russian_added_contact_names_the_number_not_the_word(tmp_path):
    content = (
        "22.11.2026, 08:00 - Борис: Всем привет\n"
        "22.11.2026, 08:01 - Борис добавил(-а) контакт +7\u00a0912\u00a0345-67-89\n"
        "22.11.2026, 08:02 - Светлана: Привет\n"
    )
    log = _read(_write(tmp_path, content))
    for name in _members(log):
        assert "контакт" not in name
    assert sum(1 for r in log.events.to_pylist() if r["kind"] == "add") == 1
