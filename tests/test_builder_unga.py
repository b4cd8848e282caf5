"""Tests of indicators/builders/unga.py: agreement rule, hand-checked values, Ukraine votes."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import pytest

from indicators.builders import unga, unvotes

RAW = Path(os.environ.get("ALIGN_RAW_DIR", Path(__file__).parent.parent.parent / "shared" / "raw"))
needs_raw = pytest.mark.skipif(
    not (RAW / "unvotes_voeten").is_dir(),
    reason=f"raw data not found at {RAW}; set ALIGN_RAW_DIR to the shared raw folder",
)


def _votes(rows):
    """Constructed votes: (rcid, year, iso3, vote)."""
    d = pd.DataFrame(rows, columns=["rcid", "year", "iso3", "vote"])
    return d.assign(date=d["year"].astype(str) + "-06-01", session=1, source="t")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Y", "Y", 100.0),
        ("N", "N", 100.0),
        ("A", "A", 100.0),
        ("Y", "A", 50.0),
        ("A", "Y", 50.0),
        ("N", "A", 50.0),
        ("Y", "N", 0.0),
        ("N", "Y", 0.0),
    ],
)
def test_agreement_vote_table(a, b, expected):
    got = unvotes.agreement(_votes([(1, 2020, "KAZ", a), (1, 2020, "RUS", b)]))
    assert got.to_dict("records") == [{"iso3": "KAZ", "year": 2020, "agreement": expected, "n_votes": 1}]


def test_agreement_ignores_absences_and_uses_partner():
    v = _votes(
        [
            (1, 2021, "KAZ", "Y"), (1, 2021, "RUS", "Y"), (1, 2021, "USA", "N"),
            (2, 2021, "KAZ", "A"), (2, 2021, "RUS", "N"), (2, 2021, "USA", "X"),
            (3, 2021, "KAZ", "X"), (3, 2021, "RUS", "N"), (3, 2021, "USA", "Y"),
        ]
    )  # fmt: skip
    got = unvotes.agreement(v).set_index("iso3")
    assert got.loc["KAZ", "agreement"] == 75.0 and got.loc["KAZ", "n_votes"] == 2  # (1 + 0.5) / 2; rcid 3 absent
    assert got.loc["USA", "agreement"] == 0.0 and got.loc["USA", "n_votes"] == 2  # rcid 2 absent
    us = unvotes.agreement(v, partner="USA").set_index("iso3")
    assert us.loc["KAZ", "agreement"] == 0.0 and us.loc["RUS", "n_votes"] == 2


@pytest.mark.parametrize(
    ("symbol", "key"),
    [
        ("A/RES/68/262", "68/262"),
        ("R/68/262", "68/262"),
        ("A/RES/75/254[A]", "75/254[A]"),
        ("A/RES/ES-10/19", None),
        ("A/RES/ES-11/1", None),
        ("A/76/L.14", None),
        ("MISSING_DATA", None),
    ],
)
def test_resolution_key(symbol, key):
    assert unvotes.resolution_key(symbol) == key


def test_precedence_takes_each_roll_call_whole_from_the_first_source():
    def src(name, rows):
        return _votes(rows).assign(source=name)

    sources = {
        "undl_2020_2025": src("undl_2020_2025", [(1, 2020, "KAZ", "Y"), (1, 2020, "USA", "N")]),
        "voeten": src("voeten", [(1, 2020, "KAZ", "Y"), (2, 2019, "KAZ", "A"), (2, 2019, "USA", "Y")]),
        "undl_scrape": src("undl_scrape", [(2, 2019, "KAZ", "A"), (3, 2018, "KAZ", "N")]),
    }
    got = unvotes.apply_precedence(sources)
    assert dict(zip(got["rcid"], got["source"], strict=False)) == {1: "undl_2020_2025", 2: "voeten", 3: "undl_scrape"}
    assert len(got) == 5  # roll call 1 from the first source only, roll call 2 from Voeten only (with USA)


@pytest.fixture(scope="module")
def out():
    return unga.build(RAW)


@pytest.fixture(scope="module")
def frame(out):
    return out.frame().set_index(["indicator", "iso3", "year"])


def _hand_agreement(iso2: str, year: int) -> tuple[float, int]:
    """Agreement with Russia by plain csv reading (final-passage votes, absences dropped)."""
    folder = RAW / "unvotes_voeten"
    with open(folder / "un_roll_calls_1991plus.csv", newline="", encoding="utf-8") as f:
        rcids = {
            int(r["rcid"])
            for r in csv.DictReader(f)
            if r["date"].startswith(str(year)) and r["amend"] in ("", "0", "0.0") and r["para"] in ("", "0", "0.0")
        }
    ru, other = {}, {}
    with open(folder / "un_votes_15countries_1991plus.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rc = int(r["rcid"])
            if rc in rcids and r["country_code"] == "RU":
                ru[rc] = r["vote"]
            elif rc in rcids and r["country_code"] == iso2:
                other[rc] = r["vote"]
    score = {("yes", "yes"): 1, ("no", "no"): 1, ("abstain", "abstain"): 1, ("yes", "no"): 0, ("no", "yes"): 0}
    shared = sorted(set(ru) & set(other))
    pts = [score.get((ru[k], other[k]), 0.5) for k in shared]
    return 100 * sum(pts) / len(pts), len(pts)


@needs_raw
@pytest.mark.parametrize(("iso2", "iso3", "year"), [("GE", "GEO", 2014), ("BY", "BLR", 2015), ("TM", "TKM", 2014)])
def test_agreement_matches_hand_computation(frame, iso2, iso3, year):
    """2014 and 2015 come from Voeten alone (the scrape adds no roll call in those years)."""
    expected, n = _hand_agreement(iso2, year)
    row = frame.loc[("unga_alignment", iso3, year)]
    assert row["value"] == pytest.approx(expected, abs=1e-4)
    assert row["status"] == "observed"
    assert row["note"].startswith(f"{n} final-passage")
    assert n >= unga.MIN_SHARED_VOTES


@needs_raw
def test_kazakhstan_2023_by_hand(frame):
    """Kazakhstan 2023 from the 85 rows dated 2023 of the UNDL 2020-2025 file, read with plain csv.

    (KAZ, RUS) pairs: Y/Y 40, Y/A 11, Y/N 20, A/Y 1, A/N 6, X with anything 7 (not counted).
    Shared = 40 + 11 + 20 + 1 + 6 = 78; points = 40 + 0.5 x (11 + 1 + 6) + 0 x 20 = 49;
    agreement = 100 x 49 / 78 = 62.8205.
    """
    path = RAW / "undl_votes_2020_2025" / "unga_votes_2020_2025_19countries.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["date"].startswith("2023")]
    pairs = [(r["KAZ"], r["RUS"]) for r in rows]
    assert len(rows) == 85
    assert pairs.count(("Y", "Y")) == 40 and pairs.count(("Y", "N")) == 20 and pairs.count(("Y", "A")) == 11
    assert pairs.count(("A", "Y")) == 1 and pairs.count(("A", "N")) == 6
    assert sum(p[0] == "X" or p[1] == "X" for p in pairs) == 7
    row = frame.loc[("unga_alignment", "KAZ", 2023)]
    assert row["value"] == pytest.approx(100 * 49 / 78, abs=1e-4)
    assert row["note"].startswith("78 final-passage")


@needs_raw
def test_overlapping_vote_sources_agree():
    """Every (roll call, country) in two sources has the same vote: Voeten vs the scrape on 572 roll calls x 15
    countries (8,168 recorded votes + 412 absences; our set differs from PROVENANCE's 572 by dropping ES-10/19
    and adding 2020-01-14), UNDL 2020-2025 vs the scrape on 186 roll calls (2,790, as PROVENANCE states), Voeten
    vs UNDL 2020-2025 on 2020-01-14 (19 countries)."""
    cmp = unvotes.compare_sources(unvotes.read_sources(RAW))
    n = cmp.groupby(["source_a", "source_b"]).size().to_dict()
    assert n == {
        ("undl_2020_2025", "undl_scrape"): 2790,
        ("undl_2020_2025", "voeten"): 19,
        ("voeten", "undl_scrape"): 8580,
    }
    assert int((~cmp["agree"]).sum()) == 0
    recorded = cmp[(cmp["source_a"] == "voeten") & (cmp["source_b"] == "undl_scrape") & (cmp["vote_a"] != "X")]
    assert len(recorded) == 8168


@needs_raw
def test_a_planted_disagreement_fails_the_build_check():
    sources = unvotes.read_sources(RAW)
    s = sources["undl_scrape"]
    i = s.index[(s["iso3"] == "BLR") & (s["date"] == "2021-12-06")][0]
    s.loc[i, "vote"] = {"Y": "N", "N": "Y", "A": "Y", "X": "Y"}[s.loc[i, "vote"]]
    with pytest.raises(ValueError, match="disagree on 1 country-votes"):
        unga.check_sources_agree(sources)


@needs_raw
def test_load_votes_interface():
    v = unvotes.load_votes(RAW)
    assert list(v.columns) == ["rcid", "date", "year", "session", "iso3", "vote", "source"]
    assert set(v["vote"]) == {"Y", "N", "A"}
    assert not v.duplicated(["rcid", "iso3"]).any()
    assert set(v["year"]) == set(range(2013, 2026))
    for y in (2014, 2025):
        assert {"USA", "CHN", "TUR", "DEU", "RUS", "UKR"} <= set(v.loc[v["year"] == y, "iso3"])
    assert set(v.loc[v["source"] == "undl_scrape", "iso3"]) <= set(unvotes.SCRAPE_COUNTRIES)
    with_x = unvotes.load_votes(RAW, keep_absent=True)
    assert set(with_x["vote"]) == {"Y", "N", "A", "X"} and len(with_x) > len(v)


@needs_raw
def test_alignment_years_and_statuses(out):
    f = out.frame()
    a = f[f["indicator"] == "unga_alignment"]
    assert (a["status"] == "observed").all()
    assert a["value"].between(0, 100).all()
    assert len(a) == 14 * 13  # all 14 countries, every year 2013-2025
    assert set(a["year"]) == set(range(2013, 2026))
    ind = {i.id: i for i in out.indicators}["unga_alignment"]
    assert "Pearson r" in ind.years_note and "2024 " in ind.years_note
    assert "absent" in ind.definition and "abstain" in ind.definition.lower() and "ES-11" in ind.definition


@needs_raw
def test_idealpoint_crosscheck_is_negative_every_year(out):
    """Agreement and ideal-point distance rank the states alike: r < -0.4 in every year 2013-2024."""
    f = out.frame()
    agr = f[f["indicator"] == "unga_alignment"].rename(columns={"value": "agreement"})
    corr = unga.idealpoint_correlation(agr, unga.idealpoint_distance(RAW))
    assert list(corr["year"]) == list(range(2013, 2025)) and (corr["n"] == 14).all()
    assert (corr["r"] < -0.4).all()


@needs_raw
def test_68_262_votes_in_voeten_csv():
    """The Voeten roll call R/68/262 read with plain csv: UA yes, BY/AM/RU no, KZ/UZ abstain, KG absent."""
    folder = RAW / "unvotes_voeten"
    with open(folder / "un_roll_calls_1991plus.csv", newline="", encoding="utf-8") as f:
        (rcid,) = [r["rcid"] for r in csv.DictReader(f) if r["unres"] == "R/68/262"]
    with open(folder / "un_votes_15countries_1991plus.csv", newline="", encoding="utf-8") as f:
        votes = {r["country_code"]: r["vote"] for r in csv.DictReader(f) if r["rcid"] == rcid}
    assert votes["UA"] == "yes" and votes["BY"] == "no" and votes["AM"] == "no" and votes["RU"] == "no"
    assert votes["KZ"] == "abstain" and votes["UZ"] == "abstain"
    assert "KG" not in votes and "TM" not in votes and "TJ" not in votes


@needs_raw
@pytest.mark.parametrize(
    ("iso3", "year", "level", "status"),
    [
        ("UKR", 2014, 0, "observed"),
        ("BLR", 2014, 2, "observed"),
        ("ARM", 2014, 2, "observed"),
        ("KAZ", 2014, 1, "observed"),
        ("KGZ", 2014, 1, "observed"),  # absent
        ("ARM", 2021, 2, "carried_forward"),
        ("ARM", 2022, 1, "observed"),  # abstained on ES-11/1
        ("AZE", 2022, 1, "observed"),  # absent on ES-11/1
        ("BLR", 2025, 2, "carried_forward"),
        ("GEO", 2023, 0, "carried_forward"),
    ],
)
def test_ukraine_votes(frame, iso3, year, level, status):
    row = frame.loc[("ukraine_votes", iso3, year)]
    assert row["value"] == level and row["status"] == status


@needs_raw
def test_ukraine_votes_coverage_and_events(out):
    f = out.frame()
    u = f[f["indicator"] == "ukraine_votes"]
    assert set(u["year"]) == set(range(2014, 2026))  # 2013 missing
    assert len(u) == 14 * 12
    assert "absent" in u.loc[(u["iso3"] == "KGZ") & (u["year"] == 2014), "note"].iloc[0]
    ev = out.events_frame()
    assert len(ev) == 28 and set(ev["kind"]) == {"un_vote"}
    assert set(ev["date"]) == {"2014-03-27", "2022-03-02"}


@needs_raw
def test_cross_check_catches_a_wrong_hand_list():
    key = unga.read_key_votes(RAW)
    key.loc[(key["code"] == "68/262") & (key["iso3"] == "ARM"), "vote_list"] = "approve"
    with pytest.raises(ValueError, match="68/262 ARM"):
        unga.check_68_262(key, unga.read_votes(RAW), unga.read_roll_calls(RAW))


@needs_raw
def test_build_is_deterministic(out):
    again = unga.build(RAW)
    assert again.frame().equals(out.frame())
    assert again.events_frame().equals(out.events_frame())
