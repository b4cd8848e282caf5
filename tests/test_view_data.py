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


def test_the_values_imputed_by_the_model_are_listed():
    """Every weighted value the default policy fills in a year is listed once, with the score's filled value."""
    import numpy as np

    import scoring

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = "data"
    at.query_params["year"] = "2025"
    at.run()
    assert not at.exception
    got = next(d.value for d in at.dataframe if "Imputed value (0–100) †" in d.value.columns)
    panel, catalog, _ = indicators.shipped()
    model = scoring.Model.from_panel(panel, catalog)
    spec = scoring.spec_from_preset("equal", catalog).replace(years=(2025,))
    res = model.score(spec)
    assert len(got) == int(res.imputed.sum()) > 0 and set(got["Year"]) == {2025}
    vals = model.values(spec)[model.year_index(2025)]
    for r in got.itertuples(index=False):
        c = model.country_names.index(r.Country)
        k = [catalog[i].name for i in model.indicators].index(r.Indicator)
        assert res.imputed[0, c, k] and r[3] == round(float(vals[c, k]), 1)
    assert (got["± (standard deviation)"] > 0).all() and got["How"].str.len().min() > 5
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"view": "data", "year": "2025", "miss": "renormalise"})
    at.run()
    assert not at.exception and not any("Imputed value (0–100) †" in d.value.columns for d in at.dataframe)
    assert np.isfinite(res.score).all()
