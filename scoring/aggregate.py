"""Aggregation methods and the one vectorised kernel that every score goes through.

Both registered means are quasi-arithmetic means: transform, take a weighted arithmetic
mean, transform back (``M(x) = g^-1(sum w g(x) / sum w)``). The kernel
:func:`aggregate` applies that hierarchically — indicators -> pillar sub-scores ->
index — over arrays of any leading shape, so scoring the whole panel, 10,000 Monte Carlo
weight draws and leave-one-out all share the same code.

Missing values (NaN) are left out and the remaining weights rescaled; whether a score
with too little data is reported is decided by the missing-data policy in
:mod:`scoring.model`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Geometric mean shift: the geometric mean is taken of ``x + GEO_SHIFT``.
GEO_SHIFT = 1.0


def _weighted_nanmean(t: np.ndarray, w: np.ndarray, axis: int) -> np.ndarray:
    t = np.asarray(t, dtype=float)
    w = np.broadcast_to(np.asarray(w, dtype=float), t.shape)
    present = ~np.isnan(t)
    num = np.where(present, t * w, 0.0).sum(axis=axis)
    den = np.where(present, w, 0.0).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


@dataclass(frozen=True)
class Aggregator:
    """One aggregation method, the single registry entry behind every use of the name.

    A quasi-arithmetic mean ``M(x) = inverse(sum w forward(x) / sum w)``: calling the
    entry (``AGGREGATORS[name](x, w, axis=-1)``) gives the flat weighted mean that
    validation, the Methodology and the tests use, and :func:`aggregate` applies the
    same ``forward``/``inverse`` pair hierarchically for the model. ``doc`` is the
    formula as shown in the Methodology (also the entry's ``__doc__``).
    """

    name: str
    label: str
    forward: Callable[[np.ndarray], np.ndarray]
    inverse: Callable[[np.ndarray], np.ndarray]
    doc: str
    linear: bool = False  # forward is the identity: contributions are w_i x_i / sum w

    def __post_init__(self):
        object.__setattr__(self, "__doc__", self.doc)

    def __call__(self, x: np.ndarray, w: np.ndarray, axis: int = -1) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        present = ~np.isnan(x)
        t = np.where(present, self.forward(np.where(present, x, 0.0)), np.nan)
        return self.inverse(_weighted_nanmean(t, w, axis))


def _identity(x):
    return x


def _geo_forward(x):
    return np.log(x + GEO_SHIFT)


def _geo_inverse(t):
    return np.exp(t) - GEO_SHIFT


arithmetic = Aggregator(
    name="arithmetic",
    label="Weighted arithmetic mean (compensatory)",
    forward=_identity,
    inverse=_identity,
    linear=True,
    doc="""Weighted arithmetic mean: ``M = sum(w_i x_i) / sum(w_i)`` over the present ``x_i``.

    NaN values are left out and the weights of the rest rescaled; all NaN (or all
    present weights zero) gives NaN. Fully compensatory: a loss on one indicator is
    offset by an equal weighted gain on another. Contributions ``w_i x_i / sum(w)``
    add up exactly to the score.
    """,
)

geometric = Aggregator(
    name="geometric",
    label="Weighted geometric mean of (x + 1), minus 1 (less compensatory)",
    forward=_geo_forward,
    inverse=_geo_inverse,
    doc="""Weighted geometric mean of shifted values: ``M = exp(sum w_i ln(x_i + 1) / sum w_i) - 1``.

    The shift by 1 (``GEO_SHIFT``) keeps a normalised 0 from zeroing the whole score
    (``ln 0`` is undefined); on a 0-100 scale it changes the result little except near
    0, and the result stays in [0, 100]. Less compensatory than the arithmetic mean: a
    low value weighs more. NaN handling as in the arithmetic mean. Contributions are
    reported as each indicator's share of ``ln(M + 1)`` times ``M``
    (``c_i = M * w_i ln(x_i + 1) / sum_j w_j ln(x_j + 1)``), so they add up to the score
    but are not separable effects (0 when every value is 0).
    """,
)

#: THE aggregation registry: method name -> :class:`Aggregator`; the names ``ScoringSpec.aggregation``
#: accepts. Each entry is callable as ``f(x, w, axis=-1)`` and carries the transform pair the kernel uses.
AGGREGATORS: dict[str, Aggregator] = {a.name: a for a in (arithmetic, geometric)}

#: One-line labels for select boxes (derived from the registry).
AGGREGATOR_LABELS: dict[str, str] = {k: a.label for k, a in AGGREGATORS.items()}


@dataclass(frozen=True)
class Aggregated:
    """Kernel output; arrays have the leading shape of the inputs plus the country axis."""

    score: np.ndarray  # (..., C)
    coverage: np.ndarray  # (..., C)  share of the effective weight that had data
    pillars: np.ndarray | None = None  # (..., C, P)
    contributions: np.ndarray | None = None  # (..., C, I)


def aggregate(
    x: np.ndarray,
    w: np.ndarray,
    membership: np.ndarray,
    method: str = "arithmetic",
    details: bool = True,
) -> Aggregated:
    """Hierarchical weighted mean of normalised values.

    Parameters
    ----------
    x : (..., C, I) normalised values 0-100, NaN = missing.
    w : (..., I) effective indicator weights (non-negative; any scale). The pillar
        weight is the sum of its indicators' effective weights; within a pillar the
        weights are the indicators' shares of that sum.
    membership : (I, P) 0/1 matrix, indicator i belongs to pillar p.
    method : name in :data:`AGGREGATORS`.

    Formula (``g`` = the method's transform, identity or ``ln(x + 1)``)::

        pillar_p = g^-1( sum_{i in p, present} w_i g(x_i) / sum_{i in p, present} w_i )
        score    = g^-1( sum_{p with data} W_p g(pillar_p) / sum_{p with data} W_p ),  W_p = sum_{i in p} w_i
        coverage = sum_{i present} w_i / sum_i w_i

    Missing indicators are dropped and the weights renormalised inside their pillar;
    a pillar with no data is dropped and the pillar weights renormalised. No data at
    all gives NaN. Contributions (``details=True``) add up to the score (see
    :func:`geometric` for what they mean there).
    """
    tr = AGGREGATORS[method]
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)[..., None, :]  # (..., 1, I)
    present = ~np.isnan(x)
    t = np.where(present, tr.forward(np.where(present, x, 0.0)), 0.0)
    wp = w * present  # (..., C, I)
    num = (w * t) @ membership  # (..., C, P)
    den = wp @ membership
    pillar_w = w @ membership  # (..., 1, P)
    has = den > 0
    safe_den = np.where(has, den, 1.0)
    pillar_t = np.where(has, num / safe_den, 0.0)
    pw = np.where(has, pillar_w, 0.0)  # (..., C, P)
    tot = pw.sum(axis=-1)
    ok = tot > 0
    safe_tot = np.where(ok, tot, 1.0)
    score_t = (pw * pillar_t).sum(axis=-1) / safe_tot
    score = np.where(ok, tr.inverse(score_t), np.nan)
    wsum = w.sum(axis=-1)
    coverage = wp.sum(axis=-1) / np.where(wsum > 0, wsum, 1.0)
    if not details:
        return Aggregated(score=score, coverage=coverage)
    pillars = np.where(has, tr.inverse(pillar_t), np.nan)
    # share of the transformed score carried by each indicator
    share_p = pw / safe_tot[..., None]  # (..., C, P)
    share_i = (share_p / safe_den) @ membership.T  # (..., C, I): W_p / tot / den_p for the indicator's pillar
    contrib_t = wp * t * share_i
    if tr.linear:
        contrib = contrib_t
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(
                score_t[..., None] > 0, score[..., None] / np.where(score_t > 0, score_t, 1.0)[..., None], 0.0
            )
        contrib = contrib_t * scale
    contrib = np.where(present & ok[..., None], contrib, np.nan)
    return Aggregated(score=score, coverage=coverage, pillars=pillars, contributions=contrib)
