"""The byte-level pieces of the WhatsApp reader against plain-Python references."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from kohesi.ingest import ids
from kohesi.ingest.whatsapp import scan, screen
from kohesi.ingest.whatsapp.header import civil_seconds

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


def _spans(parts: list[str | None]) -> tuple[bytes, list[int], list[int]]:
    """The parts written one after the other (with a separator), and each one's byte span
    (start -1 for None)."""
    data, start, end = b"", [], []
    for part in parts:
        raw = (part or "").encode()
        start.append(-1 if part is None else len(data))
        end.append(len(data) + len(raw))
        data += raw + b"\n"
    return data, start, end


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**40), texts, texts, st.integers(0, 5)), min_size=1, max_size=20),
       st.binary(max_size=8))
def test_hash_spans_equals_hash64_of_the_strings(rows, salt):
    data, a, b = b"", [], []
    for _, author, text, _ in rows:
        for part, spans in ((author, a), (text, b)):
            raw = part.encode()
            spans.append((len(data), len(data) + len(raw)))
            data += raw + b"\n"
    number = np.array([r[0] for r in rows], dtype=np.int64)
    part = np.array([r[3] for r in rows], dtype=np.int64)
    first = tuple(np.array(x, dtype=np.int64) for x in zip(*a, strict=True))
    second = tuple(np.array(x, dtype=np.int64) for x in zip(*b, strict=True))
    want = ids.hash64([pl.Series(number), pl.Series([r[1] for r in rows]), pl.Series([r[2] for r in rows]),
                       pl.Series(part)], salt)
    for threads in (1, 3):
        assert (ids.hash_spans(number, data, first, second, part, salt, threads) == want).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=60))
def test_repeats_counts_earlier_equal_hashes(values):
    hashed = np.array(values, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    want = [values[:i].count(v) for i, v in enumerate(values)]
    assert ids.repeats(hashed).tolist() == want


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), texts), max_size=30))
def test_span_series_reads_the_spans_across_buffer_blocks(parts):
    data, start, end = _spans(parts)
    old = scan._BLOCK
    try:
        scan._BLOCK = 16  # buffers of 32 bytes overlapping by 16: spans up to 16 bytes fit one
        short = [p if p is None or len(p.encode()) <= 16 else None for p in parts]
        keep = [p is None or len(p.encode()) <= 16 for p in parts]
        got = scan.span_series("x", data, np.array(start, np.int64)[keep], np.array(end, np.int64)[keep])
        assert got.to_list() == [p for p, k in zip(short, keep, strict=True) if k]
    finally:
        scan._BLOCK = old
    got = scan.span_series("x", data, np.array(start, np.int64), np.array(end, np.int64))
    assert got.to_list() == parts


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["dmy", "mdy", "ymd", "ydm"]), st.integers(0, 40), st.integers(0, 40), st.integers(0, 2300),
       st.integers(0, 23), st.integers(0, 59), st.integers(0, 59))
def test_civil_seconds_matches_datetime(order, a, b, year, hh, mi, ss):
    y_first = order in ("ymd", "ydm")
    d1, d2, d3 = (year, a, b) if y_first else (a, b, year)
    valid, seconds = civil_seconds(order, np.array([d1]), np.array([d2]), np.array([d3]), np.array([hh]),
                                   np.array([mi]), np.array([ss]))
    y = year + 2000 if year < 100 else year - 543 if year >= 2400 else year
    m, d = {"dmy": (b, a), "mdy": (a, b), "ymd": (a, b), "ydm": (b, a)}[order]
    try:
        want = dt.datetime(y, m, d, hh, mi, ss)
        ok = 1970 <= y <= 2200
    except ValueError:
        ok = False
    assert bool(valid[0]) == ok
    if ok:
        assert int(seconds[0]) == int((want - dt.datetime(1970, 1, 1)).total_seconds())


def test_line_starts_and_ends():
    for threads in (1, 2, 5):
        buf = np.frombuffer(b"a\n\nbc\nd\n\n", dtype=np.uint8)
        assert scan.line_starts(buf, threads).tolist() == [0, 2, 3, 6, 8]
    buf = np.frombuffer(b"a\n\nbc\nd", dtype=np.uint8)
    starts = scan.line_starts(buf)
    assert starts.tolist() == [0, 2, 3, 6]
    assert scan.line_ends(buf, starts).tolist() == [1, 2, 5, 7]
    buf = np.frombuffer(b"a\nb\n", dtype=np.uint8)
    starts = scan.line_starts(buf)
    assert starts.tolist() == [0, 2]
    assert scan.line_ends(buf, starts).tolist() == [1, 3]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["Budi", "Siti", "budi", "", "Budi ", "☕ Ani"]), texts),
                max_size=40))
def test_intern_numbers_equal_spans_in_order_of_appearance(parts):
    data, start, end = _spans(parts)
    codes, firsts = scan.intern(np.frombuffer(data, np.uint8), np.array(start, np.int64), np.array(end, np.int64))
    order = list(dict.fromkeys(p for p in parts if p is not None))
    assert codes.tolist() == [-1 if p is None else order.index(p) for p in parts]
    assert [parts[i] for i in firsts.tolist()] == order


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, max_size=20), st.lists(st.sampled_from(["<edited>", "<This message was edited>", "é>"]),
                                              min_size=1, max_size=3))
def test_suffix_length_is_the_longest_matching_suffix(parts, suffixes):
    data, start, end = _spans(parts)
    got = screen.suffix_length(np.frombuffer(data, np.uint8), np.array(start, np.int64), np.array(end, np.int64),
                             tuple(suffixes))
    want = [max((len(s) for s in suffixes if p.endswith(s)), default=0) for p in parts]
    assert got.tolist() == want


def _fnv_fmix(columns: list[str], salt: bytes) -> int:
    """The id hash as documented in :mod:`kohesi.ingest.ids`, in plain Python: FNV-1a seeded
    with the salt, each column followed by 0x1F, then MurmurHash3's fmix64."""
    mask = (1 << 64) - 1
    seed = 0xCBF29CE484222325
    for b in salt:
        seed = ((seed ^ b) * 0x100000001B3) & mask
    h = 0
    for col in columns:
        h ^= seed
        for b in col.encode() + b"\x1f":
            h = ((h ^ b) * 0x100000001B3) & mask
    for shift, mult in ((33, 0xFF51AFD7ED558CCD), (33, 0xC4CEB9FE1A85EC53), (33, None)):
        h ^= h >> shift
        if mult:
            h = (h * mult) & mask
    return h


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**40), texts, texts), min_size=1, max_size=5), st.binary(max_size=8))
def test_hash64_is_the_documented_fnv_fmix(rows, salt):
    got = ids.hash64([pl.Series([r[0] for r in rows]), pl.Series([r[1] for r in rows]),
                      pl.Series([r[2] for r in rows])], salt)
    assert got.tolist() == [_fnv_fmix([str(t), a, b], salt) for t, a, b in rows]


def _placeholder_patterns():
    from kohesi.ingest.whatsapp.classify import placeholders_of
    from kohesi.ingest.whatsapp.phrases import phrasebook

    return placeholders_of(phrasebook())


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_affix_screen_never_misses_a_placeholder(data):
    """Every text a placeholder pattern matches (drawn from the pattern itself, with spaces around
    it) is a candidate of the affix screen built from the patterns' affixes. The reader matches a
    body stripped of surrounding whitespace (``classify.first_match``), so a text the pattern
    matches only with its blanks ("  (الملف مرفق)": a file name of spaces) is no placeholder and
    need not be a candidate."""
    phrases = _placeholder_patterns()
    phrase = data.draw(st.sampled_from(phrases))
    text = data.draw(st.from_regex(phrase.pattern, fullmatch=True).filter(
        lambda t: "\n" not in t and re.search(phrase.pattern, t.strip()) is not None))
    pad = data.draw(st.sampled_from(["", " ", "\u00a0", "  "]))
    body = ("Budi: " + pad + text + pad).encode()
    prefixes = tuple(t for p in phrases if p.affixes[0] == "prefix" for t in p.affixes[1])
    suffixes = tuple(t for p in phrases if p.affixes[0] == "suffix" for t in p.affixes[1])
    buf = np.frombuffer(body, np.uint8)
    got = screen.affix_screen(buf, np.array([6], np.int64), np.array([len(body)], np.int64), prefixes, suffixes)
    assert got[0], (phrase.pattern, text)


def test_affix_screen_passes_ordinary_text():
    phrases = _placeholder_patterns()
    prefixes = tuple(t for p in phrases if p.affixes[0] == "prefix" for t in p.affixes[1])
    suffixes = tuple(t for p in phrases if p.affixes[0] == "suffix" for t in p.affixes[1])
    texts = ["Pagi semua, rapat jam 8", "Siap Pak", "ok"]
    body = "".join(texts).encode()
    starts = np.cumsum([0] + [len(t.encode()) for t in texts[:-1]])
    ends = starts + [len(t.encode()) for t in texts]
    got = screen.affix_screen(np.frombuffer(body, np.uint8), starts.astype(np.int64), ends.astype(np.int64),
                              prefixes, suffixes)
    assert not got.any()


@settings(max_examples=60, deadline=None)
@given(st.tuples(st.binary(max_size=150), st.sampled_from([b"\r", b"\r\n", b"\x00", b"\x01"]),
                 st.binary(max_size=150)).map(b"".join),  # a chunk with a CR or a stray control in it
       st.integers(min_value=0, max_value=5))
def test_two_thread_compaction_equals_plain_python(chunk, crs):
    """Line ends and stray control bytes repaired by two threads (a buffer over 1 MiB) equal the
    plain-Python rule: CR LF and a lone CR become LF, C0 controls but tab, LF, VT, FF and CR are
    dropped; CRs placed where the halves meet do not split a CR LF pair."""
    from kohesi.ingest.text import _compacted

    data = bytearray((chunk * ((1 << 20) // len(chunk) + 2))[: (1 << 20) + 3])
    data[len(data) // 2 - crs: len(data) // 2] = b"\r" * crs
    stray = {c for c in range(32) if c not in (9, 10, 11, 12, 13)} | {0x7F}
    expected = bytes(c for c in bytes(data).replace(b"\r\n", b"\n").replace(b"\r", b"\n") if c not in stray)
    assert _compacted(np.frombuffer(bytes(data), dtype=np.uint8)) == expected
