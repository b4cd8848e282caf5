"""What-if scenarios: validation, application, before/after comparison, shipped examples."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest_scoring import synthetic_catalog, synthetic_panel
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indicators.loader import DATA_DIR
from scoring import (
    Citation,
    Edit,
    Model,
    Scenario,
    ScenarioError,
    ScoringSpec,
    apply_scenario,
    compare_scenario,
    load_example_scenarios,
)
from scoring.scenarios import SCENARIO_DIR, changed

CAT = synthetic_catalog()
PANEL = synthetic_panel(CAT, seed=4)


def _scenario(**edit) -> Scenario:
    e = {"iso3": "KAZ", "year": 2024, "indicator": "pipeline_dependence", "value": 40.0} | edit
    return Scenario(
        name="test",
        description="a test scenario",
        citation=Citation(source="A test source", url="https://example.org/x"),
        edits=[Edit(**e)],
    )


def test_json_round_trip():
    sc = _scenario()
    again = Scenario.from_json(sc.to_json(), CAT)
    assert again == sc


@pytest.mark.parametrize(
    "edit, message",
    [
        ({"indicator": "gdp"}, "unknown indicator 'gdp'"),
        ({"iso3": "RUS"}, "unknown iso3 'RUS'"),
        ({"iso3": "XYZ"}, "unknown iso3 'XYZ'"),
        ({"value": 140.0}, "outside its bounds 0..100"),
        ({"value": -1.0}, "outside its bounds"),
        ({"year": 2031}, "outside the panel"),
        ({"indicator": "csto_membership", "value": 1.5}, "not one of its levels"),
    ],
)
def test_bad_edits_are_refused(edit, message):
    with pytest.raises(ScenarioError, match=message):
        Scenario.from_json(_scenario(**edit).to_json(), CAT)


@pytest.mark.parametrize(
    "text, message",
    [
        ("{oops", "not valid JSON"),
        ("[]", "scenario"),
        (json.dumps({"name": "x", "edits": []}), "edits"),
        (json.dumps({"name": "x", "edits": [{"iso3": "KAZ", "year": 2024, "indicator": "gas_share"}]}), "value"),
        (
            json.dumps(
                {"name": "x", "edits": [{"iso3": "KAZ", "year": 2024, "indicator": "gas_share", "value": "lots"}]}
            ),
            "value",
        ),
        (
            json.dumps(
                {
                    "name": "x",
                    "colour": 1,
                    "edits": [{"iso3": "KAZ", "year": 2024, "indicator": "gas_share", "value": 1}],
                }
            ),
            "colour",
        ),
        (
            json.dumps({"name": "x", "citation": {"source": "Somebody", "url": "not a url"}, "edits": []}),
            "citation.url",
        ),
    ],
)
def test_malformed_json_is_refused_with_the_problem_named(text, message):
    with pytest.raises(ScenarioError, match=message):
        Scenario.from_json(text, CAT)


def test_apply_returns_a_new_panel_and_never_mutates():
    before = PANEL.copy()
    sc = _scenario()
    out = apply_scenario(PANEL, sc, CAT)
    assert PANEL.equals(before)
    row = out[(out.iso3 == "KAZ") & (out.year == 2024) & (out.indicator == "pipeline_dependence")]
    assert len(row) == 1 and row.iloc[0]["value"] == 40.0 and row.iloc[0]["note"] == "scenario: test"


def test_apply_adds_a_missing_value():
    panel = PANEL[~((PANEL.iso3 == "KAZ") & (PANEL.year == 2024) & (PANEL.indicator == "pipeline_dependence"))]
    out = apply_scenario(panel, _scenario(), CAT)
    assert len(out) == len(panel) + 1


def test_compare_scenario_reports_before_and_after():
    spec = ScoringSpec(years=2024, normalisation="goalposts")
    d = compare_scenario(PANEL, CAT, _scenario(value=0.0), spec)
    assert list(d.columns) == [
        "iso3", "country", "year", "score_before", "score_after", "score_change", "rank_before", "rank_after", "rank_change",
    ]  # fmt: skip
    kaz = d.set_index("iso3").loc["KAZ"]
    assert kaz["score_change"] <= 0
    others = d[d.iso3 != "KAZ"]
    np.testing.assert_allclose(others["score_change"].dropna(), 0.0)  # goalposts: no knock-on effect
    assert set(changed(d)["iso3"]) >= {"KAZ"} or kaz["score_change"] == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["ARM", "KAZ", "BLR", "EST", "UZB"]),
    st.sampled_from([2014, 2020, 2024]),
    st.sampled_from(
        ["arms_share", "trade_share", "pipeline_dependence", "gas_share", "csto_membership", "unga_agreement"]
    ),
    st.floats(0, 1),
    st.sampled_from(["minmax", "goalposts", "zscore", "percentile"]),
)
def test_a_scenario_raising_a_toward_moscow_indicator_never_lowers_that_score(iso, year, ind, frac, norm):
    row = PANEL[(PANEL.iso3 == iso) & (PANEL.year == year) & (PANEL.indicator == ind)]
    assume(len(row) == 1)
    lo, hi = CAT[ind].bounds
    old = float(row.iloc[0]["value"])
    new = old + frac * (hi - old)
    if CAT[ind].levels:
        new = float(np.ceil(new))
    assume(new >= old)
    sc = _scenario(iso3=iso, year=year, indicator=ind, value=new)
    d = compare_scenario(PANEL, CAT, sc, ScoringSpec(years=year, normalisation=norm, missing="renormalise"))
    assert d.set_index("iso3").loc[iso, "score_change"] >= -1e-9


def test_examples_are_valid_and_cited():
    ex = load_example_scenarios(CAT)  # the synthetic catalogue has both indicators with the real scales
    assert set(ex) == {"Armenia leaves the CSTO", "Kazakhstan moves oil exports off the CPC route"}
    arm = ex["Armenia leaves the CSTO"]
    assert {(e.iso3, e.year, e.indicator, e.value) for e in arm.edits} == {
        ("ARM", 2024, "csto_membership", 0.0),
        ("ARM", 2025, "csto_membership", 0.0),
    }
    assert "Pashinyan" in arm.description and "Mikovic" in arm.citation.source
    kaz = ex["Kazakhstan moves oil exports off the CPC route"]
    assert all(e.iso3 == "KAZ" and e.indicator == "pipeline_dependence" and e.value < 80 for e in kaz.edits)
    assert "80%" in kaz.citation.quote and "ASSUMPTION" in kaz.description
    for p in SCENARIO_DIR.glob("*.json"):
        assert Scenario.from_json(p.read_text()).to_json() == p.read_text()


@pytest.mark.skipif(not (DATA_DIR / "panel.csv").exists(), reason="data/panel.csv not built yet")
def test_examples_against_the_shipped_data():
    import indicators

    panel, catalog, _ = indicators.shipped()
    model = Model.from_panel(panel, catalog)
    for sc in load_example_scenarios(catalog).values():
        d = compare_scenario(panel, catalog, sc, ScoringSpec(), before=model)
        iso = sc.edits[0].iso3
        # both examples move a country away from Moscow: its score cannot rise
        assert (d[d.iso3 == iso]["score_change"].dropna() <= 1e-9).all()
