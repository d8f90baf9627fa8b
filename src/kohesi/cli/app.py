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
from kohesi.cli.console import err, error_line, usage_line
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
    rich_markup_mode=None,
    cls=Group,
)
for _command in (data.add, data.info, data.parse, acts.acts, analyse.report, analyse.measure, simulate.simulate,
                 analyse.serve):
    app.command()(_command)
app.command("sweep")(batch.sweep_command)
app.add_typer(survey_app, name="survey", help="Survey instruments: questionnaires and scoring with reliability.")

# Typer's (or, in older Typer, click's) base of the errors it shows as a usage panel
_USAGE_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def main() -> None:
    """Entry point: a usage error (an unknown flag, a value Typer refuses) and every
    :class:`KohesiError` become one red line and exit code 2; anything else is a bug (exit 3)."""
    try:
        code = app(standalone_mode=False)
    except _USAGE_ERROR as exc:  # Typer's own usage errors: one line, not a usage panel
        if type(exc).__name__ != "NoArgsIsHelpError":  # `kohesi` alone: the help, already printed
            error_line(usage_line(exc))
        sys.exit(2)
    except KohesiError as exc:
        error_line(str(exc))
        sys.exit(2)
    except (KeyboardInterrupt, typer.Abort):
        err.print("[bold red]interrupted[/]")
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line; KOHESI_DEBUG=1 shows the traceback
        if os.environ.get("KOHESI_DEBUG"):
            raise
        error_line(f"{type(exc).__name__}: {exc} (rerun with KOHESI_DEBUG=1 for details and report it)",
                   "internal error")
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)
