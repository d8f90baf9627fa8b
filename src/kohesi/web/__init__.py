"""``kohesi serve``: a local web app (FastAPI + Jinja2) to upload an export and read its report.

Import :func:`kohesi.web.app.create_app` or :func:`kohesi.web.app.serve`; this package itself
imports nothing heavy, so ``import kohesi.web`` works without the web dependencies installed.
"""

from __future__ import annotations

__all__ = ["create_app", "serve"]


def __getattr__(name: str):
    if name in __all__:
        from kohesi.web import app

        return getattr(app, name)
    raise AttributeError(f"module 'kohesi.web' has no attribute {name!r}")
