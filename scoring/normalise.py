"""Normalisation methods: raw indicator values -> 0-100.

Each method receives the values of ONE indicator for every panel year and country at
once (a 2-D array ``x[year, country]``, NaN = missing), so the scale is shared across
years and a score in 2014 can be compared with one in 2024. The methods map "higher raw
value" to "higher normalised value"; the caller (:meth:`scoring.model.Model.normalised`)
then flips indicators with direction -1 (``100 - v``) so that 100 always means "closest
to Moscow".

Common rules for every method:

* NaN in, NaN out; missing values never take part in the statistics.
* An indicator with no data at all returns all NaN (the model reports it).
* A zero range (every observed value equal, or a single observation, where the method
  needs a spread) raises :class:`ZeroRangeError`. The model then treats that indicator as
  missing and reports it in ``ScoreResult.diagnostics``: never a silent constant.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.stats import rankdata

from indicators.schema import Indicator

#: z-scores are clipped at +-Z_CLIP standard deviations before mapping to 0-100.
Z_CLIP = 3.0


class ZeroRangeError(ValueError):
    """The indicator's observed values have no spread, so the method cannot scale them."""


def _observed(x: np.ndarray) -> np.ndarray:
    return x[~np.isnan(x)]


def minmax(x: np.ndarray, ind: Indicator) -> np.ndarray:
    """Min-max over the whole panel: ``v = 100 * (x - min) / (max - min)``.

    ``min`` and ``max`` are taken over all years and countries of the panel (NaN
    ignored), so the same raw value maps to the same score in every year.
    NaN stays NaN. Zero range (``max == min``, including a single observation) raises
    :class:`ZeroRangeError`.
    """
    obs = _observed(x)
    if obs.size == 0:
        return np.full_like(x, np.nan, dtype=float)
    lo, hi = float(obs.min()), float(obs.max())
    if hi == lo:
        raise ZeroRangeError(f"{ind.id}: every observed value is {lo:g}; min-max has a zero range")
    return 100.0 * (x - lo) / (hi - lo)


def goalposts(x: np.ndarray, ind: Indicator) -> np.ndarray:
    """Fixed goalposts from the metadata: ``v = 100 * clip((x - L) / (U - L), 0, 1)``.

    ``(L, U)`` are the indicator's ``goalposts``, or its natural ``bounds`` when it has
    none (e.g. 0-100 for a percent, 0-2 for a three-level ordinal). Values outside the
    goalposts are clipped to 0 or 100. NaN stays NaN. The range comes from metadata and
    the schema guarantees ``L < U``, so a constant indicator is fine here (every
    country gets the same value, which is meaningful on a fixed scale); a zero range
    ``L == U`` raises :class:`ZeroRangeError`.
    """
    lo, hi = ind.goalposts if ind.goalposts is not None else ind.bounds
    if hi == lo:
        raise ZeroRangeError(f"{ind.id}: goalposts ({lo:g}, {hi:g}) have a zero range")
    return 100.0 * np.clip((x - lo) / (hi - lo), 0.0, 1.0)


def zscore(x: np.ndarray, ind: Indicator) -> np.ndarray:
    """z-score over the whole panel, clipped and mapped linearly to 0-100.

    ``z = (x - mean) / sd`` with the population standard deviation (ddof=0) over all
    years and countries (NaN ignored); ``z`` is clipped to ``[-3, 3]`` and mapped by
    ``v = 50 + 50 * z / 3`` (so the mean is 50, +3 sd or more is 100, -3 sd or less is 0).
    NaN stays NaN. Zero range (``sd == 0``: all values equal, or a single observation)
    raises :class:`ZeroRangeError`.
    """
    obs = _observed(x)
    if obs.size == 0:
        return np.full_like(x, np.nan, dtype=float)
    mean, sd = float(obs.mean()), float(obs.std())
    if sd == 0.0 or not np.isfinite(sd) or sd < 1e-12 * max(1.0, abs(mean)):
        raise ZeroRangeError(f"{ind.id}: every observed value is {mean:g}; the z-score has sd = 0")
    z = np.clip((x - mean) / sd, -Z_CLIP, Z_CLIP)
    return 50.0 + 50.0 * z / Z_CLIP


def percentile(x: np.ndarray, ind: Indicator) -> np.ndarray:
    """Percentile rank over the whole panel: ``v = 100 * (r - 1) / (n - 1)``.

    ``r`` is the 1-based rank of the value among the ``n`` observed values of all
    years and countries, ties getting their average rank (so equal values get equal
    scores); the lowest value maps to 0 and the highest to 100. NaN stays NaN and is not
    counted in ``n``. Zero range (``n == 1`` or all values equal) raises
    :class:`ZeroRangeError`.
    """
    mask = ~np.isnan(x)
    obs = x[mask]
    if obs.size == 0:
        return np.full_like(x, np.nan, dtype=float)
    if obs.size == 1 or obs.min() == obs.max():
        raise ZeroRangeError(f"{ind.id}: every observed value is {obs[0]:g}; percentile ranks have a zero range")
    r = rankdata(obs, method="average")
    out = np.full_like(x, np.nan, dtype=float)
    out[mask] = 100.0 * (r - 1.0) / (obs.size - 1.0)
    return out


Normaliser = Callable[[np.ndarray, Indicator], np.ndarray]

#: Registry: method name -> function. The names are what ``ScoringSpec.normalisation`` accepts.
NORMALISERS: dict[str, Normaliser] = {
    "minmax": minmax,
    "goalposts": goalposts,
    "zscore": zscore,
    "percentile": percentile,
}

#: One-line labels for select boxes.
NORMALISER_LABELS: dict[str, str] = {
    "minmax": "Min-max over all years and countries",
    "goalposts": "Fixed goalposts from the indicator metadata",
    "zscore": "z-score (clipped at +-3 sd, mapped to 0-100)",
    "percentile": "Percentile rank over all years and countries",
}


def orient(v: np.ndarray, direction: int) -> np.ndarray:
    """Apply an indicator's direction: +1 keeps ``v``, -1 gives ``100 - v`` (NaN stays NaN)."""
    return v if direction == 1 else 100.0 - v
