"""The message of an error page in the page's language.

Every error the web app shows goes through :func:`page_error`: a :class:`~kohesi.errors.KohesiError`
from the readers, or one of the app's own English messages, is explained by
:func:`kohesi.errors_i18n.explain` (on the Indonesian page: the table ``kohesi/errors_id.toml``);
a message already taken from the page's own strings (:mod:`kohesi.web.strings`) is shown as it is.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from kohesi.errors_i18n import EARLIER, Explained, explain
from kohesi.web.strings import TEXT

__all__ = ["page_error", "is_page_text"]


@functools.cache
def _page_texts(code: str) -> re.Pattern[str]:
    """One pattern for every string of the page language ``code`` (``{name}`` fields: any text)."""
    parts = [re.sub(r"\\\{\w+\\\}", lambda _: ".+?", re.escape(s)) for s in TEXT.get(code, {}).values()]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.DOTALL)


def is_page_text(message: str, code: str) -> bool:
    """Whether ``message`` is one of the page's own strings in ``code`` (so already in its language).

    >>> is_page_text("Unggahan melebihi batas 50 MB; tidak ada yang disimpan.", "id")
    True
    >>> is_page_text("no file uploaded; choose a WhatsApp export (.txt or .zip)", "id")
    False
    """
    return _page_texts(code).fullmatch(message) is not None


def page_error(message: str | BaseException, ui: str, folder: str | Path | None = None) -> Explained:
    """The error ``message`` as the page in language ``ui`` shows it, without the temporary ``folder``."""
    if isinstance(message, str) and is_page_text(message, ui):
        return Explained(message, message)
    shown = explain(message, ui, strip=folder)
    if shown.text.startswith(EARLIER + "/"):  # the English page: name the earlier export as such
        text = "the earlier export, " + shown.text[len(EARLIER) + 1:]
        return Explained(text, text, shown.key, shown.fallback)
    return shown
