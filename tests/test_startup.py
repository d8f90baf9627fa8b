"""Start-up stays light: ``import kohesi``, building the command line and every ``--help`` load
none of the heavy libraries (numba, scipy, polars, Rich and its Markdown parser…); they load when a command or a reader needs
them. No timing asserts: what is imported is the cause, and it is what this checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("numba", "scipy", "polars", "igraph", "numpy", "pyarrow", "duckdb", "pandas", "rich", "markdown_it")

_LOADED = f"sorted(m for m in sys.modules if m.split('.')[0] in {set(HEAVY)!r})"


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_import_kohesi_loads_nothing_heavy():
    r = _python(f"import kohesi, sys; print({_LOADED})")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]", r.stdout


def test_lazy_names_still_work():
    r = _python("import kohesi, sys; from kohesi import read, EventLog; "
                "print(kohesi.read is read, kohesi.read_all.__module__.split('.')[:2] == ['kohesi', 'ingest'], "
                "EventLog.__name__, "
                "kohesi.ReadReport.__name__, kohesi.KohesiError.__name__, 'polars' in sys.modules, "
                "sorted(set(kohesi.__all__) - set(dir(kohesi))))")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", "True", "EventLog", "ReadReport", "KohesiError", "True", "[]"]
    sub = _python("import kohesi; print(kohesi.ingest.__name__, kohesi.measure.measure.__name__)")
    assert sub.stdout.split() == ["kohesi.ingest", "measure"], sub.stderr
    missing = _python("import kohesi; kohesi.no_such_name")
    assert missing.returncode == 1 and "has no attribute 'no_such_name'" in missing.stderr


def _commands() -> list[list[str]]:
    code = ("import json, typer; from kohesi.cli.app import app; g = typer.main.get_group(app); "
            "print(json.dumps({n: sorted(getattr(c, 'commands', {})) for n, c in g.commands.items()}))")
    r = _python(code)
    assert r.returncode == 0, r.stderr
    tree = json.loads(r.stdout)
    return [[]] + [[name] for name in tree] + [[name, sub] for name, subs in tree.items() for sub in subs]


def test_every_help_loads_nothing_heavy():
    """``kohesi --help`` and ``kohesi <command> --help``, through the app the console script runs."""
    commands = _commands()
    assert ["report"] in commands and ["sweep"] in commands and ["survey", "score"] in commands
    code = f"""
import contextlib, io, json, sys
from kohesi.cli.app import app
seen = {{}}
for args in {commands!r}:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            app([*args, "--help"], prog_name="kohesi")
        except SystemExit as exc:
            assert exc.code in (0, None), (args, exc.code)
    assert "Usage" in buf.getvalue(), (args, buf.getvalue())
    seen[" ".join(args) or "kohesi"] = {_LOADED}
print(json.dumps(seen))
print("pydantic" in sys.modules)
"""
    r = _python(code)
    assert r.returncode == 0, r.stderr
    seen, pydantic = r.stdout.splitlines()
    loaded = {k: v for k, v in json.loads(seen).items() if v}
    assert not loaded, loaded
    # typer builds a pydantic validator for a --help flag left at None (0.2 s): the groups' is False
    assert pydantic == "False"


@pytest.mark.parametrize("args", [["--help"], ["report", "--help"]])
def test_console_entry_help_loads_nothing_heavy(args):
    """``python -m kohesi … --help`` as a user runs it: ``-X importtime`` lists every import."""
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "kohesi", *args], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Usage" in r.stdout
    imported = {line.split("|")[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}
    heavy = sorted(m for m in imported if m.split(".")[0] in HEAVY)
    assert not heavy, heavy


def test_reading_an_export_does_not_import_scipy_linalg(tmp_path):
    """Numba's BLAS probe (``scipy.linalg``, 0.25–0.45 s) is skipped by ``kohesi._numba``: reading a
    chat compiles or loads kernels but imports no linear algebra; a kernel that needs BLAS still
    gets Numba's real check."""
    chat = tmp_path / "chat.txt"
    chat.write_text("22/11/2026, 05:53 - Ani: halo\n22/11/2026, 05:54 - Budi: makasih bu\n", encoding="utf-8")
    r = _python(f"import sys, kohesi; log = kohesi.read({str(chat)!r}, tz='UTC'); "
                "print(log.events.num_rows, 'scipy.linalg' in sys.modules)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["2", "False"]
    blas = _python("import numpy as np, sys; from kohesi._numba import njit\n"
                   "f = njit(lambda a, b: np.dot(a, b))\n"
                   "print(f(np.ones(3), np.ones(3)), 'scipy.linalg' in sys.modules)")
    assert blas.returncode == 0, blas.stderr
    assert blas.stdout.split() == ["3.0", "True"]


def test_arrow_uses_the_c_allocator_unless_the_user_chose():
    """``import kohesi`` makes pyarrow allocate with the C library (40 MB less at a read's peak),
    and leaves a pool the user set alone."""
    code = "import kohesi, pyarrow as pa; print(pa.default_memory_pool().backend_name)"
    assert _python(code).stdout.strip() == "system"
    env = {**os.environ, "ARROW_DEFAULT_MEMORY_POOL": "mimalloc"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert r.stdout.strip() == "mimalloc", r.stderr
