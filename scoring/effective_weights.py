"""Effective (statistical) weights: how much each indicator actually drives the index.

Nominal weights say how much an indicator *should* count; correlated or high-variance
indicators can dominate the ranking anyway. Following the JRC/COINr practice, the
statistical importance of indicator ``i`` in a year is the squared Pearson correlation
of its normalised values with the index across countries, normalised to sum to 1::

    r2_i = corr(x_i, score)^2       (countries with both values; needs >= 3 and a spread)
    correlation_weight_i = r2_i / sum_j r2_j
    ratio_i = correlation_weight_i / nominal_weight_i

``flag`` marks indicators whose ratio is above ``flag_ratio`` ("drives the index more
than its weight") or below ``1 / flag_ratio`` ("counts less than its weight"); the
default threshold is 2 (a factor of two either way).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.model import Model
from scoring.spec import ScoringSpec

#: Minimum number of countries with both values for a correlation.
MIN_PAIRS = 3


def _r2(x: np.ndarray, y: np.ndarray) -> float:
    m = ~np.isnan(x) & ~np.isnan(y)
    if m.sum() < MIN_PAIRS:
        return np.nan
    a, b = x[m] - x[m].mean(), y[m] - y[m].mean()
    den = np.sqrt((a * a).sum() * (b * b).sum())
    if den == 0:
        return np.nan
    return float((a * b).sum() / den) ** 2


def effective_weights(
    model: Model, spec: ScoringSpec, year: int | None = None, flag_ratio: float = 2.0
) -> pd.DataFrame:
    """Nominal vs correlation-based weight of every indicator with positive weight in one year.

    Columns: indicator, pillar, nominal_weight, r2, correlation_weight, ratio, flag
    (``"over"``, ``"under"``, ``"n/a"`` when r2 cannot be computed — fewer than 3
    countries with data or no spread that year — or ``""``).
    """
    yr = model.resolve_year(spec, year)
    yi = model.year_index(yr)
    score = model.score(spec.replace(years=(yr,))).score[0]
    x = model.normalised(spec.normalisation).values[yi]
    w = model.weights(spec)
    keep = np.flatnonzero(w > 0)
    r2 = np.array([_r2(x[:, k], score) for k in keep])
    total = np.nansum(r2)
    cw = r2 / total if total > 0 else np.full_like(r2, np.nan)
    ratio = cw / w[keep]
    flag = np.where(
        np.isnan(ratio), "n/a", np.where(ratio > flag_ratio, "over", np.where(ratio < 1.0 / flag_ratio, "under", ""))
    )
    out = pd.DataFrame(
        {
            "indicator": [model.indicators[k] for k in keep],
            "pillar": [model.pillar_of[k] for k in keep],
            "nominal_weight": w[keep],
            "r2": r2,
            "correlation_weight": cw,
            "ratio": ratio,
            "flag": flag,
        }
    )
    out.attrs["spec"] = spec.to_json()
    out.attrs["year"] = yr
    return out
