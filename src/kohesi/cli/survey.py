"""``kohesi survey``: a sub-app with ``template`` and ``score``, mounted by :mod:`kohesi.cli.app`.

Errors are raised as :class:`~kohesi.errors.KohesiError` (``InputError`` for bad files), which
:func:`kohesi.cli.main` turns into one line.
"""

# No `from __future__ import annotations` here: Typer would compile every parameter's annotation
# string each time the command line starts (bench/RESULTS.md, Startup).

import json
import math
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kohesi.cli.console import out
from kohesi.cli.options import Group
from kohesi.errors import KohesiError

survey_app = typer.Typer(name="survey", help="Survey questionnaires and scoring (validated cohesion scales).",
                         no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, cls=Group)

ScaleOpt = Annotated[list[str] | None, typer.Option(
    "--scale", help="Scale key (perceived-cohesion, sampson-cohesion-trust, buckner-short, generalised-trust) or "
                    "a .toml scale file; repeat for several.")]
GroupColOpt = Annotated[str | None, typer.Option("--group-col", help="Group column, e.g. rt.")]


@survey_app.command()
def template(
    scale: ScaleOpt = None,
    lang: Annotated[str, typer.Option("--lang", help="id or en.")] = "id",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="HTML file to write (default: <scale>-<lang>.html).")] = None,
    group_col: Annotated[str, typer.Option("--group-col", help="Group column in the CSV header; empty for none.")] = "rt",
    group_name: Annotated[str | None, typer.Option("--group-name", help="Fills '{group}' in item texts, e.g. 'RT 05'.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Questionnaire title.")] = None,
) -> None:
    """Write a printable questionnaire (HTML) and the matching CSV header for online forms.

    Example: kohesi survey template --scale perceived-cohesion --lang id --group-name "RT 05"
    """
    from kohesi.survey.template import csv_header, render_questionnaire

    if not scale:
        raise KohesiError("choose a scale with --scale (e.g. --scale perceived-cohesion)")
    html = render_questionnaire(scale, lang, group_name=group_name, group_col=group_col or None, title=title)
    stem = "+".join(Path(s).stem for s in scale)
    path = output or Path(f"{stem}-{lang}.html")
    path.write_text(html, encoding="utf-8")
    header = csv_header(scale, group_col or None)
    csv_path = path.with_suffix(".csv")
    csv_path.write_text(header + "\n", encoding="utf-8")
    out.print(f"[green]wrote[/] {path} (questionnaire) and {csv_path} (CSV header for online forms):", highlight=False)
    out.print(header, highlight=False, markup=False)


def _fmt(v, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "–"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


@survey_app.command()
def score(
    responses: Annotated[Path, typer.Argument(help="Responses CSV: respondent_id, group column, item columns.")],
    scale: ScaleOpt = None,
    group_col: GroupColOpt = None,
    min_group_size: Annotated[int, typer.Option("--min-group-size", help="Fewest respondents per group.")] = 3,
    ignore_col: Annotated[list[str] | None, typer.Option("--ignore-col", help="Extra column to ignore (repeatable).")] = None,
    n_boot: Annotated[int, typer.Option("--boot", help="Bootstrap resamples for the alpha/omega intervals (0: none).")] = 1000,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    scores_out: Annotated[Path | None, typer.Option("--scores", help="Write per-respondent scores to this CSV.")] = None,
) -> None:
    """Scale scores, reliability (alpha, omega, item-rest) and group agreement (r_wg(j), ICC(1), ICC(2)).

    Example: kohesi survey score responses.csv --scale perceived-cohesion --group-col rt
    """
    from kohesi.survey.score import score_csv

    if fmt not in ("table", "json"):
        raise KohesiError(f"unknown format {fmt!r}; use table or json")
    res = score_csv(responses, scale or None, group_col=group_col, min_group_size=min_group_size,
                    ignore=ignore_col or (), n_boot=n_boot, seed=seed)
    if scores_out is not None:
        res.wide().write_csv(scores_out)
    if fmt == "json":
        d = res.to_dict()
        d.pop("scores")
        out.print_json(json.dumps(d, ensure_ascii=False))
        return
    t = Table(title="Reliability")
    for c in ("scale", "part", "items", "n complete", "n scored", "mean", "alpha [95% CI]", "omega [95% CI]"):
        t.add_column(c)
    for r in res.reliability.iter_rows(named=True):
        t.add_row(r["scale"], r["part"], str(r["n_items"]), str(r["n_complete"]), str(r["n_scored"]),
                  _fmt(r["mean"]), f"{_fmt(r['alpha'])} [{_fmt(r['alpha_lo'])}, {_fmt(r['alpha_hi'])}]",
                  f"{_fmt(r['omega'])} [{_fmt(r['omega_lo'])}, {_fmt(r['omega_hi'])}]")
    out.print(t)
    t = Table(title="Items")
    for c in ("scale", "item", "reversed", "n", "mean", "item-rest r", "alpha if deleted"):
        t.add_column(c)
    for r in res.items.iter_rows(named=True):
        t.add_row(r["scale"], r["item"], "yes" if r["reverse"] else "", str(r["n"]), _fmt(r["mean"]),
                  _fmt(r["item_rest_r"]), _fmt(r["alpha_if_deleted"]))
    out.print(t)
    if res.groups is not None:
        t = Table(title=f"Groups ({group_col})")
        for c in ("scale", "part", "group", "n", "mean", "sd", "r_wg(j)"):
            t.add_column(c)
        for r in res.groups.iter_rows(named=True):
            t.add_row(r["scale"], r["part"], r["group"], str(r["n"]), _fmt(r["mean"]), _fmt(r["sd"]),
                      _fmt(r["rwg_j"]) + ("" if r["agreement_ok"] else " (low)"))
        out.print(t)
        t = Table(title="Between-group reliability (one-way ANOVA)")
        for c in ("scale", "part", "groups", "ICC(1)", "ICC(2)", "F", "median r_wg(j)", "group means reliable"):
            t.add_column(c)
        for r in res.agreement.iter_rows(named=True):
            t.add_row(r["scale"], r["part"], str(r["n_groups"]), _fmt(r["icc1"]), _fmt(r["icc2"]), _fmt(r["f"]),
                      _fmt(r["rwg_j_median"]), "yes" if r["group_means_reliable"] else "no")
        out.print(t)
    for n in res.notes:
        out.print(f"[dim]{n}[/]", highlight=False)
