"""The page's logic through Streamlit's AppTest: no browser, real script runs.

Every view test asserts what the view shows (values, order, labels), computed here
independently from the model (``scoring`` on the shipped data, with the spec read from the
session's widgets), not merely that the script ran.
"""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import indicators
import scoring
from indicators.countries import PANEL_COUNTRIES, YEARS
from ui import uploads
from ui.methodology import methodology_markdown

APP = "../dashboard.py"  # AppTest resolves paths relative to this file
FIX = Path(__file__).parent / "fixtures" / "uploads"
PANEL, CATALOG, SOURCES = indicators.shipped()
MODEL = scoring.Model.from_panel(PANEL, CATALOG)


def run(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _arr(v):
    """A plotly JSON array: a list, or a typed array {"dtype", "bdata"} (plotly >= 6)."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v)


def figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def ranking_bars(at: AppTest) -> dict:
    return next(f for f in figures(at) if f["data"] and f["data"][0].get("type") == "bar")


def ranking_order(at: AppTest) -> list[str]:
    """Countries in the ranking chart, best (closest to Moscow) first."""
    return list(reversed(ranking_bars(at)["data"][0]["y"]))  # plotted bottom-up


def page_spec(at: AppTest, catalog=CATALOG, year: int | None = None) -> scoring.ScoringSpec:
    """The spec the page's widgets describe, read from the session (not from the page's code)."""
    ss = at.session_state
    return scoring.ScoringSpec(
        indicator_weights={k: ss[f"w_{k}"] for k in catalog},
        pillar_weights={p: ss[f"pw_{p}"] for p in indicators.PILLARS},
        normalisation=ss["norm"],
        aggregation=ss["agg"],
        missing=ss["miss"],
        min_coverage=ss["cov"],
        years=(year or ss["year"],),
    )


def expected_table(at: AppTest, model=MODEL, catalog=CATALOG) -> pd.DataFrame:
    y = at.session_state["year"]
    return model.score(page_spec(at, catalog)).for_year(y)


def expected_order(at: AppTest) -> list[str]:
    t = expected_table(at).sort_values(["score", "country"], ascending=[False, True], na_position="last")
    return list(t["country"])


# ---------------------------------------------------------------- ranking
def test_ranking_shows_every_state_in_the_models_order_with_score_and_rank_labels():
    at = ok(run())
    assert at.session_state["year"] == MODEL.default_year(scoring.spec_from_preset("equal", CATALOG))
    order = ranking_order(at)
    assert sorted(order) == sorted(PANEL_COUNTRIES.values())
    assert order == expected_order(at)
    fig = ranking_bars(at)
    labels = next(t for t in fig["data"] if t.get("mode") == "text")
    text = dict(zip(labels["y"], labels["text"], strict=True))
    for r in expected_table(at).itertuples():
        if math.isnan(r.score):
            assert text[r.country] == "no score (too little data)"
        else:
            assert text[r.country].startswith(f"{r.score:.1f} · #{int(r.rank)} "), (r.country, text[r.country])
            assert f"cov {r.coverage * 100:.0f}%" in text[r.country]
    # bars split by pillar by default: one trace per pillar with data, segment lengths = the contributions
    pillars = [p for p in indicators.PILLARS if any(i.pillar == p for i in CATALOG.values())]
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == [p.replace("_", " ") for p in pillars]
    t = expected_table(at).set_index("country")
    sec = dict(zip(bars[0]["y"], _arr(bars[0]["x"]), strict=True))
    sec_cols = [f"contrib_{i.id}" for i in CATALOG.values() if i.pillar == pillars[0]]
    for c in PANEL_COUNTRIES.values():
        assert sec[c] == pytest.approx(t.loc[c, sec_cols].sum(min_count=1) if t.loc[c, sec_cols].notna().any() else 0)


def test_moving_a_weight_changes_the_ranking_as_the_model_says():
    at = ok(run())
    before = ranking_order(at)
    # Put almost all weight on the western-ties pillar: the ranking must follow the model.
    for p in indicators.PILLARS:
        at.slider(key=f"pw_{p}").set_value(0.0 if p != "western_ties" else 10.0)
    ok(at.run())
    after = ranking_order(at)
    assert after != before
    assert after == expected_order(at)


def test_url_parameters_restore_the_view():
    at = ok(run({"view": "trends", "year": "2019", "preset": "security_first", "cmp": "UKR,BLR", "norm": "goalposts"}))
    assert not at.warning, [w.value for w in at.warning]
    ss = at.session_state
    assert (ss["view"], ss["year"], ss["preset"], ss["norm"]) == ("trends", 2019, "security_first", "goalposts")
    assert ss["cmp"] == ["UKR", "BLR"]
    assert ss["pw_security"] == 3.0 and ss["pw_economy"] == 1.0


@pytest.mark.parametrize(
    "params, fragment, key, fallback",
    [
        ({"year": "1800"}, "'year': 1800 is outside the panel", "year", None),
        ({"year": "abc"}, "'year': 'abc' is not a year", "year", None),
        ({"view": "nope"}, "'view': 'nope' is not one of", "view", "ranking"),
        ({"w": "csto_membership:-4"}, "csto_membership = -4 is outside 0-10", "w_csto_membership", 1.0),
        ({"w": "not_an_indicator:3"}, "unknown key 'not_an_indicator'", "w_csto_membership", 1.0),
        ({"cmp": "ARM,XXX"}, "unknown country code(s) XXX", "cmp", ["ARM", "KAZ", "GEO"]),
        ({"norm": "magic"}, "'norm': 'magic' is not one of", "norm", "minmax"),
        ({"cov": "7"}, "'cov': 7.0 is outside 0-1", "cov", 0.5),
        ({"ed": "ARM:2024:csto_membership"}, "is not ISO3:year:indicator:value", "edits", ()),
    ],
)
def test_bad_parameters_fall_back_with_a_visible_notice(params, fragment, key, fallback):
    at = ok(run(params))
    text = " ".join(w.value for w in at.warning)
    assert fragment in text, text
    if fallback is None:  # the default year
        fallback = MODEL.default_year(scoring.spec_from_preset("equal", CATALOG))
    assert at.session_state[key] == fallback
    assert at.session_state["view"] == "ranking" and ranking_order(at) == expected_order(at)


def test_preset_and_reset():
    at = ok(run())
    at.selectbox(key="preset").set_value("security_first").run()
    assert at.session_state["pw_security"] == 3.0 and at.session_state["pw_economy"] == 1.0
    assert ranking_order(at) == expected_order(at)
    next(b for b in at.button if b.label == "Reset all settings").click().run()
    assert at.session_state["preset"] == "equal"
    assert all(at.session_state[f"pw_{p}"] == 1.0 for p in indicators.PILLARS)


# ---------------------------------------------------------------- the other views
def test_compare_view_shows_the_chosen_states_scores_ranks_and_raw_values():
    at = ok(run({"view": "compare", "cmp": "UKR,BLR,ARM", "year": "2022"}))
    t = expected_table(at).set_index("iso3")
    metrics = {m.label: m for m in at.metric}
    assert list(metrics) == ["Ukraine", "Belarus", "Armenia"]
    for iso in ("UKR", "BLR", "ARM"):
        m = metrics[PANEL_COUNTRIES[iso]]
        assert m.value == f"{t.loc[iso, 'score']:.1f}"
        assert m.delta == f"rank #{int(t.loc[iso, 'rank'])} of 14"
    pillar_fig = next(f for f in figures(at) if f["data"][0].get("type") == "bar")
    assert [tr["name"] for tr in pillar_fig["data"]] == ["Ukraine", "Belarus", "Armenia"]
    ukr = pillar_fig["data"][0]
    for p, v in zip(ukr["x"], _arr(ukr["y"]), strict=True):
        want = t.loc["UKR", f"pillar_{p.replace(' ', '_')}"]
        assert (v is None and math.isnan(want)) or v == pytest.approx(want)
    raw = next(d.value for d in at.dataframe if "indicator" in d.value.columns)
    assert list(raw["indicator"]) == [i.name for i in CATALOG.values()]
    p = PANEL[PANEL["year"] == 2022].set_index(["indicator", "iso3"])
    for ind in CATALOG.values():
        cell = raw.loc[raw["indicator"] == ind.name, "Belarus"].iloc[0]
        if (ind.id, "BLR") in p.index:
            assert cell.startswith(f"{p.loc[(ind.id, 'BLR'), 'value']:g}"), (ind.id, cell)
        else:
            assert cell == "missing"


def test_trends_view_draws_every_states_scores_by_year():
    at = ok(run({"view": "trends", "hl": "GEO"}))
    fig = figures(at)[0]
    lines = {tr["name"]: tr for tr in fig["data"] if tr.get("mode") == "lines+markers"}
    assert set(lines) == set(PANEL_COUNTRIES.values())
    table = MODEL.score(page_spec(at).replace(years=None)).table
    for iso, name in PANEL_COUNTRIES.items():
        s = table[table["iso3"] == iso].sort_values("year")
        assert _arr(lines[name]["x"]) == list(YEARS)
        got = np.array([np.nan if v is None else v for v in _arr(lines[name]["y"])], dtype=float)
        np.testing.assert_allclose(got, s["score"].to_numpy(dtype=float), equal_nan=True)
    assert lines["Georgia"]["line"]["width"] == 3 and lines["Armenia"]["line"]["width"] == 1.5  # highlight
    assert list(lines)[-1] == "Georgia"  # highlighted line drawn last (on top)


def test_map_view_colours_each_state_by_its_score():
    at = ok(run({"view": "map", "year": "2021"}))
    fig = figures(at)[0]
    russia, scored = fig["data"]
    assert russia["locations"] == ["RUS"]
    t = expected_table(at).dropna(subset=["score"]).set_index("iso3")
    got = dict(zip(_arr(scored["locations"]), _arr(scored["z"]), strict=True))
    assert set(got) == set(t.index)
    for iso, z in got.items():
        assert z == pytest.approx(t.loc[iso, "score"])
    assert "2021" in fig["layout"]["title"]["text"]


def test_robustness_view_shows_the_models_ranks_reachable_ranges_and_effective_weights():
    at = ok(run({"view": "robustness", "year": "2023", "unc": "off"}))
    spec = page_spec(at)
    fig = next(f for f in figures(at) if any(tr.get("name", "").startswith("reachable") for tr in f["data"]))
    reach = reach_from_figure(fig)
    want = scoring.reachable_ranks(MODEL, spec, floor=0.02, year=2023).table.set_index("country")
    for country, (best, worst) in reach.items():
        assert (best, worst) == (want.loc[country, "best_rank"], want.loc[country, "worst_rank"]), country
    dots = next(tr for tr in fig["data"] if tr["name"] == "rank at your weights")
    t = expected_table(at).dropna(subset=["rank"]).set_index("country")
    assert dict(zip(dots["y"], _arr(dots["x"]), strict=True)) == {c: float(r) for c, r in t["rank"].items()}
    assert not any(tr["name"].startswith("5–95%") for tr in fig["data"])  # uncertainty off: no bands
    ew = next(d.value for d in at.dataframe if "correlation_weight" in d.value.columns)
    exp = scoring.effective_weights(MODEL, spec, year=2023)
    pd.testing.assert_frame_equal(ew.reset_index(drop=True), exp.reset_index(drop=True), check_dtype=False)
    flagged = exp[exp["flag"].isin(["under", "over"])]
    warnings = [w.value for w in at.warning]
    assert len(warnings) == len(flagged)
    for r, w in zip(flagged.itertuples(), warnings, strict=True):
        assert w.startswith(CATALOG[r.indicator].name) and f"nominal weight {r.nominal_weight:.0%}" in w


def reach_from_figure(fig: dict) -> dict[str, tuple[int, int]]:
    tr = next(t for t in fig["data"] if t.get("name", "").startswith("reachable"))
    out = {}
    for y, cd in zip(tr["y"], tr["customdata"], strict=True):
        if y is not None:
            out[y] = (int(cd[0]), int(cd[1]))
    return out


def test_scenario_view_shows_the_scenarios_before_and_after():
    at = ok(run({"view": "scenarios", "scn": "armenia_leaves_the_csto", "year": "2024"}))
    sc = scoring.load_example_scenarios(CATALOG)["Armenia leaves the CSTO"]
    assert any(sc.name in i.value and sc.citation.source in i.value for i in at.info)
    d = next(x.value for x in at.dataframe if "score_change" in x.value.columns).set_index("country")
    want = scoring.compare_scenario(PANEL, CATALOG, sc, page_spec(at), before=MODEL).set_index("country")
    assert list(d.index) == list(want.sort_values("rank_after").index)
    for c in d.index:
        for col in ("score_before", "score_after", "score_change"):
            assert d.loc[c, col] == pytest.approx(want.loc[c, col], nan_ok=True)
    assert d.loc["Armenia", "score_change"] < 0  # leaving the CSTO moves Armenia away from Moscow
    assert at.session_state["edits"] == (("ARM", 2024, "csto_membership", 0.0), ("ARM", 2025, "csto_membership", 0.0))


def test_scenario_edits_travel_in_the_url():
    at = ok(run({"view": "scenarios", "ed": "ARM:2024:csto_membership:0"}))
    assert at.session_state["edits"] == (("ARM", 2024, "csto_membership", 0.0),)
    ed = at.query_params["ed"]
    assert (ed if isinstance(ed, str) else ed[-1]) == "ARM:2024:csto_membership:0"


def test_data_view_lists_the_years_values_and_every_source():
    at = ok(run({"view": "data", "year": "2020"}))
    values, sources = at.dataframe[0].value, at.dataframe[-1].value
    rows = PANEL[(PANEL["year"] == 2020) & PANEL["iso3"].isin(list(PANEL_COUNTRIES))]
    assert len(values) == len(rows)
    assert list(values.columns) == ["country", "indicator name", "value", "status", "note", "source"]
    kaz = values[(values["country"] == "Kazakhstan") & (values["indicator name"] == CATALOG["csto_membership"].name)]
    want = rows[(rows["iso3"] == "KAZ") & (rows["indicator"] == "csto_membership")]
    assert kaz["value"].tolist() == want["value"].tolist() and kaz["status"].tolist() == want["status"].tolist()
    assert len(sources) == len(SOURCES) and set(sources["source_id"]) == set(SOURCES)
    assert [s.value for s in at.subheader] == [
        "Indicator values, 2020",
        "Coverage: share of the 14 states with an observed value",
        "Sources",
    ]


def test_methodology_view_shows_the_methodology_text():
    at = ok(run({"view": "method"}))
    assert methodology_markdown(CATALOG, SOURCES).strip() in [m.value.strip() for m in at.markdown]


def test_methodology_lists_every_indicator_and_method():
    md = methodology_markdown(CATALOG, SOURCES)
    for ind in CATALOG.values():
        assert f"`{ind.id}`" in md and ind.coding_rule in md
    for registry in (scoring.NORMALISERS, scoring.AGGREGATORS, scoring.MISSING_POLICIES, scoring.PRESETS):
        for name in registry:
            assert f"`{name}`" in md, name


def test_upload_view_shows_the_help_and_the_three_uploaders():
    at = ok(run({"view": "upload"}))
    assert uploads.help_markdown().strip() in [m.value.strip() for m in at.markdown]
    assert [f.label for f in at.file_uploader] == [
        "Indicator values (CSV: long iso3,year,value or wide iso3,2013,…)",
        "Metadata (JSON) — or fill in the fields below",
        "Scoring spec (JSON, as downloaded from the sidebar)",
    ]


# ---------------------------------------------------------------- uploads through the page
def upload_indicator(at: AppTest, direction: int = 1, pillar: str | None = None) -> AppTest:
    """Upload the fixture values with the fixture metadata (direction and pillar changed) via the form."""
    meta = json.loads((FIX / "good_metadata.json").read_text()) | {"direction": direction}
    if pillar:
        meta["pillar"] = pillar
    at.session_state["view"] = "upload"
    ok(at.run())
    at.file_uploader[0].set_value(("good_long.csv", (FIX / "good_long.csv").read_bytes(), "text/csv"))
    at.file_uploader[1].set_value(("meta.json", json.dumps(meta).encode(), "application/json"))
    next(b for b in at.button if b.label == "Add to my model").click()
    return ok(at.run())


def user_model(direction: int):
    values = uploads.parse_values("good_long.csv", (FIX / "good_long.csv").read_bytes())
    meta = json.loads((FIX / "good_metadata.json").read_text()) | {"direction": direction}
    ind, src = uploads.parse_metadata(meta, values, name="meta.json")
    p, c, _ = uploads.merge_user_indicator(PANEL, CATALOG, SOURCES, ind, src, values)
    return scoring.Model.from_panel(p, c), c, ind


def test_reuploading_with_another_direction_recomputes_the_robustness_results():
    """Regression: the cache key hashed the panel only, so new metadata showed stale reachable ranks."""
    at = ok(run({"year": "2023", "unc": "off"}))
    upload_indicator(at, direction=1)
    key1 = at.session_state["user_model_key"]
    at.session_state["view"] = "robustness"
    first = reach_from_figure(
        next(f for f in figures(ok(at.run())) if f["data"][0].get("name", "").startswith("reach"))
    )
    upload_indicator(at, direction=-1)
    at.session_state["view"] = "robustness"
    shown = reach_from_figure(
        next(f for f in figures(ok(at.run())) if f["data"][0].get("name", "").startswith("reach"))
    )
    model, catalog, ind = user_model(-1)
    assert at.session_state["user_catalog"][ind.id].direction == -1
    want = scoring.reachable_ranks(model, page_spec(at, catalog), floor=0.02, year=2023).table.set_index("country")
    assert shown == {c: (want.loc[c, "best_rank"], want.loc[c, "worst_rank"]) for c in shown}
    assert shown != first  # the direction matters for these ranges
    assert at.session_state["user_model_key"] != key1


def test_uploaded_spec_weights_above_the_slider_maximum_are_scaled_like_presets_with_a_notice():
    """Regression: weights above 10 were clipped to 10, which changed the effective weights silently."""
    at = ok(run({"view": "upload"}))
    spec = scoring.ScoringSpec(
        indicator_weights={"csto_membership": 20.0, "eaeu_membership": 5.0},
        pillar_weights={"security": 30.0, "economy": 3.0},
        normalisation="goalposts",
        years=(2021,),
    )
    at.file_uploader[2].set_value(("spec.json", spec.to_json().encode(), "application/json"))
    ok(at.run())
    ss = at.session_state
    # indicator weights scaled by 10/20, pillar weights by 10/30: the ratios (and effective weights) are kept
    assert ss["w_csto_membership"] == pytest.approx(10.0) and ss["w_eaeu_membership"] == pytest.approx(2.5)
    assert ss["w_unga_alignment"] == pytest.approx(0.5)
    assert ss["pw_security"] == pytest.approx(10.0) and ss["pw_economy"] == pytest.approx(1.0)
    assert ss["pw_energy"] == pytest.approx(1 / 3)
    np.testing.assert_allclose(MODEL.weights(page_spec(at)), MODEL.weights(spec))
    assert (ss["norm"], ss["year"]) == ("goalposts", 2021)
    notes = " ".join(x.value for x in [*at.info, *at.warning, *at.success])
    assert "scaled" in notes and "10" in notes, notes


def test_an_upload_in_one_session_is_invisible_in_another():
    a, b = run(), run()
    upload_indicator(a)
    ind = next(i for i in a.session_state["user_catalog"].values() if uploads.is_user_indicator(i))
    a.session_state["view"] = "ranking"
    ok(a.run())
    ok(b.run())
    assert f"w_{ind.id}" in {s.key for s in a.slider}
    assert f"w_{ind.id}" not in {s.key for s in b.slider}
    assert ranking_order(b) == expected_order(b)
    assert ind.id not in indicators.shipped()[1]  # the shipped catalogue is untouched


def test_switching_views_keeps_every_setting():
    """Regression: view-only widgets (countries, uncertainty, seed…) lost their state on a second switch."""
    at = ok(run())
    at.selectbox(key="unc").set_value("high").run()
    for view in ("compare", "trends", "robustness", "ranking", "scenarios", "compare"):
        at.session_state["view"] = view
        ok(at.run())
    assert at.session_state["unc"] == "high"
    assert at.session_state["cmp"] == ["ARM", "KAZ", "GEO"]


def test_event_kind_filter_thins_the_trend_markers():
    """Unpicking event kinds removes their markers; the count left matches the shipped events."""
    at = ok(run({"view": "trends", "hl": "ARM"}))

    def marker_years(at):
        fig = figures(at)[0]
        ev = [t for t in fig["data"] if t.get("name") == "events: ARM"]
        return sum(len(t["text"]) for t in ev)

    ev = indicators.load_events()
    arm = ev[(ev["iso3"] == "ARM") & ev["date"].str[:4].astype(int).isin(YEARS)]
    assert marker_years(at) == arm["date"].str[:4].nunique()
    at.session_state["evk"] = ["membership"]
    at.run()
    only = arm[arm["kind"] == "membership"]
    assert 0 < marker_years(at) == only["date"].str[:4].nunique() < arm["date"].str[:4].nunique()
