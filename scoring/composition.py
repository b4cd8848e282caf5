"""Which indicators each score used, and trends that hold the composition fixed.

A score averages over the weighted indicators that have a value (the rest are dropped and
the weights renormalised), so when an indicator enters or leaves a country's data between
two years the score can move with no change in any value. This module finds those years
and offers a chain-linked series without that artefact.

* :func:`composition_table`: per country and year, the indicators used and missing, those
  that entered or left since the previous scored year, and ``provisional`` (the set differs).
* :func:`chain_linked`: each year-to-year step keeps only the parts of the change on the
  indicators both years share (:func:`scoring.diff.decompose`, i.e. the change minus its
  ``composition`` part), and the steps are chained from an anchor year where the series
  equals the actual score::

      chained(anchor) = score(anchor)
      chained(b)      = chained(a) + [score(b) - score(a) - composition(a, b)]   a < b adjacent scored years

  So a move in the chained series always comes from values that changed, never from data
  entering or leaving; its level is that of the anchor year's composition.
* :func:`provisional_years`: the years after the default year (some state's score rests on less
  than three quarters of sourced weight), and :func:`provisional_lacks`: what a year lacks.

Under the default missing-data policy (``impute``) every weighted indicator has a value in every
year, so nothing enters or leaves and the chain-linked series equals the actual scores; it is an
option, labelled as a different series, for the policies that drop missing values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.diff import decompose
from scoring.model import Model, ScoreResult
from scoring.spec import ScoringSpec


def composition_table(result: ScoreResult) -> pd.DataFrame:
    """One row per (iso3, year) of ``result``: used, missing, entered, left (indicator ids joined by ``;``)
    and ``provisional``.

    ``entered``/``left`` compare the weighted indicators with a value with those of the same
    country in the previous year of ``result.years`` (nothing for the first year), whatever the
    scores; ``provisional`` is True when either is non-empty.
    """
    ids = np.array(result.indicators, dtype=object)
    weighted = result.effective_weights > 0
    used = result.used if result.used is not None else ~np.isnan(result.contributions)
    rows = []
    for yi, y in enumerate(result.years):
        for ci, iso in enumerate(result.countries):
            u = used[yi, ci]
            prev = used[yi - 1, ci] if yi > 0 else u
            entered, left = ";".join(ids[u & ~prev]), ";".join(ids[prev & ~u])
            rows.append(
                {
                    "iso3": iso,
                    "year": y,
                    "used": ";".join(ids[u]),
                    "missing": ";".join(ids[weighted & ~u]),
                    "entered": entered,
                    "left": left,
                    "provisional": bool(entered or left),
                }
            )
    return pd.DataFrame(rows)


def chain_linked(model: Model, spec: ScoringSpec, anchor: int) -> pd.DataFrame:
    """Scores with the composition held fixed, chained from ``anchor`` (formula: module docstring).

    Columns: iso3, country, year, score (the actual score), chained, step (the like-for-like
    change from the country's previous scored year), composition (the part of the actual change
    left out of the chain). Years without a score stay NaN and the chain links the scored years
    on either side directly. A country without a score in ``anchor`` is anchored at its latest
    scored year before it, else its earliest scored year after it.
    """
    model.year_index(anchor)
    res = model.score(spec.replace(years=None))
    scores = res.score
    years = model.years
    cache: dict[tuple[int, int], dict] = {}
    rows = []
    for ci, iso in enumerate(model.countries):
        scored = [k for k in range(len(years)) if not np.isnan(scores[k, ci])]
        chained = np.full(len(years), np.nan)
        step = np.full(len(years), np.nan)
        comp = np.full(len(years), np.nan)
        for a, b in zip(scored, scored[1:], strict=False):
            if (a, b) not in cache:
                cache[a, b] = decompose(model, spec, years[a], years[b], scores=scores)
            d = cache[a, b]
            comp[b] = d["composition"][ci]
            step[b] = d["total"][ci] - comp[b]
        if scored:
            ai = model.year_index(anchor)
            before = [k for k in scored if k <= ai]
            start = before[-1] if before else scored[0]
            chained[start] = scores[start, ci]
            pos = scored.index(start)
            for a, b in zip(scored[pos:], scored[pos + 1 :], strict=False):
                chained[b] = chained[a] + step[b]
            for a, b in zip(reversed(scored[:pos]), reversed(scored[1 : pos + 1]), strict=True):
                chained[a] = chained[b] - step[b]
        for k, y in enumerate(years):
            rows.append(
                {
                    "iso3": iso,
                    "country": model.country_names[ci],
                    "year": y,
                    "score": scores[k, ci],
                    "chained": chained[k],
                    "step": step[k],
                    "composition": comp[k],
                }
            )
    return pd.DataFrame(rows)


def provisional_years(model: Model, spec: ScoringSpec) -> tuple[int, ...]:
    """Years after the default year (:meth:`scoring.model.Model.default_year`): in each, at least one
    state has less than ``DEFAULT_YEAR_COVERAGE`` of the weight on sourced values (the rest is imputed
    or missing), so their scores can still move when the statistics offices publish."""
    first = model.default_year(spec)
    return tuple(y for y in model.years if y > first)


def provisional_lacks(model: Model, spec: ScoringSpec, year: int) -> str:
    """What a year lacks, in words: each state below the default-year threshold with its sourced share,
    and the indicators missing for them (by name)."""
    from scoring.model import DEFAULT_YEAR_COVERAGE

    yi = model.year_index(year)
    cov = model.coverage(spec)[yi]
    w = model.weights(spec)
    missing = np.isnan(model.normalised(spec.normalisation).values[yi]) & (w > 0)
    bits = []
    for ci in np.argsort(cov, kind="stable"):
        if cov[ci] >= DEFAULT_YEAR_COVERAGE - 1e-12:
            continue
        names = ", ".join(model.catalog[model.indicators[k]].name for k in np.flatnonzero(missing[ci]))
        bits.append(f"{model.country_names[ci]} {cov[ci]:.0%} sourced (lacks {names})")
    return "; ".join(bits)
