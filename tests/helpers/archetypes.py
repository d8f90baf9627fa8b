"""Groups whose cohesion any sociologist would rank: generators of canonical events.

Every archetype is a stochastic process over days: members post (a Poisson number per member
per day, between 07:00 and 21:00), a post answers a recent post of a member the author is
willing to answer, newcomers join, members leave, and shared activities (a weekly meeting, a
work day) have sign-ups. The processes differ only in who posts, who answers whom, and what
else happens, so the orderings the validity tests require come from the construct, not from
volumes. Events carry the capabilities of a chat source with membership records, deletions and
shared activities, and the group's timezone; a members table lists every member.

These generators are independent of :mod:`kohesi.measure`: they produce events, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa

from kohesi.events import EVENT_SCHEMA, MEMBER_SCHEMA, SourceInfo, with_source_info

START = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday
CAPS = frozenset({"reply", "mention", "membership", "deletion", "activity"})
DAY_S = 86400


@dataclass
class Group:
    """Events and the members table of a generated group."""

    name: str
    events: pa.Table
    members: pa.Table


@dataclass
class _Log:
    group: str
    rows: list[dict] = field(default_factory=list)

    def add(self, t: float, actor: str | None, kind: str = "message", **kw) -> str:
        eid = f"e{len(self.rows)}"
        self.rows.append({"event_id": eid, "t": t, "actor": actor, "kind": kind, **kw})
        return eid

    def table(self, members: list[str]) -> Group:
        rows = sorted(self.rows, key=lambda r: (r["t"], int(r["event_id"][1:])))
        cols = {f.name: [] for f in EVENT_SCHEMA}
        for i, r in enumerate(rows):
            cols["group_id"].append(self.group)
            cols["event_id"].append(r["event_id"])
            cols["ts"].append(START + timedelta(seconds=float(r["t"])))
            cols["actor"].append(r["actor"])
            cols["kind"].append(r["kind"])
            cols["subtype"].append(r.get("subtype"))
            cols["reply_to"].append(r.get("reply_to"))
            cols["reply_inferred"].append(False)
            cols["target"].append(r.get("target"))
            cols["mentions"].append(r.get("mentions"))
            cols["thread"].append(r.get("thread"))
            cols["text"].append(None)
            cols["n_chars"].append(40)
            cols["n_media"].append(0)
            cols["line"].append(i + 1)
            cols["acts"].append(r.get("acts"))
        events = with_source_info(pa.Table.from_pydict(cols, schema=EVENT_SCHEMA),
                                  SourceInfo("archetype", CAPS, "UTC"))
        mem = pa.table({"group_id": [self.group] * len(members), "actor": members,
                        "name": pa.nulls(len(members), pa.string()), "is_phone": pa.nulls(len(members), pa.bool_())},
                       schema=MEMBER_SCHEMA)
        return Group(self.group, events, mem)


def _names(n: int, prefix: str = "m") -> list[str]:
    return [f"{prefix}{i:03d}" for i in range(n)]


def chat(
    name: str,
    n: int = 30,
    weeks: int = 8,
    seed: int = 0,
    rate: Callable[[int, int], float] | float = 0.4,
    reply_p: float = 0.7,
    answers: Callable[[int, int], bool] = lambda a, b: True,
    recent: int = 6,
    meeting: float | None = 0.7,
    meeting_groups: list[list[int]] | None = None,
    newcomers: tuple[int, ...] = (),
    welcome: bool = True,
    leaves: dict[int, int] | None = None,
    members_from: int = 0,
) -> _Log:
    """A chat: every member ``i`` posts Poisson(``rate(i, day)``) times a day; a post answers,
    with probability ``reply_p``, one of the ``recent`` latest posts whose author the poster
    ``answers``; a weekly meeting (an activity thread) has each member with probability
    ``meeting``; ``newcomers`` join on the given days and, if ``welcome``, someone answers
    their first post; ``leaves`` maps a day to how many members leave that day."""
    rng = np.random.default_rng(seed)
    log = _Log(name)
    names = _names(n)
    index = {m: i for i, m in enumerate(names)}
    rate_f = rate if callable(rate) else (lambda i, d: rate)
    joined = {names[i]: newcomers[i - (n - len(newcomers))] for i in range(n - len(newcomers), n)}
    gone: set[str] = set()
    for who, day in joined.items():
        log.add(day * DAY_S + 6 * 3600, who, "join")
    recent_posts: list[tuple[str, str]] = []
    for day in range(weeks * 7):
        present = [i for i in range(members_from, n) if names[i] not in gone and joined.get(names[i], -1) <= day]
        for k in range((leaves or {}).get(day, 0)):
            if len(present) > 3:
                who = present[int(rng.integers(len(present)))]
                gone.add(names[who])
                present.remove(who)
                log.add(day * DAY_S + 22 * 3600 + k, names[who], "leave")
        posts = []
        for i in present:
            for _ in range(rng.poisson(rate_f(i, day))):
                posts.append((day * DAY_S + rng.uniform(7, 21) * 3600, i))
        posts.sort()
        for t, i in posts:
            author = names[i]
            reply_to = None
            if rng.random() < reply_p:
                cand = [(e, a) for e, a in recent_posts[-recent:] if a != author and answers(i, index[a])]
                if cand:
                    reply_to = cand[int(rng.integers(len(cand)))][0]
            first = author in joined and not any(r["actor"] == author and r["kind"] == "message" for r in log.rows)
            eid = log.add(t, author, "message", reply_to=reply_to)
            recent_posts.append((eid, author))
            if first and welcome:
                others = [p for p in present if names[p] != author]
                if others:
                    w = names[others[int(rng.integers(len(others)))]]
                    rid = log.add(t + 300, w, "message", reply_to=eid)
                    recent_posts.append((rid, w))
        if meeting and day % 7 == 2:
            groups = meeting_groups or [list(range(n))]
            for g, grp in enumerate(groups):
                for i in grp:
                    if names[i] not in gone and joined.get(names[i], -1) <= day and i >= members_from and rng.random() < meeting:
                        log.add(day * DAY_S + 19 * 3600 + i, names[i], "activity", thread=f"meet-{day}-{g}")
    return log


def cohesive(n: int = 30, weeks: int = 8, seed: int = 0) -> Group:
    """Everyone answers everyone, newcomers are welcomed, a weekly meeting most attend."""
    log = chat("cohesive", n, weeks, seed, rate=0.5, reply_p=0.8, meeting=0.75,
               newcomers=(weeks * 7 // 3, weeks * 14 // 3))
    return log.table(_names(n))


def stationary(n: int = 30, weeks: int = 8, seed: int = 0) -> Group:
    """A steady process with no change at all: moderate posting and answering, every week alike."""
    log = chat("stationary", n, weeks, seed, rate=0.3, reply_p=0.5, meeting=0.4)
    return log.table(_names(n))


def _faction(i: int, n: int) -> int:
    return int(i >= n // 2)


def factions(n: int = 30, weeks: int = 8, seed: int = 0) -> Group:
    """Two factions that only talk and meet among themselves."""
    log = chat("factions", n, weeks, seed, rate=0.5, reply_p=0.8,
               answers=lambda a, b: _faction(a, n) == _faction(b, n), recent=20, meeting=0.75,
               meeting_groups=[list(range(n // 2)), list(range(n // 2, n))])
    return log.table(_names(n))


def hostile(n: int = 30, weeks: int = 8, seed: int = 0) -> Group:
    """Two factions whose cross-faction exchanges are hostile: jabs at the other faction (most
    deleted afterwards, as WhatsApp shows them: "This message was deleted"), retorts, and now
    and then an admin removing a member of the other faction (who is added back)."""
    rng = np.random.default_rng(seed + 99)
    log = chat("hostile", n, weeks, seed, rate=0.5, reply_p=0.8,
               answers=lambda a, b: _faction(a, n) == _faction(b, n), recent=20, meeting=0.75,
               meeting_groups=[list(range(n // 2)), list(range(n // 2, n))])
    names = _names(n)
    msgs = [r for r in log.rows if r["kind"] == "message"]
    for r in msgs:
        if rng.random() < 0.12:  # a jab at the other faction, answered in kind; most jabs get deleted
            a = names.index(r["actor"])
            other = [names[i] for i in range(n) if _faction(i, n) != _faction(a, n)]
            foe = other[int(rng.integers(len(other)))]
            kind = "deleted" if rng.random() < 0.6 else "message"
            jab = log.add(r["t"] + 60, r["actor"], kind, target=foe, subtype="hostile")
            log.add(r["t"] + 200, foe, "message", reply_to=jab, subtype="hostile")
    for week in range(weeks):
        if week % 2 == 1:
            day = week * 7 + 4
            admin = names[0] if week % 4 == 1 else names[n - 1]
            side = _faction(names.index(admin), n)
            victims = [names[i] for i in range(n) if _faction(i, n) != side]
            v = victims[int(rng.integers(len(victims)))]
            log.add(day * DAY_S + 20 * 3600, admin, "remove", target=v)
            log.add(day * DAY_S + 21 * 3600, names[0] if admin != names[0] else names[n - 1], "add", target=v)
    return log.table(names)


def broadcast(n: int = 30, weeks: int = 8, seed: int = 0) -> Group:
    """One admin posts about 14 times a day; nobody ever answers or posts."""
    log = chat("broadcast", n, weeks, seed, rate=lambda i, d: 14.0 if i == 0 else 0.0, reply_p=0.0, meeting=None)
    return log.table(_names(n))


def help_desk(n: int = 30, weeks: int = 8, seed: int = 0) -> Group:
    """Members ask, one admin answers each question; members never talk to each other."""
    rng = np.random.default_rng(seed)
    log = _Log("help_desk")
    names = _names(n)
    for day in range(weeks * 7):
        for i in range(1, n):
            for _ in range(rng.poisson(0.25)):
                t = day * DAY_S + rng.uniform(7, 20) * 3600
                q = log.add(t, names[i], "message")
                a = log.add(t + rng.uniform(5, 60) * 60, names[0], "message", reply_to=q)
                if rng.random() < 0.3:
                    log.add(t + 3600 + rng.uniform(0, 600), names[i], "message", reply_to=a)
    return log.table(names)


def dying(n: int = 30, weeks: int = 8, seed: int = 0) -> Group:
    """Starts cohesive; activity decays by half every two weeks and members leave."""
    log = chat("dying", n, weeks, seed, rate=lambda i, d: 0.5 * 0.5 ** (d / 14), reply_p=0.8,
               meeting=0.75, leaves={d: 1 for d in range(7, weeks * 7, 3)})
    return log.table(_names(n))


def large_organisation(n: int = 200, active: int = 12, weeks: int = 8, seed: int = 0) -> Group:
    """A few active members talk among themselves; hundreds of members never post."""
    log = chat("large_organisation", n, weeks, seed, rate=lambda i, d: 0.6 if i < active else 0.0, reply_p=0.8,
               meeting=0.0)
    return log.table(_names(n))


def random_chat(n: int, weeks: int = 8, seed: int = 0, rate: float = 0.4, reply_p: float = 0.6,
                name: str = "random") -> Group:
    """The same per-member behaviour at any size: each member posts Poisson(rate) a day and
    answers a random one of the latest posts with probability ``reply_p``; no meetings."""
    log = chat(name, n, weeks, seed, rate=rate, reply_p=reply_p, recent=6, meeting=None)
    return log.table(_names(n))


ARCHETYPES: dict[str, Callable[..., Group]] = {
    "cohesive": cohesive,
    "stationary": stationary,
    "factions": factions,
    "hostile": hostile,
    "broadcast": broadcast,
    "help_desk": help_desk,
    "dying": dying,
    "large_organisation": large_organisation,
}
