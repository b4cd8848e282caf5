"""Reachable ranks: the best and worst rank each country can get under any admissible weights.

Admissible weights: every effective indicator weight ``>= floor`` and the weights sum to 1
(a simplex with a floor), for the weighted arithmetic mean of the normalised values in
one year.

Missing values: the score is linear in the weights only when every country has a value
for every indicator, so gaps are filled first (``missing="impute_nominal"``, the default):
a missing normalised value takes the country's *nominal* pillar sub-score (or, for a
pillar with no data, its nominal index score) at the spec's weights. That is exactly what
renormalisation does at the nominal weights, so the filled data reproduce the main
model's nominal scores and ranks; away from the nominal weights the filled values stay
fixed instead of being renormalised again (the limit of the method: a country with many
gaps moves a little less than under full renormalisation). With
``missing="complete_case"`` only indicators with data for every scored country that year
are used instead (listed in ``indicators_dropped``), and ``rank_complete_case`` is the
rank at the spec's weights restricted to them. With ``impute_nominal``
``best_rank <= rank <= worst_rank`` (the nominal rank); with ``complete_case`` the range
brackets ``rank_complete_case`` instead, and the nominal ``rank`` (which used the dropped
indicators) can fall outside it. Countries without a nominal score (no data
or coverage below the threshold) are left out. Indicators with zero weight in the spec
stay out of the admissible set (the user switched them off).

Method (exact up to solver tolerance): for each country ``c`` two mixed-integer linear
programmes (``scipy.optimize.milp``, HiGHS) with one binary ``z_d`` per rival ``d``:

* best rank: minimise ``sum z_d`` s.t. ``sum_i w_i (x_di - x_ci) <= M z_d``
  (``z_d = 0`` forces ``d`` not above ``c``);
* worst rank: maximise ``sum z_d`` s.t. ``sum_i w_i (x_di - x_ci) >= delta - M (1 - z_d)``
  (``z_d = 1`` forces ``d`` strictly above ``c`` by at least ``delta = 1e-5`` points),

with ``sum w = 1``, ``w_i >= floor`` and ``M`` the largest ``|x_di - x_ci|`` plus a margin.
Each optimum's weights are then re-scored and the rank *actually reached* there is
reported (rivals within ``TIE_TOL`` points count as ties), so every bound is attained by
an admissible weight vector (``best_weights``/``worst_weights``). Ties follow the
min-rank rule (a rival with exactly the same values never passes ``c``).
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from scoring.model import Model
from scoring.spec import ScoringSpec, SpecError

#: A rival counts as strictly above when it leads by more than this many points.
TIE_TOL = 1e-6
#: Strict margin required in the worst-rank programme.
DELTA = 1e-5


@dataclass(eq=False)
class ReachableResult:
    """``table`` columns: iso3, country, rank (nominal, arithmetic mean), best_rank, worst_rank
    (plus rank_complete_case with ``missing="complete_case"``); ``best_weights``/``worst_weights``:
    iso3 -> weights (over ``indicators_used``) that reach the bound."""

    spec: ScoringSpec
    year: int
    floor: float
    indicators_used: tuple[str, ...]
    indicators_dropped: tuple[str, ...]
    table: pd.DataFrame
    best_weights: dict[str, np.ndarray]
    worst_weights: dict[str, np.ndarray]
    note: str


_STDOUT_LOCK = threading.Lock()


@contextmanager
def _quiet_c_stdout():
    """Silence C-level stdout while HiGHS runs.

    HiGHS 1.x prints a stray debug line ("HighsMipSolverData::transformNewIntegerFeasibleSolution
    tmpSolver.run();") from its MIP heuristics even with output off (HiGHS.jl issues 312/318).
    File descriptor 1 is pointed at /dev/null for the duration of the solve and C stdio is
    flushed before it is restored. Falls back to doing nothing where that is not possible.
    """
    try:
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
        libc = ctypes.CDLL(None)
    except (OSError, ValueError, AttributeError):
        yield
        return
    with _STDOUT_LOCK:
        try:
            sys.__stdout__.flush()
        except (AttributeError, ValueError):
            pass
        saved = os.dup(fd)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, fd)
            yield
        finally:
            libc.fflush(None)
            os.dup2(saved, fd)
            os.close(saved)
            os.close(devnull)


def ranks_at(x: np.ndarray, w: np.ndarray, tol: float = TIE_TOL) -> np.ndarray:
    """Min-ranks of the rows of ``x`` (country x indicator) scored ``x @ w``; leads within ``tol`` are ties."""
    s = x @ w
    return 1 + ((s[None, :] > s[:, None] + tol).sum(axis=1))


def _solve(x: np.ndarray, c: int, floor: float, worst: bool) -> np.ndarray | None:
    n, k = x.shape
    rivals = [d for d in range(n) if d != c]
    if not rivals:
        return np.full(k, 1.0 / k)
    diff = x[rivals] - x[c]  # (n-1, k)
    big_m = float(np.abs(diff).max()) + DELTA + 1.0
    nr = len(rivals)
    # variables: w (k), z (nr)
    cost = np.concatenate([np.zeros(k), (-1.0 if worst else 1.0) * np.ones(nr)])
    a_sum = np.concatenate([np.ones(k), np.zeros(nr)])[None, :]
    a_riv = np.hstack([diff, -big_m * np.eye(nr)])
    if worst:
        riv = LinearConstraint(a_riv, DELTA - big_m, np.inf)
    else:
        riv = LinearConstraint(a_riv, -np.inf, 0.0)
    with _quiet_c_stdout():
        res = milp(
            cost,
            constraints=[LinearConstraint(a_sum, 1.0, 1.0), riv],
            integrality=np.concatenate([np.zeros(k), np.ones(nr)]),
            bounds=Bounds(np.concatenate([np.full(k, floor), np.zeros(nr)]), np.concatenate([np.ones(k), np.ones(nr)])),
            options={"presolve": True},
        )
    if res.x is None:
        return None
    w = np.clip(res.x[:k], floor, 1.0)
    return w / w.sum()


#: Ways to deal with gaps (see module docstring).
REACHABLE_MISSING = ("impute_nominal", "complete_case")


def impute_nominal(x: np.ndarray, pillars: np.ndarray, score: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """Fill gaps in ``x`` (country x indicator) with the country's nominal pillar sub-score,
    or its nominal index score where the whole pillar is missing."""
    fill_p = np.where(np.isnan(pillars), score[:, None], pillars)  # (C, P)
    fill = fill_p @ membership.T  # (C, I): the sub-score of each indicator's pillar
    return np.where(np.isnan(x), fill, x)


def reachable_ranks(
    model: Model,
    spec: ScoringSpec,
    floor: float = 0.02,
    year: int | None = None,
    missing: str = "impute_nominal",
) -> ReachableResult:
    """Best and worst rank of every country over all admissible weight vectors (see module docstring).

    ``floor`` is lowered, if needed, to ``min(1 / k, smallest nominal weight)`` so that the
    admissible set is not empty and contains the spec's own weights (the floor used is
    reported). Computed for the weighted arithmetic mean whatever ``spec.aggregation``
    is (the geometric mean is not linear in the weights); ``rank`` is then the nominal
    rank under the arithmetic mean. Countries without a nominal score get NaN.
    """
    if not 0 <= floor < 1:
        raise SpecError(f"floor must be in [0, 1), got {floor}")
    if missing not in REACHABLE_MISSING:
        raise SpecError(f"unknown missing-value treatment {missing!r}; choose one of: {', '.join(REACHABLE_MISSING)}")
    yr = model.resolve_year(spec, year)
    yi = model.year_index(yr)
    notes = []
    if spec.aggregation != "arithmetic":
        notes.append("computed for the weighted arithmetic mean (the geometric mean is not linear in the weights)")
        spec = spec.replace(aggregation="arithmetic")
    nominal = model.score(spec.replace(years=(yr,)))
    scored = ~np.isnan(nominal.score[0])
    x_all = model.values(spec)[yi]  # filled by the spec's missing-data policy (none left under 'impute')
    w_all = model.weights(spec)
    if missing == "impute_nominal":
        gaps = np.isnan(x_all)
        x_all = impute_nominal(x_all, nominal.pillar_scores[0], nominal.score[0], model.membership)
        n_gaps = int(gaps[scored][:, w_all > 0].sum())
        if n_gaps:
            notes.append(f"{n_gaps} missing value(s) held at the country's nominal pillar score")
    complete = ~np.isnan(x_all[scored]).any(axis=0) if scored.any() else np.zeros(len(w_all), bool)
    use = complete & (w_all > 0)
    used = tuple(i for i, u in zip(model.indicators, use, strict=True) if u)
    dropped = tuple(i for i, u, w in zip(model.indicators, use, w_all, strict=True) if w > 0 and not u)
    if dropped:
        notes.append(f"left out for gaps in {yr}: {', '.join(dropped)}")
    rows_idx = np.flatnonzero(scored)
    k = int(use.sum())
    table = pd.DataFrame(
        {
            "iso3": model.countries,
            "country": model.country_names,
            "rank": nominal.rank[0],
            "rank_complete_case": np.nan,
            "best_rank": np.nan,
            "worst_rank": np.nan,
        }
    )
    best_w: dict[str, np.ndarray] = {}
    worst_w: dict[str, np.ndarray] = {}
    if k == 0 or len(rows_idx) == 0:
        notes.append("no indicator has data for every scored country; nothing to compute")
        return ReachableResult(spec, yr, floor, used, dropped, _finish(table), best_w, worst_w, "; ".join(notes))
    x = x_all[np.ix_(rows_idx, np.flatnonzero(use))]
    w_nom = w_all[use] / w_all[use].sum()
    floor_used = min(floor, 1.0 / k, float(w_nom.min()))
    if floor_used < floor:
        notes.append(f"floor lowered from {floor:g} to {floor_used:.4g} so the spec's own weights are admissible")
    nom = ranks_at(x, w_nom)
    best = nom.astype(float).copy()
    worst = nom.astype(float).copy()
    for j, c in enumerate(rows_idx):
        iso = model.countries[c]
        best_w[iso], worst_w[iso] = w_nom, w_nom
        wb = _solve(x, j, floor_used, worst=False)
        if wb is not None and ranks_at(x, wb)[j] <= best[j]:
            best[j], best_w[iso] = ranks_at(x, wb)[j], wb
        ww = _solve(x, j, floor_used, worst=True)
        if ww is not None and ranks_at(x, ww)[j] >= worst[j]:
            worst[j], worst_w[iso] = ranks_at(x, ww)[j], ww
    table.loc[rows_idx, "rank_complete_case"] = nom
    table.loc[rows_idx, "best_rank"] = best
    table.loc[rows_idx, "worst_rank"] = worst
    if missing == "impute_nominal":
        table = table.drop(columns="rank_complete_case")
    return ReachableResult(spec, yr, floor_used, used, dropped, _finish(table), best_w, worst_w, "; ".join(notes))


def _finish(table: pd.DataFrame) -> pd.DataFrame:
    for col in [c for c in ("rank", "rank_complete_case", "best_rank", "worst_rank") if c in table]:
        table[col] = pd.array(table[col].to_numpy(dtype=float), dtype="Float64").astype("Int64")
    return table
