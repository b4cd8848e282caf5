"""Tests of the ``energy`` builder (indicator ``pipeline_dependence``).

The builder tests need the raw folder: ``$ALIGN_RAW_DIR`` or ``../shared/raw`` next to the project.
Pure-function tests (value parsing, gap filling) run without it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from indicators.builders import energy
from indicators.loader import parse_catalog, validate_events, validate_panel

RAW = Path(os.environ.get("ALIGN_RAW_DIR", Path(__file__).parent.parent.parent / "shared" / "raw"))
needs_raw = pytest.mark.skipif(
    not (RAW / "compiled_cited" / energy.RAW_FILE).exists(),
    reason=f"raw folder {RAW} with compiled_cited/{energy.RAW_FILE} not found; set ALIGN_RAW_DIR",
)


@pytest.fixture(scope="module")
def out():
    return energy.build(RAW)


@pytest.fixture(scope="module")
def panel(out):
    return out.frame().set_index(["iso3", "year"])


# ----------------------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    "text, value, note",
    [
        ("80", 80.0, ""),
        ("80-85", 82.5, "midpoint of 80-85"),
        ("5.7 of 8.06", 100 * 5.7 / 8.06, "100*5.7/8.06"),
        ("0", 0.0, ""),
    ],
)
def test_parse_value(text, value, note):
    v, n = energy.parse_value(text)
    assert v == pytest.approx(value)
    assert n == note


def test_parse_value_rejects_text():
    with pytest.raises(ValueError, match="cannot read"):
        energy.parse_value("about eighty")


def _anchor(v):
    return {"value": v, "sources": {"s"}, "parts": {"G"}}


def test_fill_interpolates_within_limit():
    filled = energy.fill_series({2013: _anchor(100.0), 2016: _anchor(70.0)})
    assert filled[2014]["status"] == "imputed"
    assert filled[2014]["value"] == pytest.approx(90.0)
    assert filled[2015]["value"] == pytest.approx(80.0)
    # after the last anchor only MAX_CARRY years are carried
    assert filled[2017]["status"] == "carried_forward" and filled[2018]["value"] == 70.0
    assert 2016 + energy.MAX_CARRY + 1 not in filled


def test_fill_does_not_cross_or_fill_breaks():
    filled = energy.fill_series({2020: _anchor(93.0)}, breaks=(2022,))
    assert 2021 in filled and filled[2021]["value"] == 93.0
    assert 2022 not in filled  # a break year is never filled
    assert 2023 not in filled  # nothing carried across the break


def test_fill_zero_from_cutoff():
    info = {"sources": {"cut"}, "date": "2022-04-01"}
    filled = energy.fill_series({2020: _anchor(93.0)}, breaks=(2022,), zero_from=(2022, info))
    assert filled[2023]["value"] == 0.0 and filled[2023]["status"] == "carried_forward"
    assert filled[2024]["value"] == 0.0
    assert 2025 not in filled


def test_fill_gap_too_long_only_carries():
    filled = energy.fill_series({2013: _anchor(10.0), 2025: _anchor(20.0)})
    assert all(f["status"] == "carried_forward" for f in filled.values())
    assert set(filled) == {2014, 2015, 2023, 2024}


# ----------------------------------------------------------------------------- the built indicator


@needs_raw
def test_output_validates(out):
    catalog = parse_catalog([i.model_dump(mode="json") for i in out.indicators])
    sources = {s.source_id: s for s in out.sources}
    validate_panel(out.frame(), catalog, sources)
    validate_events(out.events_frame(), sources)
    assert set(out.indicators[0].source_ids) <= set(sources)


@needs_raw
@pytest.mark.parametrize(
    "iso3, year, value, status",
    [
        ("KAZ", 2023, 80.0, "observed"),  # CPC row: 80% of Kazakh oil exports
        ("KAZ", 2022, 80.0, "estimated"),  # compiled row (approximate) + Bloomberg/Charter97 seed
        ("ARM", 2022, 100 * 2600 / 2966, "estimated"),  # two cited volumes of the same year, approximate
        ("ARM", 2023, 82.5, "observed"),  # midpoint of the range 80-85
        ("UKR", 2015, 100 * 6.1 / (6.1 + 10.3), "observed"),  # Russia over Russia + Europe
        ("UKR", 2016, 0.0, "observed"),
        ("MDA", 2022, 100 * 5.7 / 8.06, "estimated"),  # 'a of b' ratio, late-2022 snapshot
        ("GEO", 2023, 100 * 486 / 2254, "observed"),  # hand-compiled volumes
        ("AZE", 2015, 100 * 1.270108 / 32.52, "observed"),
        ("KGZ", 2023, 100 * 233.663 / 260.673, "estimated"),  # partial year Jan-Aug
    ],
)
def test_hand_checked_values(panel, iso3, year, value, status):
    row = panel.loc[(iso3, year)]
    assert row["value"] == pytest.approx(value)
    assert row["status"] == status


@needs_raw
def test_kaz_2022_cites_seed(panel):
    assert energy.SEED_CHARTER97.source_id in panel.loc[("KAZ", 2022), "source_ids"].split(";")


@needs_raw
def test_partial_year_rows_never_observed(out):
    """Every part computed from a row flagged PARTIAL YEAR or YEAR INFERRED yields a non-observed value."""
    rows = energy.read_rows(RAW)
    panel = out.frame().set_index(["iso3", "year"])
    flagged = [
        s
        for s in energy.PARTS
        if s.year in energy.YEARS  # anchors outside the panel years (TJK 2012) are not written
        and any(f in str(rows[k].get("notes", "")) for k in s.rows for f in ("PARTIAL YEAR", "YEAR INFERRED"))
    ]
    assert flagged, "expected some partial-year inputs"
    for s in flagged:
        assert panel.loc[(s.iso3, s.year), "status"] != "observed", (s.iso3, s.year)


@needs_raw
def test_every_note_names_the_parts(out):
    df = out.frame()
    assert df["note"].str.startswith("parts used: ").all()
    sourced = df[df["status"].isin(["observed", "estimated"])]
    assert sourced["note"].str.contains(r"[GXP] = ").all()
    assert sourced["note"].str.contains("value = max of parts").all()


@needs_raw
def test_values_in_range_and_years_in_panel(out):
    df = out.frame()
    assert df["value"].between(0, 100).all()
    assert df["year"].between(2013, 2025).all()
    assert not df.duplicated(["iso3", "year"]).any()


@needs_raw
def test_missing_stays_missing(panel):
    for iso in ("EST", "LVA", "LTU"):
        assert (iso, 2022) not in panel.index  # Russian gas until 1 April 2022: no annual share
    assert ("TKM", 2025) not in panel.index  # supplies to Gazprom suspended from summer 2024 (break)
    assert ("BLR", 2021) not in panel.index  # 2017 and 2025 too far apart to interpolate


# ----------------------------------------------------------------------------- rows added in the second pass


@needs_raw
@pytest.mark.parametrize(
    "iso3, year, value, status",
    [
        ("TJK", 2024, 100 * 524.2 / 783.8, "estimated"),  # P: Russian over all fuel imports, Jan-Jun
        ("TJK", 2023, 63.3, "observed"),  # P from the compiled table
        ("UZB", 2024, 100 * 5.64 / (5.64 + 44.6), "estimated"),  # supply proxy
        ("UZB", 2023, 100 * 1.28 / (1.28 + 46.7), "estimated"),  # break year, sourced
        ("TKM", 2023, 100 * 5 / 40, "estimated"),  # expected volumes stated Oct 2023
        ("TKM", 2024, 100 * 2.5 / 42.5, "estimated"),
        ("AZE", 2013, 100 * 1.751 / 24.9, "observed"),
        ("AZE", 2020, 100 * 0.613029 / 28.3, "observed"),
        ("AZE", 2023, 0.0, "estimated"),  # YEAR INFERRED row
        ("AZE", 2024, 0.0, "carried_forward"),
        ("UKR", 2019, 0.0, "observed"),
        ("UKR", 2023, 0.0, "observed"),
        ("UKR", 2024, 0.0, "carried_forward"),
        ("BLR", 2017, 100.0, "estimated"),  # YEAR INFERRED row
        ("BLR", 2025, 100.0, "estimated"),  # 'almost exclusively', coded at 100
        ("BLR", 2024, 100.0, "carried_forward"),  # carried back from 2025
    ],
)
def test_second_pass_values(panel, iso3, year, value, status):
    row = panel.loc[(iso3, year)]
    assert row["value"] == pytest.approx(value)
    assert row["status"] == status


@needs_raw
def test_every_state_has_2024(panel):
    from indicators.countries import PANEL_COUNTRIES

    assert {iso for iso in PANEL_COUNTRIES if (iso, 2024) in panel.index} == set(PANEL_COUNTRIES)


def test_p_part_only_for_eligible_states():
    assert {s.iso3 for s in energy.PARTS if s.part == "P"} <= energy.P_STATES == {"TJK"}
    assert "0.5 bcm" in energy.P_CRITERION and "P_CRITERION" not in energy.indicator(("x",)).coding_rule
    assert energy.P_CRITERION in energy.indicator(("x",)).coding_rule


@needs_raw
def test_p_rejected_for_other_states(monkeypatch):
    bad = energy.PartSpec(
        "KGZ", 2019, "P", "value", (energy._r("Kyrgyzstan", 2019, "russia_share_of_petroleum_product_demand"),)
    )
    monkeypatch.setattr(energy, "PARTS", energy.PARTS + (bad,))
    with pytest.raises(ValueError, match="not in P_STATES"):
        energy.build(RAW)


@needs_raw
def test_tjk_notes_name_p_and_absent_parts(out):
    df = out.frame()
    tjk = df[(df.iso3 == "TJK") & df.status.isin(["observed", "estimated"])]
    assert tjk["note"].str.contains("P = ").all()
    assert tjk["note"].str.contains("not available \\(no cited figure\\): G, X").all()
    other = df[(df.iso3 != "TJK")]
    assert not other["note"].str.contains("P = ").any()


@needs_raw
def test_events(out):
    ev = out.events_frame()
    assert (ev["kind"] == "energy").all() and (ev["indicator"] == energy.INDICATOR_ID).all()
    dated = set(zip(ev["iso3"], ev["date"], strict=True))
    assert {("EST", "2022-04-01"), ("LVA", "2022-04-01"), ("LTU", "2022-04-01"), ("MDA", "2025-01-01")} <= dated


@needs_raw
def test_deterministic():
    a, b = energy.build(RAW), energy.build(RAW)
    pd.testing.assert_frame_equal(a.frame(), b.frame())
    assert a.sources == b.sources and a.events == b.events


def test_hand_csv_rows_are_cited():
    df = pd.read_csv(energy.HAND_CSV, dtype=str, keep_default_na=False)
    assert list(df.columns)[-1] == "accessed"
    for col in ("source_url", "source_title", "quote"):
        assert (df[col].str.strip() != "").all(), f"hand CSV has an empty {col}"
    assert (df["accessed"] == "2026-11-23").all()
    assert df["source_url"].str.match(r"^https?://").all()
