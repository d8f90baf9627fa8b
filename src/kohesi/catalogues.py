"""gettext catalogues kept as ``.po`` files and compiled in memory with Babel (no build step)."""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = ["translations"]


@cache
def translations(package: str, domain: str, code: str) -> NullTranslations:
    """The ``domain`` catalogue of ``package`` for language ``code`` (English ids need none)."""
    path = resources.files(package).joinpath("locale", code, "LC_MESSAGES", f"{domain}.po")
    if not path.is_file():
        return NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=code)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf)
