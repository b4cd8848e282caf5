"""The dashboard in headless Chromium, used as a person would: load it, move a weight with the
keyboard, compare countries, download the scores, look at the map, reopen shared links.

Each test gets a fresh tab (its own Streamlit session) against one live server started by
conftest.py. Screenshots go to artifacts/.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from indicators.countries import PANEL_COUNTRIES
from ui.state import preset_label

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser

COUNTRIES = 14


def open_page(page, path: str = "/"):
    """Open the page and wait for its first chart: the live ranking (Ranking view) or a plotly chart."""
    page.goto(path)
    page.wait_for_selector(".js-plotly-plot, [data-live-ranking][data-order*=',']", timeout=30_000)


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query, keep_blank_values=True).items()}


def wait_for_url(page, predicate, timeout: float = 15.0) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        q = query(page)
        if predicate(q):
            return q
        page.wait_for_timeout(100)
    raise AssertionError(f"URL never reached the expected state; last: {page.url}")


def click_view(page, ui, label: str, timeout: float = 30.0, check: bool = True) -> None:
    """Click a view in the segmented control and wait for the rerun to finish."""
    button = page.get_by_role("radio", name=label, exact=True)
    if button.get_attribute("aria-checked") == "true":
        return  # already showing: clicking a selected segment does not rerun
    ui.act(page, button.click, timeout=timeout, check=check)
    if check:
        assert button.get_attribute("aria-checked") == "true"


def distinct_colours(png: bytes) -> int:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
    return len(colours or [])


# ---------------------------------------------------------------- 1. load
def test_page_loads_with_the_ranking_of_all_14_states(page, ui, page_model, artifacts):
    open_page(page)
    r = ui.wait_for_ranking(page)
    assert sorted(r["order"]) == sorted(PANEL_COUNTRIES)
    # One labelled bar per country, as a person reads them.
    names = page.locator("[data-live-ranking] .lr-cname").all_text_contents()
    assert sorted(names) == sorted(PANEL_COUNTRIES.values())
    expected = page_model.expected_ranking(page.url)
    assert ui.same_ranking(r, expected), (r, expected)
    assert r["server_order"] == expected["order"]
    ui.wait_idle(page)
    ui.assert_no_exception(page)
    page.locator("[data-live-ranking]").screenshot(path=str(artifacts / "ranking.png"))
    page.screenshot(path=str(artifacts / "page_default.png"), full_page=True)


# ---------------------------------------------------------------- 2. slider with the keyboard
def test_keyboard_on_a_weight_slider_reorders_the_ranking_as_the_model_says(page, ui, page_model, artifacts):
    open_page(page)
    before = ui.wait_for_ranking(page)
    ui.wait_idle(page)
    thumb = page.get_by_role("slider", name="Share of arms imports from Russia")
    assert thumb.is_visible(), "the Security indicators should start expanded"
    thumb.focus()
    for key in ["ArrowRight", "ArrowRight", "ArrowRight", "End"]:
        page.keyboard.press(key)
        page.wait_for_timeout(80)
    assert thumb.input_value() == "10"
    q = wait_for_url(page, lambda q: "arms_imports_russia:10" in q.get("w", ""))
    expected = page_model.expected_ranking(page.url)
    after = ui.wait_for_ranking(page, lambda r: ui.same_ranking(r, expected) and r["server_order"] == expected["order"])
    assert after["order"] != before["order"], "arms-imports weight 10 should move some state"
    ui.wait_idle(page)
    assert query(page) == q, "the URL moved after the page settled"
    assert ui.same_ranking(ui.ranking(page), expected)
    ui.assert_no_exception(page)
    page.locator("[data-live-ranking]").screenshot(path=str(artifacts / "ranking_arms10.png"))

    # And back down with Home + a few ArrowRight: the ranking follows again.
    thumb.focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert thumb.input_value() == "0.5"
    wait_for_url(page, lambda q: "arms_imports_russia:0.5" in q.get("w", ""))
    expected = page_model.expected_ranking(page.url)
    ui.wait_for_ranking(page, lambda r: ui.same_ranking(r, expected) and r["server_order"] == expected["order"])
    ui.assert_no_exception(page)


# ---------------------------------------------------------------- 3. compare
def test_compare_view_shows_the_chosen_countries(page, ui, page_model, artifacts):
    open_page(page)
    ui.wait_idle(page)
    click_view(page, ui, "Compare")
    box = page.get_by_test_id("stMultiSelect")
    box.wait_for()
    # Start from an empty choice: remove the defaults one by one, as a person would.
    for name in ["Armenia", "Kazakhstan", "Georgia"]:
        ui.act(page, box.get_by_role("button", name=f"Remove {name}").click)
    expect_info = page.get_by_test_id("stAlert").filter(has_text="Pick at least two countries")
    expect_info.wait_for()
    chosen = ["Belarus", "Ukraine", "Kyrgyzstan"]
    combo = box.get_by_role("combobox")
    for name in chosen:
        combo.click()
        combo.fill(name)
        ui.act(page, lambda: page.keyboard.press("Enter"))
    page.keyboard.press("Escape")  # close the option list, as a person would before reading
    wait_for_url(page, lambda q: q.get("cmp") == "BLR,UKR,KGZ" and q.get("view") == "compare")
    page.get_by_test_id("stMetric").nth(len(chosen) - 1).wait_for()
    ui.wait_idle(page)
    labels = page.get_by_test_id("stMetricLabel").all_inner_texts()
    assert [s.strip() for s in labels] == chosen
    # Each card shows the model's score and rank for the page's year.
    state = page_model.state(page.url)
    t = page_model.model.score(page_model.spec(state)).for_year(state.year).set_index("country")
    values = page.get_by_test_id("stMetricValue").all_inner_texts()
    deltas = page.get_by_test_id("stMetricDelta").all_inner_texts()
    for name, value, delta in zip(chosen, values, deltas, strict=True):
        assert value.strip() == f"{t.loc[name, 'score']:.1f}"
        assert delta.strip() == f"rank #{int(t.loc[name, 'rank'])} of {COUNTRIES}"
    # The pillar chart has one trace per chosen country.
    names = page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => (gd.data||[]).map(d => d.name))"
    )
    assert chosen in names
    ui.assert_no_exception(page)
    cards = page.get_by_test_id("stHorizontalBlock").filter(has=page.get_by_test_id("stMetric"))
    cards.screenshot(path=str(artifacts / "compare_cards.png"))
    page.screenshot(path=str(artifacts / "compare.png"))


# ---------------------------------------------------------------- 4. downloads = CLI
@pytest.mark.parametrize("path", ["/", "/?year=2019&preset=security_first&w=csto_membership:7.5&norm=goalposts"])
def test_csv_download_equals_the_cli_for_the_downloaded_spec(page, ui, tmp_path, path):
    open_page(page, path)
    ui.wait_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    with page.expect_download() as d:
        sidebar.get_by_role("button", name="Download scores (CSV)").click()
    csv_path = tmp_path / "page.csv"
    d.value.save_as(csv_path)
    ui.wait_idle(page)
    with page.expect_download() as d:
        sidebar.get_by_role("button", name="Download spec (JSON)").click()
    spec_path = tmp_path / "spec.json"
    d.value.save_as(spec_path)
    year = (
        page.get_by_role("combobox", name="Year").input_value().split()[0]
    )  # the label may carry a "provisional" mark
    assert d.value.suggested_filename == f"moscow_alignment_spec_{year}.json"

    out = subprocess.run(
        [sys.executable, "-m", "scoring", "--weights", str(spec_path)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr.decode()
    page_csv = csv_path.read_bytes()
    assert page_csv.startswith(b"iso3,country,year,score,rank,coverage")
    assert page_csv.count(b"\n") >= COUNTRIES + 1
    assert page_csv == out.stdout
    ui.assert_no_exception(page)


# ---------------------------------------------------------------- 5. map
def test_map_draws_the_region_from_the_app_static_shapes(page, ui, artifacts):
    open_page(page)
    ui.wait_idle(page)
    click_view(page, ui, "Map")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .choroplethlocation').length >= 15")
    ui.wait_idle(page)
    paths = page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot .choroplethlocation'))"
        ".filter(p => (p.getAttribute('d') || '').length > 20).map(p => getComputedStyle(p).fill)"
    )
    assert len(paths) >= COUNTRIES + 1, f"expected 14 states + Russia, got {len(paths)} drawn paths"
    assert len(set(paths)) >= 8, f"the scored states should have varied fills: {set(paths)}"
    topo = [u for u in page.requests_seen() if u.endswith(".json") and "topojson" not in u]
    assert any(urlsplit(u).path == "/app/static/world_50m.json" for u in topo), topo
    chart = page.get_by_test_id("stPlotlyChart").first
    png = chart.screenshot(path=str(artifacts / "map.png"))
    assert distinct_colours(png) > 10, "the map screenshot looks blank"
    ui.assert_no_exception(page)


# ---------------------------------------------------------------- 6. URL state
def test_a_shared_link_restores_view_year_and_preset(page, ui):
    open_page(page, "/?view=trends&year=2020&preset=security_first")
    ui.wait_idle(page)
    assert page.get_by_role("radio", name="Trends", exact=True).get_attribute("aria-checked") == "true"
    assert page.get_by_role("combobox", name="Year").input_value().split()[0] == "2020"
    assert page.get_by_role("combobox", name="Weight preset").input_value() == preset_label("security_first")
    assert page.get_by_test_id("stAlert").filter(has_text="link parameters").count() == 0
    # The trends chart: one line per state (plus event markers).
    names = page.evaluate("() => (document.querySelector('.js-plotly-plot').data || []).map(d => d.name)")
    assert sum(n in names for n in ("Armenia", "Ukraine", "Belarus")) == 3, names
    q = query(page)
    assert (q.get("view"), q.get("year"), q.get("preset")) == ("trends", "2020", "security_first")
    ui.assert_no_exception(page)


def test_a_bad_link_shows_a_notice_and_still_ranks(page, ui, page_model, artifacts):
    open_page(page, "/?year=1800&view=nope")
    notice = page.get_by_test_id("stAlert").filter(has_text="link parameters were not usable")
    notice.wait_for()
    assert notice.is_visible()
    text = notice.inner_text()
    assert re.search(r"'year'.*1800", text) and "'view'" in text, text
    r = ui.wait_for_ranking(page)
    assert sorted(r["order"]) == sorted(PANEL_COUNTRIES)
    assert page.get_by_role("radio", name="Ranking", exact=True).get_attribute("aria-checked") == "true"
    assert page.get_by_role("combobox", name="Year").input_value().split()[0] == str(page_model.defaults.year)
    ui.wait_idle(page)
    ui.assert_no_exception(page)
    page.screenshot(path=str(artifacts / "bad_link.png"))


# ---------------------------------------------------------------- 7. nothing leaves the machine
def test_every_view_renders_without_leaving_localhost(page, ui, request_log):
    open_page(page)
    ui.wait_idle(page)
    broken = {}
    previous = "Ranking"
    for label in [
        "Compare",
        "Trends",
        "What changed",
        "Map",
        "Robustness",
        "What-if",
        "Data & sources",
        "Methodology",
        "Your data",
        "Ranking",
    ]:
        click_view(page, ui, label, timeout=60, check=False)
        exc = page.get_by_test_id("stException")
        if exc.count():
            broken[f"{previous} -> {label}"] = exc.first.inner_text().split("\n")[0]
            open_page(page)  # a person would reload; carry on with the next view
            ui.wait_idle(page)
            previous = "Ranking (reloaded)"
        else:
            previous = label
    assert not broken, f"view switches that crashed the page: {broken}"
    ui.assert_no_exception(page)
    assert any(urlsplit(u).path.endswith("/_stcore/stream") for u in page.requests_seen()), "no websocket seen"
    # The session so far (every earlier test included) stayed on this machine.
    assert request_log.all, "the recorder saw nothing"
    assert not request_log.external, f"requests left localhost: {request_log.external}"


def open_upload_view(page):
    page.goto("/?view=upload")
    page.get_by_role("button", name="Add to my model").wait_for(timeout=30_000)


@pytest.fixture
def second_page(browser, server):
    """Another tab in a separate browser context: a different person's Streamlit session."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=server.base)
    p = context.new_page()
    try:
        yield p
    finally:
        context.close()


def test_an_upload_joins_only_the_uploaders_session(page, second_page, ui, artifacts):
    fixtures = ROOT / "tests" / "fixtures" / "uploads"
    open_upload_view(page)
    page.locator("input[type=file]").nth(0).set_input_files(str(fixtures / "good_long.csv"))
    page.locator("input[type=file]").nth(1).set_input_files(str(fixtures / "good_metadata.json"))
    ui.act(page, page.get_by_role("button", name="Add to my model").click)
    page.get_by_text("Added").first.wait_for(timeout=30_000)
    ui.assert_no_exception(page)
    page.screenshot(path=str(artifacts / "upload.png"), full_page=True)
    click_view(page, ui, "Ranking")
    ui.wait_for_ranking(page)
    # The uploaded indicator gets its own weight slider in the live ranking, and a bar segment.
    mine = page.get_by_role("slider", name=re.compile(r"\(your data\)"), include_hidden=True)  # group closed
    mine.wait_for(state="attached", timeout=30_000)
    page.get_by_text("Bar split and uncertainty bands").click()  # the options fold under the chart
    page.locator("label").filter(has_text=re.compile(r"^indicator$")).click()  # split bars by indicator
    page.locator(".lr-key").filter(has_text="(your data)").wait_for(timeout=30_000)

    open_page(second_page)
    second_page.get_by_text("Bar split and uncertainty bands").click()
    second_page.locator("label").filter(has_text=re.compile(r"^indicator$")).click()
    second_page.wait_for_function("() => true")
    keys = second_page.locator(".lr-key")
    deadline = time.monotonic() + 30
    while keys.count() <= 5 and time.monotonic() < deadline:  # 5 pillar keys until the split arrives
        second_page.wait_for_timeout(100)
    names = keys.all_text_contents()
    assert len(names) > 5, names
    assert not any("(your data)" in n for n in names), names
    assert second_page.get_by_role("slider", name=re.compile(r"\(your data\)"), include_hidden=True).count() == 0


def test_a_malformed_upload_gets_a_message_and_the_page_keeps_working(page, ui):
    fixtures = ROOT / "tests" / "fixtures" / "uploads"
    open_upload_view(page)
    page.locator("input[type=file]").nth(0).set_input_files(str(fixtures / "unknown_code.csv"))
    page.locator("input[type=file]").nth(1).set_input_files(str(fixtures / "good_metadata.json"))
    ui.act(page, page.get_by_role("button", name="Add to my model").click)
    err = page.locator("[data-testid=stAlertContentError]").first
    err.wait_for(timeout=30_000)
    assert "unknown_code.csv, row" in err.inner_text() and "did you mean" in err.inner_text()
    click_view(page, ui, "Ranking")
    assert len(ui.wait_for_ranking(page)["order"]) == COUNTRIES
