"""The ``kohesi`` command line: ``add``, ``info``, ``parse`` (and more as the product grows)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kohesi.errors import KohesiError

app = typer.Typer(
    name="kohesi",
    help="Measure, explain and simulate solidarity and cohesion in real groups.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

StoreOpt = Annotated[Path, typer.Option("--store", "-s", help="DuckDB store file.", envvar="KOHESI_STORE")]
TzOpt = Annotated[str | None, typer.Option("--tz", help="Timezone of the export's clock times (IANA name, e.g. Asia/Jakarta). Default: this computer's.")]
DateOrderOpt = Annotated[str | None, typer.Option("--date-order", help="Override date-order inference: dmy, mdy, ymd or ydm.")]
KeepTextOpt = Annotated[bool, typer.Option("--keep-text", help="Keep message text (default: content-free features only).")]
KeepNamesOpt = Annotated[bool, typer.Option("--keep-names", help="Keep display names (phone numbers stay masked).")]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", help="Worker processes over the time windows of a large group (-1: every CPU; 1: this process only). Results are identical for any value.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Fail on any line that cannot be parsed.")]
MapOpt = Annotated[str | None, typer.Option("--map", help="Column mapping for tables (CSV/Parquet/JSONL): actor=sender,ts=time,reply_to=parent; '=value' is a constant, e.g. kind==activity.")]


MembersOpt = Annotated[Path | None, typer.Option("--members", help="Members file (CSV/Parquet) listing every member, silent ones too: an 'actor' or 'name' column, other columns are attributes (role, rt…).")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Only events from this date (YYYY-MM-DD, the group's own calendar).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Only events before this date (YYYY-MM-DD, the group's own calendar).")]
AnchorOpt = Annotated[str, typer.Option("--anchor", help="Where windows are anchored: end (the last window ends with the data), start, or calendar (weeks from Monday, months from the 1st).")]


def _mapping(text: str | None) -> dict[str, str] | None:
    """``actor=sender,ts=time`` → ``{"actor": "sender", "ts": "time"}``."""
    if not text:
        return None
    out = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            _fail(f"--map: {part!r} is not canonical=column (e.g. actor=sender)")
        out[key.strip()] = value.strip()
    return out


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _report_read(report) -> None:
    out.print(f"[dim]{report.summary()}[/]", highlight=False)
    for warning in report.warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)


@app.command()
def add(
    export: Annotated[Path, typer.Argument(help="WhatsApp .txt/.zip, Telegram result.json, DiscordChatExporter .json/.csv, or a table (.csv/.parquet/.jsonl with --map).")],
    group: Annotated[str | None, typer.Option("--group", "-g", help="Group id to store it under, or the chat to take from a multi-chat export (default: from the file).")] = None,
    store: StoreOpt = Path("kohesi.duckdb"),
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    keep_text: KeepTextOpt = False,
    keep_names: KeepNamesOpt = False,
    strict: StrictOpt = False,
    mapping: MapOpt = None,
) -> None:
    """Add an export to the store (every chat of a multi-chat Telegram export, unless --group). Importing the same or an overlapping export again adds only what is new.

    Example: kohesi add "WhatsApp Chat with RT 05.txt" --group rt05 --tz Asia/Jakarta
    """
    from kohesi.ingest import read, read_all
    from kohesi.store import Store

    with Store(store) as st:
        kwargs = dict(tz=tz, date_order=date_order, keep_text=keep_text, keep_names=keep_names,
                      salt=st.salt, strict=strict, mapping=_mapping(mapping))
        logs = [read(export, group=group, **kwargs)] if group else read_all(export, **kwargs)
        for log in logs:
            _report_read(log.report)
            res = st.add(log)
            out.print(f"[green]added[/] {res.n_added:,} new events to group [bold]{res.group_id}[/] "
                      f"({res.n_duplicates:,} already stored, {res.n_members_added:,} new members) in {store}",
                      highlight=False)


@app.command()
def info(store: StoreOpt = Path("kohesi.duckdb")) -> None:
    """List the groups in the store with their date ranges and counts."""
    from zoneinfo import ZoneInfo

    from kohesi.store import Store

    with Store(store, read_only=True) as st:
        rows = st.groups().to_pylist()
        zones = {r["group_id"]: st.source(r["group_id"]).tz or "UTC" for r in rows}
    table = Table(title=f"kohesi store {store}")
    for col in ("group", "events", "posts", "active members", "members", "first", "last", "timezone", "imports"):
        table.add_column(col, justify="right" if col not in ("group", "first", "last", "timezone") else "left")
    for r in rows:
        zone = ZoneInfo(zones[r["group_id"]])
        first, last = (r[k].astimezone(zone) for k in ("first", "last"))
        table.add_row(r["group_id"], f"{r['events']:,}", f"{r['posts']:,}", f"{r['active_members']:,}",
                      f"{r['members']:,}", f"{first:%Y-%m-%d %H:%M}", f"{last:%Y-%m-%d %H:%M}", zones[r["group_id"]],
                      str(r["imports"]))
    out.print(table if rows else "The store is empty: add an export with `kohesi add EXPORT`.")


@app.command()
def parse(
    export: Annotated[Path, typer.Argument(help="WhatsApp, Telegram or Discord export, or a table (with --map).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write events to .parquet or .csv.")] = None,
    group: Annotated[str | None, typer.Option("--group", "-g")] = None,
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    keep_text: KeepTextOpt = False,
    keep_names: KeepNamesOpt = False,
    strict: StrictOpt = False,
    mapping: MapOpt = None,
) -> None:
    """Read an export into canonical events without storing it (summary, or a Parquet/CSV file)."""
    from kohesi.ingest import read

    log = read(export, group=group, tz=tz, date_order=date_order, keep_text=keep_text,
               keep_names=keep_names, strict=strict, mapping=_mapping(mapping))
    _report_read(log.report)
    if output is None:
        table = Table(title=f"{log.group_id}: events by kind")
        table.add_column("kind")
        table.add_column("events", justify="right")
        for kind, n in log.report.kinds.items():
            table.add_row(kind, f"{n:,}")
        out.print(table)
        return
    frame = log.to_polars()
    if output.suffix == ".parquet":
        frame.write_parquet(output)
    elif output.suffix == ".csv":
        frame.with_columns(frame["mentions"].list.join(" ")).write_csv(output)
    else:
        _fail(f"{output}: unknown output type; use .parquet or .csv")
    out.print(f"[green]wrote[/] {frame.height:,} events to {output}")


@app.command()
def report(
    source: Annotated[Path, typer.Argument(help="WhatsApp export (.txt/.zip) or a kohesi store (.duckdb).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file (default report.html, or report.json).")] = None,
    group: Annotated[str | None, typer.Option("--group", "-g", help="Group in the store (or group id for an export).")] = None,
    lang: Annotated[str, typer.Option("--lang", "-l", help="Report language: id or en.")] = "id",
    fmt: Annotated[str, typer.Option("--format", "-f", help="html or json.")] = "html",
    names: Annotated[bool, typer.Option("--names", help="Show members' names instead of codes (phone numbers stay masked).")] = False,
    png: Annotated[Path | None, typer.Option("--png", help="Also write every figure as a PNG into this folder.")] = None,
    window: Annotated[str, typer.Option("--window", help="Time window of the trends, e.g. 7d or 1d.")] = "7d",
    members: MembersOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap replicates for the intervals.")] = 200,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    jobs: JobsOpt = -1,
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    open_: Annotated[bool, typer.Option("--open", help="Open the report in the browser.")] = False,
    survey: Annotated[Path | None, typer.Option("--survey", help="Survey responses (CSV from `kohesi survey template`) to show beside the chat.")] = None,
    survey_group_col: Annotated[str | None, typer.Option("--survey-group-col", help="Group column of the survey (e.g. rt).")] = None,
    survey_group: Annotated[str | None, typer.Option("--survey-group", help="Only respondents of this group.")] = None,
) -> None:
    """Write the cohesion report of a group: one self-contained HTML page (or JSON).

    Example: kohesi report "WhatsApp Chat with RT 05.txt" --lang id --tz Asia/Jakarta -o rt05.html
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from kohesi.report import make_report

    if fmt not in ("html", "json"):
        _fail(f"unknown format {fmt!r}; use html or json")
    output = output or Path(f"report.{fmt}")
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err, transient=True) as bar:
        bar.add_task("measuring and writing the report…")
        rep = make_report(source, group=group, lang_code=lang, names=names, tz=tz, window=window,
                          bootstrap=bootstrap, seed=seed, date_order=date_order, survey=survey,
                          survey_group_col=survey_group_col, survey_group=survey_group, n_jobs=jobs,
                          members_file=members, since=since, until=until)
        text = rep.to_html() if fmt == "html" else rep.to_json()
        output.write_text(text, encoding="utf-8")
        if png is not None:
            rep.write_pngs(png)
    out.print(f"[green]wrote[/] {output} ({len(text.encode()) / 1024:,.0f} KB)")
    if open_:
        import webbrowser

        webbrowser.open(output.resolve().as_uri())


@app.command()
def measure(
    source: Annotated[Path, typer.Argument(help="WhatsApp export, kohesi store (.duckdb) or events file (.parquet).")],
    group: Annotated[str | None, typer.Option("--group", "-g")] = None,
    window: Annotated[str, typer.Option("--window", help="Window width in the group's calendar, e.g. 7d, 1d, 1mo, 12h; 'all' = one window over the whole period.")] = "7d",
    anchor: AnchorOpt = "end",
    since: SinceOpt = None,
    until: UntilOpt = None,
    members: MembersOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or parquet.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File for json or parquet output.")] = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap")] = 200,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    jobs: JobsOpt = -1,
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    by: Annotated[str | None, typer.Option("--by", help="Measure every group (e.g. --by group_id) in parallel into one Parquet table.")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="With --by: an existing Dask scheduler, e.g. tcp://host:8786.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="With --by: start a local Dask cluster with N workers.")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="With --by: start over instead of resuming.")] = False,
) -> None:
    """Measure a group: every indicator per window with 95% intervals, aspects, stages and the index.

    With --by, measure every group of a store, a partitioned Parquet dataset or a folder of exports
    on a process pool (or a Dask cluster), resuming where a run stopped.

    Example: kohesi measure kohesi.duckdb --group rt05 --window 7d --format parquet -o rt05.parquet
    """
    if by is not None:
        from kohesi.distributed_cli import measure_by_group

        measure_by_group(data=[source], by=by, output=output or Path("profiles.parquet"), scheduler=scheduler,
                         workers=workers, processes=None, serial=False, window=window, bootstrap=bootstrap,
                         seed=seed, tz=tz, fresh=fresh)
        return
    import polars as pl

    from kohesi.load import load_group
    from kohesi.measure import measure as run_measure

    if fmt not in ("table", "json", "parquet"):
        _fail(f"unknown format {fmt!r}; use table, json or parquet")
    if anchor not in ("end", "start", "calendar"):
        _fail(f"unknown anchor {anchor!r}; use end, start or calendar")
    try:
        from kohesi.measure.windows import window_spec

        spec = window_spec(None if window.lower() == "all" else window, anchor=anchor)  # type: ignore[arg-type]
    except ValueError as exc:
        _fail(f"--window: {exc}")
    loaded = load_group(source, group=group, tz=tz, date_order=date_order, since=since, until=until,
                        members_file=members)
    profile = run_measure(loaded.events, members=loaded.roster, window=spec, bootstrap=bootstrap, seed=seed,
                          n_jobs=jobs)
    if fmt == "json":
        text = profile.to_json()
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            print(text)
        return
    if fmt == "parquet":
        output = output or Path("profile.parquet")
        profile.to_frame().write_parquet(output)
        out.print(f"[green]wrote[/] {profile.to_frame().height:,} indicator rows to {output}")
        return
    meta = profile.meta
    table = Table(title=f"{profile.group_id}: whole period ({meta['n_complete_windows']} complete of "
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
    out.print(table)
    if not profile.verdict["given"]:
        out.print("[bold yellow]not enough evidence to judge:[/] " + "; ".join(profile.verdict["reasons"]), highlight=False)
    rows = profile.to_frame().filter(pl.col("window") == "all")
    ind = Table(title="indicators (whole period)")
    for col in ("indicator", "value", "95% interval", "null pct", ""):
        ind.add_column(col, justify="left" if col in ("indicator", "") else "right")
    for r in rows.iter_rows(named=True):
        if not r["available"]:
            ind.add_row(r["indicator"], "–", "", "", r["note"] or "not available")
            continue
        null = "" if r["null_pct"] is None or r["null_pct"] != r["null_pct"] else f"{r['null_pct']:.2f}"
        ci = "" if r["lo"] != r["lo"] else f"{r['lo']:.3g}–{r['hi']:.3g}"
        ind.add_row(r["indicator"], f"{r['value']:.3g}", ci, null, "")
    out.print(ind)
    out.print(f"[dim]capabilities of the source: {', '.join(meta['capabilities'])} ({meta['capabilities_basis']})[/]",
              highlight=False)


@app.command()
def simulate(
    scenario: Annotated[str, typer.Option("--scenario", help="keluarga, kampung, kota, organisasi, komunitas-online, or a TOML file.")] = "kampung",
    steps: Annotated[int, typer.Option("--steps", help="Days to simulate.")] = 365,
    seed: Annotated[int, typer.Option("--seed")] = 1,
    intervention: Annotated[list[str] | None, typer.Option("--intervention", "-i", help="e.g. gotong-royong@100:weekly (repeatable).")] = None,
    runs: Annotated[int, typer.Option("--runs", help="Independent runs (seeds seed, seed+1, …) on a process pool.")] = 1,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write events (and .state/.members) as Parquet; with --runs, one file per run.")] = None,
) -> None:
    """Simulate how solidarity forms in a community, with scheduled interventions.

    Example: kohesi simulate --scenario kampung --steps 520 --seed 1 -i gotong-royong@100:weekly -o sim.parquet
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kohesi.simulate import run_many
    from kohesi.simulate import simulate as run_one

    seeds = list(range(seed, seed + runs))
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        if runs == 1:
            task = bar.add_task(f"simulating {scenario} (days)", total=steps)
            results = [run_one(scenario, steps, seed, intervention or [],
                               on_step=lambda t: bar.update(task, completed=t))]
        else:
            task = bar.add_task(f"simulating {scenario} (runs)", total=runs)
            results = run_many(scenario, steps, seeds, intervention or [],
                               on_result=lambda _r: bar.advance(task))
    summary = Table(title=f"scenario {scenario}: last 30 days, mean over {runs} run(s)")
    cols = ["mean_trust", "cooperation_rate", "ties_per_member", "norm_dispersion", "solidarity"]
    for col in ("seed", "events", *cols):
        summary.add_column(col, justify="right")
    for res in results:
        tail = res.state.tail(30)
        summary.add_row(str(res.seed), f"{res.events.num_rows:,}", *(f"{tail[c].mean():.3f}" for c in cols))
    out.print(summary)
    if output is not None:
        for res in results:
            path = output if runs == 1 else output.with_name(f"{output.stem}-seed{res.seed}{output.suffix}")
            res.to_parquet(path)
            out.print(f"[green]wrote[/] {path}")


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", "-p")] = 8765,
    host: Annotated[str, typer.Option("--host", help="Address to bind; only this computer (127.0.0.1) by default.")] = "127.0.0.1",
    max_upload_mb: Annotated[int, typer.Option("--max-upload-mb", help="Largest upload accepted.")] = 50,
) -> None:
    """Open the local web page: upload an export, choose the language, see and download the report.

    Nothing leaves this computer: the page binds to 127.0.0.1 and uploads are processed in a
    temporary folder that is always removed.
    """
    from kohesi.web.app import serve as run

    run(host=host, port=port, max_upload_bytes=max_upload_mb * 1024**2)


def _mount() -> None:
    from kohesi.distributed_cli import sweep_command
    from kohesi.survey.cli import survey_app

    app.add_typer(survey_app, name="survey", help="Survey instruments: questionnaires and scoring with reliability.")
    app.command("sweep")(sweep_command)


_mount()


def main() -> None:
    """Entry point: every :class:`KohesiError` becomes one red line and exit code 2."""
    try:
        app()
    except KohesiError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("[bold red]interrupted[/]")
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line; KOHESI_DEBUG=1 shows the traceback
        if os.environ.get("KOHESI_DEBUG"):
            raise
        err.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc} "
                  "(rerun with KOHESI_DEBUG=1 for details and report it)", highlight=False)
        sys.exit(3)
