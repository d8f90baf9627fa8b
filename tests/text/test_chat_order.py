"""Messages are read after the one before them in their chat: which one that is, and that the
reader and the tagger agree on it whatever the row order of the table."""

from __future__ import annotations

import numpy as np
import polars as pl

from kohesi.text.annotate import previous_rows, read_acts
from kohesi.text.tagger import tag_masks

CHAT = ["Assalamualaikum, ada yang bisa bantu angkat lemari ke lantai 2? Sore ini", "Saya bisa pak, habis ashar",
        "Saya juga bisa", None, "Matur nuwun pak, nanti saya kabari", "Siap", "Tolong jangan parkir di depan gerbang ya",
        "Lha terus parkir di mana? Kan sempit semua", "Ya cari lah, jangan di situ", "Ok pak"]


def test_previous_row_skips_rows_without_text():
    s = pl.Series(["a", None, "b", "c"], dtype=pl.String)
    assert previous_rows(s, np.array([0, 1, 2, 3])).tolist() == [-1, -1, 0, 2]


def test_previous_row_follows_time_not_rows():
    s = pl.Series(["late", "early", "middle"], dtype=pl.String)
    assert previous_rows(s, np.array([30, 10, 20])).tolist() == [2, -1, 1]


def test_previous_row_stays_in_its_group_ties_in_row_order():
    s = pl.Series(["x1", "y1", "x2", "y2", "x3"], dtype=pl.String)
    group = pl.Series(["x", "y", "x", "y", "x"], dtype=pl.String)
    assert previous_rows(s, np.array([0, 0, 0, 1, 5]), group).tolist() == [-1, -1, 0, 1, 2]


def test_previous_row_of_groups_already_in_order_stops_at_each_group():
    s = pl.Series(["a1", "a2", "b1", None, "b2", "c1"], dtype=pl.String)
    group = pl.Series(["a", "a", "b", "b", "b", "c"], dtype=pl.String)
    assert previous_rows(s, np.array([0, 5, 1, 2, 3, 0]), group).tolist() == [-1, 0, -1, -1, 2, -1]


def test_reader_reads_each_message_after_the_one_before_whatever_the_row_order():
    """Two chats interleaved and shuffled read as each chat does alone, in order (the tagger given
    each message's previous one)."""
    rng = np.random.default_rng(3)
    other = [f"Pengumuman {i}: iuran bulan ini" if i % 3 else "Setuju" for i in range(len(CHAT))]
    texts = CHAT + other
    ts = np.r_[np.arange(len(CHAT)) * 60, np.arange(len(other)) * 60 + 30] * 1_000_000
    group = ["a"] * len(CHAT) + ["b"] * len(other)
    order = rng.permutation(len(texts))
    got = read_acts(pl.Series([texts[i] for i in order], dtype=pl.String), ts[order],
                    pl.Series([group[i] for i in order], dtype=pl.String)).masks
    alone = np.r_[tag_masks(CHAT, previous=np.array([-1, 0, 1, -1, 2, 4, 5, 6, 7, 8])),
                  tag_masks(other, previous=np.arange(len(other)) - 1)]
    assert got.tolist() == alone[order].tolist()
