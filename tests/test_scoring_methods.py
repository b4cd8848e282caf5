"""Table-driven tests of the scoring methods against hand-computed values."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest_scoring import make_indicator, synthetic_catalog, synthetic_panel

from scoring import (
    AGGREGATORS,
    MISSING_POLICIES,
    NORMALISERS,
    PRESETS,
    Model,
    ScoringSpec,
    SpecError,
    ZeroRangeError,
    scores_csv,
    spec_from_preset,
)
from scoring.aggregate import aggregate
from scoring.model import min_rank
from scoring.normalise import orient

NAN = np.nan
PCT = make_indicator("p", scale="percent")
GP = make_indicator("g", scale="percent", goalposts=(0.0, 60.0))
ORD = make_indicator("o", scale="ordinal", bounds=(0, 2), levels={0: "a", 1: "b", 2: "c"})


# ------------------------------------------------------------------ normalisation
@pytest.mark.parametrize(
    "method, ind, x, expected",
    [
        ("minmax", PCT, [[0, 5], [10, NAN]], [[0, 50], [100, NAN]]),
        ("minmax", PCT, [[2, 4, 6, 10]], [[0, 25, 50, 100]]),
        ("goalposts", GP, [[30, 90, 0, NAN]], [[50, 100, 0, NAN]]),
        ("goalposts", ORD, [[0, 1, 2]], [[0, 50, 100]]),  # no goalposts: falls back to bounds 0..2
        ("goalposts", PCT, [[7, 7]], [[7, 7]]),  # constant is fine on a fixed scale
        ("zscore", PCT, [[1, 2, 3]], [[50 - 50 * math.sqrt(1.5) / 3, 50, 50 + 50 * math.sqrt(1.5) / 3]]),
        ("zscore", PCT, [[0] * 9 + [100]], [[50 - 50 / 9] * 9 + [100]]),  # mean 10, sd 30: +3 sd -> 100
        (
            "zscore",
            PCT,
            [[-1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
            [[0] + [50 + 50 * (1000 / 12) / math.sqrt(1000**2 * 11 / 144) / 3] * 11],
        ),
        ("percentile", PCT, [[10, 20, 20, 40]], [[0, 50, 50, 100]]),
        ("percentile", PCT, [[3, NAN, 1]], [[100, NAN, 0]]),
    ],
)
def test_normaliser_values(method, ind, x, expected):
    out = NORMALISERS[method](np.array(x, dtype=float), ind)
    np.testing.assert_allclose(out, np.array(expected, dtype=float), atol=1e-9, equal_nan=True)


@pytest.mark.parametrize("method", ["minmax", "zscore", "percentile"])
@pytest.mark.parametrize("x", [[[5.0, 5.0, NAN]], [[7.0, NAN]]], ids=["zero_variance", "single_observation"])
def test_zero_range_raises(method, x):
    with pytest.raises(ZeroRangeError, match="p:"):
        NORMALISERS[method](np.array(x), PCT)


@pytest.mark.parametrize("method", list(NORMALISERS))
def test_all_missing_gives_all_nan(method):
    out = NORMALISERS[method](np.full((2, 3), NAN), PCT)
    assert np.isnan(out).all()


@pytest.mark.parametrize("method", list(NORMALISERS))
def test_every_normaliser_has_a_docstring_with_formula_nan_and_zero_range(method):
    doc = NORMALISERS[method].__doc__
    assert "NaN" in doc and ("zero range" in doc.lower() or "zero-range" in doc.lower()) and "=" in doc


@pytest.mark.parametrize("direction, v, expected", [(1, 30.0, 30.0), (-1, 30.0, 70.0), (-1, NAN, NAN)])
def test_orient(direction, v, expected):
    np.testing.assert_allclose(orient(np.array([v]), direction), [expected], equal_nan=True)


def test_zero_range_indicator_is_reported_and_treated_as_missing():
    cat = {"a": make_indicator("a"), "b": make_indicator("b", "economy")}
    cube = np.array([[[10.0, 5.0], [20.0, 5.0]]])  # 1 year, 2 countries; b constant
    m = Model(cube, cat, ("ARM", "AZE"), (2020,))
    r = m.score(ScoringSpec(missing="renormalise"))
    assert any("b:" in d and "zero range" in d for d in r.diagnostics)
    np.testing.assert_allclose(r.score[0], [0.0, 100.0])
    np.testing.assert_allclose(r.coverage[0], [0.5, 0.5])
    r2 = m.score(ScoringSpec())  # coverage 0.5 is not below the 0.5 threshold
    np.testing.assert_allclose(r2.score[0], [0.0, 100.0])


# ------------------------------------------------------------------ aggregation
@pytest.mark.parametrize(
    "method, x, w, expected",
    [
        ("arithmetic", [10, 20, NAN], [1, 3, 5], 17.5),
        ("arithmetic", [50, 50], [0.2, 0.8], 50.0),
        ("arithmetic", [NAN, NAN], [1, 1], NAN),
        ("geometric", [0, 99], [1, 1], 9.0),  # sqrt(1 * 100) - 1
        ("geometric", [0, 0], [1, 2], 0.0),
        ("geometric", [100, 100], [1, 2], 100.0),
        ("geometric", [3, NAN], [1, 1], 3.0),
    ],
)
def test_aggregator_values(method, x, w, expected):
    out = AGGREGATORS[method](np.array(x, dtype=float), np.array(w, dtype=float))
    np.testing.assert_allclose(out, expected, equal_nan=True)


MEMB = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])  # i1, i2 in pillar 1; i3 in pillar 2
W = np.array([0.25, 0.25, 0.5])


@pytest.mark.parametrize(
    "x, score, coverage, pillars, contrib",
    [
        ([20, 40, 80], 55.0, 1.0, [30, 80], [5, 10, 40]),
        ([20, NAN, 80], 50.0, 0.75, [20, 80], [10, NAN, 40]),  # renormalised inside the pillar
        ([20, 40, NAN], 30.0, 0.5, [30, NAN], [10, 20, NAN]),  # pillar dropped, pillar weights renormalised
        ([NAN, NAN, NAN], NAN, 0.0, [NAN, NAN], [NAN, NAN, NAN]),
    ],
)
def test_hierarchical_kernel(x, score, coverage, pillars, contrib):
    a = aggregate(np.array([x], dtype=float), W, MEMB, "arithmetic")
    np.testing.assert_allclose(a.score, [score], equal_nan=True)
    np.testing.assert_allclose(a.coverage, [coverage])
    np.testing.assert_allclose(a.pillars[0], pillars, equal_nan=True)
    np.testing.assert_allclose(a.contributions[0], contrib, equal_nan=True)


@pytest.mark.parametrize("method", ["arithmetic", "geometric"])
def test_kernel_is_scale_free_in_the_weights(method):
    # "any scale": weights 4x the effective ones give the same score, coverage, pillars and contributions
    x = np.array([[20.0, NAN, 80.0], [20.0, 40.0, 80.0]])
    a, b = aggregate(x, W, MEMB, method), aggregate(x, 4 * W, MEMB, method)
    np.testing.assert_allclose(b.coverage, [0.75, 1.0])
    for f in ("score", "coverage", "pillars", "contributions"):
        np.testing.assert_allclose(getattr(b, f), getattr(a, f), equal_nan=True)


def test_geometric_kernel_contributions_add_up():
    a = aggregate(np.array([[20.0, 40.0, 80.0]]), W, MEMB, "geometric")
    expected = math.exp(0.25 * math.log(21) + 0.25 * math.log(41) + 0.5 * math.log(81)) - 1
    np.testing.assert_allclose(a.score, [expected])
    np.testing.assert_allclose(np.nansum(a.contributions), expected)


# ------------------------------------------------------------------ ranks
@pytest.mark.parametrize(
    "scores, ranks",
    [
        ([50, 70, 70, 10], [3, 1, 1, 4]),
        ([5, 5, 5], [1, 1, 1]),
        ([NAN, 30, 40], [NAN, 2, 1]),
        ([42.0], [1]),
        ([30.0000000001, 30.0], [1, 1]),  # float noise does not split a tie
    ],
)
def test_min_rank(scores, ranks):
    np.testing.assert_array_equal(min_rank(np.array(scores, dtype=float)), np.array(ranks, dtype=float))


# ------------------------------------------------------------------ the model on small panels
def _two_country_model():
    cat = {
        "a": make_indicator("a", "security"),
        "b": make_indicator("b", "security", direction=-1),
        "c": make_indicator("c", "economy"),
    }
    cube = np.array([[[0.0, 100.0, 20.0], [100.0, 0.0, 60.0]], [[50.0, 50.0, NAN], [100.0, 0.0, 100.0]]])
    return Model(cube, cat, ("ARM", "BLR"), (2020, 2021)), cat


def test_model_scores_by_hand():
    m, _ = _two_country_model()
    r = m.score(ScoringSpec(normalisation="goalposts", missing="renormalise"))
    # 2020 ARM: security mean(0, 100-100)=0, economy 20 -> 10; BLR: security 100, economy 60 -> 80
    # 2021 ARM: security 50, economy missing -> 50 (coverage 0.5); BLR: 100, 100 -> 100
    np.testing.assert_allclose(r.score, [[10, 80], [50, 100]])
    np.testing.assert_allclose(r.coverage, [[1, 1], [0.5, 1]])
    np.testing.assert_array_equal(r.rank, [[2, 1], [2, 1]])
    t = r.table
    assert list(t.columns[:6]) == ["iso3", "country", "year", "score", "rank", "coverage"]
    assert "pillar_security" in t and "contrib_b" in t
    assert r.for_year(2021)["iso3"].tolist() == ["BLR", "ARM"]


def test_model_imputation_by_hand():
    """Default policy: ARM's missing 2021 economy value is its 2020 value held (20), so 2021 ARM =
    mean(security 50, economy 20) = 35; coverage still counts sourced values only, and the CSV column
    names the imputed indicator."""
    m, _ = _two_country_model()
    r = m.score(ScoringSpec(normalisation="goalposts"))
    np.testing.assert_allclose(r.score, [[10, 80], [35, 100]])
    np.testing.assert_allclose(r.coverage, [[1, 1], [0.5, 1]])
    assert r.imputed[1, 0].tolist() == [False, False, True] and not r.imputed[0].any()
    assert r.missing_indicators()[1, 0] == "c"


def test_coverage_threshold_policy():
    m, _ = _two_country_model()
    strict = m.score(ScoringSpec(normalisation="goalposts", min_coverage=0.6, missing="coverage_threshold"))
    assert np.isnan(strict.score[1, 0]) and np.isnan(strict.rank[1, 0]) and strict.rank[1, 1] == 1
    assert np.isnan(strict.contributions[1, 0]).all()
    assert any("less than 60% of the weight has data" in d for d in strict.diagnostics)
    loose = m.score(ScoringSpec(normalisation="goalposts", min_coverage=0.6, missing="renormalise"))
    assert loose.score[1, 0] == pytest.approx(50.0)


def test_single_country():
    cat = {"a": make_indicator("a"), "b": make_indicator("b", "economy")}
    m = Model(np.array([[[30.0, 50.0]], [[40.0, NAN]]]), cat, ("GEO",), (2019, 2020))
    r = m.score(ScoringSpec(normalisation="goalposts", missing="renormalise"))
    np.testing.assert_allclose(r.score[:, 0], [40.0, 40.0])
    np.testing.assert_array_equal(r.rank[:, 0], [1, 1])
    mm = m.score(ScoringSpec(normalisation="minmax", missing="renormalise"))
    assert any("b:" in d for d in mm.diagnostics)  # b has a single observation: zero range


def test_all_missing_country_year():
    cat = {"a": make_indicator("a")}
    m = Model(np.array([[[NAN], [10.0], [30.0]]]), cat, ("ARM", "AZE", "BLR"), (2020,))
    r = m.score(ScoringSpec(missing="coverage_threshold"))
    assert np.isnan(r.score[0, 0]) and np.isnan(r.rank[0, 0]) and r.coverage[0, 0] == 0
    np.testing.assert_array_equal(r.rank[0, 1:], [2, 1])
    assert any("no data" in d for d in r.diagnostics)
    # the model: no year and no other indicator to learn from, so the other states' mean (0 and 100 -> 50)
    imp = m.score(ScoringSpec())
    assert imp.score[0, 0] == pytest.approx(50.0) and imp.coverage[0, 0] == 0 and imp.imputed[0, 0, 0]


def test_from_panel_ignores_russia_and_builds_the_cube():
    cat = synthetic_catalog()
    panel = synthetic_panel(cat, with_rus=True)
    m = Model.from_panel(panel, cat)
    assert "RUS" not in m.countries and len(m.countries) == 14
    assert m.raw.shape == (13, 14, 12)
    row = panel[(panel.iso3 == "KAZ") & (panel.indicator == "arms_share")].iloc[0]
    assert m.raw[m.years.index(row.year), m.countries.index("KAZ"), m.indicators.index("arms_share")] == row.value


def test_from_panel_rejects_unknown_indicator():
    cat = synthetic_catalog()
    panel = synthetic_panel(cat)
    panel.loc[0, "indicator"] = "nonsense"
    with pytest.raises(ValueError, match="nonsense"):
        Model.from_panel(panel, cat)


def test_default_year_is_latest_adequate():
    cat = {"a": make_indicator("a"), "b": make_indicator("b", "economy")}
    cube = np.full((3, 5, 2), 50.0)
    cube[:, :, 0] = np.arange(15).reshape(3, 5)
    cube[2, :, 1] = NAN  # last year: every country has coverage 0.5
    m = Model(cube, cat, ("ARM", "AZE", "BLR", "EST", "GEO"), (2020, 2021, 2022))
    assert m.default_year(ScoringSpec(normalisation="goalposts")) == 2021
    assert m.default_year() == 2022  # min-max: b is constant, so missing everywhere; no year is adequate
    # -> fallback: the latest year with the highest mean coverage


# ------------------------------------------------------------------ weights, presets, spec
def test_effective_weights_hierarchy():
    cat = synthetic_catalog()
    m = Model.from_panel(synthetic_panel(cat), cat)
    w = pd.Series(m.weights(ScoringSpec()), index=m.indicators)
    assert w.sum() == pytest.approx(1.0)
    assert w["csto_membership"] == pytest.approx(1 / 5 / 3)  # security has 3 indicators
    assert w["unga_agreement"] == pytest.approx(1 / 5)  # diplomacy has 1
    w2 = pd.Series(
        m.weights(ScoringSpec(indicator_weights={"arms_share": 0}, pillar_weights={"security": 2})), index=m.indicators
    )
    assert w2["arms_share"] == 0 and w2["csto_membership"] == pytest.approx(2 / 6 / 2)


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_have_rationale_and_score(name):
    cat = synthetic_catalog()
    m = Model.from_panel(synthetic_panel(cat), cat)
    assert len(PRESETS[name].rationale) > 20
    spec = spec_from_preset(name, cat)
    assert spec.preset == name and m.weights(spec).sum() == pytest.approx(1.0)


def test_equal_indicators_preset_gives_every_indicator_the_same_weight():
    cat = synthetic_catalog()
    m = Model.from_panel(synthetic_panel(cat), cat)
    np.testing.assert_allclose(m.weights(spec_from_preset("equal_indicators", cat)), 1 / 12)


def test_spec_json_round_trip():
    spec = ScoringSpec(
        years=2024,
        indicator_weights={"a": 2, "b": 0.5},
        pillar_weights={"security": 3},
        normalisation="zscore",
        aggregation="geometric",
        missing="renormalise",
        min_coverage=0.3,
        preset="custom",
    )
    again = ScoringSpec.from_json(spec.to_json())
    assert again == spec and again.years == (2024,)
    assert json.loads(spec.to_json())["normalisation"] == "zscore"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"indicator_weights": {"a": -1}}, "non-negative"),
        ({"indicator_weights": {"a": "heavy"}}, "number"),
        ({"indicator_weights": {"a": float("inf")}}, "finite"),  # from_json: refused by scoring.untrusted
        ({"pillar_weights": {"military": 1}}, "unknown pillar"),
        (
            {
                "pillar_weights": dict.fromkeys(
                    ["security", "economy", "energy", "diplomacy", "western_ties", "rupture"], 0
                )
            },
            "all pillar weights are zero",
        ),
        ({"normalisation": "log"}, "unknown normalisation"),
        ({"aggregation": "median"}, "unknown aggregation"),
        ({"missing": "zero"}, "unknown missing-data policy"),
        ({"min_coverage": 1.5}, "min_coverage"),
        ({"min_coverage": [1]}, r"^min_coverage: must be a number, got \[1\]$"),
        (
            {"pillar_weights": {"security": -2}},
            "^pillar_weights: pillar weight for 'security' must be a finite non-neg",
        ),
        (
            {"pillar_weights": {"economy": float("inf")}},
            r"pillar weight for 'economy' must be a finite|field pillar_weights\.economy: inf is not a finite",
        ),
        ({"colour": "red"}, "unknown spec field"),
        ({"years": []}, "at least one year"),
    ],
)
def test_spec_rejects_bad_fields(fields, message):
    with pytest.raises(SpecError, match=message):
        ScoringSpec(**fields)
    with pytest.raises(SpecError, match=message):
        ScoringSpec.from_json(json.dumps(fields))


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", ""])
def test_spec_from_bad_json(text):
    with pytest.raises(SpecError):
        ScoringSpec.from_json(text)


def test_model_level_weight_errors():
    cat = synthetic_catalog()
    m = Model.from_panel(synthetic_panel(cat), cat)
    with pytest.raises(SpecError, match="unknown indicator id 'nope'; valid ids: csto_membership"):
        m.score(ScoringSpec(indicator_weights={"nope": 1}))
    with pytest.raises(SpecError, match="all weights are zero"):
        m.score(ScoringSpec(indicator_weights=dict.fromkeys(cat, 0)))
    with pytest.raises(SpecError, match="year 2030 is outside the panel"):
        m.score(ScoringSpec(years=2030))


def test_spec_is_frozen_and_travels_with_the_result():
    cat = synthetic_catalog()
    m = Model.from_panel(synthetic_panel(cat), cat)
    spec = ScoringSpec(normalisation="percentile")
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises its own frozen-instance error
        spec.normalisation = "minmax"
    assert m.score(spec).spec is spec


def test_registries_are_documented():
    assert set(NORMALISERS) >= {"minmax", "goalposts", "zscore", "percentile"}
    assert set(AGGREGATORS) >= {"arithmetic", "geometric"}
    assert set(MISSING_POLICIES) == {"impute", "carry_forward", "renormalise", "coverage_threshold"}
    for fn in AGGREGATORS.values():
        assert "NaN" in fn.__doc__ and "=" in fn.__doc__
    assert "shift" in AGGREGATORS["geometric"].__doc__


# ------------------------------------------------------------------ CSV
def test_scores_csv_format_and_formula_injection():
    cat = {"a": make_indicator("a"), "b": make_indicator("b", "economy")}
    cube = np.array([[[1e-7, 50.0], [100.0, NAN]]])
    m = Model(cube, cat, ("ARM", "AZE"), (2020,), country_names={"ARM": "=HYPERLINK(1)", "AZE": '+cmd, "x"'})
    text = scores_csv(m.score(ScoringSpec(normalisation="goalposts", missing="renormalise")))
    lines = text.splitlines()
    assert lines[0] == (
        "iso3,country,year,score,rank,coverage,coverage_observed,pillar_security,pillar_economy,contrib_a,contrib_b,"
        "missing_indicators"
    )
    # a cube built without statuses counts every present value as observed
    assert lines[1].startswith("ARM,'=HYPERLINK(1),2020,25.0000,2,1.0000,1.0000,0.0000,50.0000,0.0000,25.0000")
    assert lines[2].startswith('AZE,"\'+cmd, ""x""",2020,100.0000,1,0.5000,0.5000,100.0000,,100.0000,')
    assert lines[1].endswith(",") and lines[2].endswith(",b")  # the weighted indicators without a value
    assert "e-" not in text and "e+" not in text
    assert text.endswith("\n")
    df = pd.read_csv(__import__("io").StringIO(text))
    assert df["country"].tolist() == ["'=HYPERLINK(1)", '\'+cmd, "x"']


# ------------------------------------------------------------------ two coverages
def test_coverage_observed_counts_only_observed_values():
    cat = {"a": make_indicator("a"), "b": make_indicator("b", "economy"), "c": make_indicator("c", "economy")}
    rows = []
    for iso, vals, sts in (
        ("ARM", (10.0, 20.0, 30.0), ("observed", "estimated", "observed")),
        ("AZE", (20.0, 40.0, 60.0), ("imputed", "observed", "carried_forward")),
    ):
        for ind, v, st in zip("abc", vals, sts, strict=True):
            rows.append({"iso3": iso, "year": 2020, "indicator": ind, "value": v, "status": st})
    m = Model.from_panel(pd.DataFrame(rows), cat, countries=("ARM", "AZE"), years=(2020,))
    r = m.score(ScoringSpec(missing="renormalise"))
    # equal pillars: a = 1/2, b = c = 1/4
    np.testing.assert_allclose(r.coverage[0], [1.0, 1.0])
    np.testing.assert_allclose(r.coverage_observed[0], [0.75, 0.25])
    t = r.table
    assert list(t.columns[5:7]) == ["coverage", "coverage_observed"]
    assert (t["coverage_observed"] <= t["coverage"]).all()


def test_shipped_scores_report_lower_observed_coverage(shipped):
    panel, catalog, _ = shipped
    r = Model.from_panel(panel, catalog).score(ScoringSpec(years=(2024,)))
    t = r.table.set_index("iso3")
    assert (t["coverage_observed"] <= t["coverage"] + 1e-12).all()
    assert t.loc["ARM", "coverage"] == pytest.approx(1.0) and t.loc["ARM", "coverage_observed"] < 0.9


@pytest.mark.parametrize("method", ["arithmetic", "geometric"])
def test_one_aggregation_registry_flat_mean_equals_the_kernel_with_one_pillar(method):
    # the registry entry the Methodology documents is the one the model's kernel applies
    from scoring.aggregate import AGGREGATOR_LABELS, aggregate

    x = np.array([[10.0, 40.0, NAN], [0.0, 99.0, 50.0]])
    w = np.array([1.0, 3.0, 2.0])
    flat = AGGREGATORS[method](x, w)
    kernel = aggregate(x, w, np.ones((3, 1)), method).score
    np.testing.assert_allclose(kernel, flat)
    assert AGGREGATOR_LABELS[method] == AGGREGATORS[method].label
    expected = {"arithmetic": [(10 + 120) / 4, (0 + 297 + 100) / 6], "geometric": None}[method]
    if expected:
        np.testing.assert_allclose(flat, expected)
    else:  # exp((ln 11 + 3 ln 41) / 4) - 1, exp((ln 1 + 3 ln 100 + 2 ln 51) / 6) - 1
        np.testing.assert_allclose(
            flat,
            [np.exp((np.log(11) + 3 * np.log(41)) / 4) - 1, np.exp((3 * np.log(100) + 2 * np.log(51)) / 6) - 1],
        )


# ------------------------------------------------------------------ year resolution, read-only cubes
def test_resolve_year_rules():
    m, _ = _two_country_model()
    # 2021: ARM covers half the weight (< 2/3), so the default year is 2020
    assert m.resolve_year(ScoringSpec(years=(2020,)), 2021) == 2021  # an explicit year wins
    assert m.resolve_year(ScoringSpec(years=(2021,))) == 2021  # else the spec's only year
    assert m.resolve_year(ScoringSpec()) == m.default_year(ScoringSpec()) == 2020  # else the default year
    assert m.resolve_year(ScoringSpec(years=(2020, 2021))) == 2020  # several years: the default year
    with pytest.raises(SpecError, match="year 1990 is outside the panel; choose a year in 2020-2021"):
        m.resolve_year(ScoringSpec(years=(1990,)))
    with pytest.raises(SpecError, match="choose a year in 2020-2021"):
        m.resolve_year(ScoringSpec(), 2030)


def test_normalised_cube_is_read_only_and_cached():
    m, _ = _two_country_model()
    n = m.normalised("goalposts")
    assert m.normalised("goalposts") is n
    with pytest.raises(ValueError):
        n.values[0, 0, 0] = 1.0


def test_an_absent_indicator_weight_counts_as_one():
    from scoring.weights import effective_weight_vector

    w = effective_weight_vector(
        ScoringSpec(indicator_weights={"a": 3}), ("a", "b", "c"), ("security", "security", "economy")
    )
    np.testing.assert_allclose(w, [0.5 * 3 / 4, 0.5 * 1 / 4, 0.5])
