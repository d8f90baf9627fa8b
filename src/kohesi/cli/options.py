"""Options shared by several commands, and the choices some of them take."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from kohesi.cli.console import fail

__all__ = [
    "Group", "StoreOpt", "TzOpt", "DateOrderOpt", "KeepTextOpt", "KeepNamesOpt", "JobsOpt", "StrictOpt", "MapOpt",
    "MembersOpt", "ReplaceOpt", "SinceOpt", "UntilOpt", "Anchor", "MeasureFormat", "ReportFormat", "Lang", "mapping",
]


class Group(TyperGroup):
    """The command groups' class (``typer.Typer(cls=Group)``): its ``--help`` flag defaults to
    False instead of None. Typer coerces a None flag through a pydantic validator it builds on
    first use, and every ``kohesi <command>`` passes through the group's unused ``--help``: that
    alone cost ``kohesi <command> --help`` 0.2 s of pydantic imports. Nothing else changes."""

    def get_help_option(self, ctx: typer.Context):  # type: ignore[override]
        option = super().get_help_option(ctx)
        if option is not None and option.default is None:
            option.default = False
        return option


class Anchor(StrEnum):
    """Where time windows are anchored."""

    end = "end"
    start = "start"
    calendar = "calendar"


class MeasureFormat(StrEnum):
    table = "table"
    json = "json"
    parquet = "parquet"


class ReportFormat(StrEnum):
    html = "html"
    json = "json"


class Lang(StrEnum):
    id = "id"
    en = "en"


StoreOpt = Annotated[Path, typer.Option("--store", "-s", help="DuckDB store file.", envvar="KOHESI_STORE")]
TzOpt = Annotated[str | None, typer.Option("--tz", help="Timezone of the export's clock times (IANA name, e.g. Asia/Jakarta). Default: this computer's.")]
DateOrderOpt = Annotated[str | None, typer.Option("--date-order", help="Override date-order inference: dmy, mdy, ymd or ydm.")]
KeepTextOpt = Annotated[bool, typer.Option("--keep-text", help="Keep message text (default: content-free features only).")]
KeepNamesOpt = Annotated[bool, typer.Option("--keep-names", help="Keep display names (phone numbers stay masked).")]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", help="Worker processes over the time windows of a large group (-1: every CPU; 1: this process only). Results are identical for any value.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Fail on any line that cannot be parsed.")]
MapOpt = Annotated[str | None, typer.Option("--map", help="Column mapping for tables (CSV/Parquet/JSONL): actor=sender,ts=time,reply_to=parent; '=value' is a constant, e.g. kind==activity.")]
ReplaceOpt = Annotated[bool, typer.Option("--replace", help="Re-read the group from scratch: replace its stored events, members and imports with this export's, in one step (needed to change its --tz or --date-order).")]
MembersOpt = Annotated[Path | None, typer.Option("--members", help="Members file (CSV/Parquet) listing every member, silent ones too: an 'actor' or 'name' column, other columns are attributes (role, rt…).")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Only events from this date (YYYY-MM-DD, the group's own calendar).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Only events before this date (YYYY-MM-DD, the group's own calendar).")]


def mapping(text: str | None) -> dict[str, str] | None:
    """``actor=sender,ts=time`` → ``{"actor": "sender", "ts": "time"}``."""
    if not text:
        return None
    out = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            fail(f"--map: {part!r} is not canonical=column (e.g. actor=sender)")
        out[key.strip()] = value.strip()
    return out
