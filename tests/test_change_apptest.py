"""The 'What changed' view, honest trends and the provisional year marks, through Streamlit's AppTest."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import indicators
import scoring
from indicators.countries import PANEL_COUNTRIES
from scoring.composition import chain_linked, composition_table, provisional_years
from ui.state import PageConfig

APP = "../dashboard.py"  # AppTest resolves paths relative to this file


def run(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


@pytest.fixture(scope="module")
def model():
    panel, catalog, _ = indicators.shipped()
    return scoring.Model.from_panel(panel, catalog)


def page_spec(at: AppTest) -> scoring.ScoringSpec:
    ss = at.session_state
    _, catalog, _ = indicators.shipped()
    return scoring.ScoringSpec(
        indicator_weights={k: ss[f"w_{k}"] for k in catalog},
        pillar_weights={p: ss[f"pw_{p}"] for p in indicators.PILLARS},
        normalisation=ss["norm"],
        aggregation=ss["agg"],
        missing=ss["miss"],
        min_coverage=ss["cov"],
    )


def figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def waterfall(at: AppTest) -> dict:
    return next(f["data"][0] for f in figures(at) if f["data"] and f["data"][0]["type"] == "waterfall")


def qp(at: AppTest, key: str):
    v = at.query_params.get(key)
    return v[-1] if isinstance(v, list) else v


def scored_pair(model, spec, iso):
    """The two latest years in which ``iso`` has a score and whose indicator sets differ (else the last two)."""
    t = model.score(spec).table.set_index(["iso3", "year"])["score"]
    years = [y for y in model.years if not np.isnan(t[(iso, y)])]
    return years[-2], years[-1]


@pytest.mark.parametrize("agg", ["arithmetic", "geometric"])
def test_waterfall_bars_sum_to_the_change_shown(model, agg):
    spec = scoring.ScoringSpec(aggregation=agg)
    y0, y1 = scored_pair(model, spec, "ARM")
    at = run({"view": "change", "cc": "ARM", "cf": str(y0), "ct": str(y1), "agg": agg})
    assert not at.exception, [e.value for e in at.exception]
    wf = waterfall(at)
    y = wf["y"]
    assert wf["measure"][0] == "absolute" and wf["measure"][-1] == "total"
    parts = np.array(y[1:-1], dtype=float)
    # the bars go from the earlier score to the later one ...
    assert y[0] + parts.sum() == pytest.approx(y[-1], abs=1e-9)
    # ... those scores are the model's ...
    s = model.score(page_spec(at)).table.set_index(["iso3", "year"])["score"]
    assert (y[0], y[-1]) == (pytest.approx(s[("ARM", y0)]), pytest.approx(s[("ARM", y1)]))
    # ... and the change printed above the chart is the sum of the bars
    shown = next(m for m in at.metric if m.label.startswith("Score"))
    assert float(shown.delta) == pytest.approx(parts.sum(), abs=0.005)
    # largest part first
    assert list(np.abs(parts)) == sorted(np.abs(parts), reverse=True)
    # the hover of each indicator bar carries its raw values
    assert all(
        "raw value" in h or "entered" in h or "left" in h or "same indicators" in h for h in wf["customdata"][1:-1]
    )


def test_every_state_table_lists_all_14_with_their_driver(model):
    at = run({"view": "change", "cf": "2023", "ct": "2024"})
    assert not at.exception
    df = at.dataframe[0].value
    assert sorted(df["country"]) == sorted(PANEL_COUNTRIES.values())
    s = model.score(page_spec(at)).table.set_index(["country", "year"])["score"]
    for _, r in df.iterrows():
        want = s[(r["country"], 2024)] - s[(r["country"], 2023)]
        assert (np.isnan(want) and np.isnan(r["change"])) or r["change"] == pytest.approx(want, abs=0.006)


def _thin_years(model, spec, iso: str) -> set[int]:
    """Years whose score for ``iso`` rests on less than 75% of the weight on sourced values."""
    t = model.score(spec).table.set_index(["iso3", "year"])["coverage"]
    return {y for y in model.years if t[(iso, y)] < 0.75 - 1e-12}


def test_a_point_resting_on_imputed_values_is_drawn_hollow_and_names_them(model):
    """Default policy: nothing enters or leaves, so a point is provisional when less than 75% of its weight is
    sourced; the hover names the imputed (†) indicators."""
    spec0 = scoring.spec_from_preset("equal", indicators.shipped()[1])
    iso = max(PANEL_COUNTRIES, key=lambda c: (len(_thin_years(model, spec0, c)), c))
    at = run({"view": "trends", "hl": iso})
    assert not at.exception
    spec = page_spec(at)
    prov = _thin_years(model, spec, iso)
    assert prov, "the shipped data has no thin year for any state"
    markers = next(
        t for t in figures(at)[0]["data"] if t.get("name") == PANEL_COUNTRIES[iso] and t["mode"] == "markers"
    )
    drawn = {x: sym for x, sym in zip(markers["x"], markers["marker"]["symbol"], strict=True)}
    assert {x for x, sym in drawn.items() if sym == "circle-open"} == prov
    hover = dict(zip(markers["x"], markers["text"], strict=True))
    assert all("provisional" in hover[y] and "imputed †" in hover[y] for y in prov)
    filled = model.score(spec).missing_indicators()[:, model.countries.index(iso)]
    for y, h in hover.items():
        assert ("imputed †" in h) == bool(filled[model.year_index(y)])
    assert "left:" not in " ".join(hover.values())


def test_a_provisional_year_is_drawn_hollow_and_dashed(model):
    at = run({"view": "trends", "hl": "ARM", "miss": "coverage_threshold"})
    assert not at.exception
    comp = composition_table(model.score(page_spec(at)))
    prov = set(comp[(comp["iso3"] == "ARM") & comp["provisional"]]["year"])
    assert prov, "the shipped data has no provisional year for Armenia: pick another country"
    fig = figures(at)[0]
    markers = next(t for t in fig["data"] if t.get("name") == "Armenia" and t["mode"] == "markers")
    drawn = {x: sym for x, sym in zip(markers["x"], markers["marker"]["symbol"], strict=True)}
    assert {x for x, sym in drawn.items() if sym == "circle-open"} == prov
    assert all(sym == "circle" for x, sym in drawn.items() if x not in prov)
    dashed = next(t for t in fig["data"] if t.get("legendgroup") == "ARM" and t["line"].get("dash") == "dash")
    ends = {x for k, x in enumerate(dashed["x"]) if x is not None and k % 3 == 1}
    assert ends == prov
    hover = dict(zip(markers["x"], markers["text"], strict=True))
    assert all("provisional" in hover[y] and ("left:" in hover[y] or "entered:" in hover[y]) for y in prov)


def test_trends_show_the_scores_by_default_and_can_show_the_chain_linked_series(model):
    at = run({"view": "trends", "hl": "KAZ", "miss": "coverage_threshold"})
    assert not at.exception and at.session_state["chain"] is False
    spec = page_spec(at)
    actual = model.score(spec).table.set_index(["iso3", "year"])["score"]
    kaz = next(t for t in figures(at)[0]["data"] if t.get("name") == "Kazakhstan" and t["mode"] == "markers")
    np.testing.assert_allclose(
        np.array(kaz["y"], dtype=float), [actual[("KAZ", x)] for x in kaz["x"]], atol=1e-9, equal_nan=True
    )
    at.toggle(key="chain").set_value(True).run()
    assert qp(at, "chain") == "1"
    assert "different series" in figures(at)[0]["layout"]["title"]["text"]
    year = at.session_state["year"]
    want = chain_linked(model, spec, year)
    want = want[want["iso3"] == "KAZ"].set_index("year")["chained"]
    kaz = next(t for t in figures(at)[0]["data"] if t.get("name") == "Kazakhstan" and t["mode"] == "markers")
    np.testing.assert_allclose(np.array(kaz["y"], dtype=float), want.reindex(kaz["x"]).to_numpy(), atol=1e-9)


def test_the_url_restores_country_and_years():
    at = run({"view": "change", "cc": "KAZ", "cf": "2019", "ct": "2022", "chain": "0"})
    assert not at.exception
    assert all("Most of this move" in w.value for w in at.warning), [w.value for w in at.warning]
    ss = at.session_state
    assert (ss["view"], ss["chg_c"], ss["chg_from"], ss["chg_to"], ss["chain"]) == ("change", "KAZ", 2019, 2022, False)
    assert waterfall(at)["x"][0] == "2019 score" and waterfall(at)["x"][-1] == "2022 score"
    # changing the widgets writes them back to the URL
    at.selectbox(key="chg_c").set_value("GEO").run()
    at.selectbox(key="chg_to").set_value(2024).run()
    assert (qp(at, "cc"), qp(at, "cf"), qp(at, "ct"), qp(at, "chain")) == ("GEO", "2019", "2024", "0")


def test_bad_change_parameters_fall_back_with_a_notice():
    at = run({"view": "change", "cc": "XXX", "cf": "1990", "chain": "maybe"})
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "'cc'" in text and "'cf'" in text and "'chain'" in text
    assert at.session_state["chg_c"] == "ARM"


@pytest.mark.parametrize("view, button", [("compare", "What changed?"), ("trends", "What changed for Georgia?")])
def test_compare_and_trends_open_what_changed_for_a_country(view, button):
    at = run({"view": view, "cmp": "ARM,GEO", "hl": "GEO", "year": "2021", "cf": "2015", "ct": "2016"})
    assert not at.exception
    btn = next(b for b in at.button if b.label == button and (view == "trends" or b.key.endswith("GEO")))
    btn.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["view"] == "change" and at.session_state["chg_c"] == "GEO"
    assert qp(at, "view") == "change" and qp(at, "cc") == "GEO"
    # the link explains the move into the selected year
    assert (at.session_state["chg_from"], at.session_state["chg_to"]) == (2020, 2021)
    assert waterfall(at)["x"][0] == "2020 score" and waterfall(at)["x"][-1] == "2021 score"


def test_the_year_picker_marks_provisional_years(model):
    at = run()
    _, catalog, _ = indicators.shipped()
    spec0 = scoring.spec_from_preset("equal", catalog)
    want = set(provisional_years(model, spec0))
    options = at.selectbox(key="year").options
    marked = {int(o.split()[0]) for o in options if "provisional" in o}
    assert marked == want
    assert len(options) == len(model.years)


def test_page_config_year_label(model):
    _, catalog, _ = indicators.shipped()
    page = PageConfig.build(catalog, model)
    for y in model.years:
        assert page.year_label(y).startswith(str(y))
        assert ("provisional" in page.year_label(y)) == (y in page.provisional)


def _rule_year(model, spec) -> int:
    """Issue 20's default-year rule, computed here from the panel rows themselves: the latest year in which
    every state has at least 75% of the effective weight on indicators with a row in the panel."""
    panel, _, _ = indicators.shipped()
    w = dict(zip(model.indicators, model.weights(spec), strict=True))
    have = panel[panel["iso3"].isin(model.countries)].groupby(["year", "iso3"])["indicator"].agg(set)
    ok = [
        y
        for y in model.years
        if all(sum(w[i] for i in have.get((y, c), set())) >= 0.75 - 1e-12 for c in model.countries)
    ]
    return max(ok)


def test_the_page_and_the_cli_open_on_the_default_year_of_the_rule(model, capsys):
    from scoring.cli import main as scores_main

    _, catalog, _ = indicators.shipped()
    spec0 = scoring.spec_from_preset("equal", catalog)
    want = _rule_year(model, spec0)
    assert model.default_year(spec0) == want
    at = run()
    assert at.session_state["year"] == want
    assert scores_main([]) == 0
    out, err = capsys.readouterr()
    assert err.startswith(f"year {want}: ") and err.count("\n") == 1
    assert {int(line.split(",")[2]) for line in out.splitlines()[1:]} == {want}
    # every later year is provisional, with what it lacks
    page = PageConfig.build(catalog, model)
    assert page.provisional == tuple(y for y in model.years if y > want)
    for y in page.provisional:
        assert "sourced (lacks " in page.lacks[y]


def test_a_provisional_year_says_what_it_lacks(model):
    _, catalog, _ = indicators.shipped()
    page = PageConfig.build(catalog, model)
    assert page.provisional, "the shipped data has no provisional year"
    y = page.provisional[-1]
    at = run({"year": str(y)})
    assert not at.exception
    caps = [c.value for c in at.sidebar.caption if c.value.startswith("Provisional")]
    assert caps == [
        f"Provisional: some {y} scores rest partly on values imputed by the missing-data model (†). "
        f"Less than 75% of the weight sourced: {page.lacks[y]}."
    ]
    at = run({"year": str(model.default_year(scoring.spec_from_preset("equal", catalog)))})
    assert not [c for c in at.sidebar.caption if c.value.startswith("Provisional")]
