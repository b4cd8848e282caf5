"""The 'Between the poles' view through Streamlit's AppTest (no browser, real script runs)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from scoring import pulls as sp

APP = "../dashboard.py"  # AppTest resolves paths relative to this file


def run(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_the_view_draws_14_states_in_the_triangle_with_compare_highlighted():
    at = run({"view": "poles", "py": "2019", "cmp": "BLR,UKR"})
    assert not at.exception, [e.value for e in at.exception]
    figs = figures(at)
    tri = next(f for f in figs if "Between the poles, 2019" in f["layout"]["title"]["text"])
    points = tri["data"][-1]
    assert points["type"] == "scatterternary" and len(points["a"]) == 14
    # the point is the model's position (a = Moscow, b = the West, c = Beijing)
    model = sp.PullsModel.shipped()
    pos = sp.positions(model.pulls, model.default_weights())
    blr = pos[(pos.iso3 == "BLR") & (pos.year == 2019)].set_index("pole")["value"]
    i = points["customdata"].index("BLR")
    assert (points["a"][i], points["b"][i], points["c"][i]) == tuple(
        round(blr[k], 4) for k in ("moscow", "west", "beijing")
    )
    assert "UN vote agreement" in points["hovertext"][i] and "Share of goods trade" in points["hovertext"][i]
    assert points["marker"]["size"][i] > points["marker"]["size"][points["customdata"].index("ARM")]
    trails = [t for t in tri["data"][:-1] if t["mode"] == "lines" and t.get("name") != "leader lines"]
    assert len(trails) == 14  # one path per state, 2013 to the selected year
    small = next(f for f in figs if "Each measure's shares" in f["layout"]["title"]["text"])
    assert len(small["data"]) == 4
    assert any("Between the poles" in c.value for c in at.subheader)


def test_measure_weights_come_from_the_url_and_go_back_into_it():
    at = run({"view": "poles", "pm": "trade:0,arms:0,ties:0"})
    assert not at.exception and not at.warning
    assert at.session_state["pm_trade"] == 0.0 and at.session_state["pm_un_votes"] == 1.0
    assert at.query_params["pm"] == "trade:0,arms:0,ties:0"
    at.slider(key="pm_ties").set_value(2.0).run()
    assert at.query_params["pm"] == "trade:0,arms:0,ties:2"


def test_all_measure_weights_zero_is_refused_in_the_page():
    at = run({"view": "poles", "pm": "un_votes:0,trade:0,arms:0,ties:0"})
    assert not at.exception
    assert any("all measure weights are zero" in e.value for e in at.error)


def test_methodology_explains_the_second_lens():
    at = run({"view": "method"})
    text = "\n".join(m.value for m in at.markdown)
    assert "A second lens: between the poles" in text and "does **not** change the Moscow-alignment score" in text


def test_the_view_opens_on_the_latest_year_with_every_measure_for_most_states_and_names_what_a_year_lacks():
    """Issue 22: the page's default year (2025) has trade data for 0 of 14 states; the view opens on the latest
    year in which every measure has data for more than half of the states, and says what a year lacks."""
    model = sp.PullsModel.shipped()
    n = model.states_with()
    opening = max(y for y in n.index if (n.loc[y] > 7).all())
    assert opening == model.complete_year() and n.loc[opening + 1 :, "trade"].max() <= 7
    at = run({"view": "poles"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["py"] == opening and at.query_params["py"] == str(opening)
    figs = figures(at)
    assert any(f"Between the poles, {opening}" in f["layout"]["title"]["text"] for f in figs)
    at = run({"view": "poles", "py": "2025"})
    lacks = " ".join(c.value for c in at.caption if "lacks data for most states" in c.value)
    assert f"Share of goods trade ({n.loc[2025, 'trade']} of 14 states)" in lacks, lacks
    assert f"{opening} is the latest year" in lacks
    # with trade weighted 0 nothing is missing in 2025, so the view would open there
    assert model.complete_year({"trade": 0}) == max(model.years)
