"""Survey scales as data: one TOML file per scale (items, response range, reverse keys, subscales, source).

The built-in scales live in ``kohesi/survey/scales/*.toml``; a user-defined scale is a TOML file in the same format,
loaded with :func:`load_scale` from its path. Format (see the built-in files for full examples)::

    key = "my-scale"                      # lowercase slug, used on the command line
    name = { en = "...", id = "..." }     # display name per language ("en" required)
    languages = { en = "original", id = "kohesi (unvalidated)" }   # translation status per language

    [source]                              # citation required; doi, url, notes optional
    citation = "Author (year). Title. Journal."

    [response]                            # integer response range, inclusive
    min = 1
    max = 5
    labels.en = { "1" = "Strongly disagree", "5" = "Strongly agree" }

    [instructions]                        # optional, per language; "{group}" is filled in
    en = "..."

    [subscales]                           # optional
    belonging = { en = "Sense of belonging" }

    [[items]]
    key = "x1"                            # the CSV column name: letters, digits, underscore
    text = { en = "...", id = "..." }     # "{group}" is replaced by the group's name
    reverse = false                       # optional, default false
    subscale = "belonging"                # optional, must be declared in [subscales]
    translation = "kohesi (unvalidated)"  # status of the non-original texts

Examples
--------
>>> s = load_scale("sampson-cohesion-trust")
>>> s.n_items, s.response_min, s.response_max, s.reverse_keys
(5, 1, 5, ('sct4', 'sct5'))
>>> s.null_variance  # uniform null (A² − 1)/12 with A = 5 options
2.0
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from kohesi.errors import InputError, KohesiError

__all__ = ["Item", "Scale", "available_scales", "load_scale", "parse_scale", "UNVALIDATED"]

UNVALIDATED = "kohesi (unvalidated)"
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ITEM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED = {"respondent_id"}


@dataclass(frozen=True)
class Item:
    """One questionnaire item: its column name, texts per language, reverse key and subscale."""

    key: str
    text: dict[str, str]
    reverse: bool = False
    subscale: str | None = None
    translation: str | None = None

    def render(self, lang: str, group: str) -> str:
        text = self.text.get(lang, self.text["en"])
        out = text.replace("{group}", group)
        return out[:1].upper() + out[1:] if text.startswith("{group}") else out


@dataclass(frozen=True)
class Scale:
    """A multi-item survey scale. Items are scored on the integer range ``response_min..response_max``."""

    key: str
    name: dict[str, str]
    items: tuple[Item, ...]
    response_min: int
    response_max: int
    citation: str
    doi: str | None = None
    url: str | None = None
    notes: str | None = None
    languages: dict[str, str] = field(default_factory=dict)
    labels: dict[str, dict[int, str]] = field(default_factory=dict)
    instructions: dict[str, str] = field(default_factory=dict)
    subscales: dict[str, dict[str, str]] = field(default_factory=dict)
    path: str | None = None

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.items)

    @property
    def reverse_keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.items if i.reverse)

    @property
    def n_items(self) -> int:
        return len(self.items)

    @property
    def n_options(self) -> int:
        """A, the number of response options."""
        return self.response_max - self.response_min + 1

    @property
    def null_variance(self) -> float:
        """σ²_E of the uniform ("rectangular") null distribution: (A² − 1)/12 (James, Demaree & Wolf 1984)."""
        return (self.n_options**2 - 1) / 12

    def min_answered(self, n_items: int | None = None) -> int:
        """Answered items needed for a score: ⌈2/3 · k⌉."""
        return math.ceil(2 * (n_items or self.n_items) / 3)

    def parts(self) -> dict[str, tuple[str, ...]]:
        """The whole scale (``"total"``) and each subscale, as item-key tuples."""
        out = {"total": self.item_keys}
        for sub in self.subscales:
            out[sub] = tuple(i.key for i in self.items if i.subscale == sub)
        return out

    def name_in(self, lang: str) -> str:
        return self.name.get(lang, self.name["en"])

    def translation_status(self, lang: str) -> str:
        return self.languages.get(lang, UNVALIDATED if lang != "en" else "original")


def available_scales() -> list[str]:
    """Keys of the built-in scales.

    >>> available_scales()
    ['buckner-short', 'generalised-trust', 'perceived-cohesion', 'sampson-cohesion-trust']
    """
    root = resources.files("kohesi.survey").joinpath("scales")
    return sorted(p.name[: -len(".toml")] for p in root.iterdir() if p.name.endswith(".toml"))


def load_scale(name: str | Path) -> Scale:
    """A built-in scale by key, or a user-defined scale from a ``.toml`` path."""
    if isinstance(name, Scale):
        return name
    text = str(name)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        path = Path(text)
        if not path.is_file():
            raise InputError(path, "scale file not found")
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(path, f"not a valid TOML scale file: {exc}") from None
        return parse_scale(data, file=path)
    res = resources.files("kohesi.survey").joinpath("scales", f"{text}.toml")
    if not res.is_file():
        raise KohesiError(f"unknown scale {text!r}; built-in scales: {', '.join(available_scales())} "
                               "(or give the path of a .toml scale file)")
    return parse_scale(tomllib.loads(res.read_text("utf-8")), file=f"{text}.toml")


def _lang_map(value: Any, what: str, file) -> dict[str, str]:
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InputError(file, f"{what} must be a table of texts per language, e.g. {{ en = \"...\" }}")
    if "en" not in value:
        raise InputError(file, f"{what} needs an English text (en)")
    return dict(value)


def parse_scale(data: dict[str, Any], file: str | Path | None = None) -> Scale:
    """Validate a scale's TOML table and build a :class:`Scale`; problems raise :class:`InputError`."""
    key = data.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise InputError(file, "scale needs a key: a lowercase slug such as \"my-scale\"")
    name = _lang_map(data.get("name", key), "name", file)
    source = data.get("source") or {}
    if not isinstance(source, dict) or not isinstance(source.get("citation"), str) or not source["citation"].strip():
        raise InputError(file, "scale needs [source] with a citation (say where the items come from)")
    resp = data.get("response") or {}
    lo, hi = resp.get("min"), resp.get("max")
    if not (isinstance(lo, int) and isinstance(hi, int)) or isinstance(lo, bool) or isinstance(hi, bool) or lo >= hi:
        raise InputError(file, "[response] needs integer min < max")
    labels: dict[str, dict[int, str]] = {}
    for lang, table in (resp.get("labels") or {}).items():
        labels[lang] = {}
        for value, label in table.items():
            try:
                v = int(value)
            except ValueError:
                raise InputError(file, f"response label {value!r} ({lang}) is not an integer value") from None
            if not lo <= v <= hi:
                raise InputError(file, f"response label for {v} ({lang}) is outside {lo}–{hi}")
            labels[lang][v] = str(label)
    subscales = {}
    for sub, names in (data.get("subscales") or {}).items():
        subscales[sub] = _lang_map(names, f"subscale {sub!r}", file)
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise InputError(file, "scale needs at least one [[items]] entry")
    items, seen = [], set()
    for n, it in enumerate(raw_items, 1):
        ikey = it.get("key") if isinstance(it, dict) else None
        if not isinstance(ikey, str) or not _ITEM.match(ikey) or ikey in _RESERVED:
            raise InputError(file, f"item {n} needs a key usable as a CSV column (letters, digits, _), got {ikey!r}")
        if ikey in seen:
            raise InputError(file, f"item key {ikey!r} is used twice")
        seen.add(ikey)
        sub = it.get("subscale")
        if sub is not None and sub not in subscales:
            raise InputError(file, f"item {ikey!r} names subscale {sub!r}, which is not declared in [subscales]")
        reverse = it.get("reverse", False)
        if not isinstance(reverse, bool):
            raise InputError(file, f"item {ikey!r}: reverse must be true or false")
        items.append(Item(key=ikey, text=_lang_map(it.get("text"), f"item {ikey!r} text", file), reverse=reverse,
                          subscale=sub, translation=it.get("translation")))
    for sub in subscales:
        if not any(i.subscale == sub for i in items):
            raise InputError(file, f"subscale {sub!r} has no items")
    languages = dict(data.get("languages") or {"en": "original"})
    return Scale(key=key, name=name, items=tuple(items), response_min=lo, response_max=hi,
                 citation=source["citation"].strip(), doi=source.get("doi"), url=source.get("url"),
                 notes=(source.get("notes") or "").strip() or None, languages=languages, labels=labels,
                 instructions=dict(data.get("instructions") or {}), subscales=subscales,
                 path=str(file) if file is not None else None)
