"""``kohesi acts``: what the act tagger read in an export, per month, and line by line on request."""

# No `from __future__ import annotations` here: Typer would compile every parameter's annotation
# string each time the command line starts (bench/RESULTS.md, Startup).

from pathlib import Path
from typing import Annotated

import typer

from kohesi.cli.console import fail, new_table, out, print_table, report_read
from kohesi.cli.options import DateOrderOpt, KeepNamesOpt, MapOpt, TzOpt, mapping, writable

__all__ = ["acts"]


def acts(
    export: Annotated[Path, typer.Argument(help="WhatsApp, Telegram, Discord, Slack or mbox export, or a table with a text column (with --map).")],
    group: Annotated[str | None, typer.Option("--group", "-g")] = None,
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    keep_text: Annotated[bool, typer.Option("--keep-text", help="Also list every tagged message with its acts and the words that made them, so you can check the tagger. Shows message text on screen.")] = False,
    keep_names: KeepNamesOpt = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the monthly counts (or, with --keep-text, the tagged messages) to a .csv file.", callback=writable(".csv"))] = None,
    map_: MapOpt = None,
) -> None:
    """Communicative acts read from an export's text (help requests, thanks, condolences, apologies, sign-ups…): counts per month in the group's local time.

    Example: kohesi acts "WhatsApp Chat with RT 05.txt" --tz Asia/Jakarta --keep-text
    """
    import polars as pl

    from kohesi.events import POST_KINDS
    from kohesi.ingest import read
    from kohesi.text import ACTS

    log = read(export, group=group, tz=tz, date_order=date_order, keep_text=keep_text, keep_names=keep_names,
               mapping=mapping(map_))
    report_read(log.report)
    ev = pl.from_arrow(log.events)
    if ev.get_column("acts").null_count() == ev.height:
        fail(f"{export}: the export has no message text to read acts from")
    zone = log.report.tz or "UTC"
    posts = ev.filter(pl.col("kind").is_in(POST_KINDS)).with_columns(
        month=pl.col("ts").dt.convert_time_zone(zone).dt.strftime("%Y-%m"))
    if keep_text:
        _lines(posts, log.members, keep_names, zone, output)
        return
    counts = (posts.select("month", act=pl.col("acts")).explode("act").drop_nulls("act")
              .group_by("month", "act").len())
    months = posts.group_by("month").len().sort("month").rename({"len": "posts"})
    wide = months.join(counts.pivot(on="act", index="month", values="len"), on="month", how="left").fill_null(0)
    cols = ["month", "posts", *[a for a in ACTS if a in wide.columns]]
    wide = wide.select(cols)
    if output is not None:
        if output.suffix != ".csv":
            fail(f"{output}: unknown output type; use .csv")
        wide.write_csv(output)
        out.print(f"[green]wrote[/] {wide.height:,} months to {output}")
        return
    table = new_table(title=f"{log.group_id}: messages per act and month ({zone})")
    for c in cols:
        table.add_column(c.replace("_", " "), justify="left" if c == "month" else "right")
    for row in wide.iter_rows():
        table.add_row(*(str(v) for v in row))
    print_table(table)
    out.print("[dim]Acts are read from each message's words (docs/acts.md); --keep-text lists the messages and why.[/]")


def _lines(posts, members, keep_names: bool, zone: str, output: Path | None) -> None:
    """Every message with an act: local time, line, author, acts, why (the words or model that
    made each act, :func:`~kohesi.text.tagger.explain`, each distinct text explained once; the acts
    the messages around it added or took away, read in its chat; a numbered list's), text."""
    from zoneinfo import ZoneInfo

    import polars as pl

    from kohesi.text.acts import ACT_BIT
    from kohesi.text.annotate import previous_rows
    from kohesi.text.tagger import explain, tag_in_chat_and_alone

    tzinfo = ZoneInfo(zone)
    posts = posts.sort("ts", "line")
    text = posts.get_column("text")
    in_chat, alone = tag_in_chat_and_alone(text, previous_rows(text, posts.get_column("ts").dt.epoch("us").to_numpy(),
                                                               posts.get_column("group_id")))
    names = dict(zip(members["actor"].to_pylist(), members["name"].to_pylist(), strict=True)) if keep_names else {}
    explained: dict[str, list[str]] = {}
    rows = []
    for i, r in enumerate(posts.iter_rows(named=True)):
        if not r["acts"]:
            continue
        t = r["text"] or ""
        if t not in explained:
            explained[t] = sorted({f"{phrase} → {act}" for phrase, act, _ in explain(t)})
        why = list(explained[t])
        for act, bit in ACT_BIT.items():
            a, c, final = int(alone[i]) & bit, int(in_chat[i]) & bit, act in r["acts"]
            if c and not a:
                why.append(f"the messages around it → {act}")
            elif a and not c:
                why.append(f"the messages around it → not {act}")
            if final and not c:
                why.append(f"numbered list → {act}")
            elif c and not final:
                why.append(f"numbered list → not {act}")
        rows.append({
            "time": r["ts"].astimezone(tzinfo).strftime("%Y-%m-%d %H:%M"),
            "line": r["line"], "author": names.get(r["actor"]) or r["actor"] or "",
            "acts": " ".join(r["acts"]), "because": "; ".join(why), "text": t,
        })
    if output is not None:
        if output.suffix != ".csv":
            fail(f"{output}: unknown output type; use .csv")
        pl.DataFrame(rows, schema=["time", "line", "author", "acts", "because", "text"]).write_csv(output)
        out.print(f"[green]wrote[/] {len(rows):,} tagged messages to {output}")
        return
    table = new_table(title=f"{len(rows):,} messages with an act ({zone})", show_lines=False)
    for c in ("time", "line", "author", "acts", "because", "text"):
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(r["time"], str(r["line"]), r["author"], r["acts"], r["because"], r["text"])
    out.print(table)
