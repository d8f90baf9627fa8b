"""Telegram members and chats: members keyed by ``from_id``/``actor_id``, a chat's header and runs."""

from __future__ import annotations

from typing import Any

import msgspec
import numpy as np

from kohesi.errors import InputError
from kohesi.ingest.common import MemberBook
from kohesi.ingest.json_stream import (
    Batch,
    decode_checked,
)
from kohesi.ingest.telegram.decode import _HEADS, _MISS, _concat, _Head, _narrow, _reason
from kohesi.privacy import Pseudonymizer, canonical


class _Members:
    """One chat's members and the lookups of the reference reader: by key, by name, by @handle."""

    def __init__(self, pseudo: Pseudonymizer):
        self.book = MemberBook(pseudo, prefix="telegram:")
        self.by_name: dict[str, set[str]] = {}
        self.mids: list[str] = []
        self.codes: dict[str, int] = {}
        self.version = 0
        self.pairs: dict[tuple[str, str | None], int] = {}
        self._handles: dict[str, int] = {}
        self._handles_at = 0
        self._canon: dict[str, str] = {}

    def code(self, mid: str | None) -> int:
        """Small integer standing for member id ``mid`` (-1 for None)."""
        if mid is None:
            return -1
        c = self.codes.get(mid)
        if c is None:
            c = self.codes[mid] = len(self.mids)
            self.mids.append(mid)
        return c

    def _add(self, key: str, name: str | None = None) -> str:
        before = (len(self.book.ids), self.book.names.get(key))
        mid = self.book.add(key, name)
        if (len(self.book.ids), self.book.names.get(key)) != before:
            self.version += 1
        return mid

    def member(self, key: Any, name: Any) -> int:
        """Code of the member keyed ``key`` (a ``from_id``), seen with display name ``name``."""
        try:
            hit = self.pairs.get((key, name))  # only str keys and str/None names are cached
        except TypeError:
            hit = None
        if hit is not None:
            return hit  # a repeated (key, name) changes nothing
        c = self.code(self._member(key, name))
        if key.__class__ is str and key and (name is None or name.__class__ is str):
            self.pairs[(key, name)] = c
        return c

    def authors(self, heads: list[_Head]) -> np.ndarray:
        """Code of each message's author: :meth:`member` of its ``from_id`` (else ``actor_id``),
        -1 for neither; the cached ones are looked up without a call."""
        get = self.pairs.get
        try:
            codes = np.array([get((h.from_id, h.from_), _MISS) if h.from_id is not None else
                              get((h.actor_id, h.actor), _MISS) if h.actor_id is not None else -1
                              for h in heads], dtype=np.int32)
        except TypeError:  # an unhashable name
            codes = np.full(len(heads), _MISS, np.int32)
        for j in np.flatnonzero(codes == _MISS).tolist():
            h = heads[j]
            codes[j] = (self.member(h.from_id, h.from_) if h.from_id is not None else
                        self.member(h.actor_id, h.actor) if h.actor_id is not None else -1)
        return codes

    def _member(self, key: Any, name: Any) -> str | None:
        if key in (None, ""):
            return self.by_name_id(name) if isinstance(name, str) and name else None
        key = str(key)
        seen = self.book.ids.get(key)
        if seen is not None and (not name or self.book.names.get(key) == name):
            return seen
        mid = self._add(key, name if isinstance(name, str) else None)
        if isinstance(name, str) and name:
            self.by_name.setdefault(canonical(name), set()).add(key)
        return mid

    def by_name_id(self, name: str) -> str:
        """A member known only by name: the unique member of that name, else one keyed by it."""
        keys = self.by_name.get(canonical(name), set())
        if len(keys) == 1:
            return self._add(next(iter(keys)))
        return self._add("name:" + canonical(name), name)

    def handle(self, handle: str) -> int:
        """``@username`` → code of the member whose name matches it (exports carry no usernames)."""
        if self._handles_at != self.version:
            self._handles, self._handles_at = {}, self.version
        if handle not in self._handles:
            self._handles[handle] = self.code(self._resolve(handle))
        return self._handles[handle]

    def _canonical(self, name: str) -> str:
        if name not in self._canon:
            self._canon[name] = canonical(name)
        return self._canon[name]

    def _resolve(self, handle: str) -> str | None:
        h = canonical(handle)
        names, ids = self.book.names, self.book.ids
        hits = set()
        for key, name in names.items():
            if not name:
                continue
            c = self._canonical(name)
            if h in (c, c.replace(" ", ""), c.replace(" ", "_")) or (h and h == key.casefold()):
                hits.add(ids[key])
        if len(hits) == 1:
            return hits.pop()
        firsts = {ids[k] for k, n in names.items() if n and self._canonical(n).split(" ")[0] == h}
        return firsts.pop() if len(firsts) == 1 else None


class _Chat:
    """One chat as pass 1 found it: header, where its messages are, members and authors.

    ``mention_candidates`` lists the messages that may hold a mention entity (``mention_spans``
    where they are in the file): the others hold no string starting with ``mention``, nor a
    ``\\u`` escape that could spell one.
    """

    def __init__(self, pseudo: Pseudonymizer):
        self.header: dict[str, Any] = {}
        self.index: int | None = None
        self.members = _Members(pseudo)
        self.runs: list[tuple[int, int, int]] = []
        self.n = 0
        self.error: tuple[int, str] | None = None
        self._ids: list[np.ndarray] = []
        self._authors: list[np.ndarray] = []
        self._mentions: list[np.ndarray] = []

    @property
    def where(self) -> str:
        return f"chats.list[{self.index}]." if self.index is not None else ""

    def fail(self, path: str, i: int, reason: str) -> InputError:
        return InputError(path, f"{self.where}messages[{i}]: {reason}")

    def collect(self, batch: Batch) -> None:
        """Pass 1 over a run of messages: members by id, authors and ids."""
        first = self.n
        self.n += batch.count
        if self.error is not None:
            decode_checked(batch, None, raw=True)
            return
        try:
            heads = decode_checked(batch, _HEADS)
        except msgspec.ValidationError as exc:
            k, reason = _reason(exc)
            self.error = (first + k, reason)
            return
        authors = self.members.authors(heads)
        try:
            ids = np.array([h.id for h in heads], dtype=np.int64)
        except OverflowError:
            k = next(k for k, h in enumerate(heads) if not -(2**63) <= h.id < 2**63)
            self.error = (first + k, f"'id' {heads[k].id} is out of range")
            return
        self.runs.append((batch.start, batch.end, batch.count))
        marked = np.flatnonzero(batch.marks)
        self._mentions.append(np.stack([marked + first, batch.starts[marked], batch.ends[marked]], axis=1))
        self._ids.append(ids)
        self._authors.append(authors)

    def finish(self) -> None:
        """Concatenate pass 1's arrays; sort (id, author) for reply lookups unless ids increase."""
        self.ids, self.authors = _narrow(_concat(self._ids, np.int64)), _narrow(_concat(self._authors, np.int32))
        spans = np.concatenate(self._mentions) if self._mentions else np.zeros((0, 3), np.int64)
        self.mention_candidates, self.mention_spans = spans[:, 0].copy(), spans[:, 1:].copy()
        self._ids, self._authors, self._mentions = [], [], []
        self.increasing = len(self.ids) < 2 or bool((self.ids[1:] > self.ids[:-1]).all())
        if self.increasing:
            self.sorted_ids, self.sorted_authors = self.ids, self.authors
            return
        known = np.flatnonzero(self.authors >= 0)
        order = np.argsort(self.ids[known], kind="stable")
        self.sorted_ids, self.sorted_authors = self.ids[known][order], self.authors[known][order]

    def author_of(self, ids: np.ndarray) -> np.ndarray:
        """Author code of the (last) message with each id, -1 when none has an author."""
        info = np.iinfo(self.sorted_ids.dtype)
        inside = (ids >= info.min) & (ids <= info.max)
        ids = np.where(inside, ids, 0).astype(self.sorted_ids.dtype)  # no copy of the sorted ids
        pos = np.searchsorted(self.sorted_ids, ids, side="right") - 1
        ok = inside & (pos >= 0)
        ok[ok] = self.sorted_ids[pos[ok]] == ids[ok]
        out = np.full(len(ids), -1, np.int32)
        out[ok] = self.sorted_authors[pos[ok]]
        return out
