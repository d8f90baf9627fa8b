"""Options shared by several commands, and the choices some of them take."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

try:  # help is click's plain layout (Rich's costs 0.2 s at every --help); keep hyphenated values
    from typer._click._textwrap import TextWrapper as _HelpWrapper  # such as gotong-royong whole

    _HelpWrapper.wordsep_re = _HelpWrapper.wordsep_simple_re
except ImportError:  # pragma: no cover - another Typer layout: hyphens may break, nothing else
    pass

from kohesi.cli.console import fail

__all__ = [
    "Group", "StoreOpt", "TzOpt", "DateOrderOpt", "KeepTextOpt", "KeepNamesOpt", "JobsOpt", "StrictOpt", "MapOpt",
    "MembersOpt", "ReplaceOpt", "SinceOpt", "UntilOpt", "Anchor", "MeasureFormat", "ReportFormat", "Lang", "mapping",
    "check_scenario", "check_tz", "check_window", "writable",
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


def check_tz(value: str | None) -> str | None:
    """``--tz``: an IANA timezone name (``Asia/Jakarta``), or None for this computer's."""
    if value is not None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise typer.BadParameter(f"unknown timezone {value!r}; use an IANA name such as Asia/Jakarta, "
                                     "Asia/Makassar or Asia/Jayapura") from None
    return value


def _date_order(value: str | None) -> str | None:
    """``--date-order``: dmy, mdy, ymd or ydm."""
    if value is not None and value not in ("dmy", "mdy", "ymd", "ydm"):
        raise typer.BadParameter(f"unknown date order {value!r}; use dmy, mdy, ymd or ydm")
    return value


def _day(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    """``--since`` / ``--until``: a date (YYYY-MM-DD), and ``--until`` after ``--since``."""
    if value is None:
        return None
    from datetime import date

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-01-31") from None
    other = ctx.params.get("until" if param.name == "since" else "since")
    if other is not None:
        since = param.name == "since"
        lo, hi = (day, date.fromisoformat(other)) if since else (date.fromisoformat(other), day)
        if hi <= lo:
            raise typer.BadParameter(f"{lo} is not before --until {hi}" if since else f"{hi} is not after --since {lo}")
    return value


def _jobs(value: int) -> int:
    """``--jobs``: 1 or more processes, or a negative number for every CPU."""
    if value == 0:
        raise typer.BadParameter("0 processes; use 1 or more, or -1 for every CPU")
    return value


def check_scenario(value: str) -> str:
    """``--scenario``: a built-in scenario or a readable scenario file (TOML)."""
    from kohesi.errors import KohesiError
    from kohesi.simulate.scenario import load_scenario

    try:
        load_scenario(value)
    except (KohesiError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


def check_window(value: str) -> str:
    """``--window``: a width such as 7d, 12h or 1mo (the grammar of :func:`kohesi.measure.windows.parse_duration`)."""
    from kohesi.measure.windows import parse_duration

    try:
        parse_duration(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


def writable(*suffixes: str, folder_ok: bool = False) -> Callable[[Path | None], Path | None]:
    """A callback for an output option: the file's folder exists, the path is not a folder (unless
    ``folder_ok``: then it is a folder or nothing yet) and, when ``suffixes`` are given, the name ends
    in one of them."""

    def check(value: Path | None) -> Path | None:
        if value is None:
            return None
        if folder_ok:
            if value.exists() and not value.is_dir():
                raise typer.BadParameter(f"{value} is a file, not a folder")
            return value
        if value.is_dir():
            raise typer.BadParameter(f"{value} is a folder; give a file name"
                                     + (f" ending in {' or '.join(suffixes)}" if suffixes else ""))
        if not value.parent.is_dir():
            raise typer.BadParameter(f"{value}: folder {str(value.parent)!r} does not exist")
        if suffixes and value.suffix.lower() not in suffixes:
            raise typer.BadParameter(f"{value}: use a file name ending in {' or '.join(suffixes)}")
        return value

    return check


StoreOpt = Annotated[Path, typer.Option("--store", "-s", help="DuckDB store file.", envvar="KOHESI_STORE",
                                        callback=writable())]
TzOpt = Annotated[str | None, typer.Option("--tz", help="Timezone of the export's clock times (IANA name, e.g. Asia/Jakarta). Default: this computer's.", callback=check_tz)]
DateOrderOpt = Annotated[str | None, typer.Option("--date-order", help="Override date-order inference: dmy, mdy, ymd or ydm.", callback=_date_order)]
KeepTextOpt = Annotated[bool, typer.Option("--keep-text", help="Keep message text (default: content-free features only).")]
KeepNamesOpt = Annotated[bool, typer.Option("--keep-names", help="Keep display names (phone numbers stay masked).")]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", help="Worker processes over the time windows of a large group (-1: every CPU; 1: this process only). Results are identical for any value.", callback=_jobs)]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Fail on any line that cannot be parsed.")]
MapOpt = Annotated[str | None, typer.Option("--map", help="Column mapping for tables (CSV/Parquet/JSONL): actor=sender,ts=time,reply_to=parent; '=value' is a constant, e.g. kind==activity.")]
ReplaceOpt = Annotated[bool, typer.Option("--replace", help="Re-read the group from scratch: replace its stored events, members and imports with this export's, in one step (needed to change its --tz or --date-order).")]
MembersOpt = Annotated[Path | None, typer.Option("--members", help="Members file (CSV/Parquet) listing every member, silent ones too: an 'actor' or 'name' column, other columns are attributes (role, rt…).")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Only events from this date (YYYY-MM-DD, the group's own calendar).", callback=_day)]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Only events before this date (YYYY-MM-DD, the group's own calendar).", callback=_day)]


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
