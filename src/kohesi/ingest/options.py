"""How to read an export: one options type for every reader."""

from __future__ import annotations

from dataclasses import dataclass, field

from kohesi.ingest.replies import ReplyRule

__all__ = ["ReadOptions"]


@dataclass(frozen=True)
class ReadOptions:
    """How to read a source (each reader uses the options that apply to it).

    Attributes
    ----------
    tz : str
        IANA timezone of local times without an offset: the exporting phone's (WhatsApp, which
        records none), Telegram's ``date``, naive table times.
    date_order : str or None
        WhatsApp: ``dmy``, ``mdy``, ``ymd`` or ``ydm`` to override inference.
    keep_text, keep_names : bool
        Keep message text; keep display names (phone numbers are masked anyway).
    strict : bool
        Make any line that cannot be read an error.
    reply_rule : ReplyRule
        How replies are inferred where the source records none.
    include_bots : bool
        Keep messages of bot accounts (Discord ``author.isBot``, Slack bots); excluded by default.
    header_tolerance_s : int
        WhatsApp: how far back in time a header-shaped line may go and still start a message.
    tag_acts : bool
        Read communicative acts from message text while it is in memory (:mod:`kohesi.text`);
        the text itself is dropped afterwards unless ``keep_text``.
    """

    tz: str = "UTC"
    date_order: str | None = None
    keep_text: bool = False
    keep_names: bool = False
    strict: bool = False
    reply_rule: ReplyRule = field(default_factory=ReplyRule)
    include_bots: bool = False
    header_tolerance_s: int = 3600
    tag_acts: bool = True

    @property
    def hold_text(self) -> bool:
        """Whether a reader puts message text in its events table: to keep it, or to tag it
        (:func:`kohesi.ingest.readers.read_request` drops it after tagging unless kept)."""
        return self.keep_text or self.tag_acts
