"""How to read a WhatsApp export."""

from __future__ import annotations

from dataclasses import dataclass, field

from kohesi.ingest.replies import ReplyRule

__all__ = ["WhatsAppOptions"]


@dataclass(frozen=True)
class WhatsAppOptions:
    """How to read a WhatsApp export."""

    tz: str = "UTC"
    """IANA timezone the exporting phone was in (exports carry none)."""
    date_order: str | None = None
    """``dmy``, ``mdy``, ``ymd`` or ``ydm`` to override inference."""
    keep_text: bool = False
    keep_names: bool = False
    strict: bool = False
    reply_rule: ReplyRule = field(default_factory=ReplyRule)
    header_tolerance_s: int = 3600
