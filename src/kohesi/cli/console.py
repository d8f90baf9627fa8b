"""The command line's two consoles and its one error printer."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

__all__ = ["out", "err", "fail", "report_read"]

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one red error line and exit with ``code`` (2: bad arguments or input)."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def report_read(report) -> None:
    """What a read did, and its warnings."""
    out.print(f"[dim]{report.summary()}[/]", highlight=False)
    for warning in report.warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)
