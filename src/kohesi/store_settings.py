"""The settings a group was read with, and reading an export with the ones its group is stored with.

Chats that carry no message ids of their own (WhatsApp text exports) get ids that hash each
message's local clock time. Read with another date order, the same export gives other ids: added to
the stored group, its messages would be there twice. Read with another timezone, it gives the same
ids at other times: the import would add nothing, keep the old times, and add a later export's new
messages hours off the stored ones. A group's settings are those its latest import recorded (the ``imports`` table's report); :meth:`kohesi.store.Store.add` refuses an
import read with other ones unless told to replace the group, and :func:`read_for_store` reads an
export with the stored settings wherever the caller did not choose one itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from kohesi.ingest import EventLog, ReplyRule, read_all

__all__ = ["Settings", "differences", "refusal", "adopted", "read_for_store"]

_LABELS = {"tz": "timezone", "date_order": "date order", "reply_rule": "reply rule"}
_FLAGS = {"tz": "--tz", "date_order": "--date-order"}
_GAP = re.compile(r"within (\d+(?:\.\d+)?) min$")


class _Store(Protocol):
    """What :func:`read_for_store` needs of a :class:`kohesi.store.Store` (which imports this module)."""

    @property
    def salt(self) -> bytes: ...

    def group_of(self, log: EventLog) -> str: ...

    def settings(self, group: str) -> Settings | None: ...


@dataclass(frozen=True)
class Settings:
    """How a group was read: timezone, date order used (inferred or given), reply rule.
    None: not recorded (an import by an older kohesi, or a format without dates to order)."""

    tz: str | None = None
    date_order: str | None = None
    reply_rule: str | None = None

    @classmethod
    def of(cls, report: Any) -> Settings:
        """The settings of a :class:`~kohesi.ingest.ReadReport` or of its stored ``to_dict()``."""
        get = report.get if isinstance(report, Mapping) else lambda key: getattr(report, key, None)
        return cls(*(get(f.name) or None for f in fields(cls)))


def differences(stored: Settings, new: Settings) -> dict[str, tuple[str, str]]:
    """``{setting: (stored, new)}`` for each setting both record and that differ."""
    out = {}
    for f in fields(Settings):
        old, now = getattr(stored, f.name), getattr(new, f.name)
        if old is not None and now is not None and old != now:
            out[f.name] = (old, now)
    return out


def _shown(name: str, value: str) -> str:
    """A setting's value as the messages show it (a reply rule shortened to its gap)."""
    m = _GAP.search(value) if name == "reply_rule" else None
    return f'"{value.split(":", 1)[0]} within {m.group(1)} min"' if m else value


def refusal(group: str, diff: dict[str, tuple[str, str]]) -> str:
    """The one-line refusal of an import whose settings differ from its stored group's."""
    changes = ", ".join(f"{_LABELS[k]} {_shown(k, old)} → {_shown(k, new)}" for k, (old, new) in diff.items())
    flags = " ".join(f"{_FLAGS[k]} {old}" for k, (old, _) in diff.items() if k in _FLAGS)
    keep = f"pass {flags}" if flags else ""
    if "reply_rule" in diff:
        keep += (" and " if keep else "") + "read it with the stored reply rule"
    return (f"group {group} is stored with other settings than this import ({changes}): "
            f"{keep} to add to it, or --replace to re-read the group from scratch")


def _reply_rule(described: str) -> ReplyRule | None:
    """The :class:`ReplyRule` a stored description was written by, or None if it was none
    (replies recorded by the platform, or a rule this kohesi does not write)."""
    m = _GAP.search(described)
    if m is None:
        return None
    rule = ReplyRule(gap=timedelta(minutes=float(m.group(1))))
    return rule if rule.describe() == described else None


def adopted(stored: Settings, new: Settings, given: set[str]) -> dict[str, Any]:
    """``read`` keyword arguments that bring ``new`` back to ``stored`` for each differing
    setting the caller did not choose (not in ``given``) and that can be given to a read."""
    out: dict[str, Any] = {}
    for name, (old, _) in differences(stored, new).items():
        if name in given:
            continue
        if name == "reply_rule":
            rule = _reply_rule(old)
            if rule is not None:
                out[name] = rule
        else:
            out[name] = old
    return out


def _note(group: str, kwargs: dict[str, Any]) -> str:
    shown = " and the ".join(f"{_LABELS[k]} {_shown(k, v.describe() if k == 'reply_rule' else v)}"
                             for k, v in kwargs.items())
    return f"using the {shown} that group {group} was stored with"


def read_for_store(store: _Store, path: str | Path, *, tz: str | None = None, date_order: str | None = None,
                   reply_rule: ReplyRule | None = None, on_note: Callable[[str], None] | None = None,
                   **kwargs: Any) -> list[EventLog]:
    """Every chat of ``path`` (:func:`kohesi.ingest.read_all`), each read with the settings its
    group is stored with in ``store`` where the caller left that setting unset (None).

    Reads once with the given settings; a chat whose group is stored with another timezone, date
    order or reply rule that was not given is read again with the stored one, and ``on_note`` is
    told in one line. Settings given explicitly are kept: :meth:`Store.add` refuses them if they
    differ (unless ``replace=True``). ``kwargs`` go to ``read_all`` (``salt`` defaults to the
    store's)."""
    kwargs.setdefault("salt", store.salt)
    chosen = {"tz": tz, "date_order": date_order, "reply_rule": reply_rule}
    given = {name for name, value in chosen.items() if value is not None}
    logs = read_all(path, **chosen, **kwargs)
    rereads: dict[tuple, list[int]] = {}
    for i, log in enumerate(logs):
        stored = store.settings(store.group_of(log))
        wanted = adopted(stored, Settings.of(log.report), given) if stored is not None else {}
        if wanted:
            if on_note is not None:
                on_note(_note(store.group_of(log), wanted))
            rereads.setdefault(tuple(sorted(wanted.items(), key=lambda kv: kv[0])), []).append(i)
    for wanted, indices in rereads.items():
        again = {store.group_of(log): log for log in read_all(path, **{**chosen, **dict(wanted)}, **kwargs)}
        for i in indices:
            logs[i] = again.get(store.group_of(logs[i]), logs[i])
    return logs
