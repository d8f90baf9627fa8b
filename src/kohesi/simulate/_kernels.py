"""Compiled kernels of the solidarity model: one function per stage of the flow.

Ties are kept as fixed-capacity adjacency slots: ``nbr[i, s]`` is the partner of agent ``i`` in
slot ``s`` (-1: free) and ``rev[i, s]`` the slot in which that partner holds ``i``;
``strength`` and ``online`` are kept symmetric, ``trust`` is directed (``trust[i, s]`` is how
much ``i`` trusts ``nbr[i, s]``).

Randomness: the per-contact draws of the interaction and cooperation kernels come from a
SplitMix64 stream ``rs`` (a one-element ``uint64`` array); setup and churn use Numba's
generator; the model seeds both every step from its :class:`numpy.random.Generator`. Which
events are sampled, and their times of day, come from a counter-based hash (:func:`uniform`)
keyed per step, never from those streams, so recording events (or changing the budget) leaves
the simulated dynamics unchanged.

Event buffers: kernels append sampled events to preallocated arrays and return how many they
wrote; a full buffer drops further events of that step (the sampling rate keeps this rare).

The rates and logit coefficients below are the model's calibration: chosen so that the built-in
scenarios sit in a mixed regime (cooperation between about 0.3 and 0.9) rather than at a
corner, not estimated from data.
"""

from __future__ import annotations

import numpy as np

from kohesi._numba import njit
from kohesi.simulate._lattice import bounded, splitmix_next, unit

MSG_OFFLINE, MSG_ONLINE, MSG_ENCOUNTER = 0, 1, 2
STRONG = 0.5
DROP = 0.02
ENCOUNTER_STRENGTH = 0.1

# learning rates of the flow (per exchange or per shared task)
LEARN = 0.12        # tie strength gained by a successful exchange
FORGET = 0.03       # tie strength lost by a failed exchange
TALK_TRUST = 0.02   # familiarity: trust gained by a successful exchange, up to FAMILIAR
FAMILIAR = 0.6
TALK_EMPATHY = 0.0005
INFLUENCE = 0.005   # value assimilation per successful exchange
HELP_TRUST = 0.15   # trust gained when a tie partner contributes to a shared task
BETRAY = 0.2        # trust lost when a tie partner free-rides
COWORK = 0.05       # tie strength gained by contributing together
COOP_EMPATHY = 0.01
EXPECT = 0.3        # memory of observed cooperation (expected reciprocity)
NORM_BEHAVIOUR = 0.05
NORM_PEERS = 0.2
# contribution propensity (logit)
B0, B_TRUST, B_EXPECT, B_NORM, B_GOAL, B_ROLES = -3.0, 2.0, 1.0, 2.0, 1.0, 0.6
B_LEADER, B_INDIV, B_POOR, B_EMPATHY, B_KNOWN = 1.0, 3.0, 1.5, 1.0, 2.0
COMM_BASE = 0.2


@njit(cache=True)
def seed(s):
    np.random.seed(s)


@njit(cache=True, inline="always")
def _rand(rs):
    return unit(splitmix_next(rs))


@njit(cache=True, inline="always")
def _below(rs, n):
    return bounded(splitmix_next(rs) >> np.uint64(32), n)


@njit(cache=True, inline="always")
def uniform(key, counter):
    """A uniform number in [0, 1) from ``(key, counter)`` (SplitMix64; Steele et al. 2014)."""
    z = np.uint64(key) ^ (np.uint64(counter) * np.uint64(0xD1B54A32D192ED69))
    z = z + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, inline="always")
def _seconds(key, counter, lo, hi):
    return lo + int(uniform(key, counter) * (hi - lo))


@njit(cache=True, inline="always")
def similarity(values, i, j):
    d = 0.0
    for k in range(values.shape[1]):
        d += abs(values[i, k] - values[j, k])
    return 1.0 - d / values.shape[1]


@njit(cache=True, inline="always")
def slot_of(nbr, i, j):
    for s in range(nbr.shape[1]):
        if nbr[i, s] == j:
            return s
    return -1


@njit(cache=True, inline="always")
def _weakest(nbr, strength, i):
    best = 0
    low = 2.0
    for s in range(nbr.shape[1]):
        if nbr[i, s] < 0:
            return s
        if strength[i, s] < low:
            low = strength[i, s]
            best = s
    return best


@njit(cache=True)
def unlink(nbr, rev, strength, trust, online, i, s):
    j = nbr[i, s]
    if j >= 0:
        r = rev[i, s]
        nbr[j, r] = -1
        strength[j, r] = 0.0
        trust[j, r] = 0.0
        online[j, r] = False
    nbr[i, s] = -1
    strength[i, s] = 0.0
    trust[i, s] = 0.0
    online[i, s] = False


@njit(cache=True)
def link(nbr, rev, strength, trust, online, i, j, st, tr_i, tr_j, is_online):
    """Tie ``i`` and ``j``, replacing each one's weakest tie when full (never a stronger one)."""
    if i == j or slot_of(nbr, i, j) >= 0:
        return False
    si = _weakest(nbr, strength, i)
    sj = _weakest(nbr, strength, j)
    if (nbr[i, si] >= 0 and strength[i, si] >= st) or (nbr[j, sj] >= 0 and strength[j, sj] >= st):
        return False
    unlink(nbr, rev, strength, trust, online, i, si)
    sj = _weakest(nbr, strength, j)
    unlink(nbr, rev, strength, trust, online, j, sj)
    nbr[i, si] = j
    nbr[j, sj] = i
    rev[i, si] = sj
    rev[j, sj] = si
    strength[i, si] = st
    strength[j, sj] = st
    trust[i, si] = tr_i
    trust[j, sj] = tr_j
    online[i, si] = is_online
    online[j, sj] = is_online
    return True


@njit(cache=True)
def online_contact(i, n, reach):
    """A random member of ``i``'s online circle: the ``reach`` members around it, or anyone."""
    if n <= reach:
        return np.random.randint(0, n)
    return (i - reach // 2 + np.random.randint(0, reach) + n) % n


@njit(cache=True)
def setup_ties(nbr, rev, strength, trust, online, comm, members, start, size, initial_ties,
               bridging, social_media, online_reach, stranger_trust):
    n = nbr.shape[0]
    for i in range(n):
        k = int(initial_ties / 2.0)
        if np.random.random() < initial_ties / 2.0 - k:
            k += 1
        for _ in range(k):
            c = comm[i]
            if np.random.random() < bridging:
                j = np.random.randint(0, n)
            else:
                j = members[start[c] + np.random.randint(0, size[c])]
            st = 0.3 + 0.5 * np.random.random()
            link(nbr, rev, strength, trust, online, i, j, st, stranger_trust + 0.2, stranger_trust + 0.2, False)
        m = int(social_media / 2.0)
        if np.random.random() < social_media / 2.0 - m:
            m += 1
        for _ in range(m):
            j = online_contact(i, n, online_reach)
            link(nbr, rev, strength, trust, online, i, j, 0.1, stranger_trust, stranger_trust, True)


@njit(cache=True, inline="always")
def _bump(x, rate):
    return x + rate * (1.0 - x)


@njit(cache=True, inline="always")
def _familiar(x, depth):
    if x >= FAMILIAR:
        return x
    return x + TALK_TRUST * depth * (FAMILIAR - x)


@njit(cache=True, inline="always")
def _record_msg(buf, uid, n_buf, t, i, j, ok, sub, key, counter):
    if n_buf < buf.shape[0]:
        buf[n_buf, 0] = t
        buf[n_buf, 1] = uid[i]
        buf[n_buf, 2] = uid[j]
        buf[n_buf, 3] = ok
        buf[n_buf, 4] = sub
        buf[n_buf, 5] = _seconds(key, 2 * counter + 1, 7 * 3600, 21 * 3600)
        return n_buf + 1
    return n_buf


@njit(cache=True, inline="always")
def _success(rs, sim, homophily):
    if homophily == 2.0:
        a = sim * sim
    else:
        a = sim ** homophily
    return _rand(rs) < COMM_BASE + (1.0 - COMM_BASE) * a


@njit(cache=True, inline="always")
def _exchange(rs, values, empathy, nbr, rev, strength, trust, online, i, s, j, depth, homophily):
    """Communication: succeeds more often between similar agents; returns success."""
    ok = _success(rs, similarity(values, i, j), homophily)
    r = rev[i, s]
    if ok:
        st = min(1.0, strength[i, s] + LEARN * depth * (1.0 - strength[i, s]))
        strength[i, s] = st
        strength[j, r] = st
        trust[i, s] = _familiar(trust[i, s], depth)
        trust[j, r] = _familiar(trust[j, r], depth)
        empathy[i] = _bump(empathy[i], TALK_EMPATHY * depth)
        k = _below(rs, values.shape[1])
        values[i, k] += INFLUENCE * depth * (values[j, k] - values[i, k])
    else:
        st = strength[i, s] * (1.0 - FORGET)
        strength[i, s] = st
        strength[j, r] = st
    return ok


@njit(cache=True)
def interact_and_communicate(rs, t, values, empathy, uid, comm, members, start, size, nbr, rev,
                             strength, trust, online, intensity, online_rate, online_depth, attention_cost,
                             public_spaces, mixing, homophily, stranger_trust, sample, key, buf):
    """Interaction along ties and chance encounters, then communication on each contact.

    Returns ``(contacts, successes, recorded)``.
    """
    n, cap = nbr.shape
    contacts = 0
    successes = 0
    n_buf = 0
    use = np.zeros(cap, dtype=np.bool_)
    for i in range(n):
        used_online = 0
        for s in range(cap):
            use[s] = online[i, s] and nbr[i, s] >= 0 and _rand(rs) < online_rate
            used_online += use[s]
        face = intensity * max(0.0, 1.0 - attention_cost * used_online)
        for s in range(cap):
            j = nbr[i, s]
            if j < 0:
                continue
            if online[i, s]:
                if not use[s]:
                    continue
                depth = online_depth
                sub = MSG_ONLINE
            else:
                if _rand(rs) >= face * (0.3 + 0.7 * strength[i, s]):
                    continue
                depth = 1.0
                sub = MSG_OFFLINE
            contacts += 1
            ok = _exchange(rs, values, empathy, nbr, rev, strength, trust, online, i, s, j, depth, homophily)
            successes += ok
            if uniform(key, 2 * contacts) < sample:
                n_buf = _record_msg(buf, uid, n_buf, t, i, j, ok, sub, key, contacts)
        if _rand(rs) < public_spaces:
            if _rand(rs) < mixing:
                j = _below(rs, n)
            else:
                c = comm[i]
                j = members[start[c] + _below(rs, size[c])]
            if j == i:
                continue
            contacts += 1
            ok = _success(rs, similarity(values, i, j), homophily)
            if ok:
                successes += 1
                link(nbr, rev, strength, trust, online, i, j, ENCOUNTER_STRENGTH, stranger_trust,
                     stranger_trust, False)
            if uniform(key, 2 * contacts) < sample:
                n_buf = _record_msg(buf, uid, n_buf, t, i, j, ok, MSG_ENCOUNTER, key, contacts)
    return contacts, successes, n_buf


@njit(cache=True, inline="always")
def _logistic(z):
    return 1.0 / (1.0 + np.exp(-z))


@njit(cache=True)
def cooperate(rs, t, task, part_rate, goal, comm, role, n_roles, uid, leader, leader_influence,
              indiv, empathy, norm, expect, poverty, values, homophily, nbr, rev, strength,
              trust, online, members, start, size, stranger_trust, sample, key, abuf):
    """Shared tasks: participation, contributions (leaders first), trust and empathy updates.

    Returns ``(participants, contributors, recorded)``.
    """
    n, cap = nbr.shape
    n_comm = start.shape[0]
    part = np.zeros(n, dtype=np.bool_)
    contrib = np.zeros(n, dtype=np.bool_)
    n_part = np.zeros(n_comm, dtype=np.int64)
    n_contrib = np.zeros(n_comm, dtype=np.int64)
    roles_seen = np.zeros((n_comm, n_roles), dtype=np.bool_)
    n_roles_c = np.zeros(n_comm, dtype=np.int64)
    lead_part = np.zeros(n_comm, dtype=np.int64)
    lead_contrib = np.zeros(n_comm, dtype=np.int64)
    n_values = values.shape[1]
    centroid = np.zeros((n_comm, n_values))
    for i in range(n):
        c = comm[i]
        if task[c] and _rand(rs) < part_rate[c] * (1.0 - 0.5 * indiv[i]):
            part[i] = True
            n_part[c] += 1
            for v in range(n_values):
                centroid[c, v] += values[i, v]
            if not roles_seen[c, role[i]]:
                roles_seen[c, role[i]] = True
                n_roles_c[c] += 1
    for c in range(n_comm):
        if n_part[c] > 0:
            for v in range(n_values):
                centroid[c, v] /= n_part[c]
    for sweep in range(2):
        for i in range(n):
            if not part[i] or leader[i] != (sweep == 0):
                continue
            c = comm[i]
            known = 0
            closeness = 0.0
            trust_sum = 0.0
            for s in range(cap):
                j = nbr[i, s]
                if j >= 0 and part[j] and comm[j] == c:
                    known += 1
                    closeness += strength[i, s]
                    trust_sum += trust[i, s]
            others = n_part[c] - 1
            d = 0.0
            for v in range(n_values):
                d += abs(values[i, v] - centroid[c, v])
            generalised = stranger_trust * (1.0 - d / n_values) ** homophily
            if others > 0:
                trust_eff = (trust_sum + (others - known) * generalised) / others
                known_share = closeness / others
            else:
                trust_eff = generalised
                known_share = 0.0
            z = (B0 + B_TRUST * trust_eff + B_EXPECT * expect[i] + B_NORM * norm[i]
                 + B_GOAL * goal[c] + B_ROLES * n_roles_c[c] / n_roles + B_EMPATHY * empathy[i]
                 + B_KNOWN * known_share
                 - B_INDIV * indiv[i] - B_POOR * poverty[i])
            if leader[i]:
                z += B_LEADER * leader_influence
            elif lead_part[c] > 0:
                z += B_LEADER * leader_influence * (lead_contrib[c] / lead_part[c] - 0.5)
            if _rand(rs) < _logistic(z):
                contrib[i] = True
                n_contrib[c] += 1
            if leader[i]:
                lead_part[c] += 1
                lead_contrib[c] += contrib[i]
    n_abuf = 0
    for i in range(n):
        if not part[i]:
            continue
        c = comm[i]
        rate = n_contrib[c] / n_part[c]
        expect[i] += EXPECT * (rate - expect[i])
        norm[i] += NORM_BEHAVIOUR * ((1.0 if contrib[i] else 0.0) - norm[i])
        for s in range(cap):
            j = nbr[i, s]
            if j < 0 or not part[j] or comm[j] != c:
                continue
            if contrib[j]:
                trust[i, s] = _bump(trust[i, s], HELP_TRUST * (0.5 + 0.5 * empathy[i]))
                if contrib[i] and i < j:
                    st = min(1.0, strength[i, s] + COWORK * (1.0 - strength[i, s]))
                    strength[i, s] = st
                    strength[j, rev[i, s]] = st
            else:
                trust[i, s] -= BETRAY * trust[i, s] * (1.0 - 0.5 * empathy[i])
        if contrib[i]:
            empathy[i] = _bump(empathy[i], COOP_EMPATHY * rate)
            if n_part[c] > 1:
                j = members[start[c] + _below(rs, size[c])]
                if part[j] and contrib[j] and j != i:
                    link(nbr, rev, strength, trust, online, i, j, ENCOUNTER_STRENGTH,
                         stranger_trust + 0.1, stranger_trust + 0.1, False)
            if uniform(key, 2 * i) < sample and n_abuf < abuf.shape[0]:
                abuf[n_abuf, 0] = t
                abuf[n_abuf, 1] = uid[i]
                abuf[n_abuf, 2] = c
                abuf[n_abuf, 3] = _seconds(key, 2 * i + 1, 0, 3 * 3600)
                n_abuf += 1
    return part.sum(), contrib.sum(), n_abuf


@njit(cache=True)
def converge_norms(norm, adherence, nbr, strength):
    """Norm convergence: each agent moves toward the strength-weighted norm of its strong ties."""
    n, cap = nbr.shape
    new = norm.copy()
    for i in range(n):
        w = 0.0
        acc = 0.0
        for s in range(cap):
            j = nbr[i, s]
            if j >= 0 and strength[i, s] >= STRONG:
                w += strength[i, s]
                acc += strength[i, s] * norm[j]
        if w > 0.0:
            new[i] += NORM_PEERS * adherence[i] * (acc / w - norm[i])
    norm[:] = new


@njit(cache=True)
def decay_ties(nbr, rev, strength, trust, online, tie_decay, online_decay):
    """Ties weaken without contact (urbanisation: faster); the weakest are dropped.

    Both ends of a tie hold the same strength and apply the same factor, so it stays symmetric
    without touching the partner's row.
    """
    n, cap = nbr.shape
    f_tie = np.float32(1.0 - tie_decay)
    f_online = np.float32(1.0 - online_decay)
    for i in range(n):
        for s in range(cap):
            if nbr[i, s] >= 0:
                strength[i, s] *= f_online if online[i, s] else f_tie
    for i in range(n):
        for s in range(cap):
            if nbr[i, s] >= 0 and strength[i, s] < DROP:
                unlink(nbr, rev, strength, trust, online, i, s)


@njit(cache=True)
def churn(t, mobility, uid, next_uid, comm, members, start, size, centres, values, within,
          indiv, indiv_mean, indiv_sd, empathy, empathy_base, empathy0, norm, norm_base, norm0,
          norm_sd, expect,
          adherence, adherence0, nbr, rev, strength, trust, online, initial_ties, bridging,
          social_media, online_reach, stranger_trust, key, mbuf):
    """Urban mobility: agents leave and newcomers with fresh traits and few ties take their place.

    Returns ``(leavers, next_uid, recorded)``.
    """
    n, cap = nbr.shape
    leavers = 0
    n_mbuf = 0
    for i in range(n):
        if np.random.random() >= mobility:
            continue
        leavers += 1
        for s in range(cap):
            if nbr[i, s] >= 0:
                unlink(nbr, rev, strength, trust, online, i, s)
        if n_mbuf + 1 < mbuf.shape[0]:
            mbuf[n_mbuf, 0] = t
            mbuf[n_mbuf, 1] = uid[i]
            mbuf[n_mbuf, 2] = 1
            mbuf[n_mbuf, 3] = _seconds(key, 2 * i, 23 * 3600, 23 * 3600 + 1800)
            mbuf[n_mbuf + 1, 0] = t
            mbuf[n_mbuf + 1, 1] = next_uid
            mbuf[n_mbuf + 1, 2] = 0
            mbuf[n_mbuf + 1, 3] = mbuf[n_mbuf, 3] + _seconds(key, 2 * i + 1, 60, 1700)
            n_mbuf += 2
        uid[i] = next_uid
        next_uid += 1
        c = comm[i]
        for k in range(values.shape[1]):
            values[i, k] = min(1.0, max(0.0, centres[c, k] + within * np.random.standard_normal()))
        indiv[i] = min(1.0, max(0.0, indiv_mean + indiv_sd * np.random.standard_normal()))
        empathy[i] = empathy0
        empathy_base[i] = empathy0
        norm[i] = min(1.0, max(0.0, norm0 + norm_sd * np.random.standard_normal()))
        norm_base[i] = norm[i]
        adherence[i] = adherence0
        expect[i] = 0.5
        k = max(1, int(initial_ties / 4.0))
        for _ in range(k):
            if np.random.random() < bridging:
                j = np.random.randint(0, n)
            else:
                j = members[start[c] + np.random.randint(0, size[c])]
            link(nbr, rev, strength, trust, online, i, j, ENCOUNTER_STRENGTH, stranger_trust,
                 stranger_trust, False)
        for _ in range(int(social_media / 2.0)):
            j = online_contact(i, n, online_reach)
            link(nbr, rev, strength, trust, online, i, j, 0.1, stranger_trust, stranger_trust, True)
    return leavers, next_uid, n_mbuf


@njit(cache=True)
def summarise(values, role, comm, norm, empathy, indiv, nbr, strength, trust, online, stride, out):
    """Per-step state: ties, strength, trust, mechanical and organic bonds, bridging, dispersion.

    Similarity and role mixing along strong ties (``mechanical``, ``organic``) are averaged over
    every ``stride``-th agent: exact for ``stride`` 1, a systematic sample in large runs.
    """
    n, cap = nbr.shape
    ties = 0
    online_ties = 0
    strong = 0
    s_sum = 0.0
    t_sum = 0.0
    t_strong = 0.0
    sampled = 0
    sim_strong = 0.0
    cross_role = 0
    cross_comm = 0
    for i in range(n):
        for s in range(cap):
            j = nbr[i, s]
            if j < 0:
                continue
            ties += 1
            if comm[i] != comm[j] and not online[i, s]:
                cross_comm += 1
            s_sum += strength[i, s]
            t_sum += trust[i, s]
            if online[i, s]:
                online_ties += 1
            if strength[i, s] >= STRONG:
                strong += 1
                t_strong += trust[i, s]
                if i % stride == 0:
                    sampled += 1
                    sim_strong += similarity(values, i, j)
                    if role[i] != role[j]:
                        cross_role += 1
    out[0] = ties / 2.0
    out[1] = online_ties / 2.0
    out[2] = strong / 2.0
    out[3] = s_sum / ties if ties else 0.0
    out[4] = t_sum / ties if ties else 0.0
    out[5] = t_strong / strong if strong else 0.0
    out[6] = sim_strong / sampled if sampled else 0.0
    out[7] = cross_role / sampled if sampled else 0.0
    out[8] = norm.mean()
    out[9] = norm.std()
    v = 0.0
    for k in range(values.shape[1]):
        v += values[:, k].std()
    out[10] = v / values.shape[1]
    out[11] = empathy.mean()
    out[12] = indiv.mean()
    out[13] = ties / n
    offline = ties - online_ties
    out[14] = cross_comm / offline if offline else 0.0
