"""The live ranking (ui/live_ranking.py + .js) in the dashboard, in headless Chromium: the browser's scores
are the model's, the bars follow a slider while it is dragged, release reaches Python (URL, CSV), the
keyboard works, and the sidebar's preset still moves the sliders.

The in-browser scorer is compared with ``Model.score`` for random weights; the expected orders and scores
always come from the model at test time (the data may be rebuilt), never from hard-coded numbers.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import scoring
from benchmarks.harness import is_local
from indicators.countries import PANEL_COUNTRIES
from tests.browser.scorer_check import LIVE, check_scorer
from ui.state import preset_label

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser


def open_ranking(page, path: str = "/"):
    page.goto(path)
    page.wait_for_selector(f"{LIVE}[data-order*=',']", timeout=30_000)


def test_the_browser_scores_equal_model_score_for_random_weights(page, ui, page_model):
    open_ranking(page)
    root = page.locator(LIVE)
    state = page_model.state(page.url)
    checked = check_scorer(root, page_model.model, state.year, state.normalisation, state.missing)
    assert state.missing == "impute"  # the default policy: the values the page sends include imputed ones
    assert checked >= 200
    # And the zero-weight case: the browser refuses as the model does.
    zero = {k: 0.0 for k in page_model.model.indicators}
    assert root.evaluate("(el, w) => el.liveRanking.compute(w, {}, {})", zero) is None
    with pytest.raises(scoring.SpecError):
        page_model.model.score(scoring.ScoringSpec(indicator_weights=zero))


def test_the_browser_scores_follow_the_pages_normalisation_and_year(page, ui, page_model):
    open_ranking(page, "/?year=2016&norm=percentile&agg=geometric&miss=coverage_threshold")
    r = ui.wait_for_ranking(page)
    expected = page_model.expected_ranking(page.url)
    assert expected["year"] == 2016
    assert ui.same_ranking(r, expected), (r, expected)
    check_scorer(page.locator(LIVE), page_model.model, 2016, "percentile", "coverage_threshold", n=15, seed=3)


def thumb_x(box: dict, value: float, vmax: float = 10.0, thumb: float = 16.0) -> float:
    return box["x"] + thumb / 2 + (box["width"] - thumb) * value / vmax


def test_dragging_reorders_as_the_model_and_release_updates_url_and_csv(page, ui, page_model, tmp_path, artifacts):
    open_ranking(page)
    ui.wait_idle(page)
    root = page.locator(LIVE)
    start = ui.wait_for_ranking(page)
    url_before = page.url
    slider = page.get_by_role("slider", name="Western ties", exact=True)
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(thumb_x(box, float(slider.input_value())), y)
    page.mouse.down()
    seen_orders = []
    for v in (2, 3.5, 5, 6.5, 8, 10):
        page.mouse.move(thumb_x(box, v), y, steps=3)
        # While the thumb is held: the bars already follow, in the model's order for these weights.
        w = root.evaluate("el => el.liveRanking.weights()")
        assert w["pillar"]["western_ties"] == float(slider.input_value()) > 1
        state = page_model.state(page.url)
        want = page_model.expected(
            page_model.spec(state).replace(indicator_weights=w["indicator"], pillar_weights=w["pillar"]), state.year
        )
        got = ui.ranking(page)
        assert ui.same_ranking(got, want), (v, got, want)
        seen_orders.append(got["order"])
    assert page.url == url_before, "nothing goes to the server before the thumb is released"
    assert any(o != start["order"] for o in seen_orders), "weighting western ties up should reorder some states"
    root.screenshot(path=str(artifacts / "live_ranking_dragging.png"))
    page.mouse.up()
    final = float(slider.input_value())
    q = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        q = {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}
        if f"western_ties:{final:g}" in q.get("pw", ""):
            break
        page.wait_for_timeout(100)
    assert f"western_ties:{final:g}" in q.get("pw", ""), page.url
    expected = page_model.expected_ranking(page.url)
    ui.wait_for_ranking(page, lambda r: ui.same_ranking(r, expected) and r["server_order"] == expected["order"])
    ui.wait_idle(page)
    ui.assert_no_exception(page)

    # The CSV download is the CLI's, byte for byte, for the downloaded spec.
    sidebar = page.get_by_test_id("stSidebar")
    with page.expect_download() as d:
        sidebar.get_by_role("button", name="Download scores (CSV)").click()
    csv_path = tmp_path / "page.csv"
    d.value.save_as(csv_path)
    with page.expect_download() as d:
        sidebar.get_by_role("button", name="Download spec (JSON)").click()
    spec_path = tmp_path / "spec.json"
    d.value.save_as(spec_path)
    spec = scoring.ScoringSpec.from_json(spec_path.read_text())
    assert spec.pillar_weights["western_ties"] == final
    out = subprocess.run(
        [sys.executable, "-m", "scoring", "--weights", str(spec_path)], cwd=ROOT, capture_output=True, timeout=120
    )
    assert out.returncode == 0, out.stderr.decode()
    assert csv_path.read_bytes() == out.stdout
    # The browser's own CSV for these weights is the same bytes.
    assert root.evaluate("el => el.liveRanking.csv()").encode() == out.stdout
    assert all(is_local(u) for u in page.requests_seen())


def test_keyboard_moves_a_weight_announces_it_and_reorders_at_once(page, ui, page_model):
    open_ranking(page)
    ui.wait_idle(page)
    root = page.locator(LIVE)
    slider = page.get_by_role("slider", name="Security", exact=True)
    slider.focus()
    orders = []
    for key, value in [("End", "10"), ("ArrowLeft", "9.75"), ("Home", "0"), ("ArrowRight", "0.25"), ("PageUp", "1.25")]:
        page.keyboard.press(key)
        assert slider.input_value() == value
        assert slider.get_attribute("aria-valuetext") == value
        assert page.locator(".lr-sr").text_content() == f"Security: weight {value}"
        # Redrawn in the same task as the key press: no server round trip needed.
        w = root.evaluate("el => el.liveRanking.weights()")
        assert w["pillar"]["security"] == float(value)
        state = page_model.state(page.url)
        want = page_model.expected(
            page_model.spec(state).replace(indicator_weights=w["indicator"], pillar_weights=w["pillar"]), state.year
        )
        got = ui.ranking(page)
        assert ui.same_ranking(got, want), (key, got, want)
        orders.append(got["order"])
    assert orders[0] != orders[2], "security 10 vs 0 should reorder"
    # An indicator slider announces its effective weight too.
    csto = page.get_by_role("slider", name="CSTO membership")
    csto.focus()
    page.keyboard.press("ArrowRight")
    assert "effective weight" in csto.get_attribute("aria-valuetext")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        q = {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}
        if "security:1.25" in q.get("pw", "") and "csto_membership:1.25" in q.get("w", ""):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError(f"the URL did not follow the keyboard: {page.url}")
    ui.wait_idle(page)
    ui.assert_no_exception(page)


def test_the_sidebar_preset_moves_the_live_sliders(page, ui, page_model):
    open_ranking(page)
    ui.wait_idle(page)
    combo = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Weight preset")
    combo.click()
    ui.act(page, lambda: page.get_by_role("option", name=preset_label("security_first")).click())
    _, pw = page_model.config.presets["security_first"]
    slider = page.get_by_role("slider", name="Security", exact=True)
    deadline = time.monotonic() + 20
    while slider.input_value() != f"{pw['security']:g}" and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert slider.input_value() == f"{pw['security']:g}"
    expected = page_model.expected_ranking(page.url)
    assert page_model.state(page.url).preset == "security_first"
    ui.wait_for_ranking(page, lambda r: ui.same_ranking(r, expected))
    assert sorted(ui.ranking(page)["order"]) == sorted(PANEL_COUNTRIES)
