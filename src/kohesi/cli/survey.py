"""``kohesi survey``: a sub-app with ``template`` and ``score``, mounted by :mod:`kohesi.cli.app`.

Errors are raised as :class:`~kohesi.errors.KohesiError` (``InputError`` for bad files), which
:func:`kohesi.cli.main` turns into one line.
"""

# No `from __future__ import annotations` here: Typer would compile every parameter's annotation
# string each time the command line starts (bench/RESULTS.md, Startup).

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kohesi.cli.console import fail, new_table, out, print_table
from kohesi.cli.options import Group, Lang, writable
from kohesi.errors import KohesiError

survey_app = typer.Typer(name="survey", help="Survey questionnaires and scoring (validated cohesion scales).",
                         no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, cls=Group)

ScaleOpt = Annotated[list[str] | None, typer.Option(
    "--scale", help="Scale key (perceived-cohesion, sampson-cohesion-trust, buckner-short, generalised-trust) or "
                    "a .toml scale file; repeat for several.")]
GroupColOpt = Annotated[str | None, typer.Option("--group-col", help="Group column, e.g. rt.")]
FLAGS = {"group_col": "--group-col", "ignore": "--ignore-col", "min_group_size": "--min-group-size"}
"""The flags of ``kohesi survey score`` by the parameter of :func:`kohesi.survey.score` they set (for messages)."""


class ScoreFormat(StrEnum):
    table = "table"
    json = "json"


def _scales(scale: list[str] | None) -> list[str]:
    """The --scale values, each a built-in key or a readable .toml scale file; one error line otherwise."""
    from kohesi.survey.scales import load_scale

    for s in scale or []:
        try:
            load_scale(s)
        except KohesiError as exc:
            fail(f"--scale: {exc}")
    return scale or []


@survey_app.command()
def template(
    scale: ScaleOpt = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Questionnaire language.")] = Lang.id,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="HTML file to write (default: <scale>-<lang>.html).", callback=writable(".html", ".htm"))] = None,
    group_col: Annotated[str, typer.Option("--group-col", help="Group column in the CSV header; empty for none.")] = "rt",
    group_name: Annotated[str | None, typer.Option("--group-name", help="Fills '{group}' in item texts, e.g. 'RT 05'.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Questionnaire title.")] = None,
) -> None:
    """Write a printable questionnaire (HTML) and the matching CSV header for online forms.

    Example: kohesi survey template --scale perceived-cohesion --lang id --group-name "RT 05"
    """
    from kohesi.survey.scales import available_scales
    from kohesi.survey.template import csv_header, render_questionnaire

    if not scale:
        fail(f"choose a scale with --scale: {', '.join(available_scales())} or a .toml scale file "
             "(e.g. --scale perceived-cohesion)")
    scale = _scales(scale)
    html = render_questionnaire(scale, lang.value, group_name=group_name, group_col=group_col or None, title=title)
    stem = "+".join(Path(s).stem for s in scale)
    path = output or Path(f"{stem}-{lang.value}.html")
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
    min_group_size: Annotated[int, typer.Option("--min-group-size", help="Fewest respondents for a group mean and agreement; smaller groups are listed as not enough respondents.", min=1)] = 3,
    ignore_col: Annotated[list[str] | None, typer.Option("--ignore-col", help="Extra column to ignore (repeatable).")] = None,
    n_boot: Annotated[int, typer.Option("--boot", help="Bootstrap resamples for the alpha/omega intervals (0: none).", min=0)] = 1000,
    seed: Annotated[int, typer.Option("--seed", min=0)] = 0,
    fmt: Annotated[ScoreFormat, typer.Option("--format", help="Output format.")] = ScoreFormat.table,
    scores_out: Annotated[Path | None, typer.Option("--scores", help="Write per-respondent scores to this CSV.", callback=writable(".csv"))] = None,
) -> None:
    """Scale scores, reliability (alpha, omega, item-rest) and group agreement (r_wg(j), ICC(1), ICC(2)).

    Example: kohesi survey score responses.csv --scale perceived-cohesion --group-col rt
    """
    from kohesi.survey.score import score_csv

    res = score_csv(responses, _scales(scale) or None, group_col=group_col, min_group_size=min_group_size,
                    ignore=ignore_col or (), n_boot=n_boot, seed=seed, flags=FLAGS)
    if scores_out is not None:
        res.wide().write_csv(scores_out)
    if fmt is ScoreFormat.json:
        d = res.to_dict()
        d.pop("scores")
        out.print_json(json.dumps(d, ensure_ascii=False))
        return
    t = new_table(title="Reliability")
    for c in ("scale", "part", "items", "n complete", "n scored", "mean", "alpha [95% CI]", "omega [95% CI]"):
        t.add_column(c)
    for r in res.reliability.iter_rows(named=True):
        t.add_row(r["scale"], r["part"], str(r["n_items"]), str(r["n_complete"]), str(r["n_scored"]),
                  _fmt(r["mean"]), f"{_fmt(r['alpha'])} [{_fmt(r['alpha_lo'])}, {_fmt(r['alpha_hi'])}]",
                  f"{_fmt(r['omega'])} [{_fmt(r['omega_lo'])}, {_fmt(r['omega_hi'])}]")
    print_table(t)
    t = new_table(title="Items")
    for c in ("scale", "item", "reversed", "n", "mean", "item-rest r", "alpha if deleted"):
        t.add_column(c)
    for r in res.items.iter_rows(named=True):
        t.add_row(r["scale"], r["item"], "yes" if r["reverse"] else "", str(r["n"]), _fmt(r["mean"]),
                  _fmt(r["item_rest_r"]), _fmt(r["alpha_if_deleted"]))
    print_table(t)
    if res.groups is not None:
        t = new_table(title=f"Groups ({group_col})")
        for c in ("scale", "part", "group", "n", "mean", "sd", "r_wg(j)"):
            t.add_column(c)
        for r in res.groups.iter_rows(named=True):
            if not r["enough"]:
                t.add_row(r["scale"], r["part"], r["group"], str(r["n"]), "not enough respondents", "", "")
                continue
            t.add_row(r["scale"], r["part"], r["group"], str(r["n"]), _fmt(r["mean"]), _fmt(r["sd"]),
                      _fmt(r["rwg_j"]) + ("" if r["agreement_ok"] else " (low)"))
        print_table(t)
        t = new_table(title="Between-group reliability (one-way ANOVA)")
        for c in ("scale", "part", "groups", "ICC(1)", "ICC(2)", "F", "median r_wg(j)", "group means reliable"):
            t.add_column(c)
        for r in res.agreement.iter_rows(named=True):
            t.add_row(r["scale"], r["part"], str(r["n_groups"]), _fmt(r["icc1"]), _fmt(r["icc2"]), _fmt(r["f"]),
                      _fmt(r["rwg_j_median"]), "yes" if r["group_means_reliable"] else "no")
        print_table(t)
    for n in res.notes:
        out.print(n, style="dim", highlight=False, markup=False)
