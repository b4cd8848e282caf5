"""Security that means what it says: being left unoccupied by Russia never moves a state toward Moscow."""

from __future__ import annotations

import numpy as np
import pytest

from scoring import PRESETS, Model, spec_from_preset

BALTIC = ("EST", "LVA", "LTU")
YEARS = tuple(range(2013, 2025))


@pytest.fixture(scope="module")
def model(shipped):
    panel, catalog, _ = shipped
    return Model.from_panel(panel, catalog)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_baltic_security_never_above_moldova(model, preset):
    spec = spec_from_preset(preset, model.catalog, years=YEARS)
    res = model.score(spec)
    k = res.pillars.index("security")
    c = {iso: res.countries.index(iso) for iso in (*BALTIC, "MDA")}
    for yi, year in enumerate(res.years):
        mda = res.pillar_scores[yi, c["MDA"], k]
        assert not np.isnan(mda), (preset, year)
        for iso in BALTIC:
            assert res.pillar_scores[yi, c[iso], k] <= mda + 1e-9, (preset, year, iso)


def test_no_security_indicator_codes_occupation(shipped):
    _, catalog, _ = shipped
    security = {k for k, ind in catalog.items() if ind.pillar == "security"}
    assert "russian_troops_without_consent" not in catalog
    # NATO ties count in the Western ties pillar only (issue 23), next to the Western ladder that also holds them
    assert {"csto_membership", "arms_imports_russia", "russian_base_by_agreement"} == security
    assert catalog["nato_alignment"].direction == -1


def test_occupation_is_on_the_timeline(shipped):
    from indicators import load_events

    ev = load_events()
    occ = ev[ev["description"].str.contains("without the host's consent")]
    assert {"UKR"} <= set(occ["iso3"])


def test_occupied_and_unoccupied_non_members_score_alike_on_bases(shipped):
    """Georgia (occupied) and Turkmenistan (no Russian forces) both host no base by agreement: same value."""
    panel, _, _ = shipped
    b = panel[(panel["indicator"] == "russian_base_by_agreement") & (panel["year"] == 2020)].set_index("iso3")["value"]
    assert b["GEO"] == b["TKM"] == b["MDA"] == b["EST"] == 0


def test_partnership_for_peace_rows_of_the_hand_table_are_read(shipped):
    """PfP accessions dated only by wiki copies upstream are dated by the hand table's NATO pages."""
    panel, _, _ = shipped
    n = panel[panel["indicator"] == "nato_alignment"]
    got = {(r.iso3, r.year): r.value for r in n.itertuples()}
    for iso in ("BLR", "KGZ", "TKM", "UZB"):
        for year in range(2013, 2026):
            assert got.get((iso, year)) == 1, (iso, year)
    # Ukraine: the 2002 NATO-Ukraine Action Plan (nato.int) is an individual programme, 2.
    assert all(got.get(("UKR", y)) == 2 for y in range(2013, 2018))
    notes = n[(n["iso3"] == "UZB") & (n["year"] == 2013)]["note"].iloc[0]
    assert "Partnership for Peace" in notes and "1994" in notes
