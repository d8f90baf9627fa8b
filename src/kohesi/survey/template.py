"""Printable questionnaires (HTML, Jinja2 with autoescape) and CSV headers for online-form tools.

The CSV header is ``respondent_id,<group column>,<item keys…>``: the same columns :func:`kohesi.survey.score`
reads, so a form built from it (Google Forms, KoboToolbox, ODK …) exports a file that scores directly.
Interface texts are translated with a gettext catalogue (``locale/id/LC_MESSAGES/survey.po``, read with Babel);
item texts come from the scale files, where Indonesian versions are kohesi's own, unvalidated translations.

>>> csv_header(["sampson-cohesion-trust"], group_col="rt")
'respondent_id,rt,sct1,sct2,sct3,sct4,sct5'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from babel.support import NullTranslations
from jinja2 import Environment, PackageLoader, select_autoescape

from kohesi.catalogues import translations
from kohesi.errors import KohesiError
from kohesi.survey.scales import Scale, load_scale
from kohesi.survey.score import ID_COL

__all__ = ["LANGUAGES", "csv_header", "render_questionnaire"]

LANGUAGES = ("id", "en")


def _translations(code: str) -> NullTranslations:
    return translations("kohesi.survey", "survey", code)


def _scales(scales: Iterable[str | Path | Scale]) -> list[Scale]:
    out = [s if isinstance(s, Scale) else load_scale(s) for s in scales]
    if not out:
        raise KohesiError("choose at least one scale")
    keys = [k for s in out for k in s.item_keys]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise KohesiError(f"item key(s) {', '.join(dup)} appear in more than one chosen scale")
    return out


def csv_header(scales: Iterable[str | Path | Scale], group_col: str | None = "rt") -> str:
    """The CSV header line for an online form: ``respondent_id,<group col>,<item keys…>`` (no group: omitted)."""
    cols = [ID_COL] + ([group_col] if group_col else []) + [k for s in _scales(scales) for k in s.item_keys]
    return ",".join(cols)


def render_questionnaire(scales: Sequence[str | Path | Scale], lang: str = "id", *, group_name: str | None = None,
                         group_col: str | None = "rt", title: str | None = None) -> str:
    """A self-contained printable HTML questionnaire in Indonesian (``id``) or English (``en``).

    ``group_name`` fills the ``{group}`` placeholder in item texts (default: "this group" in the chosen language).
    Item keys are printed small next to each item, to help whoever types paper answers into the CSV.
    """
    if lang not in LANGUAGES:
        raise KohesiError(f"unknown questionnaire language {lang!r}; use one of: {', '.join(LANGUAGES)}")
    chosen = _scales(scales)
    tr = _translations(lang)
    group = group_name or tr.gettext("this group")
    env = Environment(loader=PackageLoader("kohesi.survey", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True,
                      extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(tr.gettext, tr.ngettext, newstyle=True)
    sections = []
    for s in chosen:
        options = list(range(s.response_min, s.response_max + 1))
        labels = s.labels.get(lang) or s.labels.get("en") or {}
        sections.append({
            "key": s.key, "name": s.name_in(lang),
            "instructions": s.instructions.get(lang, s.instructions.get("en", "")).replace("{group}", group),
            "options": options, "labels": labels, "all_labelled": all(o in labels for o in options),
            "rows": [{"key": it.key, "text": it.render(lang, group)} for it in s.items],
            "citation": s.citation, "doi": s.doi, "status": s.translation_status(lang),
            "unvalidated": "unvalidated" in s.translation_status(lang),
        })
    return env.get_template("questionnaire.html.j2").render(
        lang=lang, title=title or tr.gettext("Questionnaire"), sections=sections, group_col=group_col,
        header=csv_header(chosen, group_col))
