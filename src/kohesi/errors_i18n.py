"""kohesi's errors in the reader's language: an English reason explained in Indonesian.

kohesi raises its errors in English (:class:`~kohesi.errors.InputError` carries the file, the line
and the reason; other :class:`~kohesi.errors.KohesiError` a one-line message). A person who reads
Indonesian gets them through :func:`explain`, from the table ``errors_id.toml`` beside this
module: each entry is one English reason as a regular expression and its Indonesian wording (the
problem in plain words and what to do), framed with the file and the line. A reason the table does
not know is framed in an Indonesian sentence that quotes it (``fallback``); the tests of the web
page fail on such a reason, so a new one gets its entry.

Examples
--------
>>> from kohesi.errors import InputError
>>> e = explain(InputError("chat.txt", "file is empty"), "id")
>>> e.text.startswith("Berkas “chat.txt” tidak dapat dibaca: berkasnya kosong.")
True
>>> e.detail
'chat.txt: file is empty'
>>> explain(InputError("chat.txt", "file is empty"), "en").text
'chat.txt: file is empty'
>>> explain("a reason nobody wrote down", "id").fallback
True
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kohesi.errors import InputError

__all__ = ["Explained", "explain", "LANGUAGES", "EARLIER"]

LANGUAGES = ("id",)
"""Languages with a table (``errors_<code>.toml``); any other language gets the English text."""

_TABLES = Path(__file__).resolve().parent
_PLACEHOLDER = re.compile(r"\{(\w+)(\+1)?\}")
_ARCHIVE = re.compile(r"(?P<archive>.+?\.zip)!(?P<member>.+)", re.IGNORECASE | re.DOTALL)
_MAX_PLACES = 4
EARLIER = "earlier"
"""The folder an earlier export of the same group is kept in (the web page's second file): a file
under it is named as the earlier export."""


@dataclass(frozen=True)
class Explained:
    """One error as a page shows it."""

    text: str
    """The message in the page's language."""
    original: str
    """The English one-line message (the temporary folder taken out)."""
    key: str | None = None
    """The table entry (its English pattern) that explained it; None in English or the fallback."""
    fallback: bool = False
    """True when no entry knew the reason: :attr:`text` quotes it in English."""

    @property
    def detail(self) -> str | None:
        """The English original, to show as a technical detail (None when the text is it, or quotes it)."""
        return None if self.fallback or self.text == self.original else self.original


@dataclass(frozen=True)
class _Entry:
    pattern: re.Pattern[str]
    template: str
    subject: str | None
    examples: tuple[str, ...]


@dataclass(frozen=True)
class _Table:
    frame: dict[str, str]
    phrases: dict[str, str]
    places: tuple[_Entry, ...]
    reasons: tuple[_Entry, ...]


def _entries(rows: list[dict]) -> tuple[_Entry, ...]:
    return tuple(_Entry(re.compile(r["en"], re.DOTALL), r["id"], r.get("subject"), tuple(r.get("examples", ())))
                 for r in rows)


@functools.cache
def table(lang: str) -> _Table | None:
    """The table of ``lang`` (None when there is none)."""
    if lang not in LANGUAGES:
        return None
    with open(_TABLES / f"errors_{lang}.toml", "rb") as fh:
        raw = tomllib.load(fh)
    return _Table(raw["frame"], raw.get("phrases", {}), _entries(raw.get("place", [])), _entries(raw["reason"]))


def _fill(template: str, values: dict[str, str | None], phrases: dict[str, str]) -> str:
    """``template`` with ``{name}`` (a value, or a phrase) and ``{name+1}`` (a 0-based count from 1)."""
    def one(m: re.Match[str]) -> str:
        name, plus = m.group(1), m.group(2)
        if name in values:
            value = values[name] or ""
            return str(int(value) + 1) if plus and value.isdigit() else value
        return phrases[name]
    return _PLACEHOLDER.sub(one, template)


def _strip(text: str, folder: str | None) -> str:
    if folder:
        text = text.replace(folder + "/", "").replace(folder, "")
    return " ".join(text.split())


def _capital(text: str) -> str:
    """The sentence with a capital first letter (the name kohesi stays lower case)."""
    return text if not text or text.startswith("kohesi") else text[0].upper() + text[1:]


def explain(problem: str | BaseException, lang: str, *, strip: str | Path | None = None) -> Explained:
    """``problem`` (an error, or its one-line message) for a person who reads ``lang``.

    Parameters
    ----------
    problem
        A :class:`~kohesi.errors.KohesiError` (an :class:`~kohesi.errors.InputError` gives its
        file, line and reason apart) or an English message.
    lang
        ``"id"`` explains it in Indonesian; a language without a table gets the English message.
    strip
        A folder to take out of every path (the web page's temporary folder).

    Returns
    -------
    Explained
        The text to show, the English original, and whether the table knew the reason.
    """
    folder = str(strip) if strip is not None else None
    original = _strip(str(problem), folder)
    if isinstance(problem, InputError):
        file = _strip(problem.file, folder) if problem.file is not None else None
        line, reason = problem.line, _strip(problem.reason, folder)
    else:
        file, line, reason = None, None, original
    tab = table(lang)
    if tab is None:
        return Explained(original, original)
    places: list[str] = []
    for _ in range(_MAX_PLACES):
        hit = next(((e, m) for e in tab.places if (m := e.pattern.fullmatch(reason))), None)
        if hit is None:
            break
        entry, m = hit
        if place := _fill(entry.template, m.groupdict(), tab.phrases):
            places.append(place)
        reason = m.group("rest")
    hit = next(((e, m) for e in tab.reasons if (m := e.pattern.fullmatch(reason))), None)
    if hit is None:
        entry, values = None, {"reason": reason}
        text = tab.frame["fallback"]
    else:
        entry, match = hit
        values = match.groupdict()
        file = values.pop("file", None) or file
        at = values.pop("line", None)
        line = int(at) if at else line
        text = entry.template
    text = _fill(text, values, tab.phrases)
    if line is not None:
        places.insert(0, _fill(tab.frame["line"], {"line": str(line)}, {}))
    where = _fill(tab.frame["where"], {"places": ", ".join(places)}, {}) if places else ""
    subject = entry.subject if entry is not None else None
    archive = _ARCHIVE.fullmatch(file) if file else None
    if subject == "members":
        shown = _fill(tab.frame["members"], {"where": where, "text": text}, {})
    elif archive:
        shown = _fill(tab.frame["member"], {**archive.groupdict(), "where": where, "text": text}, {})
    elif file and file.startswith(EARLIER + "/"):
        shown = _fill(tab.frame["earlier"], {"file": file[len(EARLIER) + 1:], "where": where, "text": text}, {})
    elif file:
        shown = _fill(tab.frame["file"], {"file": file, "where": where, "text": text}, {})
    else:
        frame = tab.frame["none_at"] if places else tab.frame["none"]
        shown = _capital(_fill(frame, {"places": ", ".join(places), "text": text}, {}))
    return Explained(shown, original, entry.pattern.pattern if entry else None, entry is None)
