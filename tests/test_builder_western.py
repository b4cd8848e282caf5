"""Tests of the ``western_engagement`` builder: ladder, event weights, index and output tables."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.builders import western as w
from indicators.builders.common import read_compiled
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.tiers import tier_of

RAW = Path(os.environ.get("ALIGN_RAW_DIR", Path(__file__).parent.parent.parent / "shared" / "raw"))
NEEDED = [
    RAW / "compiled_cited" / f
    for f in ("western_structural_ties.csv", "western_engagement_events.csv", "memberships_dated.csv")
]
needs_raw = pytest.mark.skipif(
    not all(p.exists() for p in NEEDED),
    reason=f"raw compiled_cited files not found under {RAW}; set ALIGN_RAW_DIR to the shared raw folder",
)


# --------------------------------------------------------------------------------------------
# Pure functions: no raw data needed
# --------------------------------------------------------------------------------------------


def _ev(rows):
    """A tiny events frame in the raw file's shape (iso3 instead of country)."""
    cols = ["iso3", "date", "event_type", "western_partner", "description", "notes"]
    return pd.DataFrame(rows, columns=cols)


C5 = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]


def test_regional_format_is_down_weighted():
    rows = [(c, "2015-11-01", "summit", "US", "First C5+1 ministerial", "") for c in C5]
    rows.append(("UZB", "2015-11-01", "ministerial_visit", "US", "Kerry meets Karimov", "host"))
    ev = w.event_weights(_ev(rows))
    summit = ev[ev["event_type"] == "summit"]
    assert (summit["n_regional"] == 5).all()
    assert summit["weight"].tolist() == pytest.approx([w.EVENT_WEIGHTS["summit"] / 5] * 5)
    # the bilateral visit on the same day keeps its full weight
    visit = ev[ev["event_type"] == "ministerial_visit"].iloc[0]
    assert visit["n_regional"] == 1 and visit["weight"] == w.EVENT_WEIGHTS["ministerial_visit"]
    # one regional meeting adds far less than five bilateral visits would
    assert summit["weight"].sum() == pytest.approx(w.EVENT_WEIGHTS["summit"])


def test_same_day_tour_stops_are_not_one_regional_event():
    ev = w.event_weights(
        _ev(
            [
                ("BLR", "2020-02-01", "ministerial_visit", "US", "Pompeo visits Minsk", ""),
                ("UKR", "2020-02-01", "ministerial_visit", "US", "Pompeo visit to Kyiv", ""),
            ]
        )
    )
    assert ev["n_regional"].tolist() == [1, 1]


def test_joint_baltic_meeting_is_one_regional_event():
    ev = w.event_weights(
        _ev(
            [
                (
                    "EST",
                    "2017-07-31",
                    "ministerial_visit",
                    "US",
                    "Pence meets Baltic presidents",
                    "same meeting covers Latvia",
                ),
                (
                    "LVA",
                    "2017-07-31",
                    "ministerial_visit",
                    "US",
                    "Latvian President meets Pence (joint Baltic meeting)",
                    "",
                ),
                (
                    "LTU",
                    "2017-07-31",
                    "ministerial_visit",
                    "US",
                    "Lithuanian President meets Pence (joint Baltic meeting)",
                    "",
                ),
            ]
        )
    )
    assert ev["n_regional"].tolist() == [3, 3, 3]


def test_negative_rows_subtract_and_flags_drop_rows():
    ev = w.event_weights(
        _ev(
            [
                ("KGZ", "2014-06-03", "other", "US", "Manas handover", "NEGATIVE/withdrawal event"),
                ("LVA", "2020-09-30", "head_of_state_visit", "France", "Macron visit", "ANNOUNCED schedule"),
                (
                    "ARM",
                    "2018-08-24",
                    "head_of_state_visit",
                    "Germany",
                    "Merkel visit",
                    "ANNOUNCED schedule; tour concluded",
                ),
                (
                    "BLR",
                    "2020-09-29",
                    "other",
                    "France",
                    "Macron meets Tsikhanouskaya",
                    "Western engagement with Belarusian opposition, not with Minsk government",
                ),
                ("KAZ", "2018-01-16", "head_of_state_visit", "US", "Nazarbayev at White House", "CONFLICT with 17 Jan"),
                ("KAZ", "2018-01-17", "head_of_state_visit", "US", "Nazarbayev at White House", "CONFLICT with 16 Jan"),
            ]
        )
    ).set_index(["iso3", "date"])
    assert ev.loc[("KGZ", "2014-06-03"), "weight"] == -w.EVENT_WEIGHTS["other"]
    assert not ev.loc[("LVA", "2020-09-30"), "counted"]  # announced, not corroborated
    assert ev.loc[("ARM", "2018-08-24"), "counted"]  # announced, note reports it took place
    assert ev.loc[("BLR", "2020-09-29"), "weight"] == 0  # opposition contact
    # a conflicting duplicate counts once (earliest date kept)
    assert ev.loc[("KAZ", "2018-01-16"), "counted"] and not ev.loc[("KAZ", "2018-01-17"), "counted"]


def test_unknown_event_type_raises():
    with pytest.raises(ValueError, match="EVENT_WEIGHTS"):
        w.event_weights(_ev([("ARM", "2020", "parade", "US", "x", "")]))


@pytest.mark.parametrize(
    "ladder, events, expected",
    [
        (6, 0.0, 100.0),  # EU+NATO members get the full events term
        (0, 0.0, 0.0),
        (3, w.EVENT_CAP / 2, 50.0),
        (0, 10 * w.EVENT_CAP, 20.0),  # capped
        (2, -5.0, 100 * 0.8 * 2 / 6),  # a negative sum is floored at 0
        (6, w.EVENT_CAP, 100.0),
    ],
)
def test_index_value(ladder, events, expected):
    assert w.index_value(ladder, events) == pytest.approx(expected)


def test_index_value_rejects_unknown_rung():
    with pytest.raises(ValueError, match="ladder level"):
        w.index_value(7, 0.0)


@given(
    ladder=st.sampled_from(sorted(w.LADDER)),
    s=st.floats(-50, 50, allow_nan=False),
    neg=st.floats(0, 10, allow_nan=False),
)
def test_negative_event_never_raises_index(ladder, s, neg):
    assert w.index_value(ladder, s - neg) <= w.index_value(ladder, s)
    assert 0 <= w.index_value(ladder, s) <= 100


@pytest.mark.parametrize(
    "notes, stage",
    [
        ("signature (initialled ~2019)", "signed"),
        ("INITIALLED (not signed)", "initialled"),
        ("entry into force; DCFTA provisionally applied from 2016-01-01", "in_force"),
        ("entry into force (partly provisionally applied from 2014-09-01)", "in_force"),
        ("full entry into force (year only; day not in stored text)", "in_force"),
        ("provisional application", "in_force"),
        ("political provisions signed (infobox); economic part signed 2014-06-27", "signed"),
        ("", "signed"),
    ],
)
def test_membership_stage(notes, stage):
    assert w.membership_stage(notes) == stage


@pytest.mark.parametrize(
    "tie, status, expected",
    [
        ("NATO Partnership for Peace", "joined", ("nato_pfp", 1)),
        ("EU visa-free regime (Schengen short stay)", "in_force", ("eu_visa_free", 3)),
        ("EU membership application", "submitted", ("eu_accession", 4)),
        ("EU accession negotiations", "opened", ("eu_accession", 5)),
        ("EU accession negotiations", "negotiating_framework_adopted", None),
        ("EU Association Agreement incl. DCFTA", "initialled", None),
        ("US-Uzbekistan strategic partnership (joint statement)", "agreed", None),
        ("EU restrictive measures (target)", "lifted", None),
    ],
)
def test_classify_tie(tie, status, expected):
    assert w.classify_tie(tie, status) == expected


def test_sanctions_lifting_is_not_a_downgrade_but_eap_suspension_is():
    assert w.classify_downgrade("EU restrictive measures (target)", "suspended") is None
    assert w.classify_downgrade("US Manas Transit Center (air base)", "closed") is None
    assert w.classify_downgrade("EU Eastern Partnership", "suspended") == ("eu_eap",)
    assert w.classify_downgrade("EU accession process", "suspended_by_Georgia") == ("eu_accession",)


# --------------------------------------------------------------------------------------------
# Hand-checked values on the compiled data
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def facts():
    ties = read_compiled(RAW, "western_structural_ties.csv")
    mem = read_compiled(RAW, "memberships_dated.csv")
    ties["source_id"] = ties["source_url"]
    mem["source_id"] = mem["source_url"]
    return w.structural_facts(ties, mem)


@pytest.fixture(scope="module")
def built():
    return w.build(RAW)


def ladder(facts, iso3, year):
    return w.ladder_at(*facts, iso3, year)[0]


@needs_raw
@pytest.mark.parametrize("iso3", ["EST", "LVA", "LTU"])
def test_baltic_states_top_rung_every_year(facts, iso3):
    assert [ladder(facts, iso3, y) for y in YEARS] == [w.LADDER_TOP] * len(YEARS)


@needs_raw
@pytest.mark.parametrize(
    "iso3, year, level",
    [
        ("UKR", 2016, 2),  # AA signed, not in force
        ("UKR", 2017, 3),  # visa-free June 2017, AA in force 1 Sep 2017
        ("UKR", 2021, 3),
        ("UKR", 2022, 4),  # application 28 Feb, candidate 23 Jun 2022
        ("UKR", 2024, 5),  # accession negotiations opened 25 Jun 2024
        ("MDA", 2013, 2),  # AA only initialled
        ("MDA", 2014, 3),  # visa-free from April 2014
        ("MDA", 2024, 5),
        ("GEO", 2016, 3),  # AA in force 1 Jul 2016
        ("GEO", 2023, 4),  # candidate 14 Dec 2023
        ("GEO", 2024, 2),  # accession frozen/suspended: back to rung 3, minus 1 for the downgrades
        ("GEO", 2025, 2),
        ("BLR", 2020, 1),  # PfP and Eastern Partnership
        ("BLR", 2021, 0),  # Eastern Partnership suspended June 2021: PfP left, minus 1
        ("BLR", 2023, 0),
        ("ARM", 2025, 2),  # the 2025 EU-accession law is not an application
        ("KGZ", 2023, 1),
        ("KGZ", 2024, 2),  # EPCA signed 25 Jun 2024
        ("UZB", 2024, 1),  # EPCA only initialled (2022)
        ("UZB", 2025, 2),  # EPCA signed 24 Oct 2025
    ],
)
def test_ladder_hand_checked(facts, iso3, year, level):
    assert ladder(facts, iso3, year) == level


@needs_raw
def test_ladder_moves(facts):
    assert ladder(facts, "UKR", 2017) > ladder(facts, "UKR", 2016)
    assert ladder(facts, "UKR", 2022) > ladder(facts, "UKR", 2021)
    assert ladder(facts, "GEO", 2024) < ladder(facts, "GEO", 2023)
    assert ladder(facts, "BLR", 2021) < ladder(facts, "BLR", 2020)


@needs_raw
def test_full_panel_observed_within_bounds(built):
    f = built.frame()
    # A state-year with no usable dated tie and no event has no source, so no value.
    assert set(zip(f["iso3"], f["year"], strict=True)) <= {(c, y) for c in PANEL_COUNTRIES for y in YEARS}
    assert len(f) >= 0.9 * len(PANEL_COUNTRIES) * len(YEARS)
    # estimated = a thin event record, or the partial last year (events to Nov 2025) below the top rung
    est = f["note"].str.contains("thin event record") | f["note"].str.contains("partial year: the events term")
    assert (f.loc[est, "status"] == "estimated").all() and (f.loc[~est, "status"] == "observed").all()
    assert f["value"].between(0, 100).all()
    assert (f["source_ids"].str.count(";") + 1).max() <= 6


@needs_raw
def test_negative_events_do_not_raise_the_index(built):
    """Recomputing every value without the NEGATIVE rows never gives a lower index."""
    evr = read_compiled(RAW, "western_engagement_events.csv")
    evr["source_id"] = evr["source_url"]
    ties = read_compiled(RAW, "western_structural_ties.csv")
    # the build leaves out rows resting on unusable sources
    evr = evr[evr["source_url"].map(lambda u: tier_of(u) != "unusable")]
    ties = ties[ties["source_url"].map(lambda u: tier_of(u) != "unusable")]
    with_neg = w.event_weights(evr, ties)
    without = with_neg[~with_neg["notes"].map(w.is_negative)]
    assert (with_neg.loc[with_neg["notes"].map(w.is_negative) & with_neg["counted"], "weight"] < 0).all()
    f = built.frame()
    for r in f.itertuples():
        level = int(re.match(r"ladder (\d)/", r.note)[1])
        scale = float(re.search(r"the year's scale ([0-9.]+) ", r.note)[1])
        s = w.window_events(without, r.iso3, r.year)["weight"].sum()
        assert r.value <= round(w.index_value(level, s, scale), 4) + 0.01, (r.iso3, r.year)


@needs_raw
def test_georgia_negative_events_pull_2024_down(built):
    f = built.frame().set_index(["iso3", "year"])
    note = f.at[("GEO", 2024), "note"]
    assert "2 negative" in note and "downgrades in force" in note
    assert f.at[("GEO", 2024), "value"] < f.at[("GEO", 2023), "value"]


@needs_raw
def test_sources_and_events_are_consistent(built):
    ids = {s.source_id for s in built.sources}
    assert len(ids) == len(built.sources), "a source id is defined twice"
    for r in built.rows:
        assert set(r["source_ids"].split(";")) <= ids
    ev = built.events_frame()
    assert set(ev["source_id"]) <= ids
    assert set(ev["indicator"]) == {w.INDICATOR_ID}
    assert ev["date"].str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?").all()
    assert {"tie", "negative", "summit", "visit"} <= set(ev["kind"])
    assert set(built.indicators[0].source_ids) <= ids


@needs_raw
def test_deterministic():
    a, b = w.build(RAW), w.build(RAW)
    pd.testing.assert_frame_equal(a.frame(), b.frame())
    pd.testing.assert_frame_equal(a.events_frame(), b.events_frame())
    assert a.sources == b.sources


# ---------------------------------------------------------------- comparable engagement across years
def _values(sums, levels):
    scales = w.year_scales(sums, levels)
    return {k: w.index_value(levels[k], s, scales[k[1]]) for k, s in sums.items()}


def test_events_term_ignores_how_many_events_were_compiled_that_year():
    """Compiling twice as many events for a year (every sum doubled) leaves that year's values unchanged."""
    levels = {("ARM", 2020): 2, ("GEO", 2020): 3, ("EST", 2020): 6, ("ARM", 2021): 2, ("GEO", 2021): 3}
    sums = {("ARM", 2020): 4.0, ("GEO", 2020): 8.0, ("EST", 2020): 1.0, ("ARM", 2021): 2.0, ("GEO", 2021): 6.0}
    before = _values(sums, levels)
    doubled = {k: (2 * v if k[1] == 2021 else v) for k, v in sums.items()}
    after = _values(doubled, levels)
    assert after == pytest.approx(before)
    # the most engaged state below the top rung gets the full events term; members of both get it too
    assert before[("GEO", 2020)] == pytest.approx(100 * (w.LADDER_WEIGHT * 3 / 6 + w.EVENTS_WEIGHT))
    assert before[("ARM", 2020)] == pytest.approx(100 * (w.LADDER_WEIGHT * 2 / 6 + w.EVENTS_WEIGHT * 0.5))


def test_year_scale_has_a_floor():
    scales = w.year_scales({("ARM", 2013): 0.5}, {("ARM", 2013): 1})
    assert scales[2013] == w.MIN_EVENT_SCALE


@needs_raw
def test_panel_no_longer_drifts_with_the_event_record(built):
    """Mean events points of the states below the top rung, per well-recorded year, stay within a factor 2
    (with a fixed cap they rose from 0.5 in 2013 to 13.6 in 2024, following the compilation)."""
    f = built.frame()
    f["ladder"] = f["note"].str.extract(r"ladder (\d)/6", expand=False).astype(int)
    f = f[f["ladder"] < w.LADDER_TOP]
    f["events"] = f["value"] - 100 * w.LADDER_WEIGHT * f["ladder"] / w.LADDER_TOP
    good = f[~f["note"].str.contains("thin event record")].groupby("year")["events"].mean()  # incl. partial 2025
    assert len(good) >= 6 and good.max() <= 2 * good.min(), good.round(1).to_dict()
    thin = f[f["note"].str.contains("thin event record")]
    assert (thin["status"] == "estimated").all() and set(thin["year"]) >= {2013, 2014}
