"""The page's logic through Streamlit's AppTest: no browser, real script runs.

Every view test asserts what the view shows (values, order, labels), computed here
independently from the model (``scoring`` on the shipped data, with the spec read from the
session's widgets), not merely that the script ran.
"""

from __future__ import annotations

import base64
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import indicators
import scoring
from indicators.countries import PANEL_COUNTRIES, YEARS
from tests.apptest_live import live_data, release_weights
from ui import uploads
from ui.context import format_value
from ui.methodology import METHOD_TEXT, method_label, methodology_markdown, readable
from ui.safe import md as inert
from ui.state import preset_label

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


def ranking_order(at: AppTest) -> list[str]:
    """ISO3 codes in the ranking the page computed (the live ranking's data), best first."""
    return live_data(at)["order"]


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
    """The model's own order (ScoreResult.for_year: rank, then ISO3) for the spec the page is showing."""
    return list(expected_table(at)["iso3"])


# ---------------------------------------------------------------- ranking
def test_ranking_shows_every_state_in_the_models_order():
    at = ok(run())
    assert at.session_state["year"] == MODEL.default_year(scoring.spec_from_preset("equal", CATALOG))
    order = ranking_order(at)
    assert sorted(order) == sorted(PANEL_COUNTRIES)
    assert order == expected_order(at)
    # The component gets the session weights and the normalised values of the page's year.
    data = live_data(at)
    assert data["weights"]["pillar"] == {p: at.session_state[f"pw_{p}"] for p in indicators.PILLARS}
    assert data["year"] == at.session_state["year"]


def test_moving_a_weight_changes_the_ranking_as_the_model_says():
    at = ok(run())
    before = ranking_order(at)
    # Put almost all weight on the western-ties pillar with the live ranking's sliders and let go: the
    # session weights, the ranking, the component's sliders and the URL must follow the model.
    ok(release_weights(at, pillar={p: 0.0 if p != "western_ties" else 10.0 for p in indicators.PILLARS}))
    assert at.session_state["pw_western_ties"] == 10.0 and at.session_state["pw_security"] == 0.0
    assert live_data(at)["weights"]["pillar"]["western_ties"] == 10.0
    pw = at.query_params["pw"]
    assert "western_ties:10" in (pw if isinstance(pw, str) else pw[-1])
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
            assert cell.startswith(format_value(ind, p.loc[(ind.id, "BLR"), "value"])), (ind.id, cell)
        else:  # the default policy imputes it for the score, and says so
            assert cell == "missing, imputed by the model †"


def test_trends_view_draws_every_states_scores_by_year():
    at = ok(run({"view": "trends", "hl": "GEO", "chain": "0"}))  # actual scores (composition not held fixed)
    fig = figures(at)[0]
    points = {
        tr["name"]: tr for tr in fig["data"] if tr.get("mode") == "markers" and tr["name"] in PANEL_COUNTRIES.values()
    }
    assert set(points) == set(PANEL_COUNTRIES.values())
    table = MODEL.score(page_spec(at).replace(years=None)).table
    for iso, name in PANEL_COUNTRIES.items():
        s = table[table["iso3"] == iso].sort_values("year")
        assert _arr(points[name]["x"]) == list(YEARS)
        got = np.array([np.nan if v is None else v for v in _arr(points[name]["y"])], dtype=float)
        np.testing.assert_allclose(got, s["score"].to_numpy(dtype=float), equal_nan=True)
    assert list(points)[-1] == "Georgia"  # highlighted line drawn last (on top)


def test_map_view_colours_each_state_by_its_score():
    at = ok(run({"view": "map", "year": "2021"}))
    fig = figures(at)[0]
    russia, scored = fig["data"][:2]
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
    ew = next(d.value for d in at.dataframe if "Influence on the index" in d.value.columns)
    exp = scoring.effective_weights(MODEL, spec, year=2023)
    assert list(ew["Indicator"]) == [CATALOG[k].name for k in exp["indicator"]]
    np.testing.assert_allclose(ew["Weight you set"], exp["nominal_weight"])
    np.testing.assert_allclose(ew["Influence on the index"], exp["correlation_weight"])
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
    kaz = values[(values["Country"] == "Kazakhstan") & (values["Indicator"] == CATALOG["csto_membership"].name)]
    want = rows[(rows["iso3"] == "KAZ") & (rows["indicator"] == "csto_membership")]
    assert kaz["Value"].tolist() == [format_value(CATALOG["csto_membership"], v) for v in want["value"]]
    assert kaz["Status"].tolist() == [s.replace("_", " ") for s in want["status"]]
    assert len(sources) == len(SOURCES)


def test_methodology_view_shows_the_methodology_text():
    at = ok(run({"view": "method"}))
    poles, measures = indicators.load_poles()
    assert methodology_markdown(CATALOG, SOURCES, poles, measures).strip() in [m.value.strip() for m in at.markdown]


def test_methodology_lists_every_indicator_and_method():
    md = methodology_markdown(CATALOG, SOURCES)
    for ind in CATALOG.values():
        # catalogue text is data, made inert by the page's one escaper (issue 21)
        assert f"#### {inert(ind.name)}\n" in md and inert(readable(ind.coding_rule, CATALOG)) in md
    for registry in (scoring.NORMALISERS, scoring.AGGREGATORS, scoring.MISSING_POLICIES):
        for name in registry:
            assert f"- **{method_label(name)}**: {METHOD_TEXT[name]}" in md, name
    for name, p in scoring.PRESETS.items():
        assert f"- **{preset_label(name)}**: {p.rationale}" in md, name
    assert "`" not in md and ":class:" not in md and ".py" not in md


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
    ids_a = {i["id"] for i in live_data(a)["indicators"]}
    ids_b = {i["id"] for i in live_data(b)["indicators"]}
    assert ind.id in ids_a and live_data(a)["weights"]["indicator"][ind.id] == 1.0
    assert ind.id not in ids_b
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
        ev = [t for t in fig["data"] if t.get("name") == "events: Armenia"]
        return sum(len(t["text"]) for t in ev)

    ev = indicators.load_events()
    arm = ev[(ev["iso3"] == "ARM") & ev["date"].str[:4].astype(int).isin(YEARS)]
    assert marker_years(at) == arm["date"].str[:4].nunique()
    at.session_state["evk"] = ["membership"]
    at.run()
    only = arm[arm["kind"] == "membership"]
    assert 0 < marker_years(at) == only["date"].str[:4].nunique() < arm["date"].str[:4].nunique()


@pytest.mark.parametrize(
    "view", ["compare", "trends", "map", "poles", "change", "robustness", "scenarios", "data", "method", "upload"]
)
def test_every_view_renders(view):
    at = run({"view": view, "scn": "armenia_leaves_the_csto"})
    assert not at.exception, [e.value for e in at.exception]


def test_page_states_what_the_numbers_rest_on_and_shows_tiers_and_both_coverages():
    at = run({"view": "data"})
    assert not at.exception, [e.value for e in at.exception]
    header = " ".join(c.value for c in at.caption)
    assert "recomputed from cited data" not in header
    assert "are observed figures with an official, reference or press source" in header
    frames = [df.value for df in at.dataframe]
    sources = next(f for f in frames if "Producer" in f.columns)
    assert sources.columns[0] == "Tier" and sources["Tier"].notna().all()
    assert set(sources["Tier"]) <= {"official", "reference", "press", "interested-party"}
    values = next(f for f in frames if "‡" in f.columns)
    assert set(values["Tier"]) <= {"official", "reference", "press", "interested-party"}
    assert (values["‡"] == "‡").any()  # interested-party-only values are marked
    at = run({"view": "compare", "cmp": "ARM,EST"})
    caps = " ".join(c.value for c in at.caption)
    assert len(re.findall(r"coverage \d+% · observed \d+%", caps)) == 2


def test_data_uncertainty_switch_travels_in_the_url_and_the_caption_says_it_is_on():
    at = run({"view": "robustness", "dunc": "on"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["dunc"] == "on"
    caps = " ".join(c.value for c in at.caption)
    assert "estimated values varied (estimated ±10" in caps
    at = run({"view": "ranking"})
    assert "data values held fixed" in " ".join(c.value for c in at.caption)


def test_the_monte_carlo_can_vary_the_missing_data_policy_from_the_url():
    at = run({"view": "robustness", "dunc": "policy", "unc": "off"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["dunc"] == "policy"
    caps = " ".join(c.value for c in at.caption)
    assert "missing-data policy drawn at random" in caps and "drawn from its uncertainty" in caps
    at = run({"view": "robustness", "miss": "renormalise"})
    caps = " ".join(c.value for c in at.caption)
    assert "policy drawn at random" not in caps and "drawn from its uncertainty" not in caps
