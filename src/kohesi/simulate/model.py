"""The solidarity model: the seeds' flow, step by step, on arrays.

One step (one day) of :class:`SolidarityModel` reads as the flow by which solidarity forms (the seed articles)::

    social interaction → communication → cooperation → empathy → shared values & norms → solidarity

1. **Interaction.** Each tie is used with a chance that grows with the scenario's intensity and
   the tie's strength; online ties are used often but displace face-to-face contact
   (``attention_cost``); agents meet strangers in public spaces, mostly from their own
   community, a share (``bridging``) from anywhere.
2. **Communication.** An exchange succeeds with chance ``0.2 + 0.8 · similarity^homophily``
   (homophily, McPherson et al. 2001). Success strengthens the tie (an online exchange counts
   only ``online_depth`` of a face-to-face one), raises trust and empathy a little and pulls
   values together (Axelrod 1997); failure weakens the tie. A successful chance encounter can
   start a new tie.
3. **Cooperation.** Communities hold shared tasks (public goods toward a shared goal). A
   participant contributes with a logistic chance rising with its trust in the co-participants
   (known partners at their tie trust, the rest at ``stranger_trust`` discounted by how far the
   agent's values lie from the participants' mean: diversity), how well it knows the
   co-participants (the summed strength of its ties to them over their number: mutual
   monitoring, which large groups lack, Olson 1965), expected
   reciprocity (the cooperation it observed), its norm, the shared goal, the variety of roles at
   the task (interdependence, Durkheim's organic solidarity), its empathy and the example of
   leaders, who decide first; individualism and poverty lower it.
4. **Empathy and trust.** Reciprocated help raises trust in a partner, free-riding lowers it
   (less for empathetic agents); contributing together strengthens ties, and working alongside
   someone can start a tie.
5. **Shared norms.** Behaviour shapes one's norm; each agent moves toward the strength-weighted
   norm of its strong ties, as far as its norm adherence allows.
6. **Urbanisation.** Ties weaken without contact and weak ones are dropped; with mobility,
   agents leave and newcomers with few ties take their place.

The state (ties, trust, cooperation, norms, mechanical and organic bonds, a summary solidarity
index) is recorded every step; sampled interactions, task contributions and membership changes
are emitted as canonical events (see :mod:`kohesi.simulate.run`).

References
----------
.. [1] Durkheim, É. (1893). *De la division du travail social*. Paris: Alcan.
.. [2] Axelrod, R. (1997). The dissemination of culture. *J. Conflict Resolution* 41:203–226.
.. [3] McPherson, M., Smith-Lovin, L., Cook, J. M. (2001). Birds of a feather: homophily in
   social networks. *Annual Review of Sociology* 27:415–444.
.. [4] Olson, M. (1965). *The Logic of Collective Action*. Harvard University Press.
.. [5] Fehr, E., Gächter, S. (2000). Cooperation and punishment in public goods experiments.
   *American Economic Review* 90(4):980–994.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kohesi.simulate import _kernels as k
from kohesi.simulate._lattice import numba_seed
from kohesi.simulate.scenario import Intervention, Scenario

__all__ = ["SolidarityModel", "STATE_COLUMNS"]

SUMMARY_SAMPLE = 100_000
"""Above this many agents, ``mechanical`` and ``organic`` are averaged over a systematic sample."""

RELAX = 0.01
"""Daily drift of empathy and norms back toward each agent's disposition."""

STATE_COLUMNS: tuple[str, ...] = (
    "ties", "online_ties", "strong_ties", "mean_strength", "mean_trust", "trust_strong",
    "mechanical", "organic", "norm_mean", "norm_dispersion", "value_dispersion",
    "mean_empathy", "mean_individualism", "ties_per_member", "bridging_ties",
)
"""Columns written by the summary kernel, in order.

- ``ties``, ``online_ties``, ``strong_ties`` (strength >= 0.5): undirected counts;
  ``ties_per_member``: tie ends per member;
- ``mean_strength``, ``mean_trust``: over all ties; ``trust_strong``: over strong ties;
- ``mechanical``: mean value similarity along strong ties (Durkheim's solidarity of likeness);
  ``organic``: share of strong ties joining different roles (solidarity of interdependence);
- ``norm_mean``, ``norm_dispersion`` (standard deviation), ``value_dispersion`` (mean standard
  deviation of the value dimensions), ``mean_empathy``, ``mean_individualism``;
- ``bridging_ties``: share of face-to-face ties that join different communities.

:meth:`SolidarityModel.record` adds the day's flow counts (``contacts``,
``communication_success``, ``participants``, ``contributors``, ``cooperation_rate``, null on
days without a task), ``leavers``, ``gotong_royong``, ``leaders``, ``resource_gini``,
``expected_reciprocity`` and ``solidarity``.
"""


def _clip(x: np.ndarray) -> np.ndarray:
    return np.clip(x, 0.0, 1.0).astype(np.float32)


class SolidarityModel:
    """Agents, ties and communities of one scenario; :meth:`step` advances one day.

    Parameters
    ----------
    scenario
        The group, its threats and its levers.
    seed
        Seed; the same seed gives the same run, bit for bit.
    interventions
        Levers scheduled in time.
    events
        Whether to record events.
    event_budget
        Expected number of interactions (and, separately, task contributions) recorded per step
        in the initial state; they are sampled uniformly at a rate fixed at the start, so the
        number recorded later rises and falls with the group's activity.
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        interventions: Sequence[Intervention] = (),
        *,
        events: bool = True,
        event_budget: int = 200,
    ) -> None:
        sc = scenario
        self.scenario = sc
        self.interventions = tuple(interventions)
        self.rng = np.random.default_rng(seed)
        self.t = 0
        self.events = events
        self.event_budget = event_budget
        rng = self.rng
        n, c = sc.n_agents, sc.n_communities
        self.n = n
        self.comm = ((np.arange(n) * c) // n).astype(np.int64)
        self.members = np.arange(n, dtype=np.int64)
        self.size = np.bincount(self.comm, minlength=c).astype(np.int64)
        self.start = np.concatenate([[0], np.cumsum(self.size)[:-1]]).astype(np.int64)
        half = sc.diversity / 2.0
        self.centres = (0.5 + rng.uniform(-half, half, size=(c, sc.n_values))).astype(np.float64)
        self.values = _clip(self.centres[self.comm] + sc.within_diversity * rng.standard_normal((n, sc.n_values)))
        self.role = rng.integers(0, sc.n_roles, n).astype(np.int64)
        self.indiv = _clip(rng.normal(sc.individualism, sc.individualism_sd, n))
        self.empathy = _clip(rng.normal(sc.empathy, 0.1, n))
        self.empathy_base = self.empathy.copy()
        self.norm = _clip(rng.normal(sc.norm, sc.norm_sd, n))
        self.norm_base = self.norm.copy()
        self.adherence = _clip(rng.normal(sc.adherence, 0.1, n))
        self.expect = np.full(n, 0.5, dtype=np.float32)
        self.resources = rng.lognormal(0.0, sc.inequality, n) if sc.inequality > 0 else np.ones(n)
        self.leader = rng.random(n) < sc.leaders
        self.leader_influence = sc.leader_influence
        self.public_spaces = sc.public_spaces
        self.mixing = sc.bridging
        self.uid = np.arange(n, dtype=np.int64)
        self.next_uid = n
        cap = sc.capacity
        self.nbr = np.full((n, cap), -1, dtype=np.int32)
        self.rev = np.zeros((n, cap), dtype=np.int16)
        self.strength = np.zeros((n, cap), dtype=np.float32)
        self.trust = np.zeros((n, cap), dtype=np.float32)
        self.online = np.zeros((n, cap), dtype=np.bool_)
        k.seed(numba_seed(rng))
        k.setup_ties(self.nbr, self.rev, self.strength, self.trust, self.online, self.comm, self.members,
                     self.start, self.size, sc.initial_ties, sc.bridging, sc.social_media, sc.online_reach,
                     sc.stranger_trust)
        self._contacts_last = n * (sc.initial_ties * sc.intensity * 0.6
                                   + sc.social_media * sc.online_rate + sc.public_spaces)
        # Events are recorded at fixed rates set from the initial state, so that their volume
        # rises and falls with what the group does (a day-by-day quota would hide it).
        self._msg_rate = min(1.0, event_budget / max(self._contacts_last, 1.0))
        self._act_rate = min(1.0, event_budget / max(n * sc.task_rate * sc.participation, 1.0))
        self._summary = np.zeros(len(STATE_COLUMNS))
        self._rs = np.zeros(1, dtype=np.uint64)
        self._stride = max(1, n // SUMMARY_SAMPLE)
        self.messages: list[np.ndarray] = []
        self.activities: list[np.ndarray] = []
        self.membership: list[np.ndarray] = []
        self.gotong_steps: list[int] = []

    @property
    def resources(self) -> np.ndarray:
        """Resources of every agent (log-normal; policy moves them toward the mean)."""
        return self._resources

    @resources.setter
    def resources(self, value: np.ndarray) -> None:
        self._resources = value
        self.poverty = np.clip(1.0 - value / value.mean(), 0.0, 1.0).astype(np.float32)
        self.resource_gini = _gini(value)

    def step(self) -> dict[str, float | None]:
        """Advance one day through the flow; return the day's state."""
        t = self.t
        gotong = self.apply_interventions(t)
        k.seed(numba_seed(self.rng))
        self._rs[0] = self.rng.integers(0, 2**63 - 1)
        self._event_key = int(self.rng.integers(0, 2**63 - 1))
        contacts, talks = self.interact_and_communicate(t)
        participants, contributors = self.cooperate(t, gotong)
        self.converge_norms()
        leavers = self.urbanise(t)
        self.t += 1
        return self.record(t, contacts, talks, participants, contributors, leavers, gotong)

    def apply_interventions(self, t: int) -> bool:
        """Apply the levers scheduled for day ``t``; return whether it is a gotong royong day."""
        sc = self.scenario
        gotong = False
        for iv in self.interventions:
            if not iv.fires(t):
                continue
            s = iv.strength
            if iv.kind == "education":
                self.empathy_base = _clip(self.empathy_base + 0.2 * s * (1.0 - self.empathy_base))
                self.empathy = _clip(self.empathy + 0.2 * s * (1.0 - self.empathy))
                self.indiv = _clip(self.indiv * (1.0 - 0.2 * s))
            elif iv.kind == "gotong-royong":
                gotong = True
            elif iv.kind == "public-spaces":
                self.public_spaces = min(1.0, max(self.public_spaces, sc.public_spaces + 0.05 * s))
                self.mixing = min(1.0, max(self.mixing, sc.bridging + 0.3 * s))
            elif iv.kind == "policy":
                self.resources = self.resources + min(1.0, 0.5 * s) * (self.resources.mean() - self.resources)
            elif iv.kind == "media":
                self.norm = _clip(self.norm + 0.1 * s * (1.0 - self.norm))
                self.norm_base = _clip(self.norm_base + 0.03 * s * (1.0 - self.norm_base))
            elif iv.kind == "leadership":
                centrality = self.strength.sum(axis=1) + 1e-3 * self.rng.random(self.n)
                best = np.full(self.scenario.n_communities, -1)
                order = np.lexsort((centrality, self.comm))
                best[self.comm[order]] = order
                self.leader[best[best >= 0]] = True
                self.leader_influence = max(self.leader_influence, sc.leader_influence + 0.5 * s)
        if gotong:
            self.gotong_steps.append(t)
        return gotong

    def interact_and_communicate(self, t: int) -> tuple[int, int]:
        """Stages 1–2: contacts along ties, online and in public spaces; exchanges succeed or fail."""
        sc = self.scenario
        sample = self._msg_rate if self.events else 0.0
        buf = np.zeros((int(4 * sample * max(self._contacts_last, 1.0)) + 4 * self.event_budget + 64
                        if self.events else 1, 6), dtype=np.int64)
        contacts, talks, n_buf = k.interact_and_communicate(
            self._rs, t, self.values, self.empathy, self.uid, self.comm, self.members, self.start, self.size,
            self.nbr, self.rev, self.strength, self.trust, self.online, sc.intensity, sc.online_rate,
            sc.online_depth, sc.attention_cost, self.public_spaces, self.mixing, sc.homophily,
            sc.stranger_trust, sample, self._event_key, buf,
        )
        self._contacts_last = float(contacts)
        if n_buf:
            self.messages.append(buf[:n_buf].copy())
        return int(contacts), int(talks)

    def cooperate(self, t: int, gotong: bool) -> tuple[int, int]:
        """Stages 3–4: shared tasks, contributions, and the trust and empathy they leave behind."""
        sc = self.scenario
        c = sc.n_communities
        if gotong:
            task = np.ones(c, dtype=np.bool_)
            part_rate = np.full(c, max(sc.participation, 0.9))
            goal = np.ones(c)
        else:
            task = self.rng.random(c) < sc.task_rate
            part_rate = np.full(c, sc.participation)
            goal = np.full(c, sc.shared_goal)
        at_task = int(self.size[task].sum())
        sample = self._act_rate if self.events else 0.0
        abuf = np.zeros((at_task + 64 if self.events else 1, 4), dtype=np.int64)
        participants, contributors, n_abuf = k.cooperate(
            self._rs, t, task, part_rate, goal, self.comm, self.role, sc.n_roles, self.uid, self.leader,
            self.leader_influence, self.indiv, self.empathy, self.norm, self.expect, self.poverty,
            self.values, sc.homophily, self.nbr, self.rev, self.strength, self.trust, self.online, self.members, self.start, self.size,
            sc.stranger_trust, sample, self._event_key ^ 0x5A5A5A5A, abuf,
        )
        if n_abuf:
            self.activities.append(abuf[:n_abuf].copy())
        return int(participants), int(contributors)

    def converge_norms(self) -> None:
        """Stage 5: norms converge along strong ties; empathy and norms drift back to disposition."""
        k.converge_norms(self.norm, self.adherence, self.nbr, self.strength)
        self.norm += RELAX * (self.norm_base - self.norm)
        self.empathy += RELAX * (self.empathy_base - self.empathy)

    def urbanise(self, t: int) -> int:
        """Tie decay and, with mobility, members leaving and newcomers joining."""
        sc = self.scenario
        k.decay_ties(self.nbr, self.rev, self.strength, self.trust, self.online, sc.tie_decay, sc.tie_decay / 4.0)
        if sc.mobility <= 0.0:
            return 0
        expected = self.n * sc.mobility
        mbuf = np.zeros((2 * int(expected + 6.0 * np.sqrt(expected) + 20) if self.events else 2, 4), dtype=np.int64)
        leavers, self.next_uid, n_mbuf = k.churn(
            t, sc.mobility, self.uid, self.next_uid, self.comm, self.members, self.start, self.size,
            self.centres, self.values, sc.within_diversity, self.indiv, sc.individualism,
            sc.individualism_sd, self.empathy, self.empathy_base, sc.empathy, self.norm,
            self.norm_base, sc.norm, sc.norm_sd,
            self.expect, self.adherence, sc.adherence, self.nbr, self.rev, self.strength, self.trust,
            self.online, sc.initial_ties, sc.bridging, sc.social_media, sc.online_reach,
            sc.stranger_trust,
            self._event_key ^ 0x3C3C3C3C, mbuf,
        )
        if n_mbuf and self.events:
            self.membership.append(mbuf[:n_mbuf].copy())
        return int(leavers)

    def record(self, t: int, contacts: int, talks: int, participants: int, contributors: int,
               leavers: int, gotong: bool) -> dict[str, float | None]:
        """Stage 6: the day's state, with a summary solidarity index.

        ``solidarity`` is the geometric mean of expected reciprocity (each agent's memory of the
        cooperation it saw), trust along strong ties
        and norm consensus (1 − 2 × the norm's standard deviation): a model-internal summary;
        the measurement pipeline computes its own indicators from the events.
        """
        k.summarise(self.values, self.role, self.comm, self.norm, self.empathy, self.indiv, self.nbr,
                    self.strength, self.trust, self.online, self._stride, self._summary)
        row: dict[str, float | None] = {"step": t}
        row.update(zip(STATE_COLUMNS, self._summary.tolist(), strict=True))
        coop = contributors / participants if participants else None
        row.update(
            contacts=contacts,
            communication_success=talks / contacts if contacts else None,
            participants=participants,
            contributors=contributors,
            cooperation_rate=coop,
            leavers=leavers,
            gotong_royong=gotong,
            leaders=int(self.leader.sum()),
            resource_gini=self.resource_gini,
            expected_reciprocity=float(self.expect.mean()),
        )
        consensus = max(0.0, 1.0 - 2.0 * row["norm_dispersion"])
        row["solidarity"] = float(np.cbrt(row["expected_reciprocity"] * row["trust_strong"] * consensus))
        return row


def _gini(x: np.ndarray) -> float:
    """Gini coefficient of non-negative values.

    Examples
    --------
    >>> round(_gini(np.array([1.0, 1.0, 1.0, 1.0])), 6)
    0.0
    >>> round(_gini(np.array([0.0, 0.0, 0.0, 1.0])), 6)
    0.75
    """
    s = np.sort(x)
    n = s.size
    total = s.sum()
    if n == 0 or total == 0:
        return 0.0
    return float((2.0 * np.arange(1, n + 1) - n - 1).dot(s) / (n * total))
