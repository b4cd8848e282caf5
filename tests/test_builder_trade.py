"""Tests of the ``trade_share_russia`` builder (indicators/builders/trade.py).

Values are checked by hand against the raw rows; the gap rules and the treatment of
partial-year figures are checked on the built panel and on small hand-made inputs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from indicators.builders import trade

RAW = Path(os.environ.get("ALIGN_RAW_DIR", Path(__file__).parent.parent.parent / "shared" / "raw"))
RAW_FILE = RAW / "compiled_cited" / trade.RAW_NAME
needs_raw = pytest.mark.skipif(
    not RAW_FILE.exists(), reason=f"raw data not found at {RAW_FILE}; set ALIGN_RAW_DIR to the shared raw folder"
)


# --------------------------------------------------------------------------- helpers (no raw data needed)


@pytest.mark.parametrize(
    "notes, months",
    [
        ("PARTIAL YEAR Jan-Aug 2024 (Armstat data as reported by BMG)", 8),
        ("PARTIAL YEAR H1 2023; approximate ('around')", 6),
        ("PARTIAL YEAR Q1 2019 (National Bank of Ukraine data)", 3),
        ("PARTIAL YEAR: single month (June 2013); YEAR INFERRED", 1),
        ("YEAR INFERRED (page undated); PARTIAL YEAR Jan-Oct", 10),
        ("Geostat data", None),
    ],
)
def test_partial_months(notes, months):
    assert trade.partial_months(notes) == months


@pytest.mark.parametrize(
    "notes, url, key, expected",
    [
        # A clause about *another* row must not flag this one.
        (
            "Kazakh-side figure; CONFLICT with existing 'about $30 bn' row (low-reliability aggregator)",
            "https://a.kz",
            "low_quality",
            False,
        ),
        ("approximate; low-reliability aggregator", "https://a.kz", "low_quality", True),
        ("Sputnik relay", "https://sputnikglobe.com/x", "low_quality", True),
        ("Putin statement (Russian-side figure) in 2024", "https://a.am", "russian_side", True),
        ("Kyrgyz-side figure (FM Kulubaev); CONFLICT with 'almost 4 bn'", "https://a.kg", "russian_side", False),
        ("lower bound ('exceeded')", "https://a.ge", "bound", True),
        ("PARTIAL YEAR H1 2021; goods AND services (external turnover)", "https://a.ua", "other_concept", True),
        # "pro-Kremlin" describes an outlet, not a Russian-side statistic.
        ("figure relayed by a pro-Kremlin aggregator", "https://a.md", "russian_side", False),
        ("Kremlin readout of the talks", "https://a.md", "russian_side", True),
    ],
)
def test_row_flags(notes, url, key, expected):
    assert trade.row_flags(notes, url)[key] is expected


def _c(**kw):
    base = dict(
        iso3="XXX",
        year=2020,
        value=10.0,
        kind="direct",
        partial=False,
        months=12,
        period="full year",
        ids=("a",),
        desc="",
        bound=False,
        year_inferred=False,
        approx=False,
        ytd=False,
        low_quality=False,
        russian_side=False,
    )
    return base | kw


@pytest.mark.parametrize(
    "better, worse",
    [
        (_c(kind="exim", ids=("z",)), _c(partial=True, months=9)),  # full year beats partial, whatever the method
        (_c(ids=("z",)), _c(kind="computed")),  # direct beats computed
        (_c(russian_side=True, ids=("z",)), _c(low_quality=True)),  # low-quality outlet loses first
        (_c(ids=("z",)), _c(russian_side=True)),  # partner side beats Russian side
        (_c(partial=True, months=9, ids=("z",)), _c(partial=True, months=7)),  # longer partial period wins
    ],
)
def test_rank_key_preferences(better, worse):
    assert trade.rank_key(better) < trade.rank_key(worse)


@pytest.mark.parametrize(
    "cand, status",
    [
        (_c(), "observed"),
        (_c(kind="computed"), "observed"),
        (_c(russian_side=True), "observed"),
        (_c(partial=True, months=8), "estimated"),
        (_c(kind="exim"), "estimated"),
        (_c(bound=True), "estimated"),
        (_c(year_inferred=True), "estimated"),
        (_c(low_quality=True), "estimated"),
    ],
)
def test_status_of(cand, status):
    assert trade.status_of(cand) == status


def _rows(*specs) -> pd.DataFrame:
    """Minimal loaded rows: (measure, value[, notes]) for country XXX, year 2020."""
    recs = []
    for i, (measure, num, *notes) in enumerate(specs):
        note = notes[0] if notes else ""
        recs.append(
            dict(
                iso3="XXX",
                year=2020,
                measure=measure,
                num=num,
                notes=note,
                source_url="https://a.ee",
                source_id=f"s{i}",
            )
            | trade.row_flags(note, "https://a.ee")
        )
    return pd.DataFrame(recs)


@pytest.mark.parametrize(
    "specs, expected",
    [
        # exports + imports with Russia over exports + imports in total, in EUR
        (
            [
                ("exports_to_russia_eur", 1e9),
                ("imports_from_russia_eur", 2e9),
                ("total_exports_eur", 14e9),
                ("total_imports_eur", 16e9),
            ],
            [10.0],
        ),
        # a whole figure and a summed one combine; no pairing across currencies
        ([("turnover_with_russia_usd", 3e9), ("total_exports_usd", 10e9), ("total_imports_usd", 10e9)], [15.0]),
        ([("turnover_with_russia_usd", 3e9), ("total_turnover_eur", 20e9)], []),
        # a Russian-side figure for trade with Russia is never divided by the partner's total
        ([("turnover_with_russia_eur", 3e9, "Russian-side figure"), ("total_turnover_eur", 20e9)], []),
        # an incomplete pair gives nothing, and a zero total gives nothing
        ([("exports_to_russia_eur", 1e9), ("total_turnover_eur", 20e9)], []),
        ([("turnover_with_russia_eur", 1e9), ("total_turnover_eur", 0.0)], []),
    ],
)
def test_computed_candidates(specs, expected):
    got = [c["value"] for c in trade.candidates(_rows(*specs)) if c["kind"] == "computed"]
    assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    "start, years",
    [
        ("2022-04-09", [2023, 2024, 2025]),  # the start year is mixed and is not coded
        ("2024-01-01", [2025]),
        ("2025-06-30", []),
    ],
)
def test_embargo_years(start, years):
    assert trade.embargo_years(dt.date.fromisoformat(start), years=range(2013, 2026)) == years


def test_embargo_rows_are_cited():
    """Every embargo row parses and quotes a government decision that no trade takes place."""
    emb = trade.load_embargoes()
    assert emb, "the embargo table is empty"
    for iso3, (start, src) in emb.items():
        assert start.year >= 2014 and str(src.url).startswith("http") and "trade" in src.quote.lower(), iso3


def test_fill_gaps_interpolates_short_gaps():
    got = trade.fill_gaps({2013: 10.0, 2016: 16.0}, years=range(2013, 2017))
    assert got == {2014: (12.0, "imputed", 2013, 2016), 2015: (14.0, "imputed", 2013, 2016)}


def test_fill_gaps_carries_at_most_two_years_across_long_gaps():
    got = trade.fill_gaps({2013: 10.0, 2021: 20.0}, years=range(2013, 2026))
    assert {y: v[:2] for y, v in got.items()} == {
        2014: (10.0, "carried_forward"),
        2015: (10.0, "carried_forward"),
        2019: (20.0, "carried_forward"),
        2020: (20.0, "carried_forward"),
        2022: (20.0, "carried_forward"),
        2023: (20.0, "carried_forward"),
    }


def test_fill_gaps_without_anchors_is_empty():
    assert trade.fill_gaps({}) == {}


def test_hand_rows_quote_their_number():
    """Every hand-compiled figure appears in its quote (as is, or in millions/billions)."""
    hand = pd.read_csv(trade.HAND_PATH, dtype=str, keep_default_na=False)
    assert set(hand.columns) >= {"country", "year", "measure", "value", "source_url", "quote", "notes", "accessed"}
    for r in hand.itertuples():
        value = float(r.value)
        numbers = [float(n.replace(",", ".")) for n in re.findall(r"\d+(?:[.,]\d+)?", r.quote)]
        assert any(abs(n * s - value) < 1e-6 * max(1.0, value) for n in numbers for s in (1, 1e6, 1e9)), (
            f"hand row {r.country} {r.year} {r.measure}: {r.value} not found in its quote"
        )
        assert r.source_url.startswith("http") and r.accessed


# --------------------------------------------------------------------------- built panel


@pytest.fixture(scope="module")
def built():
    if not RAW_FILE.exists():
        pytest.skip(f"raw data not found at {RAW_FILE}; set ALIGN_RAW_DIR to the shared raw folder")
    out = trade.build(RAW)
    return out, out.frame().set_index(["iso3", "year"]).sort_index()


@pytest.fixture(scope="module")
def raw_rows():
    if not RAW_FILE.exists():
        pytest.skip(f"raw data not found at {RAW_FILE}")
    return pd.read_csv(RAW_FILE, dtype=str, keep_default_na=False)


def _raw_value(raw_rows, country, year, measure, contains=""):
    m = (raw_rows.country == country) & (raw_rows.year == str(year)) & (raw_rows.measure == measure)
    m &= raw_rows.notes.str.contains(contains, regex=False)
    vals = raw_rows.loc[m, "value"].astype(float).unique()
    assert len(vals) == 1, f"expected one raw {measure} for {country} {year}, found {vals}"
    return vals[0]


@needs_raw
def test_validates_through_build_pipeline():
    from indicators.build import run_builders

    catalog, panel, sources, _ = run_builders(RAW, ("trade",))
    assert [c["id"] for c in catalog] == [trade.IND_ID]
    assert set(";".join(panel["source_ids"]).split(";")) <= set(sources["source_id"])


@needs_raw
def test_direct_share_georgia_2013(built, raw_rows):
    _, df = built
    expected = _raw_value(raw_rows, "Georgia", 2013, "total_trade_share_pct")
    assert df.loc[("GEO", 2013), "value"] == pytest.approx(expected) == pytest.approx(7.2)
    assert df.loc[("GEO", 2013), "status"] == "observed"


@needs_raw
def test_direct_share_beats_computed_azerbaijan_2023(built, raw_rows):
    """A reported total share (8.52%) wins over turnover with Russia / total turnover, which is
    recomputed by hand here and must be named in the note as the losing figure."""
    _, df = built
    with_russia = _raw_value(raw_rows, "Azerbaijan", 2023, "turnover_with_russia_usd", "Deputy Economy Minister")
    total = _raw_value(raw_rows, "Azerbaijan", 2023, "total_turnover_usd")
    computed = 100 * with_russia / total
    assert computed == pytest.approx(8.627, abs=1e-3)
    row = df.loc[("AZE", 2023)]
    assert row["value"] == pytest.approx(_hand_value("Azerbaijan", 2023, "total_trade_share_pct")) == 8.52
    assert row["status"] == "observed"
    assert f"not used: {computed:.4g}% (turnover with Russia / total turnover" in row["note"]


@needs_raw
def test_computed_share_kyrgyzstan_2023_uses_hand_total(built, raw_rows):
    _, df = built
    hand = pd.read_csv(trade.HAND_PATH, dtype=str, keep_default_na=False)
    total = float(hand.loc[(hand.country == "Kyrgyzstan") & (hand.measure == "total_turnover_usd"), "value"].iloc[0])
    with_russia = _raw_value(raw_rows, "Kyrgyzstan", 2023, "turnover_with_russia_usd", "Kyrgyz-side")
    row = df.loc[("KGZ", 2023)]
    assert row["value"] == pytest.approx(100 * with_russia / total)
    assert any(s.startswith(trade.PREFIX_HAND + "-") for s in row["source_ids"].split(";"))


def _hand_value(country, year, measure):
    hand = pd.read_csv(trade.HAND_PATH, dtype=str, keep_default_na=False)
    m = (hand.country == country) & (hand.year == str(year)) & (hand.measure == measure)
    vals = hand.loc[m, "value"].astype(float).unique()
    assert len(vals) == 1, f"expected one hand {measure} for {country} {year}, found {vals}"
    return vals[0]


@needs_raw
def test_hand_computed_share_ukraine_2020(built):
    """UBN/State Customs turnover with Russia / total, both hand rows; year inferred, so estimated."""
    _, df = built
    expected = (
        100
        * _hand_value("Ukraine", 2020, "turnover_with_russia_usd")
        / _hand_value("Ukraine", 2020, "total_turnover_usd")
    )
    row = df.loc[("UKR", 2020)]
    assert row["value"] == pytest.approx(expected) == pytest.approx(7.0600, abs=1e-4)
    assert row["status"] == "estimated" and "year inferred" in row["note"]
    # 2017-2019 lie between the 2016 (8%) and 2020 anchors (2021 onwards: see the embargo test).
    assert df.loc[("UKR", 2018), "status"] == "imputed"
    assert df.loc[("UKR", 2018), "value"] == pytest.approx(8 + (expected - 8) * 2 / 4)


@needs_raw
def test_embargo_codes_ukraine_zero_after_2022_and_stops_filling(built):
    """Ukraine banned trade in goods with Russia on 9 Apr 2022: 2023 onwards are coded 0 (estimated,
    citing the ban); 2022 is a mixed year and stays missing; 2021 is carried from 2020 and is not
    interpolated toward the coded zeros."""
    out, df = built
    start, src = trade.load_embargoes()["UKR"]
    for y in trade.embargo_years(start):
        row = df.loc[("UKR", y)]
        assert (row["value"], row["status"], row["source_ids"]) == (0.0, "estimated", src.source_id)
    assert ("UKR", 2022) not in df.index
    assert df.loc[("UKR", 2021), "status"] == "carried_forward"
    assert df.loc[("UKR", 2021), "value"] == df.loc[("UKR", 2020), "value"]
    assert src.source_id in {s.source_id for s in out.sources}


@needs_raw
def test_hand_exim_midpoint_lithuania_2015(built):
    _, df = built
    ex, im = _hand_value("Lithuania", 2015, "export_share_pct"), _hand_value("Lithuania", 2015, "import_share_pct")
    row = df.loc[("LTU", 2015)]
    assert row["value"] == pytest.approx((ex + im) / 2) == pytest.approx(15.3)
    assert row["status"] == "estimated" and "midpoint" in row["note"]


@needs_raw
def test_hand_partial_year_armenia_2016(built):
    _, df = built
    row = df.loc[("ARM", 2016)]
    assert row["value"] == pytest.approx(_hand_value("Armenia", 2016, "total_trade_share_pct"))
    assert row["status"] == "estimated" and "partial year, 6 months" in row["note"]
    assert df.loc[("ARM", 2017), "status"] == "imputed"  # between 2016 (H1) and 2019


@needs_raw
def test_hand_low_quality_moldova_2023_is_estimated_and_carried(built):
    _, df = built
    row = df.loc[("MDA", 2023)]
    assert row["value"] == pytest.approx(3.0)
    assert row["status"] == "estimated"
    assert "low-quality outlet" in row["note"] and "Russian-side" not in row["note"]
    assert df.loc[("MDA", 2024), "status"] == "carried_forward"
    assert df.loc[("MDA", 2024), "value"] == pytest.approx(3.0)


@needs_raw
def test_conflict_keeps_partner_statistics_and_names_loser(built):
    _, df = built
    row = df.loc[("GEO", 2022)]
    assert row["value"] == pytest.approx(13.1) and row["status"] == "observed"
    assert "not used: 16%" in row["note"]
    kgz = df.loc[("KGZ", 2024)]
    assert kgz["value"] == pytest.approx(22.0) and "22.3%" in kgz["note"]


@needs_raw
def test_partial_year_figures_are_never_observed(built, raw_rows):
    _, df = built
    chosen = df["note"].str.split("; not used:").str[0]
    assert not ((df["status"] == "observed") & chosen.str.contains("partial year")).any()
    # Country-years whose only total-share figures are partial-year ones.
    for iso3, year, value in [("ARM", 2024, 41.4), ("GEO", 2024, 10.9), ("KAZ", 2023, 18.6)]:
        assert df.loc[(iso3, year), "value"] == pytest.approx(value)
        assert df.loc[(iso3, year), "status"] == "estimated"
    # Every partial candidate is coded estimated, whichever wins.
    cands = trade.candidates(trade.load_rows(RAW))
    assert all(trade.status_of(c) == "estimated" for c in cands if c["partial"])
    assert all(c["months"] >= trade.MIN_PARTIAL_MONTHS for c in cands if c["partial"])


@needs_raw
def test_imputed_values_lie_between_their_neighbours(built):
    _, df = built
    sourced = df[df["status"].isin(["observed", "estimated"])]
    imputed = df[df["status"] == "imputed"]
    assert len(imputed) > 0
    for (iso3, year), row in imputed.iterrows():
        s = sourced.loc[iso3]
        before, after = s[s.index < year], s[s.index > year]
        lo_y, hi_y = before.index.max(), after.index.min()
        assert hi_y - lo_y <= trade.MAX_INTERP_GAP
        lo, hi = sorted([before.loc[lo_y, "value"], after.loc[hi_y, "value"]])
        assert lo - 1e-9 <= row["value"] <= hi + 1e-9, f"{iso3} {year} imputed outside its neighbours"


@needs_raw
def test_carried_values_stay_within_the_limit(built):
    _, df = built
    sourced = df[df["status"].isin(["observed", "estimated"])]
    for (iso3, year), row in df[df["status"] == "carried_forward"].iterrows():
        y0 = int(re.search(r"from (\d{4})", row["note"]).group(1))
        assert 1 <= abs(year - y0) <= trade.MAX_CARRY
        assert row["value"] == pytest.approx(sourced.loc[(iso3, y0), "value"])


@needs_raw
def test_missing_stays_missing(built):
    _, df = built
    isos = set(df.index.get_level_values("iso3"))
    assert "EST" not in isos and "TKM" not in isos, "no sourced total share exists for Estonia or Turkmenistan"
    assert df["value"].between(0, 100).all()


@needs_raw
def test_sources_cover_every_citation_and_span_years(built):
    out, df = built
    ids = {s.source_id: s for s in out.sources}
    assert set(";".join(df["source_ids"]).split(";")) == set(ids)
    gazeta = [s for s in out.sources if "gazeta.uz" in str(s.url) and "Top 10" in s.quote]
    assert gazeta and gazeta[0].figure_year == "2019-2023"


@needs_raw
def test_build_is_deterministic():
    a, b = trade.build(RAW), trade.build(RAW)
    pd.testing.assert_frame_equal(a.frame(), b.frame())
    assert a.sources == b.sources and a.indicators == b.indicators
