"""Headless-browser harness shared by the browser tests (tests/browser/conftest.py) and the benchmarks
(benchmarks/browser_bench.py, benchmarks/load_test.py): a local Streamlit server for the dashboard,
Debian's Chromium and its flags, the test for "this request stays on this machine", the in-page
JavaScript that counts Streamlit's websocket messages and reads the ranking chart, and two small
measurement helpers.

Plain functions and constants only (no pytest, and Playwright is never imported here): the callers
own their fixtures, their browser and their event loop. ``launch_chromium`` works with Playwright's
sync and async APIs alike (with the async API, await what it returns).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

#: The project root: the server runs from here, so `.streamlit/config.toml` and `static/` apply.
ROOT = Path(__file__).resolve().parents[1]
#: The page under test; override (e.g. to try a patched copy whose folder links static/) with ALIGN_BROWSER_SCRIPT.
SCRIPT = Path(os.environ.get("ALIGN_BROWSER_SCRIPT") or ROOT / "dashboard.py")

# ---------------------------------------------------------------- Chromium
#: The Chromium executable (Debian's by default); override with ALIGN_CHROMIUM.
CHROMIUM = os.environ.get("ALIGN_CHROMIUM", "/usr/bin/chromium")
#: Flags for a quiet headless Chromium that makes no requests of its own (no updates, sync or QUIC).
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
#: The browser window every tab gets.
VIEWPORT = {"width": 1400, "height": 1000}


def chromium_available() -> bool:
    """Whether ``CHROMIUM`` names an existing file or a command on PATH."""
    return Path(CHROMIUM).exists() or bool(shutil.which(CHROMIUM))


def launch_chromium(pw):
    """Launch ``CHROMIUM`` headless with ``CHROMIUM_ARGS`` from a Playwright instance (sync: the Browser;
    async: an awaitable of it)."""
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


# ---------------------------------------------------------------- staying on this machine
#: Host names that mean this machine (as ``urlsplit(url).hostname`` gives them, plus the bracketed IPv6 form).
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
#: URL schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}


def is_local(url: str) -> bool:
    """Whether a request to ``url`` stays on this machine: a data:/blob:/about: URL, or http(s)/ws(s) to a
    host in ``LOCAL_HOSTS``."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and (parts.hostname or "") in LOCAL_HOSTS


# ---------------------------------------------------------------- the Streamlit server
def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    port: int, log_path: Path | None = None, script: Path | None = None, cwd: Path | None = None
) -> subprocess.Popen:
    """Start ``streamlit run <script>`` (default ``SCRIPT``) on 127.0.0.1:port from the project root (or from
    ``cwd``, e.g. an exported older revision, whose modules then come first on the path), in its own
    process group, with output to ``log_path`` (or discarded). Does not wait; see ``wait_healthy``."""
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [
        str(streamlit),
        "run",
        str(script or SCRIPT),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    log = open(log_path, "w") if log_path else None  # noqa: SIM115 - closed by stop_server
    home = cwd or ROOT
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(home), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(
        cmd, cwd=home, env=env, stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
    )
    proc._log = log  # type: ignore[attr-defined]
    return proc


def wait_healthy(proc: subprocess.Popen, base: str, timeout: float = 60.0) -> None:
    """Poll ``{base}/_stcore/health`` until it answers 200; raise RuntimeError if the server exits first or
    is not healthy within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode} before becoming healthy")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"streamlit not healthy at {base} after {timeout:.0f}s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server started by ``start_server`` (SIGTERM to its own process group, by pid; SIGKILL after
    10 s) and close its log."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    log = getattr(proc, "_log", None)
    if log:
        log.close()


def serve(
    port: int | None = None,
    log_path: Path | None = None,
    script: Path | None = None,
    timeout: float = 60.0,
    cwd: Path | None = None,
) -> tuple[subprocess.Popen, str]:
    """``start_server`` on ``port`` (default: a free one) and ``wait_healthy``; returns (proc, base URL).
    The server is stopped again if it does not become healthy. Stop it with ``stop_server``."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(port, log_path, script, cwd)
    try:
        wait_healthy(proc, base, timeout)
    except BaseException:
        stop_server(proc)
        raise
    return proc, base


# ---------------------------------------------------------------- in-page JavaScript
#: Installed before the page loads (``context.add_init_script``): counts Streamlit's websocket messages in
#: ``window.__st`` (recv, sent, and a log of ['r'|'s', ms]), so "the rerun is over" can be told from "the
#: rerun has not started yet" (the status widget and the stale elements are not enough).
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

#: How many websocket messages the page has received so far (0 before ``JS_WS_HOOK`` has run).
JS_RECEIVED = "() => window.__st ? window.__st.recv : 0"

#: [messages received so far, whether Streamlit's "running" status widget is shown].
JS_ACTIVITY = "() => [window.__st ? window.__st.recv : 0, !!document.querySelector('[data-testid=\"stStatusWidget\"]')]"

#: Ranking chart: the plotly div whose first trace is a horizontal bar; returns {y, text} (text: the 'score'
#: trace's labels, or null), or null while there is no such chart.
JS_RANKING = """() => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const d = gd.data || [];
    if (d.length && d[0].type === 'bar' && d[0].orientation === 'h') {
      const text = d.find(t => t.name === 'score');
      return {y: Array.from(d[0].y), text: text ? Array.from(text.text) : null};
    }
  }
  return null;
}"""

#: The ranking's data as a string, or null while it is not drawn with 14 states: the live ranking component's
#: data-order + data-scores (ui/live_ranking.js; it sits in a shadow root, found once and remembered in
#: ``window.__lrRoot``), else the first plotly chart of 14 horizontal bars (the Streamlit floor page, older
#: revisions of the dashboard).
JS_SIGNATURE = """() => {
  let lr = window.__lrRoot;
  if (!lr || !lr.isConnected) {
    lr = null;
    for (const h of document.querySelectorAll('*')) {
      const r = h.shadowRoot && h.shadowRoot.querySelector('[data-live-ranking]');
      if (r) { lr = window.__lrRoot = r; break; }
    }
  }
  if (lr) {
    const o = lr.getAttribute('data-order') || '';
    return o.split(',').length === 14 ? o + '|' + lr.getAttribute('data-scores') : null;
  }
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const d = gd.data || [];
    if (d.length && d[0].type === 'bar' && d[0].orientation === 'h' && (d[0].y || []).length === 14) {
      return JSON.stringify(d.map(t => [t.y, t.x, t.text]));
    }
  }
  return null;
}"""

#: Arm a watcher (argument: ``JS_SIGNATURE``): records in ``window.__bench`` performance.now() of the next
#: keydown and of the first chart change after it.
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


class QuietWatch:
    """Tells when the app has been idle for ``quiet_ms``: feed it samples of ``JS_ACTIVITY`` (messages
    received, status widget shown) as they are polled; any new message or a shown status widget restarts
    the quiet period. The polling loop (sync or async) stays with the caller."""

    def __init__(self, quiet_ms: float):
        self.quiet_ms = quiet_ms
        self.quiet_since: float | None = None
        self.last = -1

    def quiet(self, received: int, running: bool) -> bool:
        """Record one sample; True once nothing has happened for ``quiet_ms``."""
        now = time.monotonic()
        if running or received != self.last or self.quiet_since is None:
            self.quiet_since, self.last = now, received
            return False
        return (now - self.quiet_since) * 1000 >= self.quiet_ms


# ---------------------------------------------------------------- measurement
def rss_mb(pid: int) -> float:
    """Resident memory of a process, MB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(xs: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``xs``, linearly interpolated; NaN for no values."""
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)
