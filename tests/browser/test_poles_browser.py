"""The 'Between the poles' view in headless Chromium: the triangle is drawn with one point per state."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_poles_view_draws_14_points_in_the_triangle(page, ui, artifacts):
    page.goto("/?view=poles&py=2019&cmp=BLR,UKR")
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    ui.wait_idle(page)
    ui.assert_no_exception(page)
    triangle = page.locator(".js-plotly-plot").filter(has_text="Between the poles, 2019")
    triangle.locator(".ternarylayer").first.wait_for()
    points = triangle.locator(".scatterlayer path.point")
    assert points.count() == 14
    # the corners are labelled, and every state's code is written beside its point
    text = triangle.inner_text()
    for label in ("Moscow", "the West", "Beijing", "BLR", "UKR", "KAZ"):
        assert label in text, label
    # the small multiples sit beside it: one small triangle per measure
    small = page.locator(".js-plotly-plot").filter(has_text="Each measure's shares, 2019")
    assert small.locator(".ternarylayer > g").count() >= 4 or small.locator(".ternary").count() >= 4
    page.screenshot(path=str(artifacts / "poles_view.png"), full_page=True)
