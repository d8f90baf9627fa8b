"""Expected events and cases for the per-locale WhatsApp tests (``tests/ingest/test_whatsapp_locales*.py``).

Expected events name members instead of pseudonyms; ``ANY`` leaves a field open. Case content uses
``"\\n"`` line ends; iOS cases are written with CRLF.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

UTC = dt.UTC
LRM = "\u200e"
SALT = b"t"


class _Any:
    """Matches any value (an expectation left open)."""

    def __eq__(self, other: object) -> bool:  # pragma: no cover - trivial
        return True

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()


def parse_ts(s: str) -> dt.datetime:
    """'2026-11-22 05:53' or '2026-11-22 05:53:12' → aware UTC datetime."""
    fmt = "%Y-%m-%d %H:%M:%S" if s.count(":") == 2 else "%Y-%m-%d %H:%M"
    return dt.datetime.strptime(s, fmt).replace(tzinfo=UTC)


@dataclass
class Ev:
    """One expected event, seen through member names instead of pseudonyms."""

    line: int
    ts: str
    actor: Any
    kind: str
    subtype: Any = None
    target: Any = ANY
    text: Any = None

    def fields(self) -> dict[str, Any]:
        return {"line": self.line, "ts": parse_ts(self.ts), "actor": self.actor, "kind": self.kind,
                "subtype": self.subtype, "target": self.target, "text": self.text}


def M(line, ts, actor, text):
    return Ev(line, ts, actor, "message", None, ANY, text)


def MEDIA(line, ts, actor, subtype, text=None):
    return Ev(line, ts, actor, "media", subtype, ANY, text)


def DEL(line, ts, actor):
    return Ev(line, ts, actor, "deleted", None, ANY, None)


def ED(line, ts, actor, text):
    return Ev(line, ts, actor, "edited", None, ANY, text)


def SYS(line, ts, actor, subtype):
    return Ev(line, ts, actor, "system", subtype, None, None)


def JOIN(line, ts, actor, subtype="link"):
    return Ev(line, ts, actor, "join", subtype, None, None)


def ADD(line, ts, actor, target):
    return Ev(line, ts, actor, "add", None, target, None)


def LEAVE(line, ts, actor):
    return Ev(line, ts, actor, "leave", None, None, None)


def REMOVE(line, ts, actor, target):
    return Ev(line, ts, actor, "remove", None, target, None)


@dataclass
class Case:
    name: str
    lang: str
    platform: str
    content: str
    expected: list[Ev]
    filename: str = "WhatsApp Chat - Group.txt"


class Cases(dict):
    """Cases by name; ``add`` registers one (names are unique)."""

    def __init__(self, filename: str = "WhatsApp Chat - Group.txt") -> None:
        super().__init__()
        self.filename = filename

    def add(self, name: str, lang: str, platform: str, content: str, expected: list[Ev], filename: str | None = None) -> Case:
        assert name not in self
        self[name] = Case(name, lang, platform, content, expected, filename or self.filename)
        return self[name]


def read_case(wa, case: Case, content: str | None = None):
    """Read a case's chat the way the tests do: UTC, text and names kept, fixed salt."""
    path = wa.write(case.content if content is None else content, case.filename, crlf=case.platform == "ios")
    return wa.kohesi().read(path, tz="UTC", keep_text=True, keep_names=True, salt=SALT)


def check_report(wa, case: Case) -> None:
    """The platform and language are recognised, nothing is skipped, no system line is unknown."""
    report = read_case(wa, case).report
    assert report.platform == case.platform
    assert report.language == case.lang
    assert list(report.skipped) == []
    assert not [w for w in report.warnings if "not in the phrase tables" in w], report.warnings


def check_no_system_text(wa, case: Case) -> None:
    """System lines name members; their text is dropped even with ``keep_text``."""
    for row in read_case(wa, case).events.to_pylist():
        if row["kind"] in ("system", "join", "add", "leave", "remove"):
            assert row["text"] is None


def check_table(lang: str) -> None:
    """The table loads on its own; every pattern is anchored, uses only the allowed group names,
    has no lookaround, and compiles for both Python ``re`` and polars (Rust ``regex``)."""
    import polars as pl

    from kohesi.ingest.whatsapp.phrases import phrasebook

    book = phrasebook((lang,))
    phrases = [*book.system, *book.calls, *book.media, *book.deleted, *book.pending]
    assert phrases
    assert all(p.language == lang for p in phrases)
    probe = pl.Series(["x"])
    for p in phrases:
        assert p.pattern.startswith("^"), p.pattern
        assert set(re.findall(r"\(\?P<(\w+)>", p.pattern)) <= {"actor", "targets", "group"}, p.pattern
        assert "(?=" not in p.pattern and "(?!" not in p.pattern
        assert "(?<" not in p.pattern.replace("(?P<", "")
        re.compile(p.pattern)
        probe.str.contains(p.pattern)
        probe.str.contains(p.unnamed)
