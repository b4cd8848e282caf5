"""The serverless page of ``python -m ui.static_page`` in headless Chromium, opened from file:// with
every request blocked: it ranks the 14 states as the model does, a weight change reorders them as the
model does, its CSV is the CLI's, its link keeps the weights, and it shows strings from data as text.

No Streamlit server is needed: these tests launch their own browser.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import indicators
import scoring
from benchmarks.harness import VIEWPORT
from indicators.countries import PANEL_COUNTRIES
from indicators.loader import data_version
from tests.browser.downloads import PNG_HEAD, download
from tests.browser.scorer_check import LIVE, check_scorer
from ui import static_page
from ui.state import ui_presets

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium(chromium_browser):
    """The session's Chromium (tests/browser/conftest.py); the static page needs no server."""
    return chromium_browser


@pytest.fixture(scope="module")
def model():
    panel, catalog, _ = indicators.shipped()
    return scoring.Model.from_panel(panel, catalog)


@pytest.fixture(scope="module")
def year(model):
    return model.default_year()


@pytest.fixture(scope="module")
def built(tmp_path_factory, year) -> Path:
    """The page as the README's command writes it."""
    out = tmp_path_factory.mktemp("static") / "ranking.html"
    r = subprocess.run(
        [sys.executable, "-m", "ui.static_page", "--year", str(year), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return out


def offline_page(chromium, path: Path):
    """A tab that may load ``path`` and nothing else: every other request is aborted and recorded."""
    ctx = chromium.new_context(viewport=VIEWPORT, accept_downloads=True)
    url = path.resolve().as_uri()
    requests, errors = [], []

    def route(r):
        requests.append(r.request.url)
        if r.request.url.split("#")[0] == url:
            r.continue_()
        else:
            r.abort("blockedbyclient")

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.requests, page.errors, page.file_url = requests, errors, url  # type: ignore[attr-defined]
    return ctx, page


def expected(model, year, weights, **method) -> dict:
    spec = scoring.ScoringSpec(
        indicator_weights=weights["indicator"], pillar_weights=weights["pillar"], years=(year,), **method
    )
    t = model.score(spec).for_year(year)
    return {"order": list(t["iso3"]), "scores": dict(zip(t["iso3"], t["score"], strict=True))}


def drawn(page) -> dict:
    root = page.locator(LIVE)
    countries = root.get_attribute("data-countries").split(",")
    return {
        "order": root.get_attribute("data-order").split(","),
        "scores": dict(zip(countries, json.loads(root.get_attribute("data-scores")), strict=True)),
    }


def assert_same(got, want):
    assert got["order"] == want["order"], (got["order"], want["order"])
    for iso, s in want["scores"].items():
        g = got["scores"][iso]
        assert (s != s) == (g is None), (iso, s, g)
        if s == s:
            assert abs(g - s) <= 1e-9, (iso, s, g)


def test_offline_it_ranks_the_14_states_as_the_model(chromium, built, model, year, artifacts):
    ctx, page = offline_page(chromium, built)
    try:
        page.goto(page.file_url)
        page.wait_for_selector(f"{LIVE}[data-order*=',']")
        names = page.locator(".lr-cname").all_text_contents()
        assert sorted(names) == sorted(PANEL_COUNTRIES.values())
        assert page.locator(".lr-row").count() == 14
        weights = page.locator(LIVE).evaluate("el => el.liveRanking.weights()")
        assert weights["pillar"] == ui_presets(model.catalog, indicators.PILLARS)["equal"][1]
        assert_same(drawn(page), expected(model, year, weights))
        assert page.locator("#version").text_content() == data_version()
        assert page.locator("#sources li").count() == len(
            static_page.year_sources(*indicators.shipped()[:1], model.catalog, indicators.shipped()[2], year)
        )
        # the producer's page is the link; a copy read from a repository is the archived copy beside it
        items = page.locator("#sources li").all_text_contents()
        assert any("archived copy: https://github.com/" in t for t in items)
        assert not any(
            t.rsplit(") ", 1)[-1].startswith("https://github.com/") for t in items if "worldcountrygroups" not in t
        )
        assert page.url.split("#", 1)[1].startswith("w="), "the weights go into the URL fragment"
        page.screenshot(path=str(artifacts / "static_page.png"))
        assert page.requests == [page.file_url], page.requests
        assert not page.errors, page.errors
        check_scorer(page.locator(LIVE), model, year, "minmax", scoring.ScoringSpec().missing, n=50, seed=7)
    finally:
        ctx.close()


def test_a_weight_change_reorders_as_the_model_and_the_csv_is_the_clis(chromium, built, model, year, tmp_path):
    ctx, page = offline_page(chromium, built)
    try:
        page.goto(page.file_url)
        root = page.locator(LIVE)
        root.wait_for()
        before = drawn(page)["order"]
        assert not page.get_by_role("slider", name="CSTO membership").is_visible(), "the sliders start folded"
        page.locator(".lr-fold-sum").click()
        page.get_by_role("slider", name="CSTO membership").focus()
        page.keyboard.press("End")
        page.get_by_role("slider", name="Western ties", exact=True).focus()
        page.keyboard.press("Home")
        weights = root.evaluate("el => el.liveRanking.weights()")
        assert weights["indicator"]["csto_membership"] == 10 and weights["pillar"]["western_ties"] == 0
        got = drawn(page)
        assert_same(got, expected(model, year, weights))
        assert got["order"] != before
        with page.expect_download() as d:
            page.get_by_role("button", name="Download scores (CSV)").click()
        csv_path = tmp_path / "static.csv"
        d.value.save_as(csv_path)
        with page.expect_download() as d:
            page.get_by_role("button", name="Download spec (JSON)").click()
        spec_path = tmp_path / "spec.json"
        d.value.save_as(spec_path)
        out = subprocess.run(
            [sys.executable, "-m", "scoring", "--weights", str(spec_path)], cwd=ROOT, capture_output=True, timeout=120
        )
        assert out.returncode == 0, out.stderr.decode()
        assert csv_path.read_bytes() == out.stdout
        # The link keeps the weights: a new tab on the same URL (fragment included) shows the same ranking.
        link = page.url
        assert "csto_membership:10" in link and "western_ties:0" in link
        page2 = ctx.new_page()
        page2.goto(link)
        page2.locator(LIVE).wait_for()
        assert page2.get_by_role("slider", name="CSTO membership", include_hidden=True).input_value() == "10"
        assert drawn(page2)["order"] == got["order"]
        assert all(u.split("#")[0] == page.file_url for u in page.requests), page.requests
        assert not page.errors, page.errors
    finally:
        ctx.close()


EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def test_strings_from_data_are_shown_as_text_never_markup(chromium, tmp_path):
    """An uploaded indicator whose name, unit and source carry markup. The upload form refuses markup
    (tests/test_uploads.py), so the names are forced in here: the component must escape on its own."""
    from ui import uploads

    fx = ROOT / "tests" / "fixtures" / "uploads"
    values = uploads.parse_values("good_long.csv", (fx / "good_long.csv").read_bytes())
    meta = json.loads((fx / "good_metadata.json").read_text())
    with pytest.raises(uploads.UploadError):
        uploads.parse_metadata({**meta, "name": EVIL}, values, name="evil.json")
    ind, src = uploads.parse_metadata(meta, values, name="good_metadata.json")
    ind = ind.model_copy(update={"name": EVIL + " (your data)", "unit": EVIL})
    src = src.model_copy(update={"title": EVIL, "producer": "</script><b>x</b>"})
    panel, catalog, sources = indicators.shipped()
    p, c, s = uploads.merge_user_indicator(panel, catalog, sources, ind, src, values)
    m = scoring.Model.from_panel(p, c)
    year = int(values["year"].max())  # a year the upload has values for, so its source is listed
    spec = scoring.ScoringSpec(years=(year,))
    iw, pw = {k: 1.0 for k in c}, {q: 1.0 for q in indicators.PILLARS}
    path = tmp_path / "evil.html"
    path.write_text(static_page.build_html(m, p, s, spec, year, iw, pw, "test"), encoding="utf-8")
    ctx, page = offline_page(chromium, path)
    try:
        page.goto(page.file_url)
        page.locator(LIVE).wait_for()
        slider = page.get_by_role("slider", name=EVIL + " (your data)", include_hidden=True)
        assert slider.count() == 1, "the name is the slider's accessible name, as text"
        # its pillar's group and the weights section start closed
        slider.evaluate(
            "el => { for (let d = el.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }"
        )
        assert any(EVIL in t for t in page.locator(".lr-name").all_text_contents())
        assert page.evaluate("() => window.__pwned") is None
        counts = page.locator(LIVE).evaluate(
            "el => [el.getRootNode().querySelectorAll('script, img, b').length,"
            " document.querySelectorAll('img, b').length, document.scripts.length]"
        )
        assert counts == [0, 0, 3], counts  # the page's own three scripts: data, metadata, code
        assert any(EVIL in t for t in page.locator("#sources li").all_text_contents())
        slider.focus()
        page.keyboard.press("End")
        assert EVIL in page.locator(".lr-sr").text_content()
        assert page.evaluate("() => window.__pwned") is None
        assert not page.errors, page.errors
    finally:
        ctx.close()


EMBED_SIZES = [(390, 844), (1440, 900)]


@pytest.mark.parametrize("size", EMBED_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_as_an_embed_the_chart_comes_first_within_600_px_of_a_700_px_iframe(chromium, built, year, size, artifacts):
    """Issue 22: a newsroom embed. In a 700 px iframe the whole ranking (title and 14 bars) lies within the first
    600 px, the sliders are folded under it, and the page carries the provisional badge (when the year is one),
    a source line with the data version and a date, and a ready <iframe> snippet."""
    from ui.state import PageConfig

    host = built.parent / f"article_{size[0]}.html"
    host.write_text(
        '<!doctype html><body style="margin:0"><iframe id="embed" src="ranking.html" width="100%" '
        f'height="{static_page.EMBED_HEIGHT}" style="border:0"></iframe></body>',
        encoding="utf-8",
    )
    ctx = chromium.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = ctx.new_page()
        page.goto(host.as_uri())
        frame = page.frame_locator("#embed")
        frame.locator(f"{LIVE}[data-order*=',']").wait_for()
        box = frame.locator(".lr-bars").bounding_box()
        title = frame.locator(".lr-title").bounding_box()
        assert static_page.EMBED_HEIGHT == 700
        assert 0 <= title["y"] and box["y"] + box["height"] <= 600, (title, box)
        assert not frame.get_by_role("slider", name="CSTO membership").is_visible()
        panel, catalog, _ = indicators.shipped()
        model = scoring.Model.from_panel(panel, catalog)
        provisional = year in PageConfig.build(catalog, model).provisional
        assert (frame.locator(".badge").count() == 1) == provisional
        src = frame.locator(".source").inner_text()
        assert f"Moscow alignment index, data version {data_version()}" in src
        assert re.search(r"Page made \d{4}-\d{2}-\d{2}", src)
        frame.locator("summary", has_text="Embed this chart").click()
        code = frame.locator("#embed-code").inner_text()
        assert code == static_page.iframe_snippet(static_page.file_name(year), year), code
        page.screenshot(path=str(artifacts / f"static_embed_{size[0]}x{size[1]}.png"))
    finally:
        ctx.close()


def test_the_ranking_downloads_as_png_and_svg_with_title_source_and_date(chromium, built, year, tmp_path):
    ctx, page = offline_page(chromium, built)
    try:
        page.goto(page.file_url)
        page.locator(f"{LIVE}[data-order*=',']").wait_for()
        data = download(page, "Download the ranking as PNG image", tmp_path / "r.png")
        assert data.startswith(PNG_HEAD) and len(data) > 10_000, len(data)
        svg = download(page, "Download the ranking as SVG image", tmp_path / "r.svg").decode()
        assert svg.startswith("<svg") and f"Moscow-alignment score, {year}" in svg
        assert f"data version {data_version()}" in svg and "Pillar weights: Security 1" in svg
        assert re.search(r"made \d{4}-\d{2}-\d{2}", svg)
        first = page.locator(LIVE).get_attribute("data-order").split(",")[0]
        assert svg.index(PANEL_COUNTRIES[first]) < svg.index(
            PANEL_COUNTRIES[page.locator(LIVE).get_attribute("data-order").split(",")[-1]]
        )
        assert page.requests == [page.file_url], page.requests
        assert not page.errors, page.errors
    finally:
        ctx.close()
