"""The report a community organiser reads: one self-contained HTML page (id or en), or JSON.

>>> from kohesi.report import make_report
>>> rep = make_report("examples/WhatsApp Chat with Warga RT 05.txt", lang_code="en", tz="Asia/Jakarta",
...                   bootstrap=10)
>>> rep.to_html().startswith("<!doctype html>"), rep.data.verdict["given"]
(True, False)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from kohesi.errors import KohesiError
from kohesi.report.content import ReportData, build
from kohesi.report.i18n import LANGUAGES, Lang, lang

__all__ = ["Report", "make_report", "report_from_events", "LANGUAGES"]


@dataclass
class Report:
    data: ReportData
    lang: Lang

    def to_html(self) -> str:
        from kohesi.report.html import render_html

        return render_html(self.data, self.lang)

    def to_json(self) -> str:
        return json.dumps(self.data.to_dict(), ensure_ascii=False, indent=1, default=str)

    def write_pngs(self, folder: str | Path) -> list[Path]:
        from kohesi.report.names import ASPECT_NAMES
        from kohesi.report.plots import figures, write_pngs

        names = {k: self.lang.gettext(v) for k, v in ASPECT_NAMES.items()}
        return write_pngs(figures(self.data, self.lang, names), folder)


def report_from_events(events: pa.Table, *, members: pa.Table | None = None, lang_code: str = "id",
                       names: bool = False, window: str = "7D", bootstrap: int = 200, seed: int = 0,
                       reading: dict | None = None, attributes: pa.Table | None = None,
                       survey: str | Path | None = None, survey_group_col: str | None = None,
                       survey_group: str | None = None, n_jobs: int | None = 1,
                       progress: Callable[[int, int], None] | None = None,
                       stage: Callable[[str], None] | None = None) -> Report:
    """Measure one group's events and assemble its report (``n_jobs`` as in :func:`kohesi.measure`).

    ``attributes`` is a members table (a members file): every listed member counts, silent or
    not, and its columns are member attributes. For a progress display, ``stage(name)`` is called
    as each stage begins (``"measuring"``, ``"assembling"``) and ``progress(done, total)`` with
    the windows measured so far (:func:`kohesi.measure.measure`)."""
    from kohesi.measure import measure

    if events.num_rows == 0:
        raise KohesiError("no events to report on")
    t = lang(lang_code)
    if stage is not None:
        stage("measuring")
    profile = measure(events, members=attributes, window=window, bootstrap=bootstrap, seed=seed, n_jobs=n_jobs,
                      progress=progress)
    if stage is not None:
        stage("assembling")
    data = build(profile, members=members, names=names, seed=seed, reading=reading)
    if survey is not None:
        from kohesi.report.survey_link import survey_beside

        data.survey = survey_beside(survey, {a.key: a.value for a in data.aspects}, group_col=survey_group_col,
                                    group=survey_group, seed=seed)
    return Report(data, t)


def make_report(source: str | Path, *, group: str | None = None, lang_code: str = "id",
                names: bool = False, tz: str | None = None, window: str = "7D",
                bootstrap: int = 200, seed: int = 0, date_order: str | None = None,
                survey: str | Path | None = None, survey_group_col: str | None = None,
                survey_group: str | None = None, n_jobs: int | None = 1, members_file: str | Path | None = None,
                since: str | None = None, until: str | None = None, max_bytes: int | None = None,
                progress: Callable[[int, int], None] | None = None,
                stage: Callable[[str], None] | None = None) -> Report:
    """Report on an export file (read in memory, nothing stored), a group in a store, or an
    events file (``.parquet``, e.g. a simulation); ``max_bytes`` caps what an export may expand
    to (the web page's limit); ``members_file`` lists every member (see
    :func:`kohesi.sources.read_members_file`). ``stage`` and ``progress`` are as in
    :func:`report_from_events`, with a first stage ``"reading"``."""
    from kohesi.sources import open_group

    if stage is not None:
        stage("reading")
    loaded = open_group(source, group=group, tz=tz, keep_names=names, date_order=date_order,
                        members_file=members_file, since=since, until=until, max_bytes=max_bytes)
    return report_from_events(loaded.events, members=loaded.members, lang_code=lang_code, names=names,
                              window=window, bootstrap=bootstrap, seed=seed, reading=loaded.reading,
                              attributes=loaded.roster, survey=survey, survey_group_col=survey_group_col,
                              survey_group=survey_group, n_jobs=n_jobs, progress=progress, stage=stage)
