"""Browser timings of the dashboard in headless Chromium (prints figures; not a test).

    .venv/bin/python benchmarks/browser_bench.py [--loads 5] [--presses 15] [--reruns 20]

(a) fresh tab -> first full ranking chart (median of --loads new tabs, from navigation start);
(b) slider key press -> updated ranking chart (median of --presses ArrowRight presses on the
    'CSTO membership' weight; timed inside the page from the keydown event to the moment the
    chart's data change, seen by a MutationObserver plus a requestAnimationFrame check);
(c) server rerun after a slider change: Streamlit's AppTest (median of --reruns), and from the
    browser's websocket (rerun request sent -> last message of that rerun received).

Targets: (b) median < 300 ms; (a) < 5 s; (c) median < 150 ms. The server runs on 127.0.0.1 on a
free port from the project root and is stopped at the end. load_test.py reuses these helpers.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("ALIGN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
SLIDER = "CSTO membership"

# ---------------------------------------------------------------- in-page JavaScript
#: The ranking chart's data as a string, or null while it is not drawn with 14 bars.
JS_SIGNATURE = """() => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const d = gd.data || [];
    if (d.length && d[0].type === 'bar' && d[0].orientation === 'h' && (d[0].y || []).length === 14) {
      return JSON.stringify(d.map(t => [t.y, t.x, t.text]));
    }
  }
  return null;
}"""

#: Arm a watcher: records performance.now() of the next keydown and of the first chart change after it.
JS_ARM = """(sigSrc) => {
  const sig = eval(sigSrc);
  const w = window.__bench = {before: sig(), keydown: null, changed: null};
  const check = () => {
    if (w.changed !== null || w.keydown === null) return;
    const s = sig();
    if (s !== null && s !== w.before) w.changed = performance.now();
  };
  const onKey = (e) => { if (w.keydown === null) w.keydown = performance.now(); };
  document.addEventListener('keydown', onKey, {capture: true, once: true});
  const mo = new MutationObserver(check);
  mo.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  const tick = () => { check(); if (w.changed === null) requestAnimationFrame(tick); else mo.disconnect(); };
  requestAnimationFrame(tick);
}"""


#: Installed before the page loads: counts Streamlit's websocket messages, so "the rerun is over" can be
#: told from "the rerun has not started yet" (the status widget and the stale elements are not enough).
JS_WS_HOOK = """(() => {
  const Orig = window.WebSocket;
  const st = window.__st = {recv: 0, sent: 0, log: []};
  window.WebSocket = class extends Orig {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        st.recv++;
        st.log.push(['r', e.timeStamp]);
        if (st.log.length > 4000) st.log.splice(0, 2000);
      });
    }
    send(d) { st.sent++; st.log.push(['s', performance.now()]); return super.send(d); }
  };
})();"""


# ---------------------------------------------------------------- server and browser helpers
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int | None = None, log_path: Path | None = None, script: Path | None = None):
    """Start the dashboard on 127.0.0.1 from the project root; returns (proc, base_url). Waits for health."""
    port = port or free_port()
    script = script or Path(os.environ.get("ALIGN_BROWSER_SCRIPT") or ROOT / "dashboard.py")
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [
        str(streamlit),
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    out = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("streamlit did not become healthy in 60 s")


def stop_server(proc) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        except ProcessLookupError:
            pass


def rss_mb(pid: int) -> float:
    """Resident memory of a process, MB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def launch(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def local_only(context, external: list[str]) -> None:
    """Abort (and record) any request that would leave this machine."""
    from urllib.parse import urlsplit

    def route(r):
        u = urlsplit(r.request.url)
        if u.scheme in {"data", "blob", "about"} or (u.hostname or "") in LOCAL_HOSTS:
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
    return page.get_by_test_id("stSidebar").get_by_role("slider", name=name)


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


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


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
        at.slider(key="w_csto_membership").set_value(csto)
        at.slider(key="w_arms_imports_russia").set_value(arms)
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
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    external: list[str] = []
    proc, base = start_server()
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
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
