"""The shape of the code: no import circle inside kohesi, no module over 700 lines, and the
layers (ingest → events → measure → report; simulate → events; text beside events, read by
ingest and measure) import only downwards."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "kohesi"


def _module(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _graph() -> dict[str, set[str]]:
    """Every import between kohesi modules, at any depth of the code (lazy imports count)."""
    modules = {_module(p): p for p in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        pkg = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(pkg.split(".")[: len(pkg.split(".")) - node.level + 1] + ([base] if base else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for t in targets:
                while t and t not in modules:
                    t = t.rsplit(".", 1)[0] if "." in t else ""
                if t and t != mod and not mod.startswith(t + "."):  # a package importing its own parts is not a circle
                    graph[mod].add(t)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_no_import_circle():
    graph = _graph()
    # a package's __init__ re-exporting its modules is an edge package → module; the modules must
    # not import the package back (they import siblings directly)
    assert _cycle(graph) is None, " → ".join(_cycle(graph))


def test_layers_import_only_downwards():
    graph = _graph()
    forbidden = {
        "kohesi.text": ("kohesi.ingest", "kohesi.measure", "kohesi.report", "kohesi.simulate", "kohesi.web", "kohesi.cli",
                        "kohesi.batch"),
        "kohesi.ingest": ("kohesi.measure", "kohesi.report", "kohesi.simulate", "kohesi.web", "kohesi.cli", "kohesi.batch"),
        "kohesi.measure": ("kohesi.ingest", "kohesi.report", "kohesi.simulate", "kohesi.web", "kohesi.cli", "kohesi.batch"),
        "kohesi.simulate": ("kohesi.ingest", "kohesi.measure", "kohesi.report", "kohesi.web", "kohesi.cli", "kohesi.batch"),
        "kohesi.report": ("kohesi.web", "kohesi.cli", "kohesi.batch"),
    }
    bad = [(m, t) for m, targets in graph.items() for t in targets
           for layer, banned in forbidden.items() if (m == layer or m.startswith(layer + ".")) and t.startswith(banned)]
    assert not bad, bad


def test_no_module_over_700_lines():
    long = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 700}
    assert not long, long
