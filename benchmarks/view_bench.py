"""Every view against the Streamlit floor, side by side in one run (prints figures; not a test).

    .venv/bin/python benchmarks/view_bench.py [--rounds 5] [--views ranking,trends] [--out FILE.json]

Starts two servers on free 127.0.0.1 ports: the dashboard and ``benchmarks/floor_app.py`` (13 sliders and
one plotly chart, the cheapest page Streamlit can serve). Each round opens, for the floor and then for every
view of the dashboard, a fresh browser context (no cache, a new Streamlit session) and measures:

- **ready**: navigation start -> the last websocket message of the first run (the app then stays quiet for
  ``QUIET_MS`` with no "running" status), in ms, with the view's own content present;
- **server CPU**: the server process's user + system CPU seconds from before the navigation until quiet
  (the cost of one new reader whose browser has nothing cached: most of it is serving Streamlit's front-end
  files, one per widget kind the view uses);
- **again**: the same for a returning reader (a new tab in a browser context that opened the page before: the
  front end's files are cached, as Streamlit marks them immutable for a year, so this is the session's cost);

and, in one tab of the dashboard, **switch**: a click on the view's button in the view bar -> quiet.
Reports medians, and each view's ratio to the floor measured in the same rounds. The two pages alternate
within each round, so background load on the machine hits both alike. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as `python benchmarks/view_bench.py`: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import (  # noqa: E402
    JS_ACTIVITY,
    JS_WS_HOOK,
    ROOT,
    VIEWPORT,
    QuietWatch,
    cpu_seconds,
    is_local,
    launch_chromium,
    serve,
    stop_server,
)

FLOOR = ROOT / "benchmarks" / "floor_app.py"
QUIET_MS = 600
#: performance.now() of the last message received (ms since navigation start), or null.
JS_LAST = "() => { const r = (window.__st ? window.__st.log : []).filter(([k]) => k === 'r'); return r.length ? r[r.length - 1][1] : null; }"
#: Whether the page has drawn: the floor's chart, or the dashboard's view bar (the view itself is drawn by the
#: same run, which is over when the app is quiet).
JS_CONTENT = """() => !!document.querySelector('.js-plotly-plot, [data-testid="stButtonGroup"]')"""


def wait_quiet(page, timeout_s: float = 90) -> None:
    watch = QuietWatch(QUIET_MS)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if watch.quiet(*page.evaluate(JS_ACTIVITY)):
            return
        page.wait_for_timeout(50)
    raise TimeoutError("the app did not go quiet")


def new_page(browser, external: list[str], block: bool = True):
    """A new browser context and tab. ``block``: requests that would leave this machine are aborted (and counted);
    Playwright then bypasses the HTTP cache, so a returning reader's context is made with ``block=False``, in which
    such requests are only counted (there are none: the count is printed and makes the exit status 1)."""
    ctx = browser.new_context(viewport=VIEWPORT)

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort("blockedbyclient")

    if block:
        ctx.route("**/*", route)
    else:
        ctx.on("request", lambda r: None if is_local(r.url) else external.append(r.url))
    ctx.add_init_script(JS_WS_HOOK)
    return ctx, ctx.new_page()


def fresh(browser, url: str, pid: int, external: list[str], ctx=None) -> tuple[float, float]:
    """(ready ms, server CPU s) of one fresh tab: in a new browser context (nothing cached), or in ``ctx``, a
    context that has opened the page before (a returning reader: the browser's cache holds the front end's
    files, which Streamlit serves as immutable for a year, so only the session costs the server)."""
    own = ctx is None
    if own:
        ctx, page = new_page(browser, external)
    else:
        page = ctx.new_page()
    try:
        c0 = cpu_seconds(pid)
        page.goto(url)
        page.wait_for_function("() => window.__st && window.__st.recv > 0", timeout=90_000)
        page.wait_for_function(JS_CONTENT, timeout=90_000)
        wait_quiet(page)
        return page.evaluate(JS_LAST), cpu_seconds(pid) - c0
    finally:
        (ctx if own else page).close()


def switch_times(browser, base: str, views: dict[str, str], external: list[str]) -> dict[str, float]:
    """In one tab: click each view's button (after Ranking) -> quiet, in ms."""
    ctx, page = new_page(browser, external)
    out: dict[str, float] = {}
    try:
        page.goto(base + "/")
        page.wait_for_function(JS_CONTENT, timeout=90_000)
        wait_quiet(page)
        # the tab opens on the Ranking (a click on the selected view does not rerun): visit it last
        for key, label in sorted(views.items(), key=lambda kv: kv[0] == "ranking"):
            t0 = page.evaluate("() => performance.now()")
            page.get_by_role("radio", name=label, exact=True).click()
            page.wait_for_function(f"() => window.__st.log.some(([k, t]) => k === 'r' && t > {t0})", timeout=90_000)
            wait_quiet(page)
            out[key] = page.evaluate(JS_LAST) - t0
    finally:
        ctx.close()
    return out


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    from ui.state import VIEWS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--views", default=",".join(VIEWS), help="comma-separated view keys (default: all)")
    ap.add_argument("--out", type=Path, help="also write the figures as JSON")
    a = ap.parse_args(argv)
    views = {k: VIEWS[k] for k in a.views.split(",")}
    external: list[str] = []
    app, app_base = serve()
    floor, floor_base = serve(script=FLOOR)
    ready: dict[str, list[float]] = {k: [] for k in ["floor", *views]}
    cpu: dict[str, list[float]] = {k: [] for k in ready}
    again: dict[str, list[float]] = {k: [] for k in ready}  # server CPU of a returning reader
    switch: dict[str, list[float]] = {k: [] for k in views}
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            urls = {"floor": (floor_base + "/", floor.pid)} | {k: (f"{app_base}/?view={k}", app.pid) for k in views}
            # a returning reader's browser: one context per server that has opened every page once (this also
            # warms the process-wide caches of each view)
            warm = {k: new_page(browser, external, block=False)[0] for k in ("floor", "app")}
            for key, (url, pid) in urls.items():
                fresh(browser, url, pid, external, warm["floor" if key == "floor" else "app"])
            for _ in range(a.rounds):
                for key, (url, pid) in urls.items():
                    r, c = fresh(browser, url, pid, external)
                    ready[key].append(r)
                    cpu[key].append(c)
                    again[key].append(fresh(browser, url, pid, external, warm["floor" if key == "floor" else "app"])[1])
                for k, v in switch_times(browser, app_base, views, external).items():
                    switch[k].append(v)
            browser.close()
    finally:
        stop_server(app)
        stop_server(floor)
    med = {k: statistics.median(v) for k, v in ready.items()}
    cmed = {k: statistics.median(v) for k, v in cpu.items()}
    amed = {k: statistics.median(v) for k, v in again.items()}
    smed = {k: statistics.median(v) for k, v in switch.items() if v}
    print(
        f"{a.rounds} rounds; medians. Floor page: ready {med['floor']:.0f} ms, server CPU {cmed['floor']:.2f} s "
        f"(returning reader {amed['floor']:.2f} s)"
    )
    print(
        f"{'view':<12}{'ready ms':>10}{'x floor':>9}{'CPU s':>8}{'x floor':>9}{'again s':>9}{'x floor':>9}{'switch ms':>11}"
    )
    for k in views:
        print(
            f"{k:<12}{med[k]:>10.0f}{med[k] / med['floor']:>9.2f}{cmed[k]:>8.2f}"
            f"{cmed[k] / max(cmed['floor'], 1e-9):>9.2f}{amed[k]:>9.2f}{amed[k] / max(amed['floor'], 1e-9):>9.2f}"
            f"{smed.get(k, float('nan')):>11.0f}"
        )
    print(f"requests that would have left this machine: {len(external)}")
    if a.out:
        a.out.write_text(
            json.dumps({"ready_ms": ready, "cpu_s": cpu, "returning_cpu_s": again, "switch_ms": switch}, indent=1)
        )
    return 0 if not external else 1


if __name__ == "__main__":
    sys.exit(main())
