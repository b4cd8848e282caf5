"""Live ranking timings in headless Chromium (prints figures; not a test).

    .venv/bin/python benchmarks/live_bench.py [--drag 60] [--keys 40] [--releases 15] [--loads 5]
        [--port 8683] [--floor-port 8684] [--baseline-rev 78c6c13 --baseline-port 8685]

(1) input event -> bars redrawn: inside the page, from the ``input`` event's timeStamp to the next
    requestAnimationFrame callback after the component rescored and redrew (ui/live_ranking.js records
    it per event). Three runs: a mouse drag of the 'Western ties' pillar weight (``--drag`` moves, input
    events only, nothing goes to the server while the thumb is held); ``--keys`` arrow-key presses on
    'CSTO membership' 60 ms apart (a burst: handed to Python once, 250 ms after the last key); and
    ``--keys`` presses 400 ms apart (each one handed over, so Python's reruns land between key presses).
    Target: p95 <= 16 ms.
(2) release -> every other view consistent: drag the 'CSTO membership' thumb to a new value and let go
    (pointerup) -> the URL carries the new weight and the component holds the data Python computed for
    those weights (its ``data-server-seq`` echoes the release). Median of ``--releases``.
    With ``--baseline-rev``, the same for that revision of the dashboard (exported with ``git archive``
    to a temporary folder): key press on the sidebar slider -> ranking chart changed and URL updated.
(3) The Streamlit floor: benchmarks/floor_app.py (13 sliders, one plotly bar chart), key press ->
    chart changed, median of ``--keys``; and the ratio floor / live p50.
(4) The static page (python -m ui.static_page) from file://: navigation -> first contentful paint and
    -> live ranking drawn, median of ``--loads`` fresh tabs. Target: < 1 s.

Servers run on 127.0.0.1 (ports from the options, default: free ones) and are stopped at the end; every
request that would leave the machine is aborted and counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.browser_bench import local_only, press_and_time, wait_quiet, wait_ranking  # noqa: E402
from benchmarks.harness import (  # noqa: E402
    CHROMIUM,
    JS_WS_HOOK,
    ROOT,
    VIEWPORT,
    launch_chromium,
    pct,
    serve,
    stop_server,
)

LIVE = "[data-live-ranking]"
FLOOR_APP = ROOT / "benchmarks" / "floor_app.py"

#: Armed before a key press on a revision without the live ranking (args: [signature source, expected URL
#: fragment]): window.__rel.t0 = keydown, .done = first animation frame with the chart changed and the URL updated.
JS_ARM_RELEASE_OLD = """([sigSrc, want]) => {
  const sig = eval(sigSrc);
  const w = window.__rel = {t0: null, done: null, before: sig()};
  document.addEventListener('keydown', () => { if (w.t0 === null) w.t0 = performance.now(); },
                            {capture: true, once: true});
  const tick = () => {
    if (w.t0 !== null && decodeURIComponent(location.search).includes(want) && sig() !== w.before) {
      w.done = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def thumb_x(box: dict, value: float, vmax: float = 10.0, thumb: float = 16.0) -> float:
    return box["x"] + thumb / 2 + (box["width"] - thumb) * value / vmax


def input_latency(browser, base: str, n_drag: int, n_keys: int, external: list[str]):
    ctx = browser.new_context(viewport=VIEWPORT)
    local_only(ctx, external)
    page = ctx.new_page()
    page.goto(base + "/")
    page.wait_for_selector(f"{LIVE}[data-order*=',']", timeout=60_000)
    wait_quiet(page)
    root = page.locator(LIVE)
    # drag: input events only
    s = page.get_by_role("slider", name="Western ties", exact=True)
    s.scroll_into_view_if_needed()
    box = s.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(thumb_x(box, float(s.input_value())), y)
    page.mouse.down()
    root.evaluate("el => el.liveRanking.clearTimings()")
    for k in range(n_drag):
        v = 10 * (k % 40) / 39 if (k // 40) % 2 == 0 else 10 * (39 - k % 40) / 39
        page.mouse.move(thumb_x(box, v), y)
        page.wait_for_timeout(30)
    drag = root.evaluate("el => el.liveRanking.timings()")
    page.mouse.up()
    wait_quiet(page, 500)
    # keys in a burst (60 ms apart): handed over once, after the burst
    s = page.get_by_role("slider", name="CSTO membership")
    s.focus()
    root.evaluate("el => el.liveRanking.clearTimings()")
    for k in range(n_keys):
        page.keyboard.press("ArrowRight" if (k // 10) % 2 == 0 else "ArrowLeft")
        page.wait_for_timeout(60)
    page.wait_for_timeout(300)
    keys = root.evaluate("el => el.liveRanking.timings()")
    wait_quiet(page, 500)
    # keys 400 ms apart: each one is handed over, so Python's reruns arrive while the next key is pressed
    root.evaluate("el => el.liveRanking.clearTimings()")
    for k in range(n_keys):
        page.keyboard.press("ArrowRight" if (k // 10) % 2 == 0 else "ArrowLeft")
        page.wait_for_timeout(400)
    spaced = root.evaluate("el => el.liveRanking.timings()")
    ctx.close()
    return drag, keys, spaced


#: Armed before a drag (arg: root element): window.__rel.t0 = pointerup, .done = first animation frame where
#: the URL carries the slider's new CSTO weight and the component echoes the release.
JS_ARM_POINTER = """(root) => {
  const w = window.__rel = {t0: null, done: null};
  document.addEventListener('pointerup', () => { if (w.t0 === null) w.t0 = performance.now(); },
                            {capture: true, once: true});
  const tick = () => {
    const v = root.liveRanking.weights().indicator.csto_membership;
    if (w.t0 !== null && decodeURIComponent(location.search).includes('csto_membership:' + v)
        && root.dataset.sent && root.dataset.serverSeq === root.dataset.sent
        && root.dataset.serverOrder === root.dataset.order) {
      w.done = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def release_live(browser, base: str, n: int, external: list[str]) -> list[float]:
    """Drag the CSTO weight to a new value and let go; ms from pointerup to Python's result in place."""
    ctx = browser.new_context(viewport=VIEWPORT)
    local_only(ctx, external)
    page = ctx.new_page()
    page.goto(base + "/")
    page.wait_for_selector(f"{LIVE}[data-order*=',']", timeout=60_000)
    wait_quiet(page)
    root = page.locator(LIVE)
    handle = root.element_handle()
    s = page.get_by_role("slider", name="CSTO membership")
    s.scroll_into_view_if_needed()
    box = s.bounding_box()
    y = box["y"] + box["height"] / 2
    out = []
    for k in range(n):
        start, end = float(s.input_value()), 2.0 + (k % 7)  # never the default 1, so the URL carries it
        if end == start:
            end += 0.5
        page.mouse.move(thumb_x(box, start), y)
        page.mouse.down()
        page.mouse.move(thumb_x(box, end), y, steps=4)
        page.evaluate(JS_ARM_POINTER, handle)
        page.mouse.up()
        page.wait_for_function("() => window.__rel.done !== null", polling="raf", timeout=60_000)
        r = page.evaluate("() => window.__rel")
        out.append(r["done"] - r["t0"])
        wait_quiet(page, 300)
    ctx.close()
    return out


def release_old(browser, base: str, n: int, external: list[str]) -> list[float]:
    from benchmarks.harness import JS_SIGNATURE

    ctx = browser.new_context(viewport=VIEWPORT)
    local_only(ctx, external)
    page = ctx.new_page()
    page.goto(base + "/")
    wait_ranking(page, 60_000)
    wait_quiet(page)
    s = page.get_by_test_id("stSidebar").get_by_role("slider", name="CSTO membership")
    s.focus()
    page.keyboard.press("End")
    wait_quiet(page, 500)
    out = []
    value = 10.0
    for _ in range(n):
        value -= 0.25
        s.focus()
        page.evaluate(JS_ARM_RELEASE_OLD, [JS_SIGNATURE, f"csto_membership:{value:g}"])
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("() => window.__rel.done !== null", polling="raf", timeout=60_000)
        r = page.evaluate("() => window.__rel")
        out.append(r["done"] - r["t0"])
        wait_quiet(page, 300)
    ctx.close()
    return out


def floor_latency(browser, base: str, n: int, external: list[str]) -> list[float]:
    ctx = browser.new_context(viewport=VIEWPORT)
    local_only(ctx, external)
    ctx.add_init_script(JS_WS_HOOK)
    page = ctx.new_page()
    page.goto(base + "/")
    wait_ranking(page, 60_000)
    wait_quiet(page)
    thumb = page.get_by_role("slider").first
    thumb.focus()
    page.keyboard.press("Home")
    wait_quiet(page)
    out = []
    for _ in range(n):
        thumb.focus()
        out.append(press_and_time(page, "ArrowRight"))
        wait_quiet(page)
    ctx.close()
    return out


def static_loads(browser, path: Path, n: int) -> tuple[list[float], list[float], list[str]]:
    url = path.resolve().as_uri()
    fcp, drawn, seen = [], [], []
    for _ in range(n):
        ctx = browser.new_context(viewport=VIEWPORT)

        def route(r):
            seen.append(r.request.url)
            r.continue_() if r.request.url.split("#")[0] == url else r.abort("blockedbyclient")

        ctx.route("**/*", route)
        page = ctx.new_page()
        page.goto(url)
        t = page.wait_for_function(
            "() => { const r = document.getElementById('live');"
            " const lr = r && r.shadowRoot && r.shadowRoot.querySelector('[data-live-ranking]');"
            " return lr && lr.dataset.order.split(',').length === 14 ? performance.now() : null; }",
            polling="raf",
        )
        drawn.append(float(t.json_value()))
        page.wait_for_timeout(100)
        paint = page.evaluate(
            "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
        )
        if paint is not None:
            fcp.append(paint)
        ctx.close()
    return fcp, drawn, [u for u in seen if u.split("#")[0] != url]


def export_revision(rev: str, into: Path) -> Path:
    """``git archive rev`` unpacked into ``into`` (the working tree is untouched)."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--drag", type=int, default=60)
    ap.add_argument("--keys", type=int, default=40)
    ap.add_argument("--releases", type=int, default=15)
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--port", type=int, default=None)
    ap.add_argument("--floor-port", type=int, default=None)
    ap.add_argument("--baseline-rev", default=None, help="also time the release path of this git revision")
    ap.add_argument("--baseline-port", type=int, default=None)
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    external: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="live-bench-"))
    page_path = tmp / "ranking.html"
    subprocess.run(
        [sys.executable, "-m", "ui.static_page", "--year", str(args.year), "--out", str(page_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    res: dict[str, list[float]] = {}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            proc, base = serve(port=args.port)
            try:
                wait_ranking_page = browser.new_context(viewport=VIEWPORT)  # warm the server's caches
                p = wait_ranking_page.new_page()
                p.goto(base + "/")
                p.wait_for_selector(f"{LIVE}[data-order*=',']", timeout=90_000)
                wait_ranking_page.close()
                res["drag"], res["keys"], res["spaced"] = input_latency(browser, base, args.drag, args.keys, external)
                res["release"] = release_live(browser, base, args.releases, external)
            finally:
                stop_server(proc)
            proc, base = serve(port=args.floor_port, script=FLOOR_APP)
            try:
                res["floor"] = floor_latency(browser, base, args.keys, external)
            finally:
                stop_server(proc)
            if args.baseline_rev:
                old = export_revision(args.baseline_rev, tmp / "baseline")
                proc, base = serve(port=args.baseline_port, script=old / "dashboard.py", cwd=old)
                try:
                    res["release_old"] = release_old(browser, base, args.releases, external)
                finally:
                    stop_server(proc)
            res["fcp"], res["static_drawn"], static_requests = static_loads(browser, page_path, args.loads)
        finally:
            browser.close()

    def row(label, xs, target=None, p95=False):
        q = pct(xs, 0.95)
        head = (
            f"p50 {statistics.median(xs):.1f} ms, p95 {q:.1f} ms" if p95 else f"median {statistics.median(xs):.0f} ms"
        )
        ok = ""
        if target is not None:
            v = q if p95 else statistics.median(xs)
            ok = f"  [target {'p95' if p95 else 'median'} <= {target:g} ms: {'met' if v <= target else 'MISSED'}]"
        print(f"{label}: {head} (min {min(xs):.1f}, max {max(xs):.1f}, n={len(xs)}){ok}")

    print(f"headless Chromium {CHROMIUM}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}")
    row("(1a) drag: input event -> bars redrawn (next animation frame)", res["drag"], 16, p95=True)
    row(
        "(1b) arrow keys, 60 ms apart (one hand-over after the burst): input event -> bars redrawn",
        res["keys"],
        16,
        True,
    )
    row(
        "(1c) arrow keys, 400 ms apart (each handed over, reruns alongside): input -> bars redrawn",
        res["spaced"],
        16,
        True,
    )
    row("(2) release (pointer up) -> URL and component hold Python's result for the new weights", res["release"])
    if "release_old" in res:
        row(f"(2b) same on {args.baseline_rev} (sidebar slider -> chart changed and URL updated)", res["release_old"])
        ratio = statistics.median(res["release"]) / statistics.median(res["release_old"])
        print(f"     release now / release on {args.baseline_rev}: {ratio:.2f}")
    row("(3) Streamlit floor (13 sliders + 1 plotly chart): key press -> chart changed", res["floor"])
    live_p50 = statistics.median(res["drag"] + res["keys"] + res["spaced"])
    print(
        f"     floor / live ranking (p50 of 1a-1c = {live_p50:.1f} ms): {statistics.median(res['floor']) / live_p50:.0f}x"
    )
    if res["fcp"]:
        row("(4a) static page from file://: first contentful paint", res["fcp"], 1000)
    row("(4b) static page from file://: live ranking drawn (14 states)", res["static_drawn"], 1000)
    print(
        f"requests blocked for leaving localhost: {len(external)}; static page requests other than its file: "
        f"{len(static_requests)}"
    )
    return 1 if external or static_requests else 0


if __name__ == "__main__":
    sys.exit(main())
