"""The decision on double counting (issue 23) and the validity checks it must keep."""

from __future__ import annotations

import pytest

import scoring
from scoring import audit
from ui.methodology import REDUNDANCY

BOTTOM = {"EST", "LVA", "LTU", "UKR"}


@pytest.fixture(scope="module")
def model(shipped):
    panel, catalog, _ = shipped
    return scoring.Model.from_panel(panel, catalog)


def test_nato_ties_count_in_one_pillar(shipped):
    _, catalog, _ = shipped
    assert catalog["nato_alignment"].pillar == catalog["western_engagement"].pillar


@pytest.mark.parametrize("preset", list(scoring.PRESETS))
def test_belarus_first_in_2023_and_2024(model, preset):
    for year in (2023, 2024):
        t = model.score(scoring.spec_from_preset(preset, model.catalog, years=(year,))).for_year(year)
        assert t.iloc[0]["iso3"] == "BLR", (preset, year, t[["iso3", "rank"]].head(3))


def test_baltic_states_and_ukraine_at_the_bottom_after_2022(model):
    for year in (2023, 2024, 2025):
        t = model.score(scoring.ScoringSpec(years=(year,))).for_year(year).dropna(subset=["score"])
        assert set(t["iso3"].iloc[-4:]) == BOTTOM, (year, list(t["iso3"]))


def test_every_cross_pillar_redundancy_is_explained_in_the_methodology(model):
    """No pair of indicators in different pillars has |r| >= 0.9 in 2013-2024 unless the Methodology names
    both indicators in one item together with that year."""
    items = "\n".join(REDUNDANCY).split("\n  - ")
    unexplained = []
    for year in range(2013, 2025):
        for f in audit.statistics(model, scoring.ScoringSpec(), year)["flags"]:
            if f["flag"] != "redundant" or f["same_pillar"]:
                continue
            a, b = model.catalog[f["a"]].name, model.catalog[f["b"]].name
            if not any(a in it and b in it and str(year) in it for it in items):
                unexplained.append((year, f["a"], f["b"], f["r"]))
    assert not unexplained, unexplained
