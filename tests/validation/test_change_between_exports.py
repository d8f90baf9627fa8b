"""What changed since the earlier export, on groups whose true change is known.

:func:`kohesi.measure.periods.compare_periods` puts the weeks since an earlier export's last
message beside as many weeks before it and calls each number ``rose``, ``fell``, ``no_change``
(the 95% interval of the difference, from a paired members × weeks bootstrap, contains 0) or
``not_enough`` (a period too thin by the report's evidence rule). It must:

- say "no clear change" on a steady process (the stationary archetype of
  ``tests/helpers/archetypes.py``) in most seeds: a nominal 95% interval contains 0 in 95% of
  them, and the pigeonhole bootstrap errs on the wide side;
- say "rose" when the members' behaviour becomes more cohesive at the split (the stationary
  archetype's posting, answering and meeting before it, the cohesive archetype's after it);
- follow an intervention that raises the solidarity model's own solidarity (weekly gotong royong
  in the kampung scenario, from the split, seed-paired with the same run without it): "rose"
  for inclusion, the aspect a shared task acts on, and a larger change of the index than
  without the intervention;
- say "not enough evidence" when the new period holds only a few posts, or less than two weeks.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pyarrow.compute as pc
import pytest

from helpers import archetypes as A
from kohesi.measure import MeasureParams
from kohesi.measure.periods import compare_periods
from kohesi.simulate import START, simulate

BOOT = 50
PARAMS = MeasureParams(null_samples=5)
WEEKS = 16
SPLIT_DAY = 56


def _split(events, day: int = SPLIT_DAY):
    """The earlier export's last event: the last one before ``day`` (days from the start)."""
    ts = events.column("ts")
    before = events.filter(pc.less(ts, START + timedelta(days=day)))
    return pc.max(before.column("ts")).as_py()


def _calls(c) -> dict[str, str]:
    return dict(zip(c.rows["name"].to_list(), c.rows["call"].to_list(), strict=True))


def _compare(group, split, seed: int):
    return compare_periods(group.events, split, members=group.members, bootstrap=BOOT, seed=seed, params=PARAMS)


@pytest.fixture(scope="module")
def stationary():
    out = []
    for seed in range(12):
        g = A.stationary(weeks=WEEKS, seed=300 + seed)
        out.append(_compare(g, _split(g.events), seed))
    return out


def test_a_steady_group_shows_no_clear_change(stationary):
    for c in stationary:
        assert c.given and c.earlier.windows == c.new.windows == 8, (c.earlier, c.new)
    index = [_calls(c)["index"] for c in stationary]
    aspects = [v for c in stationary for k, v in _calls(c).items() if k != "index"]
    assert index.count("no_change") >= 10, index
    assert aspects.count("no_change") >= 0.9 * len(aspects), aspects


def _rising(seed: int) -> A.Group:
    """Eight weeks of the stationary archetype's behaviour, then eight of the cohesive one's
    (more posts, more of them answered, more members at the weekly meeting), same members."""
    n = 30
    before = A.chat("rising", n, 8, seed, rate=0.3, reply_p=0.5, meeting=0.4)
    after = A.chat("rising", n, 8, seed + 1000, rate=0.5, reply_p=0.8, meeting=0.75)
    log = A._Log("rising", list(before.rows))
    offset = len(before.rows)
    renamed = {r["event_id"]: f"e{int(r['event_id'][1:]) + offset}" for r in after.rows}
    for r in after.rows:
        log.rows.append({**r, "event_id": renamed[r["event_id"]], "t": r["t"] + SPLIT_DAY * A.DAY_S,
                         **({"reply_to": renamed[r["reply_to"]]} if r.get("reply_to") else {}),
                         **({"thread": f"late-{r['thread']}"} if r.get("thread") else {})})
    return log.table([f"m{i:03d}" for i in range(n)])


def test_a_group_that_grows_closer_is_said_to_have_risen():
    calls = []
    for seed in range(6):
        g = _rising(400 + seed)
        c = _compare(g, _split(g.events), seed)
        assert c.given, (c.earlier.verdict, c.new.verdict)
        calls.append(_calls(c)["index"])
    assert calls.count("rose") >= 5, calls


def _kampung(seed: int, arm: tuple[str, ...]):
    r = simulate("kampung", SPLIT_DAY * 2 + 56, seed, list(arm))
    split = _split(r.events, 2 * SPLIT_DAY)  # after 16 weeks of warming up
    c = compare_periods(r.events, split, members=r.members, bootstrap=BOOT, seed=seed, params=PARAMS)
    sol = r.state["solidarity"].to_numpy()
    return c, sol[2 * SPLIT_DAY - 56: 2 * SPLIT_DAY].mean(), sol[2 * SPLIT_DAY:].mean()


def test_gotong_royong_that_raises_solidarity_is_seen():
    """Weekly gotong royong from the split raises the model's solidarity; the comparison calls
    inclusion "rose" (shared work draws members in) where the run without it does not, and the
    index changes more than without it, seed for seed."""
    rose, more = [], []
    for seed in range(5):
        with_, s_before, s_after = _kampung(seed, ("gotong-royong@112:weekly",))
        without, b_before, b_after = _kampung(seed, ())
        assert s_after - s_before > b_after - b_before, "the model's own solidarity should rise more"
        assert with_.given and without.given
        rose.append((_calls(with_)["inclusion"], _calls(without)["inclusion"]))
        d = [float(c.rows.filter(c.rows["name"] == "index")["delta"][0]) for c in (with_, without)]
        more.append(d[0] > d[1])
    assert sum(a == "rose" for a, _ in rose) >= 4, rose
    assert not any(b == "rose" for _, b in rose), rose
    assert sum(more) >= 4, more


def test_a_thin_new_period_is_not_enough_evidence():
    g = A.stationary(weeks=WEEKS, seed=7)
    split = _split(g.events)
    ts = g.events.column("ts")
    after = pc.greater(ts, split)
    # the group nearly stops writing: one post in sixty is left after the split (the last kept)
    keep = np.ones(g.events.num_rows, dtype=bool)
    idx = np.flatnonzero(after.to_numpy(zero_copy_only=False))
    keep[idx] = False
    keep[idx[::60]] = True
    keep[idx[-1]] = True
    thin = A.Group("thin", g.events.filter(keep), g.members)
    c = _compare(thin, split, 0)
    assert 0 < c.new.posts < 20 and c.earlier.verdict["given"]
    assert not c.new.verdict["given"] and "posts" in [k["code"] for k in c.new.verdict["checks"]]
    assert set(_calls(c).values()) == {"not_enough"}
    # an earlier export from ten days before the later one: one week since, too few to judge
    c = _compare(g, _split(g.events, WEEKS * 7 - 10), 0)
    assert c.new.windows == 1 and "windows" in [k["code"] for k in c.new.verdict["checks"]]
    assert set(_calls(c).values()) == {"not_enough"}
