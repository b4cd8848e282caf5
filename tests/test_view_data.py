"""The Data & sources view finds a figure: its filters return exactly the panel's matching rows."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

import indicators

APP = "../dashboard.py"


def shown_values(at: AppTest):
    return at.dataframe[0].value


def test_filters_return_the_matching_panel_rows():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = "data"
    at.run()
    assert not at.exception
    panel = indicators.load_panel()
    year = at.session_state["year"]
    assert len(shown_values(at)) == int((panel["year"] == year).sum())  # default: the page's year only
    at.multiselect(key="dv_country").set_value(["Armenia"])
    at.multiselect(key="dv_year").set_value([2016, 2020])
    at.multiselect(key="dv_status").set_value(["observed"])
    at.run()
    want = panel[(panel["iso3"] == "ARM") & panel["year"].isin([2016, 2020]) & (panel["status"] == "observed")]
    got = shown_values(at)
    assert len(got) == len(want) > 0
    assert set(got["Country"]) == {"Armenia"} and set(got["Status"]) == {"observed"}
    assert got["Source"].str.len().min() > 5 and got["Link"].str.startswith("http").all()


def test_every_value_names_its_source_in_words_not_an_id():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = "data"
    at.run()
    at.multiselect(key="dv_year").set_value([])
    at.run()
    got = shown_values(at)
    assert len(got) == len(indicators.load_panel())
    ids = set(indicators.load_sources())
    assert not got["Source"].isin(ids).any()
