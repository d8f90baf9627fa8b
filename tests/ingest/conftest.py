"""Shared helpers for the WhatsApp reader tests.

The helpers are exposed as one session-scoped fixture, ``wa``, so that both the hand-written
fixture tests and the hypothesis property tests can use them (``--import-mode=importlib`` makes
importing a conftest module directly unreliable).

Expected events are written by hand in the test modules (any object with a ``fields()`` method
returning the expected ``ts``/``actor``/``kind``/… values, compared with ``==``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

SALT = b"fixture-salt"
UTC = dt.UTC


@dataclass
class View:
    """A read log seen through member names."""

    log: Any
    rows: list[dict[str, Any]]
    names: dict[str, Any]  # actor → name
    members: list[dict[str, Any]] = field(default_factory=list)

    def dump(self) -> str:
        out = []
        for i, r in enumerate(self.rows):
            out.append(
                f"  [{i}] line={r['line']} {r['ts']:%Y-%m-%d %H:%M:%S} actor={r['actor']!r} "
                f"kind={r['kind']} sub={r['subtype']!r} target={r['target']!r} "
                f"mentions={r['mentions']!r} text={r['text']!r}"
            )
        return "\n".join(out)


class WA:
    """Helper namespace handed to the tests as the ``wa`` fixture."""

    SALT = SALT

    def __init__(self, root: Path):
        self.root = root
        self._n = itertools.count()

    # -- files --------------------------------------------------------------------------
    def newdir(self) -> Path:
        d = self.root / f"case{next(self._n):05d}"
        d.mkdir(parents=True)
        return d

    def write(
        self,
        content: str | bytes,
        name: str = "WhatsApp Chat with Warga RT 05.txt",
        *,
        crlf: bool = False,
        bom: bool = False,
        directory: Path | None = None,
    ) -> Path:
        """Write a fixture; ``content`` uses ``\\n``; ``crlf`` turns every newline into CRLF."""
        d = directory or self.newdir()
        p = d / name
        if isinstance(content, str):
            if crlf:
                content = content.replace("\r\n", "\n").replace("\n", "\r\n")
            data = content.encode("utf-8")
            if bom:
                data = b"\xef\xbb\xbf" + data
        else:
            data = content
        p.write_bytes(data)
        return p

    # -- reading ------------------------------------------------------------------------
    @staticmethod
    def kohesi():
        import kohesi  # imported lazily: every test fails on its own while the reader is missing

        return kohesi

    @staticmethod
    def input_error():
        from kohesi.errors import InputError

        return InputError

    def read(self, path: Path, **kw: Any):
        kw.setdefault("tz", "UTC")
        kw.setdefault("keep_text", True)
        kw.setdefault("keep_names", True)
        kw.setdefault("salt", SALT)
        return self.kohesi().read(path, **kw)

    def view(self, log: Any) -> View:
        members = log.members.to_pylist()
        names = {m["actor"]: m.get("name") for m in members}

        def nm(actor):
            if actor is None:
                return None
            return names.get(actor, f"<not a member: {actor}>")

        rows = []
        for r in log.events.to_pylist():
            ts = r["ts"]
            if ts is not None and ts.tzinfo is None:  # pragma: no cover - schema says tz=UTC
                ts = ts.replace(tzinfo=UTC)
            rows.append(
                {
                    "ts": ts,
                    "actor": nm(r["actor"]),
                    "kind": r["kind"],
                    "subtype": r["subtype"],
                    "text": r["text"],
                    "target": nm(r["target"]),
                    "mentions": sorted(nm(a) for a in (r["mentions"] or [])),
                    "line": r["line"],
                    "_raw": r,
                }
            )
        return View(log, rows, names, members)

    def check(self, log: Any, expected: list[Any]) -> View:
        """Assert the events of ``log`` equal ``expected``, in order, field by field."""
        v = self.view(log)
        problems = []
        if len(v.rows) != len(expected):
            problems.append(f"expected {len(expected)} events, got {len(v.rows)}")
        for i, (got, exp) in enumerate(zip(v.rows, expected, strict=False)):
            for key, want in exp.fields().items():
                if not (want == got[key]):
                    problems.append(f"event [{i}] {key}: expected {want!r}, got {got[key]!r}")
        if problems:
            head = "\n".join(problems[:40])
            raise AssertionError(f"{head}\n--- events read:\n{v.dump()}")
        return v

    def member_set(self, log: Any) -> set[tuple[Any, Any]]:
        return {(m["name"], m["is_phone"]) for m in log.members.to_pylist()}

    @staticmethod
    def all_strings(log: Any) -> list[str]:
        """Every string value in events and members (for leak checks)."""
        out: list[str] = []

        def walk(x):
            if isinstance(x, str):
                out.append(x)
            elif isinstance(x, (list, tuple)):
                for y in x:
                    walk(y)
            elif isinstance(x, dict):
                for y in x.values():
                    walk(y)

        walk(log.events.to_pylist())
        walk(log.members.to_pylist())
        return out


@pytest.fixture(scope="session")
def wa(tmp_path_factory) -> WA:
    return WA(tmp_path_factory.mktemp("whatsapp"))
