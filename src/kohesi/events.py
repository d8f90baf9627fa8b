"""The canonical event table: one row per event, the same for real and simulated groups.

Every source reader produces a table with :data:`EVENT_SCHEMA`; every indicator reads it.
Member attributes (role, neighbourhood, background) live in a separate members table with
:data:`MEMBER_SCHEMA` plus any attribute columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from kohesi.errors import InputError

__all__ = [
    "KINDS",
    "POST_KINDS",
    "MEMBERSHIP_KINDS",
    "EVENT_SCHEMA",
    "MEMBER_SCHEMA",
    "empty_events",
    "validate_events",
    "conform",
    "CAPABILITIES",
    "SOURCE_CAPABILITIES",
    "SourceInfo",
    "source_info",
    "with_source_info",
]

KINDS: tuple[str, ...] = (
    "message",   # a member wrote something
    "media",     # a member shared a photo, video, voice note, document, sticker (omitted or attached)
    "edited",    # a message that was later edited
    "deleted",   # a message its author deleted ("This message was deleted")
    "reaction",  # a member reacted to another member's event (target = that member)
    "join",      # a member joined (by link, request, or first seen)
    "add",       # actor added target
    "leave",     # a member left
    "remove",    # actor removed target
    "activity",  # co-participation in a shared task or event (gotong royong, meeting)
    "system",    # anything else the platform wrote (E2E notice, subject change, security code…)
)
"""Allowed values of ``kind``."""

POST_KINDS: tuple[str, ...] = ("message", "media", "edited", "deleted")
"""Kinds that count as a member posting to the group. System lines never do."""

MEMBERSHIP_KINDS: tuple[str, ...] = ("join", "add", "leave", "remove")

EVENT_SCHEMA = pa.schema(
    [
        pa.field("group_id", pa.string(), nullable=False),
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("ts", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("actor", pa.string()),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("subtype", pa.string()),
        pa.field("reply_to", pa.string()),
        pa.field("reply_inferred", pa.bool_()),
        pa.field("target", pa.string()),
        pa.field("mentions", pa.list_(pa.string())),
        pa.field("thread", pa.string()),
        pa.field("text", pa.string()),
        pa.field("n_chars", pa.int32()),
        pa.field("n_media", pa.int16()),
        pa.field("line", pa.int64()),
        pa.field("acts", pa.list_(pa.string())),
    ],
    metadata={b"kohesi.schema": b"events/2"},
)
"""Canonical events.

- ``group_id``: the group, chat, channel or simulated community.
- ``event_id``: unique within the group: the source's id, or a keyed hash of the source line.
- ``ts``: when, in UTC; the source's timezone is recorded in the read report.
- ``actor``: pseudonymous member id (null for platform notices without an actor).
- ``kind``: one of :data:`KINDS`; ``subtype`` refines it (``joined_link``, ``subject``, ``omitted``…).
- ``reply_to``: the event this one answers; ``reply_inferred`` is true when the link was inferred
  (WhatsApp) rather than recorded by the platform.
- ``target``: the member a reply, reaction, add or remove is aimed at.
- ``mentions``: members @-mentioned in the event.
- ``thread``: thread or channel within the group.
- ``text``: message text, only when asked for (``keep_text``).
- ``n_chars``, ``n_media``: content-free features, always kept.
- ``line``: first line (or record number) of the event in its source, for auditing a parse.
- ``acts``: communicative acts read from the text while it was in memory (``thanks``,
  ``help_request``… see :mod:`kohesi.text` and ``docs/acts.md``); an empty list where the text
  has none, null where the source has no text to read. Kept whether or not the text is.

Version history: ``events/2`` added ``acts`` (stores of ``events/1`` are migrated on opening).
"""

MEMBER_SCHEMA = pa.schema(
    [
        pa.field("group_id", pa.string(), nullable=False),
        pa.field("actor", pa.string(), nullable=False),
        pa.field("name", pa.string()),
        pa.field("is_phone", pa.bool_()),
    ],
    metadata={b"kohesi.schema": b"members/1"},
)
"""Members: pseudonymous id, the display name only when asked for (``keep_names``; phone numbers
are masked), and optional attribute columns (``role``, ``neighbourhood``…) appended by the user."""


CAPABILITIES: tuple[str, ...] = ("reply", "mention", "reaction", "membership", "deletion", "activity", "text")
"""What a source can record. Where a source can record a thing and it did not happen, that is a
measured zero (nobody answered); where it cannot, the indicator is *not available*.

- ``reply``: who answers whom (recorded, or inferred as for WhatsApp);
- ``mention``: @-mentions; ``reaction``: emoji reactions;
- ``membership``: joins, adds, leaves and removals;
- ``deletion``: messages deleted by their author;
- ``activity``: co-participation in shared activities (attendance lists, sign-ups);
- ``text``: message text the reader can tag with communicative acts."""

SOURCE_CAPABILITIES: dict[str, frozenset[str]] = {
    "whatsapp": frozenset({"reply", "mention", "membership", "deletion", "text"}),
    "telegram-json": frozenset({"reply", "mention", "reaction", "membership", "text"}),
    "discord-json": frozenset({"reply", "mention", "reaction", "text"}),
    "discord-csv": frozenset({"reply", "text"}),
    "slack-json": frozenset({"reply", "mention", "reaction", "membership", "text"}),
    "mbox": frozenset({"reply", "text"}),
    "simulation": frozenset({"reply", "membership", "activity"}),
}
"""Capabilities of each reader's format (``whatsapp-ios`` takes ``whatsapp``'s; tables declare
theirs from their column mapping)."""


@dataclass(frozen=True)
class SourceInfo:
    """Where a group's events come from: the format, what it can record, and the group's timezone.

    Carried in the event table's schema metadata (``kohesi.source``, ``kohesi.capabilities``,
    ``kohesi.tz``), in the store, and in Parquet files written by kohesi.
    """

    source: str | None = None
    capabilities: frozenset[str] | None = None
    tz: str | None = None

    def to_metadata(self) -> dict[bytes, bytes]:
        out = {}
        if self.source:
            out[b"kohesi.source"] = self.source.encode()
        if self.capabilities is not None:
            out[b"kohesi.capabilities"] = ",".join(sorted(self.capabilities)).encode()
        if self.tz:
            out[b"kohesi.tz"] = self.tz.encode()
        return out


def source_info(table: pa.Table | None) -> SourceInfo:
    """The :class:`SourceInfo` recorded in ``table``'s schema metadata (empty when none is).

    Examples
    --------
    >>> t = with_source_info(empty_events(), SourceInfo("whatsapp", tz="Asia/Jakarta"))
    >>> info = source_info(t)
    >>> info.source, info.tz, sorted(info.capabilities)[:2]
    ('whatsapp', 'Asia/Jakarta', ['deletion', 'membership'])
    """
    meta = (table.schema.metadata or {}) if table is not None else {}
    source = meta.get(b"kohesi.source", b"").decode() or None
    caps = meta.get(b"kohesi.capabilities")
    tz = meta.get(b"kohesi.tz", b"").decode() or None
    capabilities = frozenset(c for c in caps.decode().split(",") if c) if caps is not None else None
    return SourceInfo(source, capabilities, tz)


def with_source_info(table: pa.Table, info: SourceInfo) -> pa.Table:
    """``table`` with ``info`` in its schema metadata; a known format fills in its capabilities."""
    if info.capabilities is None and info.source:
        known = [k for k in SOURCE_CAPABILITIES if info.source == k or info.source.startswith(k + "-")]
        if known:
            info = SourceInfo(info.source, SOURCE_CAPABILITIES[max(known, key=len)], info.tz)
    meta = dict(table.schema.metadata or {})
    meta.update(info.to_metadata())
    return table.replace_schema_metadata(meta)


def empty_events() -> pa.Table:
    """A zero-row table with the canonical schema."""
    return EVENT_SCHEMA.empty_table()


def conform(table: pa.Table) -> pa.Table:
    """Reorder and cast ``table`` to :data:`EVENT_SCHEMA`, filling absent optional columns with nulls."""
    n = table.num_rows
    cols = []
    for field in EVENT_SCHEMA:
        if field.name in table.column_names:
            col = table.column(field.name)
            if col.type != field.type:
                col = col.cast(field.type)
            cols.append(col)
        elif field.nullable:
            cols.append(pa.nulls(n, field.type))
        else:
            raise InputError(None, f"event table lacks required column {field.name!r}")
    out = pa.Table.from_arrays(cols, schema=EVENT_SCHEMA)
    kept = {k: v for k, v in (table.schema.metadata or {}).items() if k.startswith(b"kohesi.") and k != b"kohesi.schema"}
    return out.replace_schema_metadata({**EVENT_SCHEMA.metadata, **kept}) if kept else out


def validate_events(table: pa.Table, *, source: str | None = None) -> pa.Table:
    """Check ``table`` against the canonical schema and invariants; return it conformed.

    Raises :class:`~kohesi.errors.InputError` naming the first offending row.
    """
    table = conform(table)
    for name in ("group_id", "event_id", "ts", "kind"):
        nulls = table.column(name).null_count
        if nulls:
            row = _first_index(pc.is_null(table.column(name)))
            raise InputError(source, f"column {name!r} is null in {nulls} rows (first: row {row})")
    kinds = table.column("kind")
    bad = pc.invert(pc.is_in(kinds, value_set=pa.array(KINDS)))
    if pc.any(bad).as_py():
        row = _first_index(bad)
        raise InputError(
            source,
            f"unknown event kind {kinds[row].as_py()!r} in row {row}; allowed: {', '.join(KINDS)}",
        )
    keys = pc.binary_join_element_wise(table.column("group_id"), table.column("event_id"), "\x1f")
    if pc.count_distinct(keys).as_py() != table.num_rows:
        raise InputError(source, "event_id is not unique within its group")
    return table


def _first_index(mask: pa.ChunkedArray | pa.Array) -> int:
    return int(pc.index(mask, True).as_py())
