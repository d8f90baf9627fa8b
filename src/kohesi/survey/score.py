"""Score survey responses: scale scores, reliability (α, ω, item–rest) and group agreement (r_wg(j), ICC).

Missing-data rule (:data:`MISSING_RULE`): a respondent's score on a scale (or subscale) of k items is the mean of
the items they answered, after reverse-keyed items are recoded as min + max − x, **if at least ⌈2/3 · k⌉ items are
answered; otherwise the score is missing**. Reliability statistics use the respondents who answered every item of
the scale (listwise). r_wg(j) uses all answers in the group; ICC uses the non-missing scale scores.

Input: one row per respondent, a column per item (named by the item keys of the scales), an optional
``respondent_id`` column and an optional group column (e.g. ``rt``). Values must be whole numbers inside the
scale's response range; empty cells (or ``NA``) are missing answers.

Examples
--------
>>> import polars as pl
>>> df = pl.DataFrame({"rt": ["01"] * 3 + ["02"] * 3,
...                    "ppltrst": [7, 8, 7, 3, 2, None]})
>>> res = score(df, scales=["generalised-trust"], group_col="rt", n_boot=0)
>>> res.groups.select("group", "n", "mean").rows()
[('01', 3, 7.333333333333333), ('02', 3, 2.5)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from kohesi.errors import InputError, KohesiError
from kohesi.survey import stats
from kohesi.survey.scales import Scale, available_scales, load_scale

__all__ = ["MISSING_RULE", "SurveyResult", "score", "score_csv", "read_responses"]

MISSING_RULE = ("score = mean of the answered items (reverse-keyed items recoded as min + max − x) if at least "
                "⌈2/3 · k⌉ of the k items are answered, else missing; reliability uses complete responses (listwise)")
ID_COL = "respondent_id"
_NA = {"", "na", "n/a", "nan", "null", "none", "."}
_MAX_LISTED = 8
RWG_OK = 0.70
ICC2_OK = 0.70


@dataclass
class SurveyResult:
    """Tidy results. ``scores``: one row per respondent × scale × part (``total`` or a subscale).
    ``reliability``: one row per scale × part. ``items``: one row per item. ``groups``: one row per scale × part ×
    group (``None`` without a group column). ``agreement``: ICC per scale × part (``None`` without groups)."""

    scores: pl.DataFrame
    reliability: pl.DataFrame
    items: pl.DataFrame
    groups: pl.DataFrame | None
    agreement: pl.DataFrame | None
    scales: list[Scale]
    group_col: str | None = None
    rule: str = MISSING_RULE
    notes: list[str] = field(default_factory=list)

    def wide(self) -> pl.DataFrame:
        """One row per respondent, a column per scale part (``scale`` or ``scale.subscale``)."""
        s = self.scores.with_columns(
            pl.when(pl.col("part") == "total").then(pl.col("scale"))
            .otherwise(pl.col("scale") + "." + pl.col("part")).alias("column"))
        index = [c for c in (ID_COL, "group") if c in s.columns]
        wide = s.pivot(on="column", index=index, values="score", maintain_order=True)
        return wide.rename({"group": self.group_col}) if "group" in wide.columns and self.group_col else wide

    def to_dict(self) -> dict[str, Any]:
        def rows(df):
            return None if df is None else df.to_dicts()
        return {"rule": self.rule, "notes": self.notes,
                "scales": [{"key": s.key, "citation": s.citation, "doi": s.doi} for s in self.scales],
                "reliability": rows(self.reliability), "items": rows(self.items),
                "groups": rows(self.groups), "agreement": rows(self.agreement), "scores": rows(self.scores)}


# ----------------------------------------------------------------------------------------------- input checking
def _where(rows: Sequence[int], file) -> str:
    """'rows 3, 7' (DataFrame, 1-based) or 'lines 4, 8' (CSV file, header = line 1)."""
    nums = [r + 2 for r in rows] if file is not None else [r + 1 for r in rows]
    listed = ", ".join(str(n) for n in nums[:_MAX_LISTED])
    more = f" and {len(nums) - _MAX_LISTED} more" if len(nums) > _MAX_LISTED else ""
    return f"{'line' if file is not None else 'row'}{'s' if len(nums) > 1 else ''} {listed}{more}"


def _fail(file, reason: str, rows: Sequence[int] = ()) -> InputError:
    """An InputError whose message lists the rows; ``.line`` (CSV) or ``.rows`` (1-based) hold them too."""
    exc = InputError(file, reason)
    exc.rows = [r + 1 for r in rows]
    if file is not None and rows:
        exc.line = rows[0] + 2
    return exc


def _spell(param: str, value: Any, flags: Mapping[str, str] | None) -> str:
    """How a message names an option and its value: ``group_col='rt'`` (Python) or ``--group-col rt`` (the
    command line, whose ``flags`` map each parameter to its flag); a list is repeated flags.

    Examples
    --------
    >>> _spell("ignore", ["Timestamp", "e mail"], None), _spell("ignore", ["Timestamp", "e mail"], {"ignore": "--ignore-col"})
    ("ignore=['Timestamp', 'e mail']", "--ignore-col Timestamp --ignore-col 'e mail'")
    """
    if flags is None or param not in flags:
        return f"{param}={value!r}"
    import shlex

    values = value if isinstance(value, list) else [value]
    return " ".join(f"{flags[param]} {shlex.quote(str(v))}" for v in values)


def _unknown_columns(unknown: list[str], chosen: list[Scale], group_col: str | None,
                     flags: Mapping[str, str] | None) -> str:
    """Why the ``unknown`` columns are refused, and the options that take them: the first as the group
    column (when none was named: the template's ``rt`` column is the usual case), all of them as ignored."""
    listed = ", ".join(repr(c) for c in unknown)
    hint = (f"if {unknown[0]!r} names each respondent's group, score by it with {_spell('group_col', unknown[0], flags)}; "
            "otherwise " if group_col is None else "")
    return (f"unknown column{'s' if len(unknown) > 1 else ''} {listed}: not an item of "
            f"{', '.join(s.key for s in chosen)}, nor {ID_COL!r}{' or the group column' if group_col else ''}; "
            f"{hint}leave {'them' if len(unknown) > 1 else 'it'} out with {_spell('ignore', unknown, flags)}")


def _to_polars(df: Any) -> pl.DataFrame:
    if isinstance(df, pl.DataFrame):
        return df
    if isinstance(df, dict):
        return pl.DataFrame(df)
    if hasattr(df, "to_dict") and hasattr(df, "columns"):  # pandas, without importing it
        return pl.DataFrame({str(c): list(df[c]) for c in df.columns}, strict=False)
    raise TypeError(f"expected a polars or pandas DataFrame, got {type(df).__name__}")


def _numeric(df: pl.DataFrame, col: str, scale: Scale, file) -> np.ndarray:
    """Column → float array (NaN = missing), checking whole numbers inside the response range."""
    s = df.get_column(col)
    values = np.full(df.height, np.nan)
    bad_text: list[int] = []
    samples: list[str] = []
    for i, v in enumerate(s.to_list()):
        if v is None:
            continue
        if isinstance(v, str):
            t = v.strip()
            if t.lower() in _NA:
                continue
            try:
                v = float(t.replace(",", ".")) if t.count(",") == 1 and "." not in t else float(t)
            except ValueError:
                bad_text.append(i)
                samples.append(repr(v))
                continue
        if isinstance(v, bool):
            bad_text.append(i)
            samples.append(repr(v))
            continue
        try:
            f = float(v)
        except (TypeError, ValueError):
            bad_text.append(i)
            samples.append(repr(v))
            continue
        if math.isnan(f):
            continue
        values[i] = f
    if bad_text:
        raise _fail(file, f"column {col!r}: not a number in {_where(bad_text, file)} "
                          f"(e.g. {', '.join(samples[:3])}); answers must be whole numbers "
                          f"{scale.response_min}–{scale.response_max}", bad_text)
    lo, hi = scale.response_min, scale.response_max
    finite = np.isfinite(values)
    out = np.flatnonzero(finite & ((values < lo) | (values > hi)))
    if out.size:
        shown = ", ".join(f"{values[i]:g}" for i in out[:3])
        raise _fail(file, f"column {col!r}: values outside the response range {lo}–{hi} of scale {scale.key!r} "
                          f"in {_where(out.tolist(), file)} (e.g. {shown})", out.tolist())
    frac = np.flatnonzero(finite & (values != np.round(values)))
    if frac.size:
        shown = ", ".join(f"{values[i]:g}" for i in frac[:3])
        raise _fail(file, f"column {col!r}: answers must be whole numbers; found {shown} in "
                          f"{_where(frac.tolist(), file)}", frac.tolist())
    return values


def _pick_scales(scales: Iterable[str | Path | Scale] | None, columns: Sequence[str], file) -> list[Scale]:
    if scales:
        return [s if isinstance(s, Scale) else load_scale(s) for s in scales]
    found = [load_scale(k) for k in available_scales()]
    found = [s for s in found if set(s.item_keys) <= set(columns)]
    if not found:
        raise InputError(file, "no built-in scale's item columns are all present; name the scale(s) to score "
                               f"(built-in: {', '.join(available_scales())})")
    return found


# ---------------------------------------------------------------------------------------------------- scoring
def score(df: Any, scales: Iterable[str | Path | Scale] | None = None, *, group_col: str | None = None,
          min_items: int | None = None, min_group_size: int = 3, ignore: Sequence[str] = (),
          n_boot: int = 1000, level: float = 0.95, seed: int = 0, file: str | Path | None = None,
          flags: Mapping[str, str] | None = None) -> SurveyResult:
    """Score survey responses.

    Parameters
    ----------
    df : polars or pandas DataFrame, one row per respondent, a column per item key.
    scales : built-in scale keys, paths of user-defined ``.toml`` scales or :class:`Scale` objects. Default: every
        built-in scale whose items are all present.
    group_col : column with the group (e.g. ``"rt"``); enables group means, r_wg(j), ICC(1) and ICC(2).
    min_items : answered items needed for a score; default ⌈2/3 · k⌉ per scale part (the missing-data rule:
        score = mean of answered items if at least ⌈2/3 · k⌉ of the k items are answered, else missing).
        A larger value than k means all k items.
    min_group_size : groups with fewer respondents are reported as not enough respondents (in ``groups``, with
        ``enough`` false, and in ``notes``) and left out of group means, r_wg(j) and the ICCs; the others are scored.
    ignore : extra columns to ignore (e.g. a form tool's ``Timestamp``); any other unknown column is an error.
    n_boot, level, seed : percentile-bootstrap intervals for α and ω (``n_boot=0``: no intervals).
    file : the source file's name, for error messages (CSV line numbers instead of row numbers).
    flags : how messages name the options: the command line's flags by parameter name (``{"group_col":
        "--group-col"}``); by default the Python parameters.
    """
    if min_group_size < 1:
        raise KohesiError(f"{_spell('min_group_size', min_group_size, flags)}: a group needs 1 respondent or more")
    data = _to_polars(df)
    if data.height == 0:
        raise InputError(file, "no responses (the table has no rows)")
    columns = list(data.columns)
    if group_col is not None and group_col not in columns:
        near = [c for c in columns if c.lower() == group_col.lower()]
        hint = f"; did you mean {_spell('group_col', near[0], flags)}?" if near else ""
        raise InputError(file, f"group column {group_col!r} not found ({_spell('group_col', group_col, flags)}); "
                               f"columns are: {', '.join(columns)}{hint}")
    chosen = _pick_scales(scales, columns, file)
    keys = [k for s in chosen for k in s.item_keys]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise KohesiError(f"item key(s) {', '.join(dup)} appear in more than one chosen scale")
    missing = [k for k in keys if k not in columns]
    if missing:
        by_scale = "; ".join(f"{s.key}: {', '.join(k for k in s.item_keys if k in missing)}"
                             for s in chosen if any(k in missing for k in s.item_keys))
        raise InputError(file, f"missing item column(s) {by_scale}")
    known = set(keys) | {ID_COL} | set(ignore) | ({group_col} if group_col else set())
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise InputError(file, _unknown_columns(unknown, chosen, group_col, flags))
    # respondent ids
    if ID_COL in columns:
        ids = [None if v is None else str(v).strip() for v in data.get_column(ID_COL).to_list()]
        empty = [i for i, v in enumerate(ids) if not v]
        if empty:
            raise _fail(file, f"column {ID_COL!r}: empty in {_where(empty, file)}", empty)
        first: dict[str, int] = {}
        dups = []
        for i, v in enumerate(ids):
            if v in first:
                dups.append(i)
            else:
                first[v] = i
        if dups:
            raise _fail(file, f"column {ID_COL!r}: duplicate ids in {_where(dups, file)} "
                              f"(e.g. {ids[dups[0]]!r})", dups)
    else:
        ids = [str(i + 1) for i in range(data.height)]
    # groups
    groups, small = None, {}
    notes = [f"missing-data rule: {MISSING_RULE}"]
    if group_col is not None:
        groups = [None if v is None else str(v).strip() for v in data.get_column(group_col).to_list()]
        empty = [i for i, v in enumerate(groups) if not v or v.lower() in _NA]
        if empty:
            raise _fail(file, f"group column {group_col!r}: empty in {_where(empty, file)}", empty)
        counts: dict[str, list[int]] = {}
        for i, g in enumerate(groups):
            counts.setdefault(g, []).append(i)
        small = {g: r for g, r in counts.items() if len(r) < min_group_size}
        if small:
            notes.append(_small_groups_note(small, group_col, min_group_size, file, flags))
    values = {c: _numeric(data, c, s, file) for s in chosen for c in s.item_keys}

    score_rows, rel_rows, item_rows, group_rows, agree_rows = [], [], [], [], []
    for sc in chosen:
        lo, hi = sc.response_min, sc.response_max
        keyed = {it.key: (lo + hi - values[it.key]) if it.reverse else values[it.key] for it in sc.items}
        if sc.n_items < 2:
            notes.append(f"{sc.key}: a single item, so alpha, omega and item-rest correlations are undefined")
        for part, item_keys in sc.parts().items():
            k = len(item_keys)
            x = np.column_stack([keyed[i] for i in item_keys])
            answered = np.isfinite(x).sum(axis=1)
            need = min(k, min_items) if min_items is not None else sc.min_answered(k)
            with np.errstate(invalid="ignore", divide="ignore"):
                means = np.where(np.isfinite(x), x, 0.0).sum(axis=1) / answered
            sc_scores = np.where(answered >= max(need, 1), means, np.nan)
            for r in range(len(ids)):
                row = {ID_COL: ids[r]}
                if groups is not None:
                    row["group"] = groups[r]
                row |= {"scale": sc.key, "part": part, "score": _f(sc_scores[r]), "n_answered": int(answered[r]),
                        "n_items": k, "min_answered": need}
                score_rows.append(row)
            complete = x[np.all(np.isfinite(x), axis=1)]
            n_c = complete.shape[0]
            alpha = stats.cronbach_alpha(complete) if k >= 2 else math.nan
            omega, loadings = stats.omega_total(complete) if k >= 3 else (math.nan, np.full(k, np.nan))
            ci = (stats.bootstrap_ci(complete, n_boot=n_boot, level=level, seed=seed) if n_boot and k >= 2
                  else dict.fromkeys(("alpha_lo", "alpha_hi", "omega_lo", "omega_hi"), math.nan))
            rel_rows.append({"scale": sc.key, "part": part, "n_items": k, "n_complete": n_c,
                             "n_scored": int(np.isfinite(sc_scores).sum()),
                             "mean": _f(np.nanmean(sc_scores)) if np.isfinite(sc_scores).any() else None,
                             "sd": _f(np.nanstd(sc_scores, ddof=1)) if np.isfinite(sc_scores).sum() > 1 else None,
                             "alpha": _f(alpha), "alpha_lo": _f(ci["alpha_lo"]), "alpha_hi": _f(ci["alpha_hi"]),
                             "omega": _f(omega), "omega_lo": _f(ci["omega_lo"]), "omega_hi": _f(ci["omega_hi"]),
                             "ci_method": f"percentile bootstrap, {n_boot} resamples, seed {seed}" if n_boot else None})
            if part == "total":
                rest = stats.item_rest(complete) if k >= 2 else np.full(k, np.nan)
                drop = stats.alpha_if_deleted(complete) if k >= 3 else np.full(k, np.nan)
                for j, it in enumerate(item_keys):
                    item = next(i for i in sc.items if i.key == it)
                    raw = values[it]
                    item_rows.append({"scale": sc.key, "item": it, "subscale": item.subscale,
                                      "reverse": item.reverse, "n": int(np.isfinite(raw).sum()),
                                      "mean": _f(np.nanmean(keyed[it])) if np.isfinite(raw).any() else None,
                                      "sd": _f(np.nanstd(keyed[it], ddof=1)) if np.isfinite(raw).sum() > 1 else None,
                                      "item_rest_r": _f(rest[j]), "alpha_if_deleted": _f(drop[j]),
                                      "loading": _f(loadings[j])})
            if groups is not None:
                garr = np.array(groups, dtype=object)
                big = ~np.isin(garr, list(small))  # groups with enough respondents
                icc = stats.one_way_icc(sc_scores[big], garr[big])
                rwgs = []
                for g in sorted(set(groups)):
                    m = garr == g
                    gs = sc_scores[m]
                    ok = np.isfinite(gs) & (g not in small)
                    rwg = stats.rwg_j(x[m], sc.null_variance) if g not in small else math.nan
                    if g not in small:
                        rwgs.append(rwg)
                    group_rows.append({"scale": sc.key, "part": part, "group": g, "n": int(m.sum()),
                                       "n_scored": int(np.isfinite(gs).sum()),
                                       "mean": _f(gs[ok].mean()) if ok.any() else None,
                                       "sd": _f(gs[ok].std(ddof=1)) if ok.sum() > 1 else None, "rwg_j": _f(rwg),
                                       "agreement_ok": bool(np.isfinite(rwg) and rwg >= RWG_OK),
                                       "enough": g not in small})
                rw = np.array(rwgs, float)
                agree_rows.append({"scale": sc.key, "part": part, "n_groups": icc["n_groups"], "n": icc["n"],
                                   "k_mean": _f(icc["k_mean"]), "msb": _f(icc["msb"]), "msw": _f(icc["msw"]),
                                   "f": _f(icc["f"]), "icc1": _f(icc["icc1"]), "icc2": _f(icc["icc2"]),
                                   "rwg_j_median": _f(np.nanmedian(rw)) if np.isfinite(rw).any() else None,
                                   "share_rwg_ok": _f(np.mean(rw >= RWG_OK)) if rw.size else None,
                                   "group_means_reliable": bool(np.isfinite(icc["icc2"]) and icc["icc2"] >= ICC2_OK)})
    if groups is not None:
        notes.append(f"group means are meaningful when members agree (r_wg(j) >= {RWG_OK}; uniform null "
                     "sigma2_E = (A^2 - 1)/12, set to 0 when the observed variance is larger) and groups differ "
                     f"reliably (ICC(1) > 0, ICC(2) >= {ICC2_OK}; one-way ANOVA, k = mean group size)")
    return SurveyResult(
        scores=pl.DataFrame(score_rows, infer_schema_length=None),
        reliability=pl.DataFrame(rel_rows, infer_schema_length=None),
        items=pl.DataFrame(item_rows, infer_schema_length=None),
        groups=pl.DataFrame(group_rows, infer_schema_length=None) if groups is not None else None,
        agreement=pl.DataFrame(agree_rows, infer_schema_length=None) if groups is not None else None,
        scales=chosen, group_col=group_col, notes=notes)


def _small_groups_note(small: dict[str, list[int]], group_col: str, min_group_size: int, file,
                       flags: Mapping[str, str] | None) -> str:
    """The note on the groups with fewer than ``min_group_size`` respondents (left out of group statistics)."""
    detail = "; ".join(f"{g!r} ({len(r)} respondent{'s' if len(r) > 1 else ''}, {_where(r, file)})"
                       for g, r in sorted(small.items()))
    one = len(small) == 1
    return (f"group column {group_col!r}: not enough respondents in group{'' if one else 's'} {detail}; a group "
            f"needs at least {min_group_size} ({_spell('min_group_size', min_group_size, flags)}) for a group mean "
            f"and agreement, so {'it is' if one else 'they are'} left out of the group means, r_wg(j) and ICC; "
            "the other groups are scored")


def _f(v) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


def read_responses(path: str | Path) -> pl.DataFrame:
    """Read a responses CSV as text columns (values are checked and converted by :func:`score`)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is a folder, not a responses CSV file")
    if not path.is_file():
        raise InputError(path, "file not found")
    if path.suffix.lower() not in (".csv", ".txt", ""):
        raise InputError(path, f"not a CSV file ({path.suffix}); save the responses as CSV (a form tool's or a "
                               "spreadsheet's Download → CSV)")
    try:
        df = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise InputError(path, f"not a readable CSV file: {str(exc).splitlines()[0]}") from None
    return df.rename({c: c.strip().lstrip("\ufeff") for c in df.columns})


def score_csv(path: str | Path, scales: Iterable[str | Path | Scale] | None = None, **kwargs) -> SurveyResult:
    """:func:`score` on a CSV file; error messages give the file's line numbers."""
    return score(read_responses(path), scales, file=Path(path).name, **kwargs)
