"""Issue 21 in a real browser: hostile shared links change nothing a reader sees but a notice.

Every request the tab makes goes through the recorder of conftest.py, which aborts anything that
would leave this machine; the test asserts that none was even attempted, that no element of a
payload (image, link, bold text, formula, colour) exists in the page, and that no traceback or
server path is shown.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from benchmarks.harness import is_local
from indicators import shipped

pytestmark = pytest.mark.browser

ZERO = ",".join(f"{k}:0" for k in shipped()[1])
#: name -> (query string values, a piece of the payload that must show as plain text)
LINKS = {
    "image": ({"view": "![x](https://evil.example/v.png)"}, "evil.example/v.png"),
    "phishing": ({"view": "x **Session expired.** [Log in again](https://evil.example/login)"}, "Log in again"),
    "html and maths": ({"cmp": '<img src="https://evil.example/a.png">', "year": "$\\frac{1}{0}$"}, "frac"),
    "colour and autolink": ({"cc": ":red[www.evil.example]", "hl": "me@evil.example"}, "www.evil.example"),
    "edit of 1e308": ({"view": "scenarios", "ed": "ARM:2020:csto_membership:1e308"}, "1e308"),
    "all weights zero": ({"w": ZERO}, "cannot be scored"),
}
#: In the page: elements a payload would have made (anything pointing at evil.example, bold/emphasis or
#: maths inside a notice) and any trace of a traceback or a server path in the visible text.
JS_PAYLOAD = """() => {
  const evil = [...document.querySelectorAll('[src], [href], [srcset], [style]')].filter(e =>
    ['src', 'href', 'srcset', 'style'].some(a => (e.getAttribute(a) || '').includes('evil')));
  const alerts = [...document.querySelectorAll('[data-testid="stAlert"]')];
  const inAlerts = alerts.flatMap(a => [...a.querySelectorAll('a, img, strong, em, .katex, code, span[style*="color"]')]);
  const text = document.body.innerText;
  return {
    evil: evil.length,
    inAlerts: inAlerts.map(e => e.outerHTML.slice(0, 80)),
    alertText: alerts.map(a => a.innerText).join(' | '),
    traceback: /Traceback|File "|\\.py\\b|\\/work\\/|site-packages|Error:/.test(text),
  };
}"""


def open_hostile(page, ui, params: dict[str, str]) -> None:
    page.goto("/?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items()))
    page.wait_for_selector('[data-testid="stAlert"]', timeout=30_000)
    # drawn to the end: the view's chart (or the live ranking), or the Reset button of a refused link
    page.wait_for_selector(
        "[data-live-ranking][data-order*=','], .js-plotly-plot, button:has-text('Reset')", timeout=60_000
    )
    ui.wait_idle(page, quiet_ms=800)


@pytest.mark.parametrize("name", list(LINKS))
def test_a_hostile_link_shows_only_a_plain_notice(page, ui, artifacts, name):
    params, plain = LINKS[name]
    open_hostile(page, ui, params)
    page.screenshot(path=str(artifacts / f"hostile-{name.replace(' ', '_')}.png"), full_page=True)
    found = page.evaluate(JS_PAYLOAD)
    external = [u for u in page.requests_seen() if not is_local(u)]
    assert external == [], external  # 0 attempted off-machine requests (all would have been aborted)
    assert found["evil"] == 0 and found["inAlerts"] == [], found
    assert not found["traceback"], page.inner_text("body")[:2000]
    assert plain in found["alertText"].replace("\u2060", ""), found["alertText"]  # as typed, joiners aside
    ui.assert_no_exception(page)


def test_reset_after_the_all_zero_link_brings_back_the_ranking(page, ui):
    open_hostile(page, ui, {"w": ZERO})
    ui.act(page, page.get_by_role("button", name="Reset", exact=True).click, quiet_ms=800)
    ranking = ui.wait_for_ranking(page)
    assert len(ranking["order"]) == 14
    assert page.locator('[data-testid="stAlert"]').filter(has_text="cannot be scored").count() == 0
