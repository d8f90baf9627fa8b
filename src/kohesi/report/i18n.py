"""Translations (gettext catalogues read with Babel) and locale-aware number and date formatting.

The catalogues are the ``.po`` files under ``locale/``; they are compiled in memory on first use,
so there is no build step. Message ids are the English strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations

from kohesi.catalogues import translations

__all__ = ["LANGUAGES", "Lang", "lang"]

LANGUAGES = ("id", "en")


def _translations(code: str) -> NullTranslations:
    return translations("kohesi.report", "kohesi", code)


@dataclass(frozen=True)
class Lang:
    """One report language: ``gettext`` and formatters bound to its locale."""

    code: str

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)

    def gettext(self, message: str) -> str:
        return _translations(self.code).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _translations(self.code).ngettext(singular, plural, n)

    def num(self, value: float | None, digits: int = 2) -> str:
        if value is None or value != value:
            return "–"
        return format_decimal(round(value, digits), format=f"#,##0.{'#' * digits}" if digits else "#,##0", locale=self.code)

    def pct(self, value: float | None) -> str:
        if value is None or value != value:
            return "–"
        return format_percent(value, format="#,##0%", locale=self.code)

    def date(self, value: date | datetime | None, fmt: str = "medium") -> str:
        if value is None:
            return "–"
        return format_date(value, format=fmt, locale=self.code)


def lang(code: str) -> Lang:
    if code not in LANGUAGES:
        from kohesi.errors import KohesiError

        raise KohesiError(f"unknown report language {code!r}; use one of: {', '.join(LANGUAGES)}")
    return Lang(code)
