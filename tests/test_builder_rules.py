"""Table-driven tests of the rules shared by the builders (indicators/builders/common.py, issue 16).

Every expected output below is written out by hand, not computed with the functions under test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from indicators.builders import common
from indicators.builders.common import Fill, Rule, fill_gaps, partial_months, partial_ok, sourced_status

# A rule with small, distinct parameters so that every limit is visible in the tables below.
R = Rule("test", max_gap_years=2, max_carry_years=1, min_partial_months=6)
YEARS = range(2013, 2021)  # 2013..2020


@pytest.mark.parametrize(
    ("anchors", "breaks", "expected"),
    [
        # no anchors: nothing
        ({}, (), {}),
        # 2 missing years between 2014 and 2017 -> interpolated: 10 + 30*1/3 = 20, 10 + 30*2/3 = 30;
        # 2013 carried back 1 year, 2018 forward 1 year, 2019-2020 beyond max_carry_years stay missing
        (
            {2014: 10.0, 2017: 40.0},
            (),
            {
                2013: Fill(10.0, "carried_forward", 2014, None),
                2015: Fill(20.0, "imputed", 2014, 2017),
                2016: Fill(30.0, "imputed", 2014, 2017),
                2018: Fill(40.0, "carried_forward", 2017, None),
            },
        ),
        # 3 missing years (2015-2017) > max_gap_years 2 -> only carries of 1 year from each side
        (
            {2014: 10.0, 2018: 50.0},
            (),
            {
                2013: Fill(10.0, "carried_forward", 2014, None),
                2015: Fill(10.0, "carried_forward", 2014, None),
                2017: Fill(50.0, "carried_forward", 2018, None),
                2019: Fill(50.0, "carried_forward", 2018, None),
            },
        ),
        # a break in 2016: the break year is never filled and nothing is interpolated across it
        (
            {2015: 10.0, 2017: 30.0},
            (2016,),
            {
                2014: Fill(10.0, "carried_forward", 2015, None),
                2018: Fill(30.0, "carried_forward", 2017, None),
            },
        ),
        # an anchor outside the years (2012) still anchors: 0 + 30*1/3 = 10, 0 + 30*2/3 = 20
        (
            {2012: 0.0, 2015: 30.0},
            (2017,),
            {
                2013: Fill(10.0, "imputed", 2012, 2015),
                2014: Fill(20.0, "imputed", 2012, 2015),
                2016: Fill(30.0, "carried_forward", 2015, None),
            },
        ),
    ],
)
def test_fill_gaps_table(anchors, breaks, expected):
    got = fill_gaps(anchors, R, YEARS, breaks)
    assert set(got) == set(expected)
    for y, f in expected.items():
        assert got[y].status == f.status and (got[y].from_year, got[y].to_year) == (f.from_year, f.to_year), y
        assert got[y].value == pytest.approx(f.value), y


def test_fill_gaps_tie_goes_to_the_earlier_anchor():
    # 2016 is 2 years from 2014 and from 2018; 3 missing years > 2 so no interpolation; carry 2 allowed
    rule = Rule("t", max_gap_years=2, max_carry_years=2, min_partial_months=6)
    got = fill_gaps({2014: 1.0, 2018: 9.0}, rule, [2016])
    assert got == {2016: Fill(1.0, "carried_forward", 2014, None)}


def test_fill_gaps_zero_parameters_fill_nothing():
    rule = Rule("t", max_gap_years=0, max_carry_years=0, min_partial_months=6)
    assert fill_gaps({2014: 1.0, 2016: 3.0}, rule, YEARS) == {}


@pytest.mark.parametrize(
    ("fill", "year", "text"),
    [
        (Fill(20.0, "imputed", 2014, 2017), 2015, "linear interpolation between 2014 (10) and 2017 (40)"),
        (Fill(10.0, "carried_forward", 2014, None), 2013, "carried back from 2014 (10), 1 year(s)"),
        (Fill(40.0, "carried_forward", 2017, None), 2019, "carried forward from 2017 (40), 2 year(s)"),
    ],
)
def test_fill_describe(fill, year, text):
    assert fill.describe(year, anchors={2014: 10.0, 2017: 40.0}) == text


@pytest.mark.parametrize(
    ("notes", "months"),
    [
        ("", None),
        ("approximate", None),
        ("PARTIAL YEAR Jan-Aug 2023", 8),
        ("PARTIAL YEAR Jan\u2013May", 5),
        ("PARTIAL YEAR H1 2024 (Ministry)", 6),
        ("PARTIAL YEAR Q1 2011; extra year", 3),
        ("PARTIAL YEAR single month (March)", 1),
        ("PARTIAL YEAR (months not stated)", 0),  # unreadable length -> 0, never None
    ],
)
def test_partial_months_table(notes, months):
    assert partial_months(notes) == months


@pytest.mark.parametrize(
    ("months", "ok"),
    [(None, True), (12, True), (6, True), (5, False), (1, False), (0, False)],
)
def test_partial_ok_table(months, ok):
    assert partial_ok(months, R) is ok


@pytest.mark.parametrize(
    ("reasons", "status"),
    [
        ((), "observed"),
        (("partial_year",), "estimated"),
        (("cross_source",), "estimated"),  # e.g. a WDI total x a bilateral-matrix share, in every year
        (("cross_source", "modelled", "held"), "estimated"),
        (("mirror",), "estimated"),
    ],
)
def test_sourced_status_table(reasons, status):
    assert sourced_status(reasons) == status


def test_sourced_status_rejects_unknown_reason():
    with pytest.raises(ValueError, match="unknown status reason"):
        sourced_status({"guess"})


@pytest.mark.parametrize(
    ("notes", "reasons"),
    [
        ("", set()),
        ("PARTIAL YEAR Jan-Aug 2023; approximate", {"partial_year", "approximate"}),
        ("YEAR INFERRED from the article date", {"year_inferred"}),
        ("lower bound ('more than 80%')", {"bound"}),
        ("Upper bound", {"bound"}),
    ],
)
def test_reasons_from_notes_table(notes, reasons):
    assert common.reasons_from_notes(notes) == reasons


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2014", dt.date(2014, 1, 1)),
        ("2022-04", dt.date(2022, 4, 1)),
        (" 2022-04-01 ", dt.date(2022, 4, 1)),
    ],
)
def test_parse_date_table(text, date):
    assert common.parse_date(text) == date


def test_parse_date_is_defined_once():
    from indicators.builders import memberships, western

    assert memberships.parse_date is common.parse_date and western.parse_date is common.parse_date


def test_rules_table_rows():
    # the shipped table, as written in indicators/hand/rules.csv
    rules = common.load_rules()
    got = {k: (r.max_gap_years, r.max_carry_years, r.min_partial_months) for k, r in rules.items()}
    assert got["trade_share_russia"] == (4, 2, 6)
    assert got["pipeline_dependence"] == (6, 2, 4)
    assert got["remittances_russia_gdp"] == (0, 0, 5)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("indicator,max_gap_years,max_carry_years\nx,1,1\n", "missing columns"),
        ("indicator,max_gap_years,max_carry_years,min_partial_months\nx,1,1,13\n", "months <= 12"),
        ("indicator,max_gap_years,max_carry_years,min_partial_months\nx,1,-1,6\n", ">= 0"),
        ("indicator,max_gap_years,max_carry_years,min_partial_months\nx,a,1,6\n", "whole numbers"),
        ("indicator,max_gap_years,max_carry_years,min_partial_months\nx,1,1,6\nx,2,2,6\n", "twice"),
    ],
)
def test_load_rules_rejects_bad_tables(tmp_path, body, message):
    p = tmp_path / "rules.csv"
    p.write_text(body)
    with pytest.raises(ValueError, match=message):
        common.load_rules(p)


def test_builders_read_their_rule():
    from indicators.builders import energy, remittances

    assert energy.RULE == common.rule_for("pipeline_dependence")
    assert remittances.RULE == common.rule_for("remittances_russia_gdp")
    with pytest.raises(KeyError, match="no row"):
        common.rule_for("no_such_indicator")
