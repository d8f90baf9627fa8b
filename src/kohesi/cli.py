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
StrictOpt = Annotated[bool, typer.Option("--strict", help="Fail on any line that cannot be parsed.")]


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _report_read(report) -> None:
    out.print(f"[dim]{report.summary()}[/]", highlight=False)
    for warning in report.warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)


@app.command()
def add(
    export: Annotated[Path, typer.Argument(help="WhatsApp export (.txt or .zip).")],
    group: Annotated[str | None, typer.Option("--group", "-g", help="Group id to store it under (default: from the file).")] = None,
    store: StoreOpt = Path("kohesi.duckdb"),
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    keep_text: KeepTextOpt = False,
    keep_names: KeepNamesOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Add an export to the store. Importing the same or an overlapping export again adds only what is new.

    Example: kohesi add "WhatsApp Chat with RT 05.txt" --group rt05 --tz Asia/Jakarta
    """
    from kohesi.ingest import read
    from kohesi.store import Store

    with Store(store) as st:
        log = read(export, group=group, tz=tz, date_order=date_order, keep_text=keep_text,
                   keep_names=keep_names, salt=st.salt, strict=strict)
        _report_read(log.report)
        res = st.add(log)
    out.print(f"[green]added[/] {res.n_added:,} new events to group [bold]{res.group_id}[/] "
              f"({res.n_duplicates:,} already stored, {res.n_members_added:,} new members) in {store}",
              highlight=False)


@app.command()
def info(store: StoreOpt = Path("kohesi.duckdb")) -> None:
    """List the groups in the store with their date ranges and counts."""
    from kohesi.store import Store

    with Store(store, read_only=True) as st:
        rows = st.groups().to_pylist()
    table = Table(title=f"kohesi store {store}")
    for col in ("group", "events", "posts", "active members", "members", "first", "last", "imports"):
        table.add_column(col, justify="right" if col not in ("group", "first", "last") else "left")
    for r in rows:
        table.add_row(r["group_id"], f"{r['events']:,}", f"{r['posts']:,}", f"{r['active_members']:,}",
                      f"{r['members']:,}", f"{r['first']:%Y-%m-%d %H:%M}", f"{r['last']:%Y-%m-%d %H:%M}",
                      str(r["imports"]))
    out.print(table if rows else "The store is empty: add an export with `kohesi add EXPORT`.")


@app.command()
def parse(
    export: Annotated[Path, typer.Argument(help="WhatsApp export (.txt or .zip).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write events to .parquet or .csv.")] = None,
    group: Annotated[str | None, typer.Option("--group", "-g")] = None,
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    keep_text: KeepTextOpt = False,
    keep_names: KeepNamesOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Read an export into canonical events without storing it (summary, or a Parquet/CSV file)."""
    from kohesi.ingest import read

    log = read(export, group=group, tz=tz, date_order=date_order, keep_text=keep_text,
               keep_names=keep_names, strict=strict)
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
    window: Annotated[str, typer.Option("--window", help="Time window of the trends, e.g. 7D or 1D.")] = "7D",
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap replicates for the intervals.")] = 200,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    open_: Annotated[bool, typer.Option("--open", help="Open the report in the browser.")] = False,
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
                          bootstrap=bootstrap, seed=seed, date_order=date_order)
        text = rep.to_html() if fmt == "html" else rep.to_json()
        output.write_text(text, encoding="utf-8")
        if png is not None:
            rep.write_pngs(png)
    out.print(f"[green]wrote[/] {output} ({len(text.encode()) / 1024:,.0f} KB)")
    if open_:
        import webbrowser

        webbrowser.open(output.resolve().as_uri())


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

    out.print(f"kohesi is running at [bold]http://{host}:{port}[/] (Ctrl+C to stop)")
    run(host=host, port=port, max_upload_bytes=max_upload_mb * 1024**2)


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
