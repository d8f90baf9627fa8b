"""The command line's two consoles, its one error printer, and its progress display."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer

__all__ = ["out", "err", "fail", "error_line", "usage_line", "new_table", "print_table", "report_read", "progress",
           "Progress", "stderr_is_terminal"]


class _LazyConsole:
    """A Rich console made on first use: Rich loads when something is printed, not when the
    command line starts (``kohesi --help`` stays fast)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Any = None

    def get(self) -> Any:
        """The console itself (for Rich APIs that need a real ``Console``)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)


out = _LazyConsole(soft_wrap=True)
err = _LazyConsole(stderr=True, soft_wrap=True)


def new_table(**options: Any) -> Any:
    """A Rich table (Rich imported on first use)."""
    from rich.table import Table

    return Table(**options)


def error_line(message: str, label: str = "error") -> None:
    """Print ``label: message`` as one red-labelled line on stderr (the message is not markup)."""
    from rich.markup import escape

    err.print(f"[bold red]{label}:[/] {escape(' '.join(str(message).split()))}", highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one red error line and exit with ``code`` (2: bad arguments or input)."""
    error_line(message)
    raise typer.Exit(code)


def _flag(param: Any) -> str:
    """How the user wrote a parameter: ``--format/-f`` for an option, ``SOURCE`` for an argument."""
    opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
    return "/".join(opts) if opts else str(getattr(param, "name", "value")).upper()


_PYDANTIC = {  # Typer's checks of a typed value (pydantic's error types), in the user's terms
    "int_parsing": "{input!r} is not a whole number",
    "float_parsing": "{input!r} is not a number",
    "greater_than_equal": "{input} is too small; use {ge} or more",
    "greater_than": "{input} is too small; use more than {gt}",
    "less_than_equal": "{input} is too large; use {le} or less",
    "less_than": "{input} is too large; use less than {lt}",
}


def _reason(exc: Any) -> str:
    """What was wrong with a value, from Typer's check (its pydantic error) or the message."""
    cause = exc.__cause__
    errors = cause.errors() if hasattr(cause, "errors") else []
    if errors and errors[0].get("type") in _PYDANTIC:
        e = errors[0]
        return _PYDANTIC[e["type"]].format(input=e.get("input"), **(e.get("ctx") or {}))
    message = str(getattr(exc, "message", "") or exc)
    return message.removeprefix("Value error, ").rstrip(".")


def usage_line(exc: Exception) -> str:
    """A usage error of the command line (Typer's or click's) as one line in the user's terms: the
    flag or argument, what was wrong with it (and the allowed values, which Typer's choice check
    names), or the command and where its help is."""
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "kohesi"
    param = getattr(exc, "param", None)
    if type(exc).__name__ == "MissingParameter" and param is not None:
        return f"{command}: missing {_flag(param)} (see {command} --help)"
    if param is not None:
        return f"{_flag(param)}: {_reason(exc)}"
    listed = ctx.command.list_commands(ctx) if ctx is not None and hasattr(ctx.command, "list_commands") else []
    commands = f"; commands: {', '.join(listed)}" if listed and "command" in exc.format_message() else ""
    return f"{command}: {exc.format_message().rstrip('.')}{commands} (see {command} --help)"


def print_table(table: Any) -> None:
    """A Rich table on stdout, whole: fitted to a terminal's width, and at its own full width when
    stdout is a pipe or a file (where Rich would otherwise cut every column to fit 80 characters)."""
    if _isatty(out.file):
        out.print(table)
        return
    from rich.console import Console
    from rich.measure import Measurement

    wide = Console(width=10_000, soft_wrap=True)
    width = Measurement.get(wide, wide.options, table).maximum
    Console(file=out.file, width=max(width, 20), soft_wrap=True).print(table)


def report_read(report, bar: Progress | None = None) -> None:
    """What a read did, and its warnings (above ``bar`` when one is drawn)."""
    (bar.print if bar is not None else out.print)(f"[dim]{report.summary()}[/]", highlight=False)
    for warning in report.warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def stderr_is_terminal() -> bool:
    """Whether stderr is an interactive terminal: only then is progress shown, so output to a
    pipe, a file, a test runner or CI stays exactly what it was (``FORCE_COLOR`` does not count)."""
    return _isatty(err.file) and not err.is_dumb_terminal


class Progress:
    """One transient progress line on stderr, in stages; does nothing when stderr is not a terminal.

    ``stage(description, total)`` starts a stage (``total=None``: a spinner without a count);
    calling the object as ``bar(done, total)`` is the ``progress`` callback the library takes
    (:func:`kohesi.measure.measure`, :func:`kohesi.report.make_report`); ``advance`` counts one
    more unit; ``update`` sets the count or extra fields (e.g. ``failed``); ``print`` prints to
    stdout while the bar is up.
    """

    def __init__(self, bar: Any = None, description: str = "", total: int | None = None, **fields: Any):
        self._bar = bar
        self._fields = fields
        self._task = None
        self._stage = (description, total)
        if bar is not None:
            self._task = bar.add_task(description, total=total, **fields)

    def stage(self, description: str, total: int | None = None) -> None:
        if self._bar is None or (description, total) == self._stage:
            return
        self._stage = (description, total)
        if self._task is not None:
            self._bar.update(self._task, visible=False)
        self._task = self._bar.add_task(description, total=total, **self._fields)

    def __call__(self, done: int, total: int | None) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=total)

    def advance(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, n)

    def update(self, **kwargs: Any) -> None:
        if self._bar is not None:
            self._bar.update(self._task, **kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """``out.print``, but drawn above the bar when stdout is the bar's terminal too (a line
        written to the terminal behind the bar's back would leave the bar's last frame in it).
        A piped or redirected stdout gets the line as always."""
        if self._bar is not None and _isatty(out.file):
            self._bar.console.print(*objects, **kwargs)
        else:
            out.print(*objects, **kwargs)


@contextmanager
def progress(description: str = "", total: int | None = None, *, remaining: bool = False,
             failed: bool = False) -> Iterator[Progress]:
    """A transient Rich progress line on stderr while the block runs, shown only when stderr is a
    terminal (:func:`stderr_is_terminal`); elsewhere a :class:`Progress` that does nothing.

    ``remaining`` adds an estimate of the time left; ``failed`` a count of failed units (set with
    ``update(failed=n)``). Rich is imported only here, when a bar is shown.
    """
    if not stderr_is_terminal():
        yield Progress()
        return
    from rich import progress as rp
    from rich.text import Text

    class Count(rp.MofNCompleteColumn):
        """``done/total`` when the stage has a total, nothing while it is a spinner."""

        def render(self, task: rp.Task) -> Text:
            return super().render(task) if task.total is not None else Text("")

    columns: list[Any] = [rp.SpinnerColumn(), rp.TextColumn("{task.description}"), rp.BarColumn(), Count()]
    if failed:
        columns.append(rp.TextColumn("[red]{task.fields[failed]} failed"))
    columns.append(rp.TimeElapsedColumn())
    if remaining:
        columns.append(rp.TimeRemainingColumn())
    # a plain print() meanwhile goes above the bar when stdout is the terminal too, and straight to
    # stdout when it is a pipe or a file (never onto stderr); Rich consoles see through the proxy
    with rp.Progress(*columns, console=err.get(), transient=True, redirect_stdout=_isatty(out.file)) as bar:
        yield Progress(bar, description, total, **({"failed": 0} if failed else {}))
