"""The scoring model: a dense year x country x indicator cube, normalised once per method.

:meth:`Model.from_panel` turns the long panel into the cube (rows for countries outside
the panel, e.g. RUS, are ignored). :meth:`Model.normalised` caches the normalised cube
per method, so changing a weight only redoes the weighted sum in
:func:`scoring.aggregate.aggregate`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import PILLARS, STATUSES, Indicator
from scoring.aggregate import aggregate
from scoring.impute import Imputation, carry_forward, impute
from scoring.normalise import NORMALISERS, ZeroRangeError, orient
from scoring.spec import ScoringSpec, SpecError
from scoring.weights import effective_weight_vector

#: Default-year rule: the latest year in which EVERY country has at least DEFAULT_YEAR_COVERAGE of
#: the spec's effective weight on sourced values (a value in the panel, not one filled by the
#: missing-data model), so the year's scores rest mostly on data, not on imputation.
DEFAULT_YEAR_COVERAGE = 0.75
#: Scores are rounded to this many decimals before ranking, so float noise cannot split a tie.
RANK_DECIMALS = 9


def min_rank(scores: np.ndarray) -> np.ndarray:
    """Competition ranks along the last axis: 1 = highest score (closest to Moscow).

    ``rank = 1 + number of countries with a strictly higher score``, so ties share the
    lowest rank ("1, 2, 2, 4"). NaN scores get NaN ranks and are not counted.
    Scores are compared after rounding to ``RANK_DECIMALS`` decimals.
    """
    s = np.round(np.asarray(scores, dtype=float), RANK_DECIMALS)
    valid = ~np.isnan(s)
    filled = np.where(valid, s, -np.inf)
    higher = (filled[..., None, :] > filled[..., :, None]).sum(axis=-1)
    return np.where(valid, 1.0 + higher, np.nan)


@dataclass(frozen=True)
class Normalised:
    """A normalised cube (0-100, 100 = closest to Moscow) and what went wrong making it."""

    method: str
    values: np.ndarray  # (Y, C, I)
    diagnostics: tuple[str, ...]


@dataclass(eq=False)
class ScoreResult:
    """Scores for the spec's years. Arrays are indexed ``[year, country]`` in ``years``/``countries`` order."""

    spec: ScoringSpec
    years: tuple[int, ...]
    countries: tuple[str, ...]
    country_names: tuple[str, ...]
    indicators: tuple[str, ...]
    pillars: tuple[str, ...]
    effective_weights: np.ndarray  # (I,)
    score: np.ndarray  # (Y, C)
    rank: np.ndarray  # (Y, C)
    coverage: np.ndarray  # (Y, C)
    pillar_scores: np.ndarray  # (Y, C, P)
    contributions: np.ndarray  # (Y, C, I)
    diagnostics: tuple[str, ...] = field(default=())
    #: Share of the effective weight whose value is ``observed`` (not estimated, imputed or
    #: carried forward); ``coverage`` counts every value. (Y, C); None -> same as coverage.
    coverage_observed: np.ndarray | None = None
    #: (Y, C, I) True where a weighted indicator had a value: the indicators each score used.
    used: np.ndarray | None = field(default=None)
    #: (Y, C, I) True where the value is in the panel (sourced, whatever its status); None -> same as used.
    sourced: np.ndarray | None = field(default=None)

    @property
    def imputed(self) -> np.ndarray:
        """(Y, C, I) True where a weighted indicator's value was filled by the missing-data policy (model
        imputation or carry-forward), not taken from the panel."""
        used = self.used if self.used is not None else np.ones(self.contributions.shape, dtype=bool)
        sourced = used if self.sourced is None else self.sourced
        return used & ~sourced

    def missing_indicators(self) -> np.ndarray:
        """(Y, C) text: the weighted indicators without a value in the panel for each score, ``;``-separated
        ("" = none). Under the policies that fill values (``impute``, ``carry_forward``) the score used a
        filled value for them (:attr:`imputed`); otherwise it left them out."""
        weighted = self.effective_weights > 0
        used = self.used if self.used is not None else np.ones(self.contributions.shape, dtype=bool)
        sourced = used if self.sourced is None else self.sourced
        ids = np.array(self.indicators, dtype=object)
        out = np.empty(self.score.shape, dtype=object)
        for idx in np.ndindex(self.score.shape):
            out[idx] = ";".join(ids[weighted & ~sourced[idx]])
        return out

    @property
    def weights(self) -> pd.Series:
        """Effective weight of each indicator (sums to 1)."""
        return pd.Series(self.effective_weights, index=list(self.indicators), name="weight")

    @cached_property
    def table(self) -> pd.DataFrame:
        """One row per (year, country): iso3, country, year, score, rank, coverage, coverage_observed,
        pillar_*, contrib_*."""
        ny, nc = self.score.shape
        cols: dict[str, object] = {
            "iso3": np.tile(np.array(self.countries, dtype=object), ny),
            "country": np.tile(np.array(self.country_names, dtype=object), ny),
            "year": np.repeat(np.array(self.years, dtype=int), nc),
            "score": self.score.ravel(),
            "rank": pd.array(np.where(np.isnan(self.rank), -1, self.rank).ravel().astype(int), dtype="Int64"),
            "coverage": self.coverage.ravel(),
            "coverage_observed": (self.coverage if self.coverage_observed is None else self.coverage_observed).ravel(),
        }
        for k, p in enumerate(self.pillars):
            cols[f"pillar_{p}"] = self.pillar_scores[:, :, k].ravel()
        for k, i in enumerate(self.indicators):
            cols[f"contrib_{i}"] = self.contributions[:, :, k].ravel()
        df = pd.DataFrame(cols)
        df.loc[df["rank"] < 0, "rank"] = pd.NA
        return df

    def for_year(self, year: int) -> pd.DataFrame:
        """The rows of one year, sorted by rank (missing scores last), then ISO3."""
        if year not in self.years:
            raise SpecError(f"year {year} was not scored; scored years: {self.years[0]}-{self.years[-1]}")
        df = self.table[self.table["year"] == year]
        return df.sort_values(["rank", "iso3"], na_position="last").reset_index(drop=True)


class NonFiniteError(ValueError):
    """A computed number is infinite or NaN where a value was expected (never drawn or written)."""


def _assert_finite(what: str, values: np.ndarray, expected: np.ndarray, names: Sequence[str] = ()) -> None:
    """Raise :class:`NonFiniteError` if any value is infinite, or NaN where ``expected`` says a value exists.

    Input is bounded at the door (``scoring.untrusted.MAX_ABS_NUMBER``), so this cannot happen with data
    that passed validation; it guards every path that draws or writes a number.
    """
    bad = np.isinf(values) | (np.isnan(values) & expected)
    if bad.any():
        where = ""
        if names and values.ndim == 3:
            where = ": " + ", ".join(sorted({names[k] for k in np.nonzero(bad)[2]}))
        raise NonFiniteError(f"{what} are not finite{where}; an input value is out of range")


class Model:
    """The panel as a dense cube plus the catalogue; scores any :class:`ScoringSpec`."""

    def __init__(
        self,
        raw: np.ndarray,
        catalog: Mapping[str, Indicator],
        countries: Sequence[str],
        years: Sequence[int],
        country_names: Mapping[str, str] | None = None,
        observed: np.ndarray | None = None,
    ):
        self.raw = np.asarray(raw, dtype=float)  # (Y, C, I), NaN = missing
        #: (Y, C, I) True where the value's status is ``observed``. A cube built without statuses
        #: counts every present value as observed (``from_panel`` always passes the statuses).
        self.observed = ~np.isnan(self.raw) if observed is None else np.asarray(observed, dtype=bool)
        #: (Y, C, I) status of each value: an index into ``STATUSES``, -1 where missing. Without
        #: statuses, present values count as observed and absent ones as missing.
        self.status_code = np.where(np.isnan(self.raw), -1, np.where(self.observed, 0, 1)).astype(np.int8)
        self.catalog = dict(catalog)
        self.indicators: tuple[str, ...] = tuple(self.catalog)
        self.countries: tuple[str, ...] = tuple(countries)
        self.years: tuple[int, ...] = tuple(int(y) for y in years)
        names = dict(PANEL_COUNTRIES) | dict(country_names or {})
        self.country_names: tuple[str, ...] = tuple(names.get(c, c) for c in self.countries)
        self.pillar_of: tuple[str, ...] = tuple(self.catalog[i].pillar for i in self.indicators)
        self.pillars: tuple[str, ...] = tuple(p for p in PILLARS if p in self.pillar_of)
        self.membership = np.array([[1.0 if po == p else 0.0 for p in self.pillars] for po in self.pillar_of])
        self.membership = self.membership.reshape(len(self.indicators), len(self.pillars))
        self._directions = np.array([self.catalog[i].direction for i in self.indicators])
        self._normalised: dict[str, Normalised] = {}
        self._imputed: dict[str, Imputation] = {}
        self._carried: dict[str, np.ndarray] = {}
        if self.raw.shape != (len(self.years), len(self.countries), len(self.indicators)):
            raise ValueError(f"cube shape {self.raw.shape} does not match years x countries x indicators")

    @classmethod
    def from_panel(
        cls,
        panel: pd.DataFrame,
        catalog: Mapping[str, Indicator],
        countries: Sequence[str] | None = None,
        years: Sequence[int] | None = None,
    ) -> Model:
        """Build the cube from the long panel (columns iso3, year, indicator, value).

        ``countries`` defaults to the 14 panel countries (rows for any other code, such as
        RUS, are ignored) and ``years`` to the panel years 2013-2025. An indicator in the
        panel but not in ``catalog`` is an error; a catalogue indicator without rows is all
        missing (reported as a diagnostic when scored).
        """
        countries = tuple(countries) if countries is not None else tuple(PANEL_COUNTRIES)
        years = tuple(years) if years is not None else YEARS
        unknown = sorted(set(panel["indicator"]) - set(catalog))
        if unknown:
            raise ValueError(f"panel has indicator(s) {unknown} that are not in the catalogue")
        ind_index = {k: i for i, k in enumerate(catalog)}
        c_index = {k: i for i, k in enumerate(countries)}
        y_index = {int(y): i for i, y in enumerate(years)}
        df = panel[panel["iso3"].isin(c_index) & panel["year"].astype(int).isin(y_index)]
        cube = np.full((len(years), len(countries), len(catalog)), np.nan)
        yi = df["year"].astype(int).map(y_index).to_numpy()
        ci = df["iso3"].map(c_index).to_numpy()
        ii = df["indicator"].map(ind_index).to_numpy()
        cube[yi, ci, ii] = pd.to_numeric(df["value"]).to_numpy(dtype=float)
        obs = np.zeros(cube.shape, dtype=bool)
        status = df["status"].to_numpy() if "status" in df.columns else np.full(len(df), "observed")
        obs[yi, ci, ii] = status == "observed"
        m = cls(cube, catalog, countries, years, observed=obs)
        code = {s: k for k, s in enumerate(STATUSES)}
        m.status_code[yi, ci, ii] = np.array([code.get(s, 1) for s in status], dtype=np.int8)
        return m

    # -- normalisation ------------------------------------------------------------------------
    def normalised(self, method: str) -> Normalised:
        """The cube normalised with ``method`` (cached). Zero-range indicators become all-NaN and are reported."""
        if method not in NORMALISERS:
            raise SpecError(f"unknown normalisation {method!r}; choose one of: {', '.join(NORMALISERS)}")
        if method not in self._normalised:
            fn = NORMALISERS[method]
            out = np.full_like(self.raw, np.nan)
            notes = []
            expected = ~np.isnan(self.raw)  # where a normalised value must come out
            for k, ind_id in enumerate(self.indicators):
                x = self.raw[:, :, k]
                if np.isnan(x).all():
                    notes.append(f"{ind_id}: no data for any panel country and year; treated as missing")
                    continue
                try:
                    out[:, :, k] = orient(fn(x, self.catalog[ind_id]), int(self._directions[k]))
                except ZeroRangeError as e:
                    notes.append(f"{e} ({method}); the indicator is treated as missing")
                    expected[:, :, k] = False
            _assert_finite(f"normalised values ({method})", out, expected, self.indicators)
            out.setflags(write=False)
            self._normalised[method] = Normalised(method, out, tuple(notes))
        return self._normalised[method]

    # -- missing data ---------------------------------------------------------------------------
    def imputation(self, method: str) -> Imputation:
        """The missing-data model's fill of the ``method``-normalised cube (cached; :func:`scoring.impute.impute`,
        cross-section predictors from the indicator's own pillar)."""
        if method not in self._imputed:
            self._imputed[method] = impute(self.normalised(method).values, self.pillar_of)
        return self._imputed[method]

    def values(self, spec: ScoringSpec) -> np.ndarray:
        """(Y, C, I) the normalised values a score under ``spec`` uses: the sourced values, plus the filled
        ones of its missing-data policy (``impute``: the model's means; ``carry_forward``: the latest earlier
        value); NaN = left out (weights renormalised over the rest)."""
        norm = self.normalised(spec.normalisation).values
        if spec.missing == "impute":
            return self.imputation(spec.normalisation).mean
        if spec.missing == "carry_forward":
            if spec.normalisation not in self._carried:
                out = carry_forward(norm)
                out.setflags(write=False)
                self._carried[spec.normalisation] = out
            return self._carried[spec.normalisation]
        return norm

    # -- weights & years ----------------------------------------------------------------------
    def weights(self, spec: ScoringSpec) -> np.ndarray:
        """Effective indicator weights (sum 1) in ``self.indicators`` order; SpecError on bad ids/all zero."""
        return effective_weight_vector(spec, self.indicators, self.pillar_of)

    def year_index(self, year: int) -> int:
        """Position of ``year`` in the cube; SpecError naming the panel's span if it is outside."""
        try:
            return self.years.index(int(year))
        except ValueError:
            raise SpecError(
                f"year {year} is outside the panel; choose a year in {self.years[0]}-{self.years[-1]}"
            ) from None

    def coverage(self, spec: ScoringSpec) -> np.ndarray:
        """Coverage ``[year, country]``: share of the effective weight whose indicator has a normalised value
        in the panel (sourced; values filled by the missing-data policy do not count)."""
        x = self.normalised(spec.normalisation).values
        return (~np.isnan(x) * self.weights(spec)).sum(axis=-1)

    def coverage_observed(self, spec: ScoringSpec) -> np.ndarray:
        """Like :meth:`coverage`, counting only values whose status is ``observed``."""
        x = self.normalised(spec.normalisation).values
        return ((~np.isnan(x) & self.observed) * self.weights(spec)).sum(axis=-1)

    def default_year(self, spec: ScoringSpec | None = None) -> int:
        """The latest year whose scores rest mostly on sourced values.

        Rule: every country has coverage ``>= DEFAULT_YEAR_COVERAGE`` (75%) — at least three
        quarters of the effective weight on values in the panel, not filled by the missing-data
        model — under the spec's weights and normalisation (default spec if None). If no year
        qualifies, the year with the highest smallest coverage (the latest of equals).
        Later years stay selectable; :func:`scoring.composition.provisional_years` marks them.
        """
        spec = spec or ScoringSpec()
        cov = self.coverage(spec)
        ok = (cov >= DEFAULT_YEAR_COVERAGE - 1e-12).all(axis=1)
        if ok.any():
            return self.years[int(np.flatnonzero(ok)[-1])]
        low = cov.min(axis=1)
        return self.years[int(np.flatnonzero(low == low.max())[-1])]

    def resolve_year(self, spec: ScoringSpec, year: int | None = None) -> int:
        """The single year a one-year analysis uses: ``year``, else the spec's only year, else the default year."""
        if year is not None:
            self.year_index(year)
            return int(year)
        if spec.years is not None and len(spec.years) == 1:
            self.year_index(spec.years[0])
            return spec.years[0]
        return self.default_year(spec)

    # -- scoring --------------------------------------------------------------------------------
    def score(self, spec: ScoringSpec) -> ScoreResult:
        """Score the spec's years (all years when ``spec.years`` is None).

        Score = hierarchical weighted mean (see :func:`scoring.aggregate.aggregate`) of
        the normalised values of :meth:`values` (sourced values plus, under ``impute`` and
        ``carry_forward``, the filled ones); with policy ``coverage_threshold`` a score whose
        coverage is below ``spec.min_coverage`` is NaN (rank, pillars and contributions too).
        ``coverage`` counts sourced values only, whatever the policy.
        Ranks are per year among the countries with a score (1 = closest to Moscow,
        ties share the lowest rank).
        """
        w = self.weights(spec)
        norm = self.normalised(spec.normalisation)
        if spec.years is None:
            yidx = np.arange(len(self.years))
        else:
            yidx = np.array([self.year_index(y) for y in spec.years])
        x = self.values(spec)[yidx]
        sourced = ~np.isnan(norm.values[yidx]) & (w > 0)
        agg = aggregate(x, w, self.membership, spec.aggregation)
        score, pillars, contrib = agg.score, agg.pillars, agg.contributions
        notes = list(norm.diagnostics)
        coverage = self.coverage(spec)[yidx]
        if spec.missing == "coverage_threshold":
            low = coverage < spec.min_coverage - 1e-12
            n_low = int((low & ~np.isnan(score)).sum())
            if n_low:
                notes.append(
                    f"{n_low} country-year score(s) left missing: less than {spec.min_coverage:.0%} of the weight "
                    "has data (missing-data policy: coverage threshold)"
                )
            score = np.where(low, np.nan, score)
            pillars = np.where(low[..., None], np.nan, pillars)
            contrib = np.where(low[..., None], np.nan, contrib)
        has = agg.coverage > 0
        _assert_finite("scores", agg.score, has)
        _assert_finite("pillar scores", pillars, np.zeros(pillars.shape, dtype=bool))
        _assert_finite("contributions", contrib, np.zeros(contrib.shape, dtype=bool))
        n_none = int(np.isnan(agg.score).sum())
        if n_none:
            notes.append(f"{n_none} country-year(s) have no data on any weighted indicator")
        return ScoreResult(
            spec=spec,
            years=tuple(self.years[i] for i in yidx),
            countries=self.countries,
            country_names=self.country_names,
            indicators=self.indicators,
            pillars=self.pillars,
            effective_weights=w,
            score=score,
            rank=min_rank(score),
            coverage=coverage,
            pillar_scores=pillars,
            contributions=contrib,
            diagnostics=tuple(notes),
            coverage_observed=self.coverage_observed(spec)[yidx],
            used=~np.isnan(x) & (w > 0),
            sourced=sourced,
        )
