"""The 'What changed' view and the honest trends in a real browser (headless Debian Chromium)."""

from __future__ import annotations

import pytest

from scoring.composition import composition_table
from scoring.diff import explain_change

pytestmark = pytest.mark.browser

#: The waterfall's data as the browser drew it: {x, y, measure}, or null while there is none.
JS_WATERFALL = """() => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const t = (gd.data || []).find(d => d.type === 'waterfall');
    if (t) return {x: Array.from(t.x), y: Array.from(t.y), measure: Array.from(t.measure)};
  }
  return null;
}"""

#: Symbols of the markers of the trace named by the argument, keyed by year.
JS_SYMBOLS = """(name) => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const t = (gd.data || []).find(d => d.name === name && d.mode === 'markers');
    if (t) { const o = {}; t.x.forEach((x, k) => { o[x] = t.marker.symbol[k]; }); return o; }
  }
  return null;
}"""


def test_what_changed_draws_a_waterfall_that_adds_up(page, ui, page_model, artifacts):
    url = "/?view=change&cc=ARM&cf=2024&ct=2025"
    page.goto(url)
    page.wait_for_function(JS_WATERFALL, timeout=30_000)
    ui.wait_idle(page)
    wf = page.evaluate(JS_WATERFALL)
    y = wf["y"]
    assert wf["x"][0] == "2024 score" and wf["x"][-1] == "2025 score"
    assert y[0] + sum(y[1:-1]) == pytest.approx(y[-1], abs=1e-9)
    spec = page_model.spec(page_model.state(url))
    df = explain_change(page_model.model, spec, 2024, 2025, ["ARM"])
    total = df[df["kind"] == "total"]["change"].iloc[0]
    assert y[-1] - y[0] == pytest.approx(total, abs=1e-9)
    assert page.get_by_text("Every state, 2024 → 2025").is_visible()
    (artifacts / "what_changed.png").write_bytes(page.screenshot(full_page=True))
    ui.assert_no_exception(page)


def test_trends_draw_provisional_years_hollow(page, ui, page_model, artifacts):
    url = "/?view=trends&hl=ARM,KAZ&miss=coverage_threshold"  # the available-case marks: data entered or left
    page.goto(url)
    page.wait_for_function(JS_SYMBOLS, arg="Armenia", timeout=30_000)
    ui.wait_idle(page)
    spec = page_model.spec(page_model.state(url))
    comp = composition_table(page_model.model.score(spec.replace(years=None)))
    for iso, name in (("ARM", "Armenia"), ("KAZ", "Kazakhstan")):
        prov = set(comp[(comp["iso3"] == iso) & comp["provisional"]]["year"])
        symbols = page.evaluate(JS_SYMBOLS, name)
        assert {int(x) for x, s in symbols.items() if s == "circle-open"} == prov
    (artifacts / "trends_provisional.png").write_bytes(page.screenshot(full_page=True))
    ui.assert_no_exception(page)
