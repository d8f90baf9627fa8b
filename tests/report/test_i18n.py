"""The Indonesian catalogue covers the whole report UI, and number/date formatting follows the locale."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import cache
from importlib import resources

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from kohesi.report.catalog import message_ids
from kohesi.report.i18n import lang

PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sd]|%%")
SUBGROUP_ONE = "The group has %(num)s sub-group."
SUBGROUP_MANY = "The group has %(num)s sub-groups."


@cache
def _catalog() -> Catalog:
    """The Indonesian catalogue with its parts (``kohesi-<part>.po``) merged in."""
    folder = resources.files("kohesi.report").joinpath("locale", "id", "LC_MESSAGES")
    with folder.joinpath("kohesi.po").open("rb") as fh:
        catalog = read_po(fh, locale="id")
    for part in sorted(folder.iterdir(), key=lambda p: p.name):
        if part.name.startswith("kohesi-") and part.name.endswith(".po"):
            with part.open("rb") as fh:
                for message in read_po(fh, locale="id"):
                    if message.id:
                        catalog[message.id] = message
    return catalog


@cache
def _translations() -> dict[str, str]:
    """Every English msgid (singular and plural) mapped to its Indonesian msgstr."""
    out: dict[str, str] = {}
    for message in _catalog():
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple | list):
            (text,) = message.string  # nplurals=1: exactly one msgstr[0]
            out.update(dict.fromkeys(message.id, text))
        else:
            out[message.id] = message.string
    return out


def _message(msgid: str):
    """The catalogue entry of ``msgid``, singular or plural."""
    for message in _catalog():
        if message.id == msgid or (isinstance(message.id, tuple | list) and msgid in message.id):
            return message
    raise KeyError(msgid)


def _placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def test_catalogue_header() -> None:
    catalog = _catalog()
    assert str(catalog.locale) == "id"
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    assert catalog.charset.lower() == "utf-8"


def test_every_message_id_is_translated() -> None:
    translations = _translations()
    missing = sorted(i for i in message_ids() if not (translations.get(i) or "").strip())
    assert not missing, f"{len(missing)} message ids lack an Indonesian translation: {missing}"


def test_no_stale_entries() -> None:
    stale = sorted(set(_translations()) - message_ids())
    assert not stale, f"catalogue entries no longer used by the report: {stale}"


@pytest.mark.parametrize("msgid", sorted(message_ids()))
def test_placeholders_match(msgid: str) -> None:
    msgstr = _translations().get(msgid)
    if not msgstr:
        pytest.skip("untranslated (reported by test_every_message_id_is_translated)")
    assert _placeholders(msgstr) == _placeholders(msgid)
    if _placeholders(msgid):
        # Strings with placeholders or %% are %-formatted (Jinja's newstyle gettext), so the
        # translation must format cleanly with the same names: no stray single "%".
        values = {name: "X" for name in re.findall(r"%\((\w+)\)", msgid)}
        assert msgstr % values
        flags = _message(msgid).flags
        assert "python-format" in flags


def test_gettext_by_language() -> None:
    translated = lang("id").gettext("Cohesion report")
    assert translated != "Cohesion report"
    assert "Laporan" in translated
    assert lang("id").gettext("Social justice") == "Keadilan sosial"
    assert lang("en").gettext("Cohesion report") == "Cohesion report"


def test_ngettext_by_language() -> None:
    one, many = (lang("id").ngettext(SUBGROUP_ONE, SUBGROUP_MANY, n) for n in (1, 3))
    assert one == many  # nplurals=1
    assert "subkelompok" in many
    en = lang("en")
    assert en.ngettext(SUBGROUP_ONE, SUBGROUP_MANY, 1) == SUBGROUP_ONE
    assert en.ngettext(SUBGROUP_ONE, SUBGROUP_MANY, 3) == SUBGROUP_MANY


def test_number_formatting() -> None:
    assert lang("id").num(1234.5) == "1.234,5"
    assert lang("en").num(1234.5) == "1,234.5"
    assert lang("id").num(1234567.891, 0) == "1.234.568"
    assert lang("en").num(1234567.891, 0) == "1,234,568"
    assert lang("id").num(None) == lang("en").num(float("nan")) == "–"


def test_date_formatting() -> None:
    day = date(2024, 8, 17)
    assert lang("id").date(day) == "17 Agu 2024"
    assert lang("en").date(day) == "Aug 17, 2024"
    assert lang("id").date(day, "long") == "17 Agustus 2024"
    assert lang("id").date(None) == "–"
