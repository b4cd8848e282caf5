"""Tests of indicators/builders/unga.py: agreement rule, hand-checked values, Ukraine votes."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest

from indicators.builders import unga

RAW = Path(os.environ.get("ALIGN_RAW_DIR", Path(__file__).parent.parent.parent / "shared" / "raw"))
needs_raw = pytest.mark.skipif(
    not (RAW / "unvotes_voeten").is_dir(),
    reason=f"raw data not found at {RAW}; set ALIGN_RAW_DIR to the shared raw folder",
)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("yes", "yes", 1.0),
        ("no", "no", 1.0),
        ("abstain", "abstain", 1.0),
        ("yes", "abstain", 0.5),
        ("abstain", "yes", 0.5),
        ("no", "abstain", 0.5),
        ("yes", "no", 0.0),
        ("no", "yes", 0.0),
    ],
)
def test_vote_agreement_table(a, b, expected):
    assert unga.vote_agreement(a, b) == expected


@pytest.mark.parametrize("bad", ["absent", "", "Yes"])
def test_vote_agreement_rejects_non_votes(bad):
    with pytest.raises(ValueError, match="drop absences"):
        unga.vote_agreement(bad, "yes")


def test_fit_line_exact_and_degenerate():
    x = np.array([0.0, 1.0, 2.0, 3.0])
    alpha, beta, r2 = unga.fit_line(x, 80 - 10 * x)
    assert alpha == pytest.approx(80) and beta == pytest.approx(-10) and r2 == pytest.approx(1)
    with pytest.raises(ValueError):
        unga.fit_line(np.ones(4), np.arange(4.0))


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
@pytest.mark.parametrize(("iso2", "iso3", "year"), [("GE", "GEO", 2018), ("BY", "BLR", 2016), ("TM", "TKM", 2013)])
def test_agreement_matches_hand_computation(frame, iso2, iso3, year):
    expected, n = _hand_agreement(iso2, year)
    row = frame.loc[("unga_alignment", iso3, year)]
    assert row["value"] == pytest.approx(expected, abs=1e-9)
    assert row["status"] == "observed"
    assert row["note"].startswith(f"{n} final-passage")
    assert n >= unga.MIN_SHARED_VOTES


@needs_raw
def test_alignment_years_and_statuses(out):
    f = out.frame()
    a = f[f["indicator"] == "unga_alignment"]
    assert set(a.loc[a["status"] == "observed", "year"]) == set(range(2013, 2020))
    assert set(a.loc[a["status"] == "estimated", "year"]) == set(range(2020, 2025))
    assert 2025 not in set(a["year"])
    assert a["value"].between(0, 100).all()
    assert len(a) == 14 * 12  # all 14 countries, 2013-2024
    ind = {i.id: i for i in out.indicators}["unga_alignment"]
    assert "alpha =" in ind.years_note and "R^2" in ind.years_note


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
