"""The page's logic through Streamlit's AppTest: no browser, real script runs."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

import indicators
import scoring
from indicators.countries import PANEL_COUNTRIES, YEARS
from tests.apptest_live import live_data, release_weights
from ui.methodology import METHOD_TEXT, method_label, methodology_markdown, readable
from ui.state import preset_label

APP = "../dashboard.py"  # AppTest resolves paths relative to this file


def run(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def ranking_order(at: AppTest) -> list[str]:
    """ISO3 codes in the ranking the page computed, best (closest to Moscow) first."""
    return live_data(at)["order"]


def expected_order(at: AppTest) -> list[str]:
    """The model's own order (ScoreResult.for_year: rank, then ISO3) for the spec the page is showing."""
    panel, catalog, _ = indicators.shipped()
    model = scoring.Model.from_panel(panel, catalog)
    ss = at.session_state
    spec = scoring.ScoringSpec(
        indicator_weights={k: ss[f"w_{k}"] for k in catalog},
        pillar_weights={p: ss[f"pw_{p}"] for p in indicators.PILLARS},
        normalisation=ss["norm"],
        aggregation=ss["agg"],
        missing=ss["miss"],
        min_coverage=ss["cov"],
        years=(ss["year"],),
    )
    return list(model.score(spec).for_year(ss["year"])["iso3"])


def test_app_runs_and_ranks_all_states():
    at = run()
    assert not at.exception, [e.value for e in at.exception]
    order = ranking_order(at)
    assert sorted(order) == sorted(PANEL_COUNTRIES)
    assert order == expected_order(at)
    # The component gets the session weights and the normalised values of the page's year.
    data = live_data(at)
    assert data["weights"]["pillar"] == {p: at.session_state[f"pw_{p}"] for p in indicators.PILLARS}
    assert data["year"] == at.session_state["year"]


def test_moving_a_weight_changes_the_ranking_as_the_model_says():
    at = run()
    before = ranking_order(at)
    # Put almost all weight on the western-ties pillar with the live ranking's sliders and let go: the
    # session weights, the ranking, the component's sliders and the URL must follow the model.
    release_weights(at, pillar={p: 0.0 if p != "western_ties" else 10.0 for p in indicators.PILLARS})
    assert at.session_state["pw_western_ties"] == 10.0 and at.session_state["pw_security"] == 0.0
    assert live_data(at)["weights"]["pillar"]["western_ties"] == 10.0
    pw = at.query_params["pw"]
    assert "western_ties:10" in (pw if isinstance(pw, str) else pw[-1])
    after = ranking_order(at)
    assert not at.exception
    assert after != before
    assert after == expected_order(at)


def test_url_parameters_restore_the_view():
    at = run({"view": "trends", "year": "2019", "preset": "security_first", "cmp": "UKR,BLR", "norm": "goalposts"})
    assert not at.exception
    assert not at.warning, [w.value for w in at.warning]
    ss = at.session_state
    assert (ss["view"], ss["year"], ss["preset"], ss["norm"]) == ("trends", 2019, "security_first", "goalposts")
    assert ss["cmp"] == ["UKR", "BLR"]
    assert ss["pw_security"] > ss["pw_economy"]


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"year": "1800"}, "'year': 1800 is outside the panel"),
        ({"year": "abc"}, "'year': 'abc' is not a year"),
        ({"view": "nope"}, "'view': 'nope' is not one of"),
        ({"w": "csto_membership:-4"}, "csto_membership = -4 is outside 0-10"),
        ({"w": "not_an_indicator:3"}, "unknown key 'not_an_indicator'"),
        ({"cmp": "ARM,XXX"}, "unknown country code(s) XXX"),
        ({"norm": "magic"}, "'norm': 'magic' is not one of"),
        ({"cov": "7"}, "'cov': 7.0 is outside 0-1"),
        ({"ed": "ARM:2024:csto_membership"}, "is not ISO3:year:indicator:value"),
    ],
)
def test_bad_parameters_fall_back_with_a_visible_notice(params, fragment):
    at = run(params)
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(w.value for w in at.warning)
    assert fragment in text, text
    assert ranking_order(at) or at.session_state["view"] != "ranking"


def test_preset_and_reset():
    at = run()
    at.selectbox(key="preset").set_value("security_first").run()
    assert at.session_state["pw_security"] > at.session_state["pw_economy"]
    at.button[0].click().run()
    assert at.session_state["preset"] == "equal"
    assert at.session_state["pw_security"] == at.session_state["pw_economy"]


@pytest.mark.parametrize(
    "view", ["compare", "trends", "map", "poles", "robustness", "scenarios", "data", "method", "upload"]
)
def test_every_view_renders(view):
    at = run({"view": view, "scn": "armenia_leaves_the_csto"})
    assert not at.exception, [e.value for e in at.exception]


def test_scenario_edits_travel_in_the_url():
    at = run({"view": "scenarios", "ed": "ARM:2024:csto_membership:0"})
    assert not at.exception
    assert at.session_state["edits"] == (("ARM", 2024, "csto_membership", 0.0),)
    ed = at.query_params["ed"]
    assert (ed if isinstance(ed, str) else ed[-1]) == "ARM:2024:csto_membership:0"


def test_methodology_lists_every_indicator_and_method():
    _, catalog, sources = indicators.shipped()
    md = methodology_markdown(catalog, sources)
    for ind in catalog.values():
        assert f"#### {ind.name}\n" in md and readable(ind.coding_rule, catalog) in md
    for registry in (scoring.NORMALISERS, scoring.AGGREGATORS, scoring.MISSING_POLICIES):
        for name in registry:
            assert f"- **{method_label(name)}**: {METHOD_TEXT[name]}" in md, name
    for name, p in scoring.PRESETS.items():
        assert f"- **{preset_label(name)}**: {p.rationale}" in md, name
    assert "`" not in md and ":class:" not in md and ".py" not in md


def _user_state(at: AppTest):
    """Put an uploaded indicator into one AppTest session the way the upload view does."""
    from pathlib import Path

    from ui import uploads

    fx = Path(__file__).parent / "fixtures" / "uploads"
    values = uploads.parse_values("good_long.csv", (fx / "good_long.csv").read_bytes())
    ind, src = uploads.parse_metadata((fx / "good_metadata.json").read_bytes(), values, name="good_metadata.json")
    panel, catalog, sources = indicators.shipped()
    p, c, s = uploads.merge_user_indicator(panel, catalog, sources, ind, src, values)
    at.session_state["user_panel"], at.session_state["user_catalog"] = p, c
    at.session_state["user_sources"], at.session_state["user_model"] = s, scoring.Model.from_panel(p, c)
    at.session_state["user_model_key"] = "user-test"
    return ind


def test_an_upload_in_one_session_is_invisible_in_another():
    a, b = run(), run()
    ind = _user_state(a)
    a.run()
    b.run()
    assert not a.exception and not b.exception
    ids_a = {i["id"] for i in live_data(a)["indicators"]}
    ids_b = {i["id"] for i in live_data(b)["indicators"]}
    assert ind.id in ids_a and live_data(a)["weights"]["indicator"][ind.id] == 1.0
    assert ind.id not in ids_b
    assert all("(your data)" not in i["name"] for i in live_data(b)["indicators"])
    assert ind.id not in indicators.shipped()[1]  # the shipped catalogue is untouched


def test_switching_views_keeps_every_setting():
    """Regression: view-only widgets (countries, uncertainty, seed…) lost their state on a second switch."""
    at = run()
    at.selectbox(key="unc").set_value("high").run()
    for view in ("compare", "trends", "robustness", "ranking", "scenarios", "compare"):
        at.session_state["view"] = view
        at.run()
        assert not at.exception, (view, [e.value for e in at.exception])
    assert at.session_state["unc"] == "high"
    assert at.session_state["cmp"] == ["ARM", "KAZ", "GEO"]


def test_event_kind_filter_thins_the_trend_markers():
    """Unpicking event kinds removes their markers; the count left matches the shipped events."""
    at = run({"view": "trends", "hl": "ARM"})
    assert not at.exception

    def marker_years(at):
        fig = next(json.loads(el.proto.spec) for el in at.get("plotly_chart"))
        ev = [t for t in fig["data"] if t.get("name") == "events: Armenia"]
        return sum(len(t["text"]) for t in ev)

    ev = indicators.load_events()
    arm = ev[(ev["iso3"] == "ARM") & ev["date"].str[:4].astype(int).isin(YEARS)]
    assert marker_years(at) == arm["date"].str[:4].nunique()
    at.session_state["evk"] = ["membership"]
    at.run()
    only = arm[arm["kind"] == "membership"]
    assert 0 < marker_years(at) == only["date"].str[:4].nunique() < arm["date"].str[:4].nunique()


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
