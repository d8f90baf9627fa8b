"""Telegram Desktop JSON exports (``result.json``) → canonical events, streamed.

Two layouts: a single-chat export ``{name, type, id, messages[]}`` and a
full-account export whose ``chats.list[]`` (and ``left_chats.list[]``) hold one chat each.

- Members are keyed by ``from_id`` / ``actor_id`` (``user123``), never by display name, so a renamed
  or deleted account (``from: null``) keeps one stable pseudonym. Members known only by name
  (``invite_members.members[]`` lists names) are matched to a unique member of that name, else
  keyed by the name.
- Times: ``date_unixtime`` when present, else ``date`` (local time of the exporting machine,
  without offset) in ``tz``.
- ``reply_to_message_id`` is a recorded reply (``reply_inferred`` false), ``target`` its author.
- Reactions: one ``reaction`` event per reactor listed in ``recent``; reactions known only by
  ``count`` are not invented: their number is in the report's warnings.
- Event ids are the message ids; an ``invite_members`` line naming several members gives
  ``<id>``, ``<id>:1``, …; reactions are ``<id>:r<k>``.

The file is streamed in blocks of a few MB (:mod:`kohesi.ingest.json_stream`), in two passes, so
that memory is bounded by the events table rather than by the file:

1. The outer structure is walked to find each chat's header and ``messages`` array. A compiled
   scanner cuts the array into runs of whole messages, each decoded by one msgspec call into
   structs of six fields: the members (by ``from_id``/``actor_id``, so that names in
   ``invite_members`` find members met later in the file), each message's id and author, where
   each run lies, and which messages may hold a mention.
2. The chats to read are read again run by run, decoded into typed structs (unknown fields are
   skipped, rare ones kept raw until needed), and turned into Arrow record batches column by
   column. Replies find their target's author by a sorted search of pass 1's (id, author)
   arrays, not a dict. Only the rare parts (mentions, reactions, service lines) are handled one
   message at a time, in file order, as the previous whole-file reader did (the tests keep it as
   the reference). Texts are held only with ``keep_text``; the group id and the all-null columns
   share one buffer across batches.

Malformed input is an :class:`~kohesi.errors.InputError` naming the byte (and line) of a syntax
error, or the message (``messages[12]: lacks 'id'``) at fault.

Modules: :mod:`~kohesi.ingest.telegram.decode` (structs and field helpers),
:mod:`~kohesi.ingest.telegram.members` (members and chats), :mod:`~kohesi.ingest.telegram.scan`
(pass 1), :mod:`~kohesi.ingest.telegram.events` (pass 2), :mod:`~kohesi.ingest.telegram.reader`.
"""

from kohesi.ingest.telegram.decode import chat_name
from kohesi.ingest.telegram.reader import read_telegram

__all__ = ["read_telegram", "chat_name"]
