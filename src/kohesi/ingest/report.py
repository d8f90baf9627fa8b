"""What a read did: the inferred format, and every line it skipped or doubted."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["ReadReport"]


@dataclass
class ReadReport:
    """Facts about one read, shown to the user and stored with each import."""

    source: str
    format: str = ""
    platform: str | None = None
    language: str | None = None
    tz: str = "UTC"
    date_order: str | None = None
    date_order_confidence: float | None = None
    date_order_basis: str | None = None
    header_format: str | None = None
    n_lines: int = 0
    n_events: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    """(line number, reason) of every line that did not become part of an event."""
    warnings: list[str] = field(default_factory=list)
    reply_rule: str | None = None
    group_hint: str | None = None
    """Group name found in the data itself (created-group or subject-change lines)."""
    acts: dict[str, int] | None = None
    """Posts per communicative act read from the text (:mod:`kohesi.text`), and ``signup`` events
    added for numbered sign-up lists (``activity``); None where no text was read."""
    capabilities: list[str] | None = None
    """What the source can record (:data:`kohesi.events.CAPABILITIES`) when its format alone
    does not say (tables: from the column mapping); None: the format's own."""

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        parts = [f"{self.n_events:,} events from {self.n_lines:,} lines ({self.format})"]
        if self.date_order:
            parts.append(f"dates {self.date_order} ({self.date_order_basis}, confidence {self.date_order_confidence:.2f})")
        parts.append(f"timezone {self.tz}")
        if self.skipped:
            lines = ", ".join(str(n) for n, _ in self.skipped[:10])
            more = "…" if len(self.skipped) > 10 else ""
            parts.append(f"{len(self.skipped)} lines skipped (lines {lines}{more})")
        return "; ".join(parts)
