"""gettext catalogues kept as ``.po`` files and compiled in memory with Babel (no build step)."""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = ["translations"]


def _compiled(path) -> Translations:
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=path.parent.parent.name)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf)


@cache
def translations(package: str, domain: str, code: str) -> NullTranslations:
    """The ``domain`` catalogue of ``package`` for language ``code`` (English ids need none).

    A catalogue may be split in parts, ``{domain}.po`` and ``{domain}-{part}.po`` (one per page
    section); the parts are merged into the main file (a part's entry wins over the same id)."""
    folder = resources.files(package).joinpath("locale", code, "LC_MESSAGES")
    main = folder.joinpath(f"{domain}.po")
    if not main.is_file():
        return NullTranslations()
    out = _compiled(main)
    parts = sorted((p for p in folder.iterdir() if p.name.startswith(f"{domain}-") and p.name.endswith(".po")),
                   key=lambda p: p.name)
    for part in parts:
        out.merge(_compiled(part))
    return out
