"""Browser timings of the dashboard in headless Chromium (prints figures; not a test).

    .venv/bin/python benchmarks/browser_bench.py [--loads 5] [--presses 15] [--reruns 20]

(a) fresh tab -> first full ranking chart (median of --loads new tabs, from navigation start);
(b) slider key press -> updated ranking (median of --presses ArrowRight presses on the
    'CSTO membership' weight of the live ranking; timed inside the page from the keydown event to the
    first animation frame that sees the ranking's data changed). Since the live ranking (issue 12)
    this is the in-browser path; benchmarks/live_bench.py measures it in detail, with the rerun that
    follows the release and the Streamlit floor;
(c) server rerun after a slider change: Streamlit's AppTest (median of --reruns), and from the
    browser's websocket (rerun request sent -> last message of that rerun received).

Targets: (b) median < 300 ms; (a) < 5 s; (c) median < 150 ms. The server runs on 127.0.0.1 on a
free port from the project root and is stopped at the end. The server, Chromium and the in-page
JavaScript come from harness.py, shared with load_test.py and the browser tests.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as `python benchmarks/browser_bench.py`: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import (  # noqa: E402
    CHROMIUM,
    JS_ARM,
    JS_SIGNATURE,
    JS_WS_HOOK,
    ROOT,
    VIEWPORT,
    is_local,
    launch_chromium,
    pct,
    rss_mb,
    serve,
    stop_server,
)

SLIDER = "CSTO membership"


# ---------------------------------------------------------------- browser helpers
def local_only(context, external: list[str]) -> None:
    """Abort (and record) any request that would leave this machine."""

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort("blockedbyclient")

    context.route("**/*", route)


def wait_ranking(page, timeout_ms: int = 30_000) -> float:
    """Wait for the full ranking chart; returns performance.now() (ms since navigation start) when seen."""
    h = page.wait_for_function(
        f"() => ({JS_SIGNATURE})() !== null ? performance.now() : null", polling="raf", timeout=timeout_ms
    )
    return float(h.json_value())


def wait_quiet(page, quiet_ms: int = 300, timeout_s: float = 30) -> None:
    """Until Streamlit has shown no running status for quiet_ms."""
    deadline = time.monotonic() + timeout_s
    since = None
    while time.monotonic() < deadline:
        busy = page.evaluate("() => !!document.querySelector('[data-testid=\"stStatusWidget\"]')")
        now = time.monotonic()
        if busy:
            since = None
        elif since is None:
            since = now
        elif (now - since) * 1000 >= quiet_ms:
            return
        page.wait_for_timeout(30)


def slider(page, name: str = SLIDER):
    """A weight slider of the live ranking (Ranking view)."""
    return page.get_by_role("slider", name=name)


#: ms from the rerun request sent on the websocket to the last server message received before the chart changed.
JS_DATA_AT = """() => {
  const b = window.__bench, log = window.__st.log;
  const sent = log.filter(([k, t]) => k === 's' && t >= b.keydown).map(([k, t]) => t);
  const recv = log.filter(([k, t]) => k === 'r' && t >= b.keydown && t <= b.changed).map(([k, t]) => t);
  return sent.length && recv.length ? Math.max(...recv) - Math.min(...sent) : null;
}"""


def press_and_time(page, key: str, timeout_ms: int = 30_000) -> float:
    """Press ``key`` on the focused element; ms from keydown to the ranking chart's data changing."""
    page.evaluate(JS_ARM, JS_SIGNATURE)
    page.keyboard.press(key)
    page.wait_for_function("() => window.__bench && window.__bench.changed !== null", polling="raf", timeout=timeout_ms)
    b = page.evaluate("() => window.__bench")
    return b["changed"] - b["keydown"]


# ---------------------------------------------------------------- measurements
def fresh_tab_loads(browser, base: str, n: int, external: list[str]) -> list[float]:
    out = []
    for _ in range(n):
        ctx = browser.new_context(viewport=VIEWPORT)
        local_only(ctx, external)
        page = ctx.new_page()
        page.goto(base + "/", wait_until="commit")
        out.append(wait_ranking(page))
        ctx.close()
    return out


def key_to_chart(browser, base: str, n: int, external: list[str]) -> tuple[list[float], list[float]]:
    """Returns (key->chart ms, websocket rerun ms) over n ArrowRight presses."""
    ctx = browser.new_context(viewport=VIEWPORT)
    local_only(ctx, external)
    ctx.add_init_script(JS_WS_HOOK)
    page = ctx.new_page()
    page.goto(base + "/")
    wait_ranking(page)
    wait_quiet(page)
    thumb = slider(page)
    thumb.focus()
    page.keyboard.press("Home")  # weight 0: every ArrowRight below changes the scores
    wait_quiet(page)
    lat, ws_ms = [], []
    for _ in range(n):
        thumb.focus()
        lat.append(press_and_time(page, "ArrowRight"))
        data = page.evaluate(JS_DATA_AT)
        if data is not None:
            ws_ms.append(data)
        wait_quiet(page)
    ctx.close()
    return lat, ws_ms


def apptest_reruns(n: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    if at.exception:
        raise RuntimeError(f"AppTest: {[e.value for e in at.exception]}")
    out = []
    # Every rerun gets a weight pair not seen before, so the page's Monte Carlo cache never helps.
    values = [(a * 0.25, b * 0.25) for a in range(41) for b in range(41) if (a, b) != (4, 4)]
    random.Random(0).shuffle(values)
    for i in range(n + 2):
        csto, arms = values[i]
        # the session weights the live ranking writes on release (its sliders are not Streamlit widgets)
        at.session_state["w_csto_membership"] = csto
        at.session_state["w_arms_imports_russia"] = arms
        t = time.perf_counter()
        at.run()
        if i >= 2:  # two warm-up runs
            out.append((time.perf_counter() - t) * 1000)
    if at.exception:
        raise RuntimeError(f"AppTest: {[e.value for e in at.exception]}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--presses", type=int, default=15)
    ap.add_argument("--reruns", type=int, default=20)
    ap.add_argument("--port", type=int, default=None, help="server port (default: a free one)")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    external: list[str] = []
    proc, base = serve(port=args.port)
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                # One throw-away load warms the server's caches (model, precomputed cubes) for this process.
                warm = fresh_tab_loads(browser, base, 1, external)[0]
                loads = fresh_tab_loads(browser, base, args.loads, external)
                lat, ws_ms = key_to_chart(browser, base, args.presses, external)
            finally:
                browser.close()
        rss = rss_mb(proc.pid)
    finally:
        stop_server(proc)
    reruns = apptest_reruns(args.reruns)

    def row(label, xs, target=None, unit="ms"):
        med = statistics.median(xs)
        verdict = "met" if target is not None and med < target else "MISSED"
        ok = "" if target is None else f"  [target < {target:g} {unit}: {verdict}]"
        print(f"{label}: median {med:.0f} {unit} (min {min(xs):.0f}, p95 {pct(xs, 0.95):.0f}, n={len(xs)}){ok}")

    print(f"headless Chromium {CHROMIUM}, {os.cpu_count()} CPUs; server {base}")
    print(f"(a0) first tab after server start (cold caches) -> full ranking chart: {warm:.0f} ms")
    row("(a) fresh tab -> first full ranking chart (from navigation start, warm server)", loads, 5000)
    row("(b) slider key press -> updated ranking chart (keydown to chart data changed, in-page clock)", lat, 300)
    row("(c1) server rerun after a slider change (AppTest .run(), same process)", reruns, 150)
    if ws_ms:
        row(
            "(c2) rerun seen from the tab (rerun request sent on the websocket -> last server message before the "
            "chart changed)",
            ws_ms,
            150,
        )
    print(f"server RSS after the browser runs: {rss:.0f} MB; requests blocked for leaving localhost: {len(external)}")
    return 1 if external else 0


if __name__ == "__main__":
    sys.exit(main())
