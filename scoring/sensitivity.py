"""How robust are the ranks? Monte Carlo over weights (and methods) and leave-one-indicator-out.

Both work on one year and run every weight vector through the same vectorised kernel
(:func:`scoring.aggregate.aggregate`) in one batch.

The set of countries ranked is fixed by the nominal spec: a country whose nominal score
is missing (no data, or coverage below the threshold) is left out of every draw, so the
ranks of all draws are among the same countries.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.aggregate import AGGREGATORS, aggregate
from scoring.model import Model, min_rank
from scoring.normalise import NORMALISERS
from scoring.spec import ScoringSpec, SpecError

#: Data uncertainty (optional): half-width, in points of the 0-100 normalised scale, of the
#: uniform band within which each draw moves a value of that status. Observed values stay put.
#: Estimated values come from a related measure by a stated rule, imputed ones are interpolated
#: between sourced years, and carried-forward ones are older figures held: the last is least sure.
DATA_BANDS: dict[str, float] = {"estimated": 10.0, "imputed": 10.0, "carried_forward": 15.0}
#: Missing-data policies a Monte Carlo with ``vary_policy`` draws from: the model, carry-forward, available-case.
VARIED_POLICIES: tuple[str, ...] = ("impute", "carry_forward", "renormalise")


def data_band_cube(model: Model, year_index: int) -> np.ndarray:
    """(C, I) half-widths of the data bands for one year (0 for observed and missing values)."""
    from indicators.schema import STATUSES

    code = model.status_code[year_index]
    band = np.zeros(code.shape)
    for k, st in enumerate(STATUSES):
        band[code == k] = DATA_BANDS.get(st, 0.0)
    return band


@dataclass(eq=False)
class MonteCarloResult:
    """Rank and score distribution per country for one year.

    ``table`` columns: iso3, country, score, rank (nominal), rank_median, rank_p05,
    rank_p95 (the 5-95% interval, widened if needed to contain the nominal rank;
    ``nominal_outside`` says when that happened), rank_min, rank_max, score_p05,
    score_median, score_p95. ``ranks``/``scores``: ``[draw, country]``.
    """

    spec: ScoringSpec
    year: int
    draws: int
    concentration: float
    seed: int | None
    vary_methods: bool
    table: pd.DataFrame
    ranks: np.ndarray
    scores: np.ndarray
    weights: np.ndarray  # (draw, indicator) effective weights of each draw
    combos: tuple[tuple[str, str], ...]  # (normalisation, aggregation) pairs drawn from
    method_pick: np.ndarray  # (draw,) index into ``combos`` of each draw
    data_uncertainty: bool = False  # were estimated/imputed/carried values perturbed (DATA_BANDS)?
    imputation_draws: bool = False  # did each draw take its own draw of the model-imputed values?
    policies: tuple[str, ...] = ()  # missing-data policies drawn from (empty: the spec's only)
    policy_pick: np.ndarray | None = None  # (draw,) index into ``policies`` of each draw


def dirichlet_weights(w: np.ndarray, draws: int, concentration: float, rng: np.random.Generator) -> np.ndarray:
    """``draws`` weight vectors around ``w`` (sum 1): Dirichlet(concentration * w).

    The mean of each draw is ``w``; ``Var(w_i) = w_i (1 - w_i) / (concentration + 1)``,
    so a larger concentration means smaller perturbations. Indicators with zero weight
    stay at zero. ``concentration = inf`` returns ``w`` unchanged in every row.
    """
    w = np.asarray(w, dtype=float)
    w = w / w.sum()
    if math.isinf(concentration):
        return np.broadcast_to(w, (draws, w.size)).copy()
    if not concentration > 0:
        raise SpecError(f"concentration must be positive (or inf for no perturbation), got {concentration}")
    on = w > 0
    out = np.zeros((draws, w.size))
    out[:, on] = rng.dirichlet(concentration * w[on], size=draws)
    bad = ~np.isfinite(out).all(axis=1) | (out.sum(axis=1) <= 0)
    out[bad] = w  # numerically degenerate draws (underflow at tiny alphas) fall back to the nominal weights
    return out


def _percentile(a: np.ndarray, q: float) -> np.ndarray:
    """Nearest-rank quantile along the draws (an observed rank); NaN for countries never ranked."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(a, q, axis=0, method="inverted_cdf")


def monte_carlo(
    model: Model,
    spec: ScoringSpec,
    draws: int = 1000,
    concentration: float = 50.0,
    seed: int | None = 0,
    vary_methods: bool = False,
    year: int | None = None,
    data_uncertainty: bool = False,
    imputation_draws: bool | None = None,
    vary_policy: bool = False,
) -> MonteCarloResult:
    """Monte Carlo uncertainty of ranks and scores at the user's weights.

    Weights: ``draws`` Dirichlet draws centred on the spec's effective weights
    (:func:`dirichlet_weights`; ``concentration=math.inf`` = no perturbation, giving
    zero-width bands). With ``vary_methods`` every draw also picks a normalisation and an
    aggregation uniformly at random from the registries. The same ``seed`` gives the same
    draws. Returns per-country median rank, the 5-95% rank interval (nearest-rank
    quantiles, widened to contain the nominal rank) and score quantiles. With
    ``data_uncertainty`` every draw also moves each estimated, imputed or carried-forward
    value uniformly within its band (:data:`DATA_BANDS`, normalised points, clipped to 0-100),
    so the bands show how much the ranking depends on estimates, not only on weights.

    Multiple imputation: with ``imputation_draws`` (default: when the draw's missing-data policy
    is ``impute``) every draw takes its own draw of the model-imputed values
    (:meth:`scoring.impute.Imputation.draws`: mean + sd * z, sourced values fixed), so the bands
    include the imputation uncertainty. With ``vary_policy`` every draw also picks its missing-data
    policy uniformly from :data:`VARIED_POLICIES` (the model, carry-forward, available-case).
    """
    if draws < 1:
        raise SpecError(f"draws must be at least 1, got {draws}")
    yr = model.resolve_year(spec, year)
    yi = model.year_index(yr)
    nominal = model.score(spec.replace(years=(yr,)))
    nom_score, nom_rank = nominal.score[0], nominal.rank[0]
    keep = ~np.isnan(nom_score)
    rng = np.random.default_rng(seed)
    w = dirichlet_weights(model.weights(spec), draws, concentration, rng)

    if vary_methods:
        combos = list(itertools.product(NORMALISERS, AGGREGATORS))
        pick = rng.integers(0, len(combos), size=draws)
    else:
        combos = [(spec.normalisation, spec.aggregation)]
        pick = np.zeros(draws, dtype=int)
    policies = VARIED_POLICIES if vary_policy else (spec.missing,)
    ppick = rng.integers(0, len(policies), size=draws) if vary_policy else np.zeros(draws, dtype=int)
    scores = np.full((draws, len(model.countries)), np.nan)
    for (k, (norm, agg)), (m, pol) in itertools.product(enumerate(combos), enumerate(policies)):
        sel = (pick == k) & (ppick == m)
        n = int(sel.sum())
        if not n:
            continue
        pspec = spec.replace(normalisation=norm, missing=pol, years=None)
        x = model.values(pspec)[yi]
        if pol == "impute" and imputation_draws is not False:
            x = model.imputation(norm).draws(n, yi, rng)
        if data_uncertainty:
            band = data_band_cube(model, yi)
            noise = rng.uniform(-1.0, 1.0, size=(n, *x.shape[-2:])) * band
            x = np.clip(x + noise, 0.0, 100.0)
        scores[sel] = aggregate(x, w[sel], model.membership, agg, details=False).score
    scores[:, ~keep] = np.nan
    ranks = min_rank(scores)

    p05, p95 = _percentile(ranks, 0.05), _percentile(ranks, 0.95)
    lo, hi = np.fmin(p05, nom_rank), np.fmax(p95, nom_rank)
    table = pd.DataFrame(
        {
            "iso3": model.countries,
            "country": model.country_names,
            "score": nom_score,
            "rank": pd.array(np.where(keep, nom_rank, np.nan), dtype="Float64").astype("Int64"),
            "rank_median": _percentile_median(ranks),
            "rank_p05": lo,
            "rank_p95": hi,
            "nominal_outside": keep & ((nom_rank < p05) | (nom_rank > p95)),
            "rank_min": _nan_reduce(np.nanmin, ranks),
            "rank_max": _nan_reduce(np.nanmax, ranks),
            "score_p05": _nan_reduce(lambda a, axis: np.nanquantile(a, 0.05, axis=axis), scores),
            "score_median": _nan_reduce(np.nanmedian, scores),
            "score_p95": _nan_reduce(lambda a, axis: np.nanquantile(a, 0.95, axis=axis), scores),
        }
    )
    return MonteCarloResult(
        spec=spec,
        year=yr,
        draws=draws,
        concentration=float(concentration),
        seed=seed,
        vary_methods=vary_methods,
        table=table,
        ranks=ranks,
        scores=scores,
        weights=w,
        combos=tuple(combos),
        method_pick=pick,
        data_uncertainty=data_uncertainty,
        imputation_draws=imputation_draws is not False and "impute" in policies,
        policies=tuple(policies) if vary_policy else (),
        policy_pick=ppick,
    )


def _nan_reduce(fn, a: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(a, axis=0)


def _percentile_median(ranks: np.ndarray) -> np.ndarray:
    return _nan_reduce(np.nanmedian, ranks)


def leave_one_out(model: Model, spec: ScoringSpec, year: int | None = None) -> pd.DataFrame:
    """Each country's rank and score when one indicator is dropped (its weight set to 0).

    Dropping keeps the hierarchy: the other indicators of the pillar share its weight,
    and if it was the pillar's only weighted indicator the pillar drops out and the
    remaining pillars are renormalised. Only indicators with a positive weight are
    dropped in turn. ``rank_change = rank_without - rank``: positive means the country
    moves away from rank 1 (further from Moscow) without the indicator. Countries with no
    nominal score are left out (as in :func:`monte_carlo`).
    """
    yr = model.resolve_year(spec, year)
    yi = model.year_index(yr)
    nominal = model.score(spec.replace(years=(yr,)))
    nom_score, nom_rank = nominal.score[0], nominal.rank[0]
    keep = ~np.isnan(nom_score)
    w0 = model.weights(spec)
    drop = [k for k, v in enumerate(w0) if v > 0]
    rows = []
    wmat = []
    used = []
    for k in drop:
        iw = {i: spec.indicator_weights.get(i, 1.0) for i in model.indicators}
        iw[model.indicators[k]] = 0.0
        try:
            wmat.append(model.weights(spec.replace(indicator_weights=iw)))
            used.append(k)
        except SpecError:  # dropping the only weighted indicator leaves nothing to score
            continue
    if not used:
        return pd.DataFrame(
            columns=[
                "iso3",
                "country",
                "indicator",
                "rank",
                "rank_without",
                "rank_change",
                "score",
                "score_without",
                "score_change",
            ]
        )
    x = model.values(spec)[yi]
    s = aggregate(x, np.array(wmat), model.membership, spec.aggregation, details=False).score
    s[:, ~keep] = np.nan
    r = min_rank(s)
    for row, k in enumerate(used):
        for c in range(len(model.countries)):
            if not keep[c]:
                continue
            rows.append(
                {
                    "iso3": model.countries[c],
                    "country": model.country_names[c],
                    "indicator": model.indicators[k],
                    "rank": int(nom_rank[c]),
                    "rank_without": int(r[row, c]) if not np.isnan(r[row, c]) else pd.NA,
                    "rank_change": int(r[row, c] - nom_rank[c]) if not np.isnan(r[row, c]) else pd.NA,
                    "score": float(nom_score[c]),
                    "score_without": float(s[row, c]),
                    "score_change": float(s[row, c] - nom_score[c]),
                }
            )
    out = pd.DataFrame(rows)
    out.attrs["spec"] = spec.to_json()
    out.attrs["year"] = yr
    return out
