"""One exception family. The CLI turns a :class:`KohesiError` into a one-line message."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["KohesiError", "InputError", "StoreError"]


class KohesiError(Exception):
    """Base class of every error kohesi raises on purpose."""


class InputError(KohesiError):
    """Input that cannot be read: names the file, the line (when known) and the reason.

    Examples
    --------
    >>> str(InputError("chat.txt", "no WhatsApp message header found", line=3))
    'chat.txt, line 3: no WhatsApp message header found'
    """

    def __init__(self, file: str | Path | None, reason: str, *, line: int | None = None):
        self.file = str(file) if file is not None else None
        self.line = line
        self.reason = reason = re.sub(r"[\r\n]+", " ", reason)  # one line, whatever the input held
        where = self.file or "input"
        if line is not None:
            where = f"{where}, line {line}"
        super().__init__(f"{where}: {reason}")


class StoreError(KohesiError):
    """A problem with the embedded DuckDB store."""
