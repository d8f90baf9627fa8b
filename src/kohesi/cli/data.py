"""Reading and storing exports: ``kohesi add``, ``info``, ``parse``."""

# No `from __future__ import annotations` here: Typer would compile every parameter's annotation
# string each time the command line starts (bench/RESULTS.md, Startup).

from pathlib import Path
from typing import Annotated

import typer

from kohesi.cli.console import fail, new_table, out, print_table, progress, report_read
from kohesi.cli.options import (
    DateOrderOpt,
    KeepNamesOpt,
    KeepTextOpt,
    MapOpt,
    ReplaceOpt,
    StoreOpt,
    StrictOpt,
    TzOpt,
    mapping,
    writable,
)

__all__ = ["add", "info", "parse"]


def add(
    export: Annotated[Path, typer.Argument(help="WhatsApp .txt/.zip, Telegram result.json, DiscordChatExporter .json/.csv, or a table (.csv/.parquet/.jsonl with --map).")],
    group: Annotated[str | None, typer.Option("--group", "-g", help="Group id to store it under, or the chat to take from a multi-chat export (default: from the file).")] = None,
    store: StoreOpt = Path("kohesi.duckdb"),
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    keep_text: KeepTextOpt = False,
    keep_names: KeepNamesOpt = False,
    strict: StrictOpt = False,
    map_: MapOpt = None,
    replace: ReplaceOpt = False,
) -> None:
    """Add an export to the store (every chat of a multi-chat Telegram export, unless --group). Importing the same or an overlapping export again adds only what is new.

    A group already in the store is read again with the timezone and date order it was stored with, unless --tz or --date-order is given; a different --tz or --date-order is refused (with another date order every message would be stored twice, with another timezone new messages would be hours off the stored ones) unless --replace, which re-reads the group from scratch (a setting not given stays the stored one): its stored events, members and imports are replaced by this export's in one step.

    Example: kohesi add "WhatsApp Chat with RT 05.txt" --group rt05 --tz Asia/Jakarta
    """
    from kohesi.store import Store
    from kohesi.store_settings import read_for_store

    with Store(store) as st, progress(f"reading {export.name}") as bar:
        logs = read_for_store(st, export, group=group or None, tz=tz, date_order=date_order, keep_text=keep_text,
                              keep_names=keep_names, strict=strict, mapping=mapping(map_),
                              on_note=lambda note: bar.print(f"[dim]{note}[/]", highlight=False))
        if not replace:
            for log in logs:  # refuse before any chat of a multi-chat export is added
                st.check(log)
        bar.stage(f"storing in {store.name}" if len(logs) == 1 else f"storing {len(logs):,} chats in {store.name}",
                  total=len(logs))
        for done, log in enumerate(logs, start=1):
            report_read(log.report, bar)
            res = st.add(log, replace=replace)
            if res.replaced:
                bar.print(f"[green]replaced[/] group [bold]{res.group_id}[/]: removed {res.replaced:,} events, "
                          f"added {res.n_added:,} ({res.n_members_added:,} members) in {store}", highlight=False)
            else:
                bar.print(f"[green]added[/] {res.n_added:,} new events to group [bold]{res.group_id}[/] "
                          f"({res.n_duplicates:,} already stored, {res.n_members_added:,} new members) in {store}",
                          highlight=False)
            bar(done, len(logs))


def info(store: StoreOpt = Path("kohesi.duckdb")) -> None:
    """List the groups in the store: events, posts, members and how many of them wrote at least once
    (as the report counts them), and the first and last event in the group's own timezone."""
    from kohesi.store import Store

    with Store(store, read_only=True) as st:
        rows = st.groups().to_pylist()
        zones = {r["group_id"]: _zone_of(st, r["group_id"]) for r in rows}
    if not rows:
        out.print("The store is empty: add an export with `kohesi add EXPORT`.")
        return
    table = new_table(title=f"kohesi store {store}")
    for col in ("group", "events", "posts", "members", "wrote at least once", "first", "last", "timezone",
                "imports"):
        table.add_column(col, justify="left" if col in ("group", "first", "last", "timezone") else "right")
    for r in rows:
        zone = zones[r["group_id"]]
        first, last = (_local(r[k], zone) for k in ("first", "last"))
        table.add_row(r["group_id"], f"{r['events']:,}", f"{r['posts']:,}", f"{r['members']:,}",
                      f"{r['active_members']:,}", first, last, zone, str(r["imports"]))
    print_table(table)


def _zone_of(st, group: str) -> str:
    """The timezone ``group`` was read with (the store remembers it), UTC if none was recorded."""
    settings = st.settings(group)
    return (settings.tz if settings is not None else None) or "UTC"


def _local(ts, zone: str) -> str:
    """An instant as the group's wall-clock time, with the zone's abbreviation (``2026-10-01 19:02 WIB``)."""
    from zoneinfo import ZoneInfo

    return f"{ts.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M %Z}"


def parse(
    export: Annotated[Path, typer.Argument(help="WhatsApp, Telegram or Discord export, or a table (with --map).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write events to .parquet or .csv.", callback=writable(".parquet", ".csv"))] = None,
    group: Annotated[str | None, typer.Option("--group", "-g")] = None,
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    keep_text: KeepTextOpt = False,
    keep_names: KeepNamesOpt = False,
    strict: StrictOpt = False,
    map_: MapOpt = None,
) -> None:
    """Read an export into canonical events without storing it (summary, or a Parquet/CSV file)."""
    from kohesi.ingest import read

    log = read(export, group=group, tz=tz, date_order=date_order, keep_text=keep_text,
               keep_names=keep_names, strict=strict, mapping=mapping(map_))
    report_read(log.report)
    if output is None:
        table = new_table(title=f"{log.group_id}: events by kind")
        table.add_column("kind")
        table.add_column("events", justify="right")
        for kind, n in log.report.kinds.items():
            table.add_row(kind, f"{n:,}")
        print_table(table)
        return
    frame = log.to_polars()
    if output.suffix == ".parquet":  # with the source and timezone in the file's metadata
        import pyarrow.parquet as pq

        pq.write_table(log.events, output)
    elif output.suffix == ".csv":
        frame.with_columns(frame["mentions"].list.join(" "), frame["acts"].list.join(" ")).write_csv(output)
    else:
        fail(f"{output}: unknown output type; use .parquet or .csv")
    out.print(f"[green]wrote[/] {frame.height:,} events to {output}")
