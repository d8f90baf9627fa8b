"""Every message id a report can show, so a test can prove each one is translated.

Sources: the templates (``_()`` / ``ngettext``), the names and reasons marked ``_n``/``gettext`` in
the package's modules, the suggestion rules, and the indicator titles of the registry.
"""

from __future__ import annotations

import ast
import re
from importlib import resources

from jinja2.ext import babel_extract

__all__ = ["message_ids"]


def _template_ids() -> set[str]:
    ids: set[str] = set()
    for path in resources.files("kohesi.report").joinpath("templates").iterdir():
        if path.name.endswith(".j2"):
            ids |= _ids_in_template(path)
    return ids


def _ids_in_template(path) -> set[str]:
    ids: set[str] = set()
    with path.open("rb") as fh:
        for _lineno, _func, message, _comments in babel_extract(
            fh, ("_", "gettext", "ngettext"), [], {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true",
                                                   "trim_blocks": "true", "lstrip_blocks": "true"}):
            if isinstance(message, tuple):
                ids.update(m for m in message if isinstance(m, str))
            elif message:
                ids.add(message)
    return ids


def _python_ids() -> set[str]:
    ids: set[str] = set()
    for module in sorted(resources.files("kohesi.report").iterdir(), key=lambda p: p.name):
        if not module.name.endswith(".py"):
            continue
        tree = ast.parse(module.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in ("_n", "gettext") and isinstance(node.args[0].value, str):
                    ids.add(node.args[0].value)
    return ids


def message_ids() -> set[str]:
    """All message ids of the report UI."""
    from kohesi.measure import all_indicators
    from kohesi.report.suggestions import RULES

    ids = _template_ids() | _python_ids()
    for rule in RULES():
        ids.update((rule["title"], rule["text"]))
    ids.update(i.title for i in all_indicators())
    return {i for i in ids if re.search(r"[A-Za-z]", i)}
