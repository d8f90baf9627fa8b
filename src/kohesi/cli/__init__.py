"""The ``kohesi`` command line (entry point :func:`main`); see :mod:`kohesi.cli.app`."""

from kohesi.cli.app import app, main

__all__ = ["app", "main"]
