"""The ``kohesi`` command: its commands, and :func:`main`, which turns errors into one line.

Commands live in modules by what they do (:mod:`~kohesi.cli.data`, :mod:`~kohesi.cli.analyse`,
:mod:`~kohesi.cli.simulate`, :mod:`~kohesi.cli.batch`, :mod:`~kohesi.cli.survey`) and are
registered here, so no module imports the app back.
"""

from __future__ import annotations

import os
import sys

import typer

from kohesi.cli import acts, analyse, batch, data, simulate
from kohesi.cli.console import err
from kohesi.cli.options import Group
from kohesi.cli.survey import survey_app
from kohesi.errors import KohesiError

__all__ = ["app", "main"]

app = typer.Typer(
    name="kohesi",
    help="Measure, explain and simulate solidarity and cohesion in real groups.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=Group,
)
for _command in (data.add, data.info, data.parse, acts.acts, analyse.report, analyse.measure, simulate.simulate,
                 analyse.serve):
    app.command()(_command)
app.command("sweep")(batch.sweep_command)
app.add_typer(survey_app, name="survey", help="Survey instruments: questionnaires and scoring with reliability.")


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
