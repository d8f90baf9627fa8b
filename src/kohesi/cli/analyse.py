"""Measuring and reporting: ``kohesi measure``, ``report``, ``serve``."""

# No `from __future__ import annotations` here: Typer would compile every parameter's annotation
# string each time the command line starts (bench/RESULTS.md, Startup).

from pathlib import Path
from typing import Annotated

import typer

from kohesi.cli.console import fail, new_table, out, print_table, progress
from kohesi.cli.options import (
    Anchor,
    DateOrderOpt,
    JobsOpt,
    Lang,
    MeasureFormat,
    MembersOpt,
    ReportFormat,
    SinceOpt,
    TzOpt,
    UntilOpt,
    check_window,
    writable,
)

__all__ = ["measure", "report", "serve"]


def measure(
    source: Annotated[Path, typer.Argument(help="WhatsApp export, kohesi store (.duckdb) or events file (.parquet).")],
    group: Annotated[str | None, typer.Option("--group", "-g")] = None,
    window: Annotated[str, typer.Option("--window", help="Window width in the group's calendar, e.g. 7d, 1d, 1mo, 12h; 'all' = one window over the whole period.")] = "7d",
    anchor: Annotated[Anchor, typer.Option("--anchor", help="Where windows are anchored: end (the last window ends with the data), start, or calendar (weeks from Monday, months from the 1st).")] = Anchor.end,
    since: SinceOpt = None,
    until: UntilOpt = None,
    members: MembersOpt = None,
    fmt: Annotated[MeasureFormat, typer.Option("--format", "-f", help="Output format.")] = MeasureFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File for json or parquet output.", callback=writable())] = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", min=0)] = 200,
    seed: Annotated[int, typer.Option("--seed", min=0)] = 0,
    jobs: JobsOpt = -1,
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    by: Annotated[str | None, typer.Option("--by", help="Measure every group (e.g. --by group_id) in parallel into one Parquet table.")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="With --by: an existing Dask scheduler, e.g. tcp://host:8786.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="With --by: start a local Dask cluster with N workers.", min=1)] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="With --by: start over instead of resuming.")] = False,
) -> None:
    """Measure a group: every indicator per window with 95% intervals, aspects, stages and the index.

    With --by, measure every group of a store, a partitioned Parquet dataset or a folder of exports
    on a process pool (or a Dask cluster), resuming where a run stopped.

    Example: kohesi measure kohesi.duckdb --group rt05 --window 7d --format parquet -o rt05.parquet
    """
    from kohesi.measure.windows import window_spec

    try:
        spec = window_spec(None if window.lower() == "all" else window, anchor=anchor.value)
    except ValueError as exc:
        fail(f"--window: {exc}")
    if by is not None:
        from kohesi.cli.batch import measure_by_group

        given = {"--group": group, "--since": since, "--until": until, "--members": members, "--date-order": date_order,
                 "--format": fmt is not MeasureFormat.table or None, "--jobs": jobs != -1 or None}
        refused = [k for k, v in given.items() if v is not None]
        if refused:
            fail(f"--by measures every group into one Parquet table; it does not take {', '.join(refused)}")
        measure_by_group(data=[source], by=by, output=output or Path("profiles.parquet"), scheduler=scheduler,
                         workers=workers, processes=None, serial=False, window=spec, bootstrap=bootstrap,
                         seed=seed, tz=tz, fresh=fresh)
        return
    if scheduler is not None or workers is not None or fresh:
        fail("--scheduler, --workers and --fresh go with --by (many groups)")
    import polars as pl

    from kohesi.measure import measure as run_measure
    from kohesi.sources import open_group

    with progress(f"reading {source.name}") as bar:
        loaded = open_group(source, group=group, tz=tz, date_order=date_order, since=since, until=until,
                            members_file=members)
        bar.stage("measuring windows")
        profile = run_measure(loaded.events, members=loaded.roster, window=spec, bootstrap=bootstrap, seed=seed,
                              n_jobs=jobs, progress=bar)
    if fmt is MeasureFormat.json:
        text = profile.to_json()
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            print(text)
        return
    if fmt is MeasureFormat.parquet:
        output = output or Path("profile.parquet")
        profile.to_frame().write_parquet(output)
        out.print(f"[green]wrote[/] {profile.to_frame().height:,} indicator rows to {output}")
        return
    meta = profile.meta
    table = new_table(title=f"{profile.group_id}: whole period ({meta['n_complete_windows']} complete of "
                        f"{meta['n_windows']} windows, {meta['window']}, {meta['tz']})")
    for col in ("", "value", "95% interval", "evidence"):
        table.add_column(col, justify="left" if col in ("", "evidence") else "right")
    scores = profile.scores.filter(pl.col("window") == "all")
    for kind in ("index", "aspect", "stage"):
        for r in scores.filter(pl.col("kind") == kind).iter_rows(named=True):
            name = "cohesion index" if kind == "index" else f"{kind}: {r['name']}"
            if r["value"] is None or r["value"] != r["value"] or not r["enough"]:
                table.add_row(name, "–", "", r["note"] or "not enough evidence")
                continue
            ev = f"{r['n_available']} of {r['n_applicable']} windows" if kind != "index" else ""
            table.add_row(name, f"{r['value'] * 100:.0f}", f"{r['lo'] * 100:.0f}–{r['hi'] * 100:.0f}", ev)
    print_table(table)
    if not profile.verdict["given"]:
        out.print("[bold yellow]not enough evidence to judge:[/] " + "; ".join(profile.verdict["reasons"]), highlight=False)
    rows = profile.to_frame().filter(pl.col("window") == "all")
    ind = new_table(title="indicators (whole period)")
    for col in ("indicator", "value", "95% interval", "null pct", ""):
        ind.add_column(col, justify="left" if col in ("indicator", "") else "right")
    for r in rows.iter_rows(named=True):
        if not r["available"]:
            ind.add_row(r["indicator"], "–", "", "", r["note"] or "not available")
            continue
        null = "" if r["null_pct"] is None or r["null_pct"] != r["null_pct"] else f"{r['null_pct']:.2f}"
        ci = "" if r["lo"] != r["lo"] else f"{r['lo']:.3g}–{r['hi']:.3g}"
        ind.add_row(r["indicator"], f"{r['value']:.3g}", ci, null, "")
    print_table(ind)
    out.print(f"[dim]capabilities of the source: {', '.join(meta['capabilities'])} ({meta['capabilities_basis']})[/]",
              highlight=False)


def report(
    source: Annotated[Path, typer.Argument(help="An export (WhatsApp .txt/.zip, Telegram, Discord…), a kohesi store (.duckdb, with --group), or an events file (.parquet: `kohesi parse -o` or a simulation's `kohesi simulate -o`).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file (default report.html, or report.json).", callback=writable())] = None,
    group: Annotated[str | None, typer.Option("--group", "-g", help="Group in the store (or group id for an export).")] = None,
    lang: Annotated[Lang, typer.Option("--lang", "-l", help="Report language.")] = Lang.id,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.html,
    names: Annotated[bool, typer.Option("--names", help="Show members' names instead of codes (phone numbers stay masked).")] = False,
    png: Annotated[Path | None, typer.Option("--png", help="Also write every figure as a PNG into this folder.", callback=writable(folder_ok=True))] = None,
    window: Annotated[str, typer.Option("--window", help="Time window of the trends, e.g. 7d, 1d or 1mo.", callback=check_window)] = "7d",
    members: MembersOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap replicates for the intervals.", min=0)] = 200,
    seed: Annotated[int, typer.Option("--seed", min=0)] = 0,
    jobs: JobsOpt = -1,
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    open_: Annotated[bool, typer.Option("--open", help="Open the report in the browser.")] = False,
    survey: Annotated[Path | None, typer.Option("--survey", help="Survey responses (CSV from `kohesi survey template`) to show beside the chat.", exists=True, dir_okay=False)] = None,
    survey_group_col: Annotated[str | None, typer.Option("--survey-group-col", help="Group column of the survey (e.g. rt).")] = None,
    survey_group: Annotated[str | None, typer.Option("--survey-group", help="Only respondents of this group.")] = None,
    role: Annotated[str | None, typer.Option("--role", help="Column of the members file holding roles (default: a column named role or peran).")] = None,
    attribute: Annotated[str | None, typer.Option("--attribute", help="Column of the members file to compare members by (default: rt, rw, blok… if present).")] = None,
    earlier: Annotated[Path | None, typer.Option("--earlier", help="An earlier export of the same group: the report shows what changed since it (a store compares with its earlier imports on its own).", exists=True, dir_okay=False)] = None,
) -> None:
    """Write the cohesion report of a group: one self-contained HTML page (or JSON).

    SOURCE is an export, a store (kohesi add) or a .parquet events file, e.g. from kohesi simulate -o sim.parquet.

    Example: kohesi report "WhatsApp Chat with RT 05.txt" --lang id --tz Asia/Jakarta -o rt05.html
    """
    from kohesi.report import make_report

    output = output or Path(f"report.{fmt.value}")
    stages = {"reading": f"reading {source.name}", "measuring": "measuring windows",
              "assembling": "assembling the report", "comparing": "comparing with the earlier export"}
    with progress(stages["reading"]) as bar:
        rep = make_report(source, group=group, lang_code=lang.value, names=names, tz=tz, window=window,
                          bootstrap=bootstrap, seed=seed, date_order=date_order, survey=survey,
                          survey_group_col=survey_group_col, survey_group=survey_group, n_jobs=jobs,
                          members_file=members, since=since, until=until, progress=bar,
                          stage=lambda name: bar.stage(stages.get(name, name)), earlier=earlier, role=role,
                          attribute=attribute)
        bar.stage(f"writing {output.name}")
        text = rep.to_html() if fmt is ReportFormat.html else rep.to_json()
        output.write_text(text, encoding="utf-8")
        if png is not None:
            bar.stage(f"writing figures to {png}")
            rep.write_pngs(png)
    out.print(f"[green]wrote[/] {output} ({len(text.encode()) / 1024:,.0f} KB)")
    if open_:
        import webbrowser

        webbrowser.open(output.resolve().as_uri())


def serve(
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535)] = 8765,
    host: Annotated[str, typer.Option("--host", help="Address to bind; only this computer (127.0.0.1) by default.")] = "127.0.0.1",
    max_upload_mb: Annotated[int, typer.Option("--max-upload-mb", help="Largest upload accepted.", min=1)] = 50,
) -> None:
    """Open the local web page: upload an export, choose the language, see and download the report.

    Nothing leaves this computer: the page binds to 127.0.0.1 and uploads are processed in a
    temporary folder that is always removed.
    """
    from kohesi.web.app import is_loopback
    from kohesi.web.app import serve as run

    if not is_loopback(host):
        fail(f"--host {host}: kohesi serve listens only on this computer (--host 127.0.0.1, localhost or ::1), so "
             "that nobody else on the network can upload chats or read reports")
    run(host=host, port=port, max_upload_bytes=max_upload_mb * 1024**2)
