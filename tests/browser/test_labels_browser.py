"""Issue 22 in headless Chromium at a phone's and a laptop's size (390×844, 1440×900): the ranking is in the
first screen, charts download as images, and the names on the map and in the triangle are legible on their
ground (contrast >= 4.5:1 against the pixels under them) with no two of them overlapping."""

from __future__ import annotations

import io

import numpy as np
import pytest

from benchmarks.harness import is_local
from tests.browser.downloads import PNG_HEAD, download

pytestmark = pytest.mark.browser

SIZES = [(390, 844), (1440, 900)]
IDS = [f"{w}x{h}" for w, h in SIZES]


@pytest.fixture(params=SIZES, ids=IDS)
def sized(request, browser, server, ui):
    """A fresh tab at the parametrised viewport; requests off this machine are refused."""
    w, h = request.param
    ctx = browser.new_context(viewport={"width": w, "height": h}, accept_downloads=True, base_url=server.base)
    ctx.set_default_timeout(60_000)
    ctx.route("**/*", lambda r: r.continue_() if is_local(r.request.url) else r.abort("blockedbyclient"))
    page = ctx.new_page()
    page.page_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.page_errors.append(str(e)))
    page.size = request.param  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        ctx.close()


def open_view(page, ui, query: str, ready: str) -> None:
    page.goto(f"/?{query}")
    page.wait_for_selector(ready, timeout=120_000)
    ui.wait_idle(page, quiet_ms=800, timeout=120)
    ui.assert_no_exception(page)


# ---------------------------------------------------------------- labels
JS_LABELS = """(title) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(
      g => g.layout && g.layout.title && String(g.layout.title.text).includes(title));
  if (!gd) return null;
  gd.scrollIntoView({block: 'start'});
  const r = gd.getBoundingClientRect();
  const labels = [...gd.querySelectorAll('.trace text')].filter(t => t.textContent.trim()).map(t => {
    const b = t.getBoundingClientRect();
    return {text: t.textContent, x: b.left, y: b.top, w: b.width, h: b.height, fill: getComputedStyle(t).fill};
  });
  return {chart: {x: r.left, y: r.top, w: r.width, h: r.height}, labels};
}"""
JS_HIDE = """([title, hide]) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(
      g => g.layout && g.layout.title && String(g.layout.title.text).includes(title));
  gd.querySelectorAll('.trace text').forEach(t => { t.style.visibility = hide ? 'hidden' : ''; });
}"""


def luminance(rgb) -> float:
    def ch(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (ch(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(l1: float, l2: float) -> float:
    hi, lo = max(l1, l2), min(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


def check_labels(page, title: str, n: int, artifacts, name: str) -> None:
    from PIL import Image

    got = page.evaluate(JS_LABELS, title)
    assert got is not None, f"no chart titled {title!r}"
    labels = got["labels"]
    assert len(labels) == n, [lab["text"] for lab in labels]
    # no two names intersect
    hits = [
        (a["text"], b["text"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    ]
    # every name inside the chart (not cut off)
    c = got["chart"]
    outside = [
        a["text"] for a in labels if a["x"] < c["x"] - 1 or a["x"] + a["w"] > c["x"] + c["w"] + 1 or a["y"] < c["y"] - 1
    ]
    page.screenshot(path=str(artifacts / f"labels_{name}.png"))
    assert not hits, f"overlapping names: {hits}"
    assert not outside, f"names cut off at the chart's edge: {outside}"
    # contrast of each name against the median of the pixels under it (names hidden for the shot)
    page.evaluate(JS_HIDE, [title, True])
    try:
        shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    finally:
        page.evaluate(JS_HIDE, [title, False])
    low = []
    for a in labels:
        box = shot.crop((int(a["x"]), int(a["y"]), int(a["x"] + a["w"]) + 1, int(a["y"] + a["h"]) + 1))
        lums = sorted(luminance(p) for p in np.asarray(box).reshape(-1, 3).tolist())
        bg = lums[len(lums) // 2]
        fill = [int(v) for v in a["fill"].removeprefix("rgb(").rstrip(")").split(",")]
        ratio = contrast(luminance(fill), bg)
        if ratio < 4.5:
            low.append((a["text"], round(ratio, 2)))
    assert not low, f"names below 4.5:1 on their ground: {low}"


def test_map_names_are_legible_and_do_not_overlap(sized, ui, artifacts):
    open_view(sized, ui, "view=map", ".js-plotly-plot .trace text")
    check_labels(sized, "Moscow-alignment score by country", 14, artifacts, f"map_{sized.size[0]}")


@pytest.mark.parametrize("query", ["view=poles", "view=poles&py=2019&cmp=BLR,UKR,GEO"], ids=["default", "2019"])
def test_triangle_names_are_legible_and_do_not_overlap(sized, ui, artifacts, query):
    open_view(sized, ui, query, ".js-plotly-plot .trace text")
    check_labels(sized, "Between the poles, ", 14, artifacts, f"triangle_{sized.size[0]}_{query[-4:]}")


# ---------------------------------------------------------------- first screen and images
def test_the_ranking_is_in_the_first_screen(sized, ui, artifacts):
    open_view(sized, ui, "view=ranking", "[data-live-ranking][data-order*=',']")
    w, h = sized.size
    bars = sized.locator(".lr-bars").bounding_box()
    title = sized.locator(".lr-title").bounding_box()
    sized.screenshot(path=str(artifacts / f"first_screen_{w}x{h}.png"))
    assert title["y"] >= 0 and bars["y"] + bars["height"] <= h, (title, bars)
    assert bars["x"] >= 0 and bars["x"] + bars["width"] <= w
    # the sliders fold away on a phone, stay open on a laptop
    assert sized.get_by_role("slider", name="CSTO membership").is_visible() == (w > 640)
    # no ranking label is clipped: each fits in its row
    over = sized.locator(".lr-label").evaluate_all("ls => ls.filter(l => l.scrollWidth > l.clientWidth + 1).length")
    assert over == 0


def test_charts_download_as_png_images_above_10_kb(sized, ui, tmp_path):
    open_view(sized, ui, "view=ranking", "[data-live-ranking][data-order*=',']")
    data = download(sized, "Download the ranking as PNG image", tmp_path / "ranking.png")
    assert data.startswith(PNG_HEAD) and len(data) > 10_000, len(data)
    # a plotly chart, through plotly's own export with the source line drawn in
    open_view(sized, ui, "view=map", ".js-plotly-plot .trace text")
    for fmt, head in (("PNG", PNG_HEAD), ("SVG", b"<svg")):
        data = download(sized, f"as {fmt}", tmp_path / f"map.{fmt.lower()}")
        assert data.startswith(head) and len(data) > 10_000, (fmt, len(data))
        assert sized.last_download.suggested_filename.startswith("moscow_alignment_map_")
    svg = (tmp_path / "map.svg").read_text()
    assert "Source: Moscow alignment index, data version" in svg and "Pillar weights: Security 1" in svg
    assert not sized.page_errors, sized.page_errors
