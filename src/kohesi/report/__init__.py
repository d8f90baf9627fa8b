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
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from kohesi.errors import KohesiError
from kohesi.report.content import ReportData, build
from kohesi.report.i18n import LANGUAGES, Lang, lang

__all__ = ["Report", "make_report", "report_from_events", "merge_exports", "LANGUAGES"]


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
                       stage: Callable[[str], None] | None = None,
                       earlier_end: datetime | None = None, earlier_source: str = "export",
                       role: str | None = None, attribute: str | None = None) -> Report:
    """Measure one group's events and assemble its report (``n_jobs`` as in :func:`kohesi.measure`).

    ``attributes`` is a members table (a members file): every listed member counts, silent or
    not, and its columns are member attributes; ``role`` and ``attribute`` name its columns of
    roles and of the attribute members are compared by (default: a column named role or peran,
    and rt, blok or the like, :func:`kohesi.sources.member_columns`). ``earlier_end``, the last event of an earlier
    export of the group (timezone-aware; ``events`` holding both exports merged), adds what
    changed since then (:attr:`ReportData.change <kohesi.report.content.ReportData.change>`,
    :mod:`kohesi.report.compare`); ``earlier_source`` (``"export"`` or ``"store"``) says where it
    came from. For a progress display, ``stage(name)`` is called as each stage begins
    (``"measuring"``, ``"assembling"``, ``"comparing"``) and ``progress(done, total)`` with the
    windows measured so far (:func:`kohesi.measure.measure`)."""
    from kohesi.measure import MeasureParams, measure
    from kohesi.sources import member_columns

    if events.num_rows == 0:
        raise KohesiError("no events to report on")
    t = lang(lang_code)
    role, attribute = member_columns(attributes, role, attribute)
    params = MeasureParams(role=role, attribute=attribute)
    if stage is not None:
        stage("measuring")
    profile = measure(events, members=attributes, window=window, params=params, bootstrap=bootstrap, seed=seed,
                      n_jobs=n_jobs, progress=progress)
    if stage is not None:
        stage("assembling")
    data = build(profile, members=members, names=names, seed=seed, reading=reading)
    if earlier_end is not None:
        from kohesi.measure.periods import compare_periods
        from kohesi.report.compare import build_change

        if stage is not None:
            stage("comparing")
        # periods of whole weeks, whatever the trend's window: exports come months apart
        cmp = compare_periods(events, earlier_end, members=attributes, window="7D", params=params,
                              bootstrap=bootstrap, seed=seed)
        data.change = build_change(cmp, events, data.labels, source=earlier_source)
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
                stage: Callable[[str], None] | None = None,
                earlier: str | Path | None = None, role: str | None = None,
                attribute: str | None = None) -> Report:
    """Report on an export file (read in memory, nothing stored), a group in a store, or an
    events file (``.parquet``, e.g. a simulation); ``max_bytes`` caps what an export may expand
    to (the web page's limit); ``members_file`` lists every member (see
    :func:`kohesi.sources.read_members_file`). ``stage`` and ``progress`` are as in
    :func:`report_from_events`, with a first stage ``"reading"``.

    What changed since an earlier export: a store that holds an earlier export of the group
    (an import that ended before the latest one) is compared with it on its own; for an export
    file, ``earlier`` names an earlier export of the same group, read alike and merged with it by
    event id, as a store would (:func:`merge_exports`)."""
    from kohesi.sources import open_group

    if stage is not None:
        stage("reading")
    loaded = open_group(source, group=group, tz=tz, keep_names=names, date_order=date_order,
                        members_file=members_file, since=since, until=until, max_bytes=max_bytes)
    events, members, split, came_from = loaded.events, loaded.members, None, "export"
    if Path(source).suffix == ".duckdb":
        if earlier is not None:
            raise KohesiError(f"{source}: a store remembers its earlier exports itself; --earlier goes with an "
                              "export file")
        split, came_from = _store_split(Path(source), events), "store"
    elif earlier is not None:
        prior = open_group(earlier, group=_group_of(events), tz=tz or loaded.reading.get("tz"),
                           keep_names=names, date_order=date_order or loaded.reading.get("date_order"),
                           since=since, until=until, max_bytes=max_bytes)
        events, members, split = merge_exports(loaded, prior, str(source), str(earlier))
    return report_from_events(events, members=members, lang_code=lang_code, names=names,
                              window=window, bootstrap=bootstrap, seed=seed, reading=loaded.reading,
                              attributes=loaded.roster, survey=survey, survey_group_col=survey_group_col,
                              survey_group=survey_group, n_jobs=n_jobs, progress=progress, stage=stage,
                              earlier_end=split, earlier_source=came_from, role=role, attribute=attribute)


def _group_of(events: pa.Table) -> str | None:
    ids = events.column("group_id").unique().to_pylist()
    return ids[0] if len(ids) == 1 else None


def _store_split(path: Path, events: pa.Table) -> datetime | None:
    """The last event of the store's most recent earlier export of the group, if it falls inside
    the events loaded (``--since``/``--until`` may cut it off)."""
    import pyarrow.compute as pc

    from kohesi.store import Store

    group = _group_of(events)
    if group is None:
        return None
    span = pc.min_max(events.column("ts"))
    first, last = span["min"].as_py(), span["max"].as_py()
    with Store(path, read_only=True) as st:
        split = st.earlier_end(group, before=last)
    return split if split is not None and split > first else None


def merge_exports(later, earlier, later_name: str = "export", earlier_name: str = "earlier export"
                  ) -> tuple[pa.Table, pa.Table | None, datetime]:
    """Two exports of one group (:class:`kohesi.sources.GroupData`) merged by event id, as
    ``kohesi add`` would store them: the events of both, each once (the later export's copy
    where both hold one), its members likewise, and the earlier export's last event, which
    splits the history. The exports may come in either order; two that end at the same event
    hold no new period and are refused."""
    import pyarrow.compute as pc

    a, b = later.events, earlier.events
    end_a, end_b = pc.max(a.column("ts")).as_py(), pc.max(b.column("ts")).as_py()
    if end_a == end_b:
        raise KohesiError(f"{later_name} and {earlier_name} both end at the same message ({end_a:%Y-%m-%d %H:%M} "
                          "UTC): there is no new period to compare; give an export made later")
    if end_b > end_a:  # given the other way round
        a, b = b, a
    split = min(end_a, end_b)
    seen = pc.is_in(b.column("event_id"), value_set=a.column("event_id"))
    extra = b.filter(pc.invert(seen)).cast(a.schema)
    merged = pa.concat_tables([a, extra]) if extra.num_rows else a
    order = pc.sort_indices(merged, sort_keys=[("ts", "ascending")])
    merged = merged.take(order).replace_schema_metadata(a.schema.metadata)
    members = later.members
    if later.members is not None and earlier.members is not None:
        m_a, m_b = later.members, earlier.members
        more = m_b.filter(pc.invert(pc.is_in(m_b.column("actor"), value_set=m_a.column("actor"))))
        members = pa.concat_tables([m_a, more.cast(m_a.schema)]) if more.num_rows else m_a
    return merged, members, split
