"""Fixtures for the headless-browser tests: a live Streamlit server, Debian's Chromium, a
request recorder that refuses anything leaving this machine, and helpers that read the
page the way a person sees it.

The server is started once per session from the project root (so `.streamlit/config.toml`
and `static/` apply) on a free 127.0.0.1 port (or $ALIGN_BROWSER_PORT) and stopped at teardown. Every request the
browser makes is recorded; a request to any host other than localhost/127.0.0.1 is aborted
and fails the test that made it. The server, Chromium and the in-page JavaScript come from
benchmarks/harness.py, which the benchmarks share.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from benchmarks.harness import (
    CHROMIUM,
    JS_ACTIVITY,
    JS_RECEIVED,
    JS_WS_HOOK,
    ROOT,
    VIEWPORT,
    QuietWatch,
    chromium_available,
    is_local,
    launch_chromium,
    serve,
    stop_server,
)

ARTIFACTS = ROOT / "artifacts"
TIMEOUT_MS = 30_000


# ---------------------------------------------------------------- server
@dataclass
class Server:
    base: str
    proc: subprocess.Popen
    log_path: Path


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def server(artifacts) -> Server:
    if not chromium_available():
        pytest.skip(f"Chromium not found at {CHROMIUM} (make chromium)")
    log_path = artifacts / "streamlit-browser-tests.log"
    port = os.environ.get("ALIGN_BROWSER_PORT")  # a fixed port where the machine assigns one; else a free one
    proc, base = serve(port=int(port) if port else None, log_path=log_path)
    try:
        yield Server(base, proc, log_path)
    finally:
        stop_server(proc)


# ---------------------------------------------------------------- browser and request recording
@dataclass
class RequestLog:
    all: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def mark(self) -> tuple[int, int]:
        return len(self.all), len(self.external)


@pytest.fixture(scope="session")
def request_log() -> RequestLog:
    return RequestLog()


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Chromium for the whole session (Playwright's sync API allows one driver at a time)."""
    if not chromium_available():
        pytest.skip(f"Chromium not found at {CHROMIUM} (make chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_chromium(pw)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def browser(server, chromium_browser):
    """The session's Chromium, with the dashboard's server running."""
    return chromium_browser


@pytest.fixture
def page(browser, server, request_log, request):
    """A fresh tab (its own Streamlit session) with every request routed through the recorder."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, base_url=server.base)
    context.set_default_timeout(TIMEOUT_MS)
    start_all, start_ext = request_log.mark()
    page_errors: list[str] = []

    def route(r):
        url = r.request.url
        request_log.all.append(url)
        if is_local(url):
            r.continue_()
        else:
            request_log.external.append(url)
            r.abort("blockedbyclient")

    def on_ws(ws):
        request_log.all.append(ws.url)
        if not is_local(ws.url):
            request_log.external.append(ws.url)

    context.route("**/*", route)
    context.add_init_script(JS_WS_HOOK)
    p = context.new_page()
    p.on("websocket", on_ws)
    p.on("pageerror", lambda e: page_errors.append(str(e)))
    p.page_errors = page_errors  # type: ignore[attr-defined]
    p.requests_seen = lambda: request_log.all[start_all:]  # type: ignore[attr-defined]
    try:
        yield p
    finally:
        if request.node.rep_call_failed if hasattr(request.node, "rep_call_failed") else False:
            try:
                p.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
            except Exception:  # noqa: BLE001 - best effort
                pass
        context.close()
    leaked = request_log.external[start_ext:]
    assert not leaked, f"requests left localhost during {request.node.name}: {leaked}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call":
        item.rep_call_failed = rep.failed


# ---------------------------------------------------------------- reading the page
LIVE = "[data-live-ranking]"


def ranking(page) -> dict | None:
    """The live ranking as drawn: {'order': ISO3 codes best first (data-order), 'scores': iso3 -> score or
    None (data-scores, the browser's own numbers), 'server_order': the order Python computed for the
    weights it last applied}, or None while it is not drawn with 14 states."""
    loc = page.locator(LIVE)
    if loc.count() == 0:
        return None
    el = loc.first
    order = [c for c in (el.get_attribute("data-order") or "").split(",") if c]
    raw = el.get_attribute("data-scores")
    if len(order) != 14 or not raw:
        return None
    countries = (el.get_attribute("data-countries") or "").split(",")
    scores = dict(zip(countries, json.loads(raw), strict=True))
    server = [c for c in (el.get_attribute("data-server-order") or "").split(",") if c]
    return {"order": order, "scores": scores, "server_order": server}


def same_ranking(seen: dict | None, expected: dict, tol: float = 1e-9) -> bool:
    """Whether a drawn ranking has the model's order and (to ``tol``) its scores."""
    if not seen or seen["order"] != expected["order"]:
        return False
    for iso, s in expected["scores"].items():
        got = seen["scores"].get(iso)
        if (s is None) != (got is None) or (s is not None and abs(s - got) > tol):
            return False
    return True


def wait_for_ranking(page, predicate=lambda r: True, timeout: float = 20.0) -> dict:
    """Poll the live ranking until ``predicate(ranking)`` holds; return it (or fail with the last seen)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = ranking(page)
        if last and predicate(last):
            return last
        page.wait_for_timeout(100)
    raise AssertionError(f"live ranking did not reach the expected state within {timeout}s; last seen: {last}")


def received(page) -> int:
    """How many websocket messages the page has received from the server so far."""
    return page.evaluate(JS_RECEIVED)


def wait_idle(page, since: int | None = None, quiet_ms: int = 400, timeout: float = 30.0) -> None:
    """Wait until the app is idle: (if ``since`` is given) a server message arrived after that count, then
    no new message and no 'running' status for ``quiet_ms``."""
    deadline = time.monotonic() + timeout
    if since is not None:
        while received(page) <= since:
            if time.monotonic() > deadline:
                raise AssertionError("the server never answered the action")
            page.wait_for_timeout(50)
    watch = QuietWatch(quiet_ms)
    while time.monotonic() < deadline:
        if watch.quiet(*page.evaluate(JS_ACTIVITY)):
            return
        page.wait_for_timeout(50)
    raise AssertionError("the app kept running")


def act(page, fn, quiet_ms: int = 400, timeout: float = 30.0, check: bool = True):
    """Do something a person does (click, key press), wait until the rerun it causes is over and (``check``)
    fail at once with the page's exception if the rerun raised one."""
    n = received(page)
    out = fn()
    wait_idle(page, since=n, quiet_ms=quiet_ms, timeout=timeout)
    if check:
        assert_no_exception(page)
    return out


def assert_no_exception(page) -> None:
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, f"Streamlit exception on the page: {exc.all_inner_texts()}"
    errors = getattr(page, "page_errors", [])
    assert not errors, f"JavaScript errors on the page: {errors}"


# ---------------------------------------------------------------- the model's view of a page URL
class PageModel:
    """The page's own URL configuration (ui.state.PageConfig, shared with dashboard.py), so a page
    URL can be turned into the ScoringSpec the page scored and the order the model gives."""

    def __init__(self):
        import indicators
        import scoring
        from ui.state import PageConfig, slug

        panel, catalog, _ = indicators.shipped()
        self.catalog = catalog
        self.model = scoring.Model.from_panel(panel, catalog)
        examples = [slug(sc.name) for sc in scoring.load_example_scenarios(catalog).values()]
        self.config = PageConfig.build(catalog, self.model, examples)
        self.defaults = self.config.defaults

    def state(self, url: str):
        return self.config.parse(parse_qs(urlsplit(url).query, keep_blank_values=True))

    def spec(self, state):
        from ui.state import spec_from_state

        return spec_from_state(state)

    def expected_ranking(self, url: str) -> dict:
        """The model's order (ScoreResult.for_year: rank, then ISO3; unscored last) and scores for the page
        at ``url``."""
        state = self.state(url)
        return self.expected(self.spec(state), state.year)

    def expected(self, spec, year: int) -> dict:
        t = self.model.score(spec.replace(years=(year,))).for_year(year)
        return {
            "order": list(t["iso3"]),
            "scores": {i: (None if s != s else float(s)) for i, s in zip(t["iso3"], t["score"], strict=True)},
            "year": year,
        }


@pytest.fixture(scope="session")
def page_model() -> PageModel:
    return PageModel()


@pytest.fixture
def ui():
    """The page-reading helpers, as one namespace for the tests."""

    class UI:
        ranking = staticmethod(ranking)
        same_ranking = staticmethod(same_ranking)
        wait_for_ranking = staticmethod(wait_for_ranking)
        wait_idle = staticmethod(wait_idle)
        act = staticmethod(act)
        received = staticmethod(received)
        assert_no_exception = staticmethod(assert_no_exception)

    return UI
