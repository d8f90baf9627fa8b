"""Property tests for the WhatsApp reader.

1. Round trip: a generated chat (random authors, unicode names and phone numbers, random multi-line
   texts, one of the header variants of ``docs/formats.md`` §1, monotone timestamps) serialised
   to an export and read back gives exactly the generating messages.
2. Robustness: random bytes and random text never raise anything but ``InputError``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

UTC = dt.UTC
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# ---------------------------------------------------------------------------------------------
# Header variants: (name, platform, date order, seconds shown, crlf, formatter)
# ---------------------------------------------------------------------------------------------


def _h12(t: dt.datetime) -> tuple[int, str]:
    h = t.hour % 12 or 12
    return h, ("AM" if t.hour < 12 else "PM")


def _android_en_gb(t):
    return f"{t:%d/%m/%Y}, {t:%H:%M} - "


def _android_en_us(t):
    h, ap = _h12(t)
    return f"{t.month}/{t.day}/{t:%y}, {h}:{t:%M}\u202f{ap} - "


def _android_id(t):
    return f"{t:%d/%m/%y} {t:%H.%M} - "


def _ios_en_us(t):
    h, ap = _h12(t)
    return f"[{t.month}/{t.day}/{t:%y}, {h}:{t:%M:%S}\u202f{ap}] "


def _ios_id(t):
    return f"[{t:%d/%m/%y} {t:%H.%M.%S}] "


def _german(t):
    return f"{t:%d.%m.%y}, {t:%H:%M} - "


def _spanish(t):
    h, ap = _h12(t)
    return f"{t:%d/%m/%y}, {h}:{t:%M} {'a. m.' if ap == 'AM' else 'p. m.'} - "


def _iso(t):
    return f"{t:%Y-%m-%d}, {t:%H:%M} - "


@dataclass(frozen=True)
class Variant:
    name: str
    platform: str
    date_order: str
    seconds: bool
    crlf: bool
    fmt: object


VARIANTS = [
    Variant("android_en_gb", "android", "dmy", False, False, _android_en_gb),
    Variant("android_en_us_12h", "android", "mdy", False, False, _android_en_us),
    Variant("android_id", "android", "dmy", False, False, _android_id),
    Variant("ios_en_us", "ios", "mdy", True, True, _ios_en_us),
    Variant("ios_id", "ios", "dmy", True, True, _ios_id),
    Variant("german", "android", "dmy", False, False, _german),
    Variant("spanish", "android", "dmy", False, False, _spanish),
    Variant("iso", "android", "ymd", False, False, _iso),
]


# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------

# Words that could turn a body into a placeholder or system phrase; generated texts avoid them.
_PHRASES = re.compile(
    r"omitted|disertakan|deleted|dihapus|edited|diedit|location|lokasi|attached|terlampir|"
    r"missed|terjawab|security|keamanan|waiting|menunggu|encrypt|terenkripsi|null",
    re.IGNORECASE,
)

_name_word = st.text(
    alphabet=st.characters(categories=["Lu", "Ll", "Lo"], exclude_characters="~"),
    min_size=1,
    max_size=8,
)


def _is_clean_name(s: str) -> bool:
    return (
        unicodedata.normalize("NFKC", s) == s
        and s not in ("You", "Anda")
        and not _PHRASES.search(s)
        and s.strip() == s
    )


contact_names = st.lists(_name_word, min_size=1, max_size=3).map(" ".join).filter(_is_clean_name)


@st.composite
def phone_numbers(draw):
    cc = draw(st.sampled_from(["62", "60", "65"]))
    a = draw(st.integers(800, 899))
    b = draw(st.integers(0, 9999))
    c = draw(st.integers(0, 9999))
    return f"+{cc} {a}-{b:04d}-{c:04d}"


def _mask(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return f"+{digits[:2]}\u2026{digits[-4:]}"


_text_chars = st.characters(
    categories=["L", "N", "P", "S", "Zs"],
    exclude_characters="@<>\u200e\u200f\ufeff",
)
_emoji = st.sampled_from(
    [
        "\U0001f44d",
        "\U0001f64f",
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",
        "\u2764\ufe0f",
        "\U0001f3fd",
    ]
)


@st.composite
def text_lines(draw):
    """One line: starts with a letter (so it cannot look like a header), no edge whitespace."""
    first = draw(st.characters(categories=["Lu", "Ll", "Lo"]))
    rest = draw(st.lists(st.one_of(_text_chars, _emoji), max_size=30).map("".join))
    line = (first + rest).strip()
    return line


# Continuation lines that look like something else but are message text (never a first line).
_tricky_lines = st.sampled_from(
    [
        "1. Senin: Tafsir",
        "10.00 kumpul di pos ronda",
        "22/11 rapat lagi",
        "22/11/2026 rapat lagi",
        "[catatan] bawa KTP",
        "- beras 5 kg",
        "Tempat: Balai RW",
        "https://maps.google.com/?q=-6.2,106.8",
        "Budi Santoso left",
        "Pak RT added Budi Santoso",
        "<Media omitted>",
        "This message was deleted",
        "Messages and calls are end-to-end encrypted.",
        "~ Andi: halo",
    ]
)


@st.composite
def message_texts(draw):
    first = draw(text_lines())
    if _PHRASES.search(first):
        first = "Halo"
    more = draw(st.lists(st.one_of(text_lines(), _tricky_lines, st.just("")), max_size=4))
    while more and more[-1] == "":
        more.pop()
    return "\n".join([first, *more])


@st.composite
def chats(draw):
    variant = draw(st.sampled_from(VARIANTS))
    n_authors = draw(st.integers(1, 5))
    authors: list[tuple[str, bool]] = []  # (raw author as generated, is_phone)
    seen_keys: set[str] = set()
    for _ in range(n_authors):
        if draw(st.booleans()):
            raw, is_phone = draw(phone_numbers()), True
            key = re.sub(r"\D", "", raw)
        else:
            raw, is_phone = draw(contact_names), False
            key = raw
        if key in seen_keys:
            continue
        seen_keys.add(key)
        authors.append((raw, is_phone))
    # Start on a day > 12 so that values decide d/m versus m/d without chronology.
    t = dt.datetime(
        2026,
        11,
        draw(st.integers(13, 20)),
        draw(st.integers(0, 23)),
        draw(st.integers(0, 59)),
        draw(st.integers(0, 59)),
    )
    n = draw(st.integers(1, 12))
    msgs = []
    for _ in range(n):
        t = t + dt.timedelta(
            seconds=draw(st.one_of(st.integers(0, 600), st.integers(0, 3 * 86400)))
        )
        who = draw(st.integers(0, len(authors) - 1))
        msgs.append((t, who, draw(message_texts())))
    return variant, authors, msgs


def _serialise(variant: Variant, authors, msgs) -> str:
    out = []
    for t, who, text in msgs:
        raw, is_phone = authors[who]
        if is_phone:
            cc, rest = raw.split(" ", 1)
            sep = "\u00a0" if variant.platform == "ios" else " "
            shown = f"\u202a{cc}{sep}{rest}\u202c"
        else:
            shown = raw
        out.append(f"{variant.fmt(t)}{shown}: {text}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@SETTINGS
@given(chat=chats())
def test_generated_chats_read_back_exactly(wa, chat):
    variant, authors, msgs = chat
    content = _serialise(variant, authors, msgs)
    name = "_chat.txt" if variant.platform == "ios" else "WhatsApp Chat with Warga RT 05.txt"
    log = wa.read(wa.write(content, name, crlf=variant.crlf))

    assert log.report.platform == variant.platform
    assert log.report.date_order == variant.date_order
    rows = [r for r in log.events.to_pylist() if r["kind"] != "activity"]  # sign-ups read from lists
    names = {m["actor"]: (m["name"], m["is_phone"]) for m in log.members.to_pylist()}
    assert len(rows) == len(msgs), content

    actor_of: dict[int, str] = {}
    for r, (t, who, text) in zip(rows, msgs, strict=True):
        want_ts = t if variant.seconds else t.replace(second=0)
        assert r["ts"] == want_ts.replace(tzinfo=UTC), (content, r)
        assert r["kind"] == "message", (content, r)
        assert r["text"] == text, (content, r)
        raw, is_phone = authors[who]
        want_name = _mask(raw) if is_phone else raw
        assert names[r["actor"]] == (want_name, is_phone), (content, r)
        assert actor_of.setdefault(who, r["actor"]) == r["actor"]
    # different authors are different members (even if two masked numbers look alike)
    assert len(set(actor_of.values())) == len(actor_of)
    # a clear phone number never leaks
    strings = wa.all_strings(log)
    for raw, is_phone in authors:
        if is_phone:
            clear = re.sub(r"\D", "", raw)
            assert not any(clear in re.sub(r"\D", "", s) for s in strings), raw


# Phrase tables for generated system, media and deleted lines (docs/formats.md §1 table), by language.
_PHRASEBOOK = {
    "en": {
        "media_android": "<Media omitted>",
        "media_ios": "image omitted",
        "deleted_android": "This message was deleted",
        "deleted_ios": "This message was deleted.",
        "join": "{x} joined using this group's invite link",
        "leave": "{x} left",
        "add": "{x} added {y}",
    },
    "id": {
        "media_android": "<Media tidak disertakan>",
        "media_ios": "gambar tidak disertakan",
        "deleted_android": "Pesan ini telah dihapus",
        "deleted_ios": "Pesan ini dihapus.",
        "join": "{x} bergabung menggunakan tautan undangan grup ini",
        "leave": "{x} keluar",
        "add": "{x} menambahkan {y}",
    },
}
_LANG = {
    "android_en_gb": "en",
    "android_en_us_12h": "en",
    "ios_en_us": "en",
    "iso": "en",
    "android_id": "id",
    "ios_id": "id",
}
_STOPWORDS = {
    "and",
    "dan",
    "added",
    "menambahkan",
    "left",
    "keluar",
    "joined",
    "bergabung",
    "removed",
    "mengeluarkan",
    "you",
    "anda",
    "changed",
    "mengubah",
    "telah",
    "warga",
    "rt",
}
GROUP = "Warga RT 05"


def _plain_name(s: str) -> bool:
    return not ({w.lower() for w in s.split()} & _STOPWORDS)


@st.composite
def chats_with_system_lines(draw):
    """Messages mixed with media, deleted, join, leave and add lines (en and id variants)."""
    variant = draw(st.sampled_from([v for v in VARIANTS if v.name in _LANG]))
    names = draw(st.lists(contact_names.filter(_plain_name), min_size=2, max_size=5, unique=True))
    t = dt.datetime(
        2026,
        11,
        draw(st.integers(13, 20)),
        draw(st.integers(0, 23)),
        draw(st.integers(0, 59)),
        draw(st.integers(0, 59)),
    )
    items = []
    for _ in range(draw(st.integers(1, 12))):
        t = t + dt.timedelta(seconds=draw(st.integers(0, 7200)))
        kind = draw(st.sampled_from(["message", "media", "deleted", "join", "leave", "add"]))
        x = draw(st.sampled_from(names))
        y = draw(st.sampled_from([n for n in names if n != x]))
        text = draw(message_texts()) if kind == "message" else None
        items.append((t, kind, x, y, text))
    return variant, items


def _serialise_with_system(variant: Variant, items) -> tuple[str, list[tuple]]:
    book = _PHRASEBOOK[_LANG[variant.name]]
    ios = variant.platform == "ios"
    lrm = "\u200e" if ios else ""
    lines, expected = [], []
    for t, kind, x, y, text in items:
        head = variant.fmt(t)
        ts = (t if variant.seconds else t.replace(second=0)).replace(tzinfo=UTC)
        if kind == "message":
            lines.append(f"{head}{x}: {text}")
            expected.append((ts, x, "message", None, text))
        elif kind in ("media", "deleted"):
            phrase = book[f"{kind}_{variant.platform}"]
            lines.append(f"{head}{x}: {lrm}{phrase}")
            expected.append((ts, x, kind, None, None))
        else:
            phrase = book[kind].format(x=x, y=y)
            lines.append(f"{head}{GROUP}: \u200e{phrase}" if ios else f"{head}{phrase}")
            expected.append((ts, x, kind, y if kind == "add" else None, None))
    return "\n".join(lines) + "\n", expected


@SETTINGS
@given(chat=chats_with_system_lines())
def test_generated_chats_with_system_lines_read_back_exactly(wa, chat):
    variant, items = chat
    content, expected = _serialise_with_system(variant, items)
    name = "_chat.txt" if variant.platform == "ios" else "WhatsApp Chat with Warga RT 05.txt"
    log = wa.read(wa.write(content, name, crlf=variant.crlf))
    names = {m["actor"]: m["name"] for m in log.members.to_pylist()}
    rows = [r for r in log.events.to_pylist() if r["kind"] != "activity"]  # sign-ups read from lists
    got = [
        (
            r["ts"],
            names.get(r["actor"]),
            r["kind"],
            names.get(r["target"]) if r["kind"] == "add" else None,
            r["text"] if r["kind"] == "message" else None,
        )
        for r in rows
    ]
    assert got == expected, content
    for r in rows:
        if r["kind"] in ("media", "deleted"):
            assert r["text"] is None, (content, r)
    people = {x for _t, _k, x, _y, _tx in items} | {y for _t, k, _x, y, _tx in items if k == "add"}
    assert set(names.values()) == people, content


def _assert_only_input_error(wa, data: bytes, **kw):
    InputError = wa.input_error()
    path = wa.write(data, "chat.txt")
    try:
        log = wa.read(path, **kw)
    except InputError:
        return
    from kohesi.events import EVENT_SCHEMA

    assert log.events.schema.equals(EVENT_SCHEMA, check_metadata=False)
    ids = log.events.column("event_id").to_pylist()
    assert len(set(ids)) == len(ids)
    assert log.report.n_events == log.events.num_rows


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_random_bytes_raise_only_input_error(wa, data):
    _assert_only_input_error(wa, data)


@SETTINGS
@given(text=st.text(max_size=2000))
def test_random_text_raises_only_input_error(wa, text):
    _assert_only_input_error(wa, text.encode("utf-8"))


_prefixes = st.sampled_from(
    [
        "22/11/2026, 05:53 - ",
        "11/22/26, 5:53\u202fAM - ",
        "22/11/26 05.53 - ",
        "[11/22/26, 5:53:12\u202fAM] ",
        "[22/11/26 05.53.12] ",
        "22.11.26, 05:53 - ",
        "22/11/26, 5:53 a. m. - ",
        "2026-11-22, 05:53 - ",
        "99/99/99, 99:99 - ",
        "31/02/26, 25:61 - ",
        "[",
        "",
    ]
)


@st.composite
def header_soup(draw):
    lines = draw(
        st.lists(
            st.tuples(_prefixes, st.text(max_size=60)).map("".join),
            min_size=1,
            max_size=20,
        )
    )
    nl = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return nl.join(lines)


@SETTINGS
@given(text=header_soup(), strict=st.booleans())
def test_header_soup_raises_only_input_error(wa, text, strict):
    _assert_only_input_error(wa, text.encode("utf-8"), strict=strict)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_variant_formatters_match_the_documented_examples(variant):
    """The generator's header shapes are the ones in docs/formats.md §1 (a check on the test itself)."""
    t = dt.datetime(2026, 11, 22, 5, 53, 12)
    documented = {
        "android_en_gb": "22/11/2026, 05:53 - ",
        "android_en_us_12h": "11/22/26, 5:53\u202fAM - ",
        "android_id": "22/11/26 05.53 - ",
        "ios_en_us": "[11/22/26, 5:53:12\u202fAM] ",
        "ios_id": "[22/11/26 05.53.12] ",
        "german": "22.11.26, 05:53 - ",
        "spanish": "22/11/26, 5:53 a. m. - ",
        "iso": "2026-11-22, 05:53 - ",
    }
    assert variant.fmt(t) == documented[variant.name]
