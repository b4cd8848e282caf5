"""The alignment model: normalise, weight, aggregate, rank, and test how robust the ranks are.

Pure Python/numpy/pandas (no streamlit). One frozen :class:`ScoringSpec` carries every
choice; every result carries the spec that made it. 100 always means "closest to Moscow".

Public API (stable; the dashboard wires widgets to these)::

    # choices
    ScoringSpec(years=None | (2024,) , indicator_weights={id: w}, pillar_weights={pillar: w},
                normalisation="minmax", aggregation="arithmetic",
                missing="impute", min_coverage=0.5, preset=None)
        .to_json() -> str ; ScoringSpec.from_json(text) -> ScoringSpec   (SpecError on bad input)
        .replace(**changes) -> ScoringSpec                                (validated copy)
    NORMALISERS        dict name -> function(x: ndarray[year, country], ind: Indicator) -> ndarray (0-100)
                       names: "minmax", "goalposts", "zscore", "percentile"; docstrings give the formulas
                       (scoring.normalise.NORMALISER_LABELS / scoring.aggregate.AGGREGATOR_LABELS: one-line labels)
    AGGREGATORS        dict name -> function(x, w, axis=-1) -> weighted mean; "arithmetic", "geometric"
    MISSING_POLICIES   dict name -> one-line description; "impute" (default: the missing-data model,
                       scoring.impute), "carry_forward", "renormalise", "coverage_threshold" (available-case)
    PRESETS            dict name -> Preset(name, rationale, pillar_weights, indicator_weights)
                       names: "equal", "equal_indicators", "security_first", "economy_first", "declared_alignment"
    spec_from_preset(name, catalog, **overrides) -> ScoringSpec

    # scoring
    model = Model.from_panel(panel, catalog, countries=None, years=None)  # precomputes the year x country x
                       # indicator cube; RUS and other non-panel rows are ignored; normalised cubes cached per method
    model.countries, model.years, model.indicators, model.pillars, model.catalog
    model.weights(spec) -> ndarray        effective indicator weights (sum 1) in model.indicators order
    model.default_year(spec=None) -> int  latest year in which every state has >= 75% of the weight sourced
    model.values(spec) -> ndarray[year, country, indicator]  normalised values a score uses (filled by the policy)
    model.imputation(method) -> scoring.impute.Imputation(mean, sd, how; .imputed; .draws(n, year_index, rng))
    model.normalised(method) -> Normalised(values[year, country, indicator], diagnostics)
    result = model.score(spec) -> ScoreResult
        result.spec, result.table (DataFrame: iso3, country, year, score, rank, coverage,
        pillar_<p>..., contrib_<id>...; sorted by year, iso3), result.diagnostics (tuple of str),
        result.for_year(year) -> DataFrame (sorted by rank), result.weights (Series id -> effective weight),
        result.imputed (ndarray[year, country, indicator]: values the missing-data policy filled)
    scores_csv(result) -> str             the one CSV writer (CLI and dashboard download share it)

    # robustness (single year: `year` argument, else the spec's only year, else model.default_year)
    monte_carlo(model, spec, draws=1000, concentration=50.0, seed=0, vary_methods=False, year=None,
                data_uncertainty=False, imputation_draws=None, vary_policy=False)
        (under "impute" every draw takes its own draw of the imputed values: multiple imputation)
        -> MonteCarloResult(.table: iso3, country, score, rank, rank_median, rank_p05, rank_p95,
           nominal_outside, rank_min, rank_max, score_p05, score_median, score_p95;
           .ranks/.scores ndarray[draw, country]; .weights ndarray[draw, indicator]; .spec, .year)
        Dirichlet(concentration * effective weights); concentration=math.inf -> no perturbation
        (zero-width bands); same seed -> same bands; rank_p05..rank_p95 always contains `rank`
    leave_one_out(model, spec, year=None) -> DataFrame (iso3, country, indicator, rank, rank_without,
           rank_change, score, score_without, score_change); rank_change = rank_without - rank,
           so POSITIVE = the country drops toward 14 (further from Moscow) without that indicator
    reachable_ranks(model, spec, floor=0.02, year=None, missing="impute_nominal")
        -> ReachableResult(.table: iso3, country, rank, best_rank, worst_rank; .indicators_used,
           .indicators_dropped, .floor (used), .note (one line for a caption), .best_weights,
           .worst_weights); exact MILP for the arithmetic mean, method in scoring.reachable
    effective_weights(model, spec, year=None, flag_ratio=2.0) -> DataFrame (indicator, pillar,
           nominal_weight, r2, correlation_weight, ratio, flag)

    # what-if scenarios
    Scenario(name, description, citation=Citation(source, url), edits=[Edit(iso3, year, indicator, value)])
    Scenario.from_json(text, catalog) -> Scenario (ScenarioError naming the problem); .to_json()
    load_example_scenarios(catalog) -> dict name -> Scenario      (the JSON files in scoring/scenarios/)
    apply_scenario(panel, scenario, catalog) -> new panel (input never mutated)
    compare_scenario(panel, catalog, scenario, spec, before=None) -> DataFrame (iso3, country, year,
           score_before, score_after, score_change, rank_before, rank_after, rank_change)
           (pass before=model to reuse the cached normalisation; scoring.scenarios.changed(df) keeps moved rows)

    # change over time (scoring.diff, scoring.composition; formulas in their docstrings)
    explain_change(model, spec, year_from, year_to, countries=None) -> DataFrame: per country one row per
           shared indicator, one 'composition' row and one 'total' row; the parts add up exactly to total
    chain_linked(model, spec, anchor) -> DataFrame (iso3, country, year, score, chained, step, composition)
    composition_table(result) -> DataFrame (iso3, year, used, missing, entered, left, provisional)
    provisional_years(model, spec) -> the years after model.default_year(spec); provisional_lacks(model, spec, year)
    result.used (ndarray[year, country, indicator] bool), result.missing_indicators() (ndarray of ';'-joined ids)

Command line: ``python -m scoring --help`` (CSV of scores), ``python -m scoring.diff --help``
(why scores moved between two years), ``python -m scoring.backtest`` (masking backtest of the
missing-data policies), ``python -m scoring.bench``
(timings), ``python -m scoring.golden --write`` (regenerate tests/golden/scores_default.csv).
"""

from scoring.aggregate import AGGREGATORS
from scoring.effective_weights import effective_weights
from scoring.export import scores_csv
from scoring.model import Model, NonFiniteError, Normalised, ScoreResult
from scoring.normalise import NORMALISERS, ZeroRangeError
from scoring.reachable import ReachableResult, reachable_ranks
from scoring.scenarios import (
    Citation,
    Edit,
    Scenario,
    ScenarioError,
    apply_scenario,
    compare_scenario,
    load_example_scenarios,
)
from scoring.sensitivity import MonteCarloResult, leave_one_out, monte_carlo
from scoring.spec import MISSING_POLICIES, ScoringSpec, SpecError
from scoring.weights import PRESETS, Preset, spec_from_preset

__all__ = [
    "AGGREGATORS",
    "MISSING_POLICIES",
    "NORMALISERS",
    "PRESETS",
    "Citation",
    "Edit",
    "Model",
    "MonteCarloResult",
    "NonFiniteError",
    "Normalised",
    "Preset",
    "ReachableResult",
    "Scenario",
    "ScenarioError",
    "ScoreResult",
    "ScoringSpec",
    "SpecError",
    "ZeroRangeError",
    "apply_scenario",
    "compare_scenario",
    "effective_weights",
    "leave_one_out",
    "load_example_scenarios",
    "monte_carlo",
    "reachable_ranks",
    "scores_csv",
    "spec_from_preset",
]
