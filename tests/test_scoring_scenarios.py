"""What-if scenarios: validation, application, before/after comparison, shipped examples."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
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
    d = compare_scenario(PANEL, CAT, _scenario(value=100.0), spec)
    assert list(d.columns) == [
        "iso3", "country", "year", "score_before", "score_after", "score_change", "rank_before", "rank_after", "rank_change",
    ]  # fmt: skip
    kaz = d.set_index("iso3").loc["KAZ"]
    old = PANEL[(PANEL.iso3 == "KAZ") & (PANEL.year == 2024) & (PANEL.indicator == "pipeline_dependence")]
    assert float(old["value"].iloc[0]) < 100
    assert kaz["score_change"] > 0  # the edit raised a toward-Moscow value
    others = d[d.iso3 != "KAZ"]
    np.testing.assert_allclose(others["score_change"].dropna(), 0.0)  # goalposts: no knock-on effect
    assert set(changed(d)["iso3"]) >= {"KAZ"}


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


# -- hand-computed scenarios on a three-country panel ---------------------------------------------
# Two indicators in two pillars (0-100 bounds), three countries, one year. Default weights: the two
# pillars weigh 1/2 each, so a score is the mean of the two normalised values.
SMALL_CAT = {
    "arms_share": CAT["arms_share"],  # security, 0-100, no goalposts
    "gas_share": CAT["gas_share"],  # energy, 0-100, no goalposts
}
SMALL_COUNTRIES = ("ARM", "KAZ", "GEO")
SMALL_VALUES = {"ARM": (80.0, 60.0), "KAZ": (50.0, 70.0), "GEO": (20.0, 40.0)}


def _small_panel() -> pd.DataFrame:
    rows = [
        {"iso3": c, "year": 2024, "indicator": ind, "value": v, "status": "observed", "source_ids": "t", "note": ""}
        for c, vals in SMALL_VALUES.items()
        for ind, v in zip(SMALL_CAT, vals, strict=True)
    ]
    return pd.DataFrame(rows)


def _small_compare(edits, normalisation):
    panel = _small_panel()
    before = Model.from_panel(panel, SMALL_CAT, SMALL_COUNTRIES, (2024,))
    sc = Scenario(name="hand", edits=[Edit(year=2024, **e) for e in edits])
    d = compare_scenario(panel, SMALL_CAT, sc, ScoringSpec(years=2024, normalisation=normalisation), before=before)
    return d.set_index("iso3")


def test_one_edit_under_goalposts_has_the_hand_computed_score_and_rank_change():
    # goalposts = bounds 0..100, so normalised = raw. Before: ARM (80+60)/2 = 70, KAZ (50+70)/2 = 60,
    # GEO (20+40)/2 = 30 -> ranks 1, 2, 3. GEO arms_share 20 -> 90: GEO (90+40)/2 = 65 -> rank 2, KAZ -> 3.
    d = _small_compare([{"iso3": "GEO", "indicator": "arms_share", "value": 90.0}], "goalposts")
    assert d["score_before"].to_dict() == pytest.approx({"ARM": 70.0, "KAZ": 60.0, "GEO": 30.0})
    assert d["score_after"].to_dict() == pytest.approx({"ARM": 70.0, "KAZ": 60.0, "GEO": 65.0})
    assert d["score_change"].to_dict() == pytest.approx({"ARM": 0.0, "KAZ": 0.0, "GEO": 35.0})
    assert d["rank_before"].astype(int).to_dict() == {"ARM": 1, "KAZ": 2, "GEO": 3}
    assert d["rank_after"].astype(int).to_dict() == {"ARM": 1, "KAZ": 3, "GEO": 2}
    assert d["rank_change"].astype(int).to_dict() == {"ARM": 0, "KAZ": 1, "GEO": -1}
    assert list(changed(d.reset_index())["iso3"]) == ["KAZ", "GEO"]


def test_one_edit_under_minmax_moves_the_other_countries_by_the_hand_computed_amounts():
    # min-max over the panel. arms_share before: 80, 50, 20 -> 100, 50, 0; after GEO 20 -> 90 the range is
    # 50..90: ARM 75, KAZ 0, GEO 100. gas_share 60, 70, 40 -> 66.67, 100, 0 (unchanged).
    # Before: ARM 83.33, KAZ 75, GEO 0; after: ARM 70.83, KAZ 50, GEO 50 (a tie: both rank 2).
    d = _small_compare([{"iso3": "GEO", "indicator": "arms_share", "value": 90.0}], "minmax")
    g = 200.0 / 3.0
    assert d["score_before"].to_dict() == pytest.approx({"ARM": (100 + g) / 2, "KAZ": 75.0, "GEO": 0.0})
    assert d["score_after"].to_dict() == pytest.approx({"ARM": (75 + g) / 2, "KAZ": 50.0, "GEO": 50.0})
    assert d["score_change"].to_dict() == pytest.approx({"ARM": -12.5, "KAZ": -25.0, "GEO": 50.0})
    assert d["rank_after"].astype(int).to_dict() == {"ARM": 1, "KAZ": 2, "GEO": 2}
    assert d["rank_change"].astype(int).to_dict() == {"ARM": 0, "KAZ": 0, "GEO": -1}


def test_an_edit_filling_a_missing_value_changes_coverage_and_score_by_hand():
    # KAZ has no gas_share: scored on arms_share alone (coverage 1/2 = min_coverage) -> 50.
    # Adding gas_share = 10 under goalposts: (50 + 10) / 2 = 30, equal to GEO's 30 -> both rank 2.
    panel = _small_panel()
    panel = panel[~((panel.iso3 == "KAZ") & (panel.indicator == "gas_share"))]
    before = Model.from_panel(panel, SMALL_CAT, SMALL_COUNTRIES, (2024,))
    sc = Scenario(name="fill", edits=[Edit(iso3="KAZ", year=2024, indicator="gas_share", value=10.0)])
    d = compare_scenario(panel, SMALL_CAT, sc, ScoringSpec(years=2024, normalisation="goalposts"), before=before)
    d = d.set_index("iso3")
    assert d.loc["KAZ", "score_before"] == pytest.approx(50.0)
    assert d.loc["KAZ", "score_after"] == pytest.approx(30.0)
    assert d["rank_before"].astype(int).to_dict() == {"ARM": 1, "KAZ": 2, "GEO": 3}
    assert d["rank_after"].astype(int).to_dict() == {"ARM": 1, "KAZ": 2, "GEO": 2}
    assert d["rank_change"].astype(int).to_dict() == {"ARM": 0, "KAZ": 0, "GEO": -1}


def test_two_edits_are_both_applied():
    # ARM arms_share 80 -> 0 and KAZ gas_share 70 -> 100 (goalposts): ARM 30, KAZ 75, GEO 30.
    d = _small_compare(
        [
            {"iso3": "ARM", "indicator": "arms_share", "value": 0.0},
            {"iso3": "KAZ", "indicator": "gas_share", "value": 100.0},
        ],
        "goalposts",
    )
    assert d["score_after"].to_dict() == pytest.approx({"ARM": 30.0, "KAZ": 75.0, "GEO": 30.0})
    assert d["rank_after"].astype(int).to_dict() == {"ARM": 2, "KAZ": 1, "GEO": 2}
    assert d["rank_change"].astype(int).to_dict() == {"ARM": 1, "KAZ": -1, "GEO": -1}


def test_changed_keeps_score_changes_rank_changes_and_scores_that_appear_or_vanish():
    d = pd.DataFrame(
        {
            "iso3": ["ARM", "AZE", "BLR", "EST", "GEO"],
            "score_before": [50.0, 40.0, 30.0, np.nan, 20.0],
            "score_change": [5.0, np.nan, 0.0, np.nan, 0.0],
            "rank_change": pd.array([0, pd.NA, 1, pd.NA, 0], dtype="Int64"),
        }
    )
    # ARM: score moved; AZE: its score vanished; BLR: only the rank moved; EST: no score either way; GEO: nothing
    assert list(changed(d)["iso3"]) == ["ARM", "AZE", "BLR"]
    assert list(changed(d, tol=10.0)["iso3"]) == ["AZE", "BLR"]
