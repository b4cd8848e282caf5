"""A page fit to publish from, checked in headless Chromium on every view: no code markup or raw ids on
screen, no serious or critical axe-core violation, and one colour per state across the views."""

from __future__ import annotations

import re

import pytest

from indicators.countries import PANEL_COUNTRIES
from ui.charts import COUNTRY_COLOURS
from ui.state import VIEWS

pytestmark = pytest.mark.browser

#: Text that betrays the workshop: code markup, file names, internal ids.
WORKSHOP = [
    (r"`", "a backtick"),
    (r":class:|:func:|ddof", "docstring markup"),
    (r"\b\w+\.(py|txt|json)\b", "a file name"),
    (r"\b(contrib|pillar)_\w+", "an internal column name"),
    (r"\b(security_first|economy_first|declared_alignment|equal_indicators|coverage_threshold)\b", "a raw option"),
]


def open_view(page, ui, view: str) -> None:
    page.goto(f"/?view={view}")
    page.wait_for_selector('[data-testid="stSegmentedControl"], [data-testid="stButtonGroup"]', timeout=60_000)
    ui.wait_idle(page, quiet_ms=800, timeout=90)
    ui.assert_no_exception(page)


def visible_text(page, view: str) -> str:
    """The text a reader sees in the main area (the Your-data view documents file formats, so its code
    blocks are left out there)."""
    return page.evaluate(
        """(skipCode) => {
            const main = document.querySelector('[data-testid="stMain"]') || document.body;
            const clone = main.cloneNode(true);
            if (skipCode) clone.querySelectorAll('code, pre').forEach(e => e.remove());
            return clone.innerText;
        }""",
        view == "upload",
    )


@pytest.mark.parametrize("view", list(VIEWS))
def test_no_code_markup_or_raw_ids_on_screen(page, ui, view, shipped):
    open_view(page, ui, view)
    text = visible_text(page, view)
    ids = "|".join(re.escape(k) for k in shipped[1])
    found = [what for pat, what in WORKSHOP if re.search(pat, text)]
    raw = sorted(set(re.findall(rf"\b({ids})\b", text)))
    assert not found and not raw, f"{view}: {found} {raw}"


@pytest.mark.parametrize("view", list(VIEWS))
def test_no_serious_accessibility_violation(page, ui, view):
    from axe_playwright_python.sync_playwright import Axe

    open_view(page, ui, view)
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    summary = {v["id"]: [n["target"] for n in v["nodes"]][:5] for v in bad}
    assert not bad, f"{view}: {summary}"


JS_COLOURS = """() => {
    const out = {};
    const put = (view, name, colour) => { (out[view] = out[view] || {})[name] = colour; };
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
        for (const t of gd.data || []) {
            if (t.type === 'bar' && t.marker && typeof t.marker.color === 'string' && t.name) put('bars', t.name, t.marker.color);
            if (t.type === 'scatter' && t.mode && t.mode.includes('lines') && t.line) put('lines', t.name, t.line.color);
            if (t.type === 'scattergeo' && t.mode === 'markers') t.text.forEach((n, i) => put('map', n, t.marker.color[i]));
        }
        const ax = gd.layout && gd.layout.yaxis;
        if (ax && ax.ticktext) ax.ticktext.forEach((s, i) => {
            const m = /color:(#[0-9A-Fa-f]{6})/.exec(s);
            if (m) put('ranking', ax.tickvals[i], m[1]);
        });
    }
    // the live ranking (a custom component in a shadow root): each row's colour swatch
    for (const h of document.querySelectorAll('*')) {
        const lr = h.shadowRoot && h.shadowRoot.querySelector('[data-live-ranking]');
        if (!lr) continue;
        lr.querySelectorAll('.lr-row').forEach(row =>
            put('ranking', row.querySelector('.lr-cname').textContent, row.querySelector('.lr-dot').dataset.colour));
    }
    return out;
}"""


def test_each_state_has_one_colour_in_every_view(page, ui):
    want = {PANEL_COUNTRIES[k]: v.upper() for k, v in COUNTRY_COLOURS.items()}
    seen = {}
    for view, key, params in (
        ("ranking", "ranking", ""),
        ("compare", "bars", "&cmp=ARM,KAZ,GEO,MDA"),
        ("trends", "lines", "&hl=" + ",".join(PANEL_COUNTRIES)),
        ("map", "map", ""),
    ):
        page.goto(f"/?view={view}{params}")
        page.wait_for_selector(".js-plotly-plot, [data-live-ranking][data-order*=',']", timeout=60_000)
        ui.wait_idle(page, quiet_ms=800, timeout=90)
        got = page.evaluate(JS_COLOURS).get(key, {})
        got = {n: c.upper() for n, c in got.items() if n in want}
        assert got, f"{view}: no country colours found"
        seen[key] = got
        wrong = {n: c for n, c in got.items() if c != want[n]}
        assert not wrong, f"{view}: {wrong}"
    assert len(seen["ranking"]) == len(seen["map"]) == len(seen["lines"]) == 14
    assert set(seen["bars"]) == {"Armenia", "Kazakhstan", "Georgia", "Moldova"}
