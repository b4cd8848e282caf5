"""The missing-data model: fill every missing normalised value of a state-year, with its uncertainty.

Works on a normalised cube ``x[year, country, indicator]`` (0-100, 100 = closest to Moscow,
NaN = no value in the panel), so the same code serves every normalisation method. Imputing
after normalisation keeps the normalisation's statistics (min, max, mean, ranks) those of the
sourced values only: an imputed value never moves anybody else's score.

**1. Time model** (the state's own values of the indicator in other years). With ``sigma_k``
the random-walk step of indicator ``k`` — the root mean square of the one-year changes of its
sourced values over every state, at least :data:`MIN_STEP` — a missing year ``t`` of a state
is filled

* *inside* the state's sourced span, between the nearest sourced years ``a < t < b``, by linear
  interpolation ``x_a + (x_b - x_a) (t - a) / (b - a)``, with the standard deviation of a
  Brownian bridge ``sigma_k sqrt((t - a)(b - t) / (b - a))``;
* *outside* it, by the nearest sourced value (a random walk: no trend is extrapolated, the
  masking backtest of :mod:`scoring.backtest` found a linear trend worse), with standard
  deviation ``sigma_k sqrt(d)``, ``d`` = years to the nearest sourced year.

**2. Cross-section model** (a state with no sourced value of the indicator in any year): a
ridge regression, fitted on every state-year where indicator ``k`` is sourced, of ``x_k`` on the
other indicators *of its pillar* (``groups``) that the state has in every year (time-filled by
step 1), standardised, with penalty :data:`RIDGE_ALPHA` and an intercept; its standard deviation
is the regression's residual root mean square error. With no usable predictor, the mean of ``x_k``
over the other states in that year (or all years), with their standard deviation. Predictors stay
inside the pillar so that a pillar's weight set to 0 gives exactly the index without that pillar
(no indicator of it informs another pillar's imputed values).

Every filled value is clipped to 0-100. An indicator with no value anywhere stays missing.

**Multiple imputation** (:meth:`Imputation.draws`): each draw replaces every imputed value by
``mean + sd * z`` (``z`` standard normal, one per cell and draw, seeded), clipped to 0-100; sourced
values never move. The Monte Carlo bands (:func:`scoring.sensitivity.monte_carlo`) use these draws,
so they include the imputation uncertainty.

Deterministic: the same cube gives the same fills; the draws depend only on the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Smallest random-walk step (normalised points per year), so an indicator that never moved
#: in the sourced data still carries some uncertainty when it is extrapolated.
MIN_STEP = 1.0
#: Ridge penalty of the cross-section regression (on standardised predictors).
RIDGE_ALPHA = 1.0

#: How each cell was filled (``Imputation.how``): 0 sourced (not imputed), then the models.
HOW: dict[int, str] = {
    0: "sourced",
    1: "interpolated between the state's own years",
    2: "the state's nearest year held (random walk)",
    3: "predicted from the other states and indicators",
}
SOURCED, INTERPOLATED, EXTRAPOLATED, CROSS_SECTION = 0, 1, 2, 3


@dataclass(frozen=True)
class Imputation:
    """A filled cube. ``mean``: (Y, C, I) sourced values where present, imputed means elsewhere
    (NaN only where nothing could be imputed); ``sd``: (Y, C, I) standard deviation of each
    imputed value (0 where sourced); ``how``: (Y, C, I) int8 code from :data:`HOW`."""

    mean: np.ndarray
    sd: np.ndarray
    how: np.ndarray

    @property
    def imputed(self) -> np.ndarray:
        """(Y, C, I) True where the value comes from the model."""
        return self.how > SOURCED

    def draws(self, n: int, year_index: int, rng: np.random.Generator) -> np.ndarray:
        """(n, C, I) draws of one year: sourced values fixed, imputed ones ``mean + sd * z`` clipped to 0-100."""
        m, s = self.mean[year_index], self.sd[year_index]
        z = rng.standard_normal((n, *m.shape))
        out = np.where(self.imputed[year_index], np.clip(m + s * z, 0.0, 100.0), m)
        return out


def step_sd(x: np.ndarray) -> np.ndarray:
    """(I,) random-walk step per indicator: RMS of the one-year changes of sourced values (>= MIN_STEP)."""
    d = np.diff(x, axis=0)  # (Y-1, C, I)
    with np.errstate(invalid="ignore"):
        n = (~np.isnan(d)).sum(axis=(0, 1))
        ss = np.nansum(d * d, axis=(0, 1))
        rms = np.sqrt(np.where(n > 0, ss / np.where(n > 0, n, 1), 0.0))
    return np.maximum(rms, MIN_STEP)


def _time_fill(series: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fill one state's series of one indicator (Y,) by the time model; (mean, sd, how)."""
    y = len(series)
    mean, sd, how = series.copy(), np.zeros(y), np.zeros(y, dtype=np.int8)
    obs = np.flatnonzero(~np.isnan(series))
    if obs.size == 0:
        return mean, sd, how
    t = np.arange(y)
    miss = np.isnan(series)
    mean[miss] = np.interp(t[miss], obs, series[obs])  # inside: linear; outside: nearest end value
    nxt = np.searchsorted(obs, t)  # first sourced year >= t
    for k in np.flatnonzero(miss):
        j = nxt[k]
        if 0 < j < obs.size:  # between obs[j-1] and obs[j]
            a, b = obs[j - 1], obs[j]
            sd[k] = sigma * np.sqrt((k - a) * (b - k) / (b - a))
            how[k] = INTERPOLATED
        else:
            d = obs[0] - k if j == 0 else k - obs[-1]
            sd[k] = sigma * np.sqrt(d)
            how[k] = EXTRAPOLATED
    return mean, sd, how


def _ridge_predict(xs: np.ndarray, ys: np.ndarray, xq: np.ndarray) -> tuple[np.ndarray, float]:
    """Ridge regression with intercept on standardised columns; predictions for ``xq`` and the residual RMSE."""
    mu, sdv = xs.mean(axis=0), xs.std(axis=0)
    sdv = np.where(sdv > 0, sdv, 1.0)
    zs, zq = (xs - mu) / sdv, (xq - mu) / sdv
    ym = ys.mean()
    p = zs.shape[1]
    beta = np.linalg.solve(zs.T @ zs + RIDGE_ALPHA * np.eye(p), zs.T @ (ys - ym))
    resid = ys - ym - zs @ beta
    dof = max(len(ys) - p - 1, 1)
    return ym + zq @ beta, float(np.sqrt((resid @ resid) / dof))


def impute(x: np.ndarray, groups: tuple | list | None = None) -> Imputation:
    """Fill every missing value of the normalised cube ``x`` (Y, C, I); formulas in the module docstring.

    ``groups``: the pillar of each indicator (I,); the cross-section model predicts an indicator only from
    the others of its group. None = one group."""
    x = np.asarray(x, dtype=float)
    ny, nc, ni = x.shape
    sigma = step_sd(x)
    mean, sd = x.copy(), np.zeros_like(x)
    how = np.zeros(x.shape, dtype=np.int8)
    empty: list[tuple[int, int]] = []
    for c in range(nc):
        for k in range(ni):
            s = x[:, c, k]
            if np.isnan(s).all():
                empty.append((c, k))
                continue
            if np.isnan(s).any():
                mean[:, c, k], sd[:, c, k], how[:, c, k] = _time_fill(s, sigma[k])
    time_filled = mean.copy()  # predictors of the cross-section model: sourced + time model only
    for c, k in empty:
        col = x[:, :, k]
        if np.isnan(col).all():
            continue  # nothing anywhere: stays missing
        group = [j for j in range(ni) if groups is None or groups[j] == groups[k]]
        preds = [j for j in group if j != k and not np.isnan(time_filled[:, c, j]).any()]
        rows = ~np.isnan(col)  # (Y, C) where the target is sourced
        if preds:
            xs = time_filled[:, :, preds][rows]  # (n, p)
            ok = ~np.isnan(xs).any(axis=1)
            if ok.sum() > len(preds) + 2:
                pred, rmse = _ridge_predict(xs[ok], col[rows][ok], time_filled[:, c, preds])
                mean[:, c, k] = np.clip(pred, 0.0, 100.0)
                sd[:, c, k] = rmse
                how[:, c, k] = CROSS_SECTION
                continue
        with np.errstate(invalid="ignore"):
            ym = np.nanmean(col, axis=1)
            ysd = np.nanstd(col, axis=1)
        fallback = np.nanmean(col)
        mean[:, c, k] = np.where(np.isnan(ym), fallback, ym)
        sd[:, c, k] = np.where(np.isnan(ysd), np.nanstd(col), ysd)
        how[:, c, k] = CROSS_SECTION
    mean = np.where(how > SOURCED, np.clip(mean, 0.0, 100.0), mean)
    for a in (mean, sd, how):
        a.setflags(write=False)
    return Imputation(mean=mean, sd=sd, how=how)


def carry_forward(x: np.ndarray) -> np.ndarray:
    """Last observation carried forward along the years: each missing value takes the same state's latest
    earlier value of the indicator; a value with no earlier one stays NaN (dropped, as available-case)."""
    out = np.array(x, dtype=float, copy=True)
    for t in range(1, out.shape[0]):
        gap = np.isnan(out[t])
        out[t][gap] = out[t - 1][gap]
    return out
