"""Load test (issue 6): N concurrent headless-Chromium sessions against one local server.

    .venv/bin/python benchmarks/load_test.py [--sessions 8] [--seconds 60] [--soak 300] [--idle 300]
        [--port P | --url http://127.0.0.1:P]

Starts the dashboard on 127.0.0.1 (a free port, or --port, refused when something already listens there; or
attaches to a server already running on this machine with --url), opens --sessions tabs (one Streamlit session each,
one Chromium process, driven concurrently), and for --seconds (or --soak seconds, for a memory
check) each session keeps moving the weight sliders with the keyboard and switching views
(Ranking, Compare, Trends, Map, back to Ranking). Prints: errors (Streamlit exceptions on the
page, JavaScript errors, failed or >= 400 requests, charts that never updated; target 0), the
median and 95th percentile of slider key press -> updated ranking chart under load, and the
server's RSS (VmRSS) at start, every 30 s and at the end, and with --idle the RSS after the tabs have been
closed for that long (the sessions' memory must come back). Only 127.0.0.1 is contacted: any other
request is aborted and counted as an error. It stops by itself and stops the server. The server,
Chromium and the in-page JavaScript come from harness.py (shared with browser_bench.py and the
browser tests).

Note: the server and every browser tab share this machine's CPUs, so latencies include
client-side rendering under the same load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

if __package__ in (None, ""):  # run as `python benchmarks/load_test.py`: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import (  # noqa: E402
    JS_ACTIVITY,
    JS_ARM,
    JS_RECEIVED,
    JS_SIGNATURE,
    JS_WS_HOOK,
    LOCAL_HOSTS,
    VIEWPORT,
    QuietWatch,
    cpu_seconds,
    is_local,
    launch_chromium,
    pct,
    rss_mb,
    serve,
    stop_server,
)

SLIDERS = [
    "CSTO membership",
    "Share of arms imports from Russia",
    "Russian base hosted by agreement",
    "Alliance alignment with NATO",
]
VIEW_TOUR = ["Compare", "Trends", "Map"]
CHART_TIMEOUT_MS = 20_000
#: keydown, chart changed, and the last server message that arrived before the chart changed (ms).
JS_SPLIT = """() => {
  const b = window.__bench;
  const r = window.__st.log.filter(([k, t]) => k === 'r' && t >= b.keydown && t <= b.changed).map(([k, t]) => t);
  return {keydown: b.keydown, changed: b.changed, data: r.length ? Math.max(...r) : null};
}"""


class Stats:
    def __init__(self):
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.examples: dict[str, str] = {}
        self.presses = 0
        self.view_switches = 0
        self.reloads = 0
        self.first_chart: list[float] = []
        self.server: list[float] = []

    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] += 1
        self.examples.setdefault(kind, detail[:300])


async def received(page) -> int:
    return await page.evaluate(JS_RECEIVED)


async def wait_quiet(page, since: int | None = None, quiet_ms: int = 300, timeout_s: float = 60) -> bool:
    """Until (a server message arrived after ``since`` and) no message / running status for quiet_ms."""
    deadline = time.monotonic() + timeout_s
    if since is not None:
        while await received(page) <= since:
            if time.monotonic() > deadline:
                return False
            await page.wait_for_timeout(50)
    watch = QuietWatch(quiet_ms)
    while time.monotonic() < deadline:
        if watch.quiet(*await page.evaluate(JS_ACTIVITY)):
            return True
        await page.wait_for_timeout(100)
    return False


async def check_exception(page, stats: Stats, where: str) -> bool:
    exc = page.get_by_test_id("stException")
    if await exc.count():
        text = (await exc.first.inner_text()).split("\n")[0]
        stats.error("streamlit exception", f"{where}: {text}")
        return True
    return False


#: How long a new tab may take to show the full ranking before the session counts as failed (the target is 60 s;
#: waiting longer lets the report say by how much a slow tab missed it).
OPEN_TIMEOUT_MS = 180_000


async def open_fresh(page, base: str, stats: Stats) -> None:
    await page.goto(base + "/", wait_until="commit", timeout=OPEN_TIMEOUT_MS)
    await page.wait_for_function(f"() => ({JS_SIGNATURE})() !== null", timeout=OPEN_TIMEOUT_MS)
    await wait_quiet(page)


async def session(idx: int, browser, base: str, deadline: float, stats: Stats, external: list[str]) -> None:
    rng = random.Random(idx)
    ctx = await browser.new_context(viewport=VIEWPORT)

    async def route(r):
        if is_local(r.request.url):
            await r.continue_()
        else:
            external.append(r.request.url)
            stats.error("request left localhost", r.request.url)
            await r.abort("blockedbyclient")

    await ctx.route("**/*", route)
    await ctx.add_init_script(JS_WS_HOOK)
    page = await ctx.new_page()
    page.on("pageerror", lambda e: stats.error("javascript error", str(e)))
    page.on(
        "requestfailed",
        lambda r: (
            stats.error("request failed", f"{r.url} {r.failure}") if urlsplit(r.url).hostname in LOCAL_HOSTS else None
        ),
    )
    page.on("response", lambda r: stats.error("http >= 400", f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        t_open = time.monotonic()
        await open_fresh(page, base, stats)
        stats.first_chart.append(time.monotonic() - t_open)
        while time.monotonic() < deadline:
            if rng.random() < 0.25:
                # Tour the other views and come back to the ranking.
                broken = False
                for label in [rng.choice(VIEW_TOUR), "Ranking"]:
                    n = await received(page)
                    await page.get_by_role("radio", name=label, exact=True).click()
                    stats.view_switches += 1
                    if not await wait_quiet(page, since=n):
                        stats.error("no rerun finished within 60 s of a view click", label)
                    if await check_exception(page, stats, f"view {label}"):
                        broken = True
                        break
                if broken:  # a stuck page: start a new session, as a person would reload
                    stats.reloads += 1
                    await open_fresh(page, base, stats)
                    continue
                try:
                    await page.wait_for_function(f"() => ({JS_SIGNATURE})() !== null", timeout=CHART_TIMEOUT_MS)
                except Exception:  # noqa: BLE001
                    stats.error("ranking chart missing after a view switch")
                continue
            thumb = page.get_by_role("slider", name=rng.choice(SLIDERS))  # the live ranking's sliders
            value = float(await thumb.input_value() or 1)
            key = (
                "ArrowLeft" if value >= 9 else "ArrowRight" if value <= 0.5 else rng.choice(["ArrowLeft", "ArrowRight"])
            )
            await thumb.focus()
            await page.evaluate(JS_ARM, JS_SIGNATURE)
            n = await received(page)
            await page.keyboard.press(key)
            stats.presses += 1
            try:
                await page.wait_for_function(
                    "() => window.__bench && window.__bench.changed !== null", polling="raf", timeout=CHART_TIMEOUT_MS
                )
                b = await page.evaluate(JS_SPLIT)
                stats.latencies.append(b["changed"] - b["keydown"])
                if b["data"] is not None:
                    stats.server.append(b["data"] - b["keydown"])
            except Exception:  # noqa: BLE001
                if not await check_exception(page, stats, "after a slider key"):
                    stats.error("chart did not update after a slider key", key)
            await wait_quiet(page, since=n)
            if await check_exception(page, stats, "after a slider key"):
                stats.reloads += 1
                await open_fresh(page, base, stats)
            await page.wait_for_timeout(rng.randint(100, 400))  # a person's pause between presses
    except Exception as e:  # noqa: BLE001 - a session that dies is an error, the others go on
        stats.error("session aborted", f"{type(e).__name__}: {e}")
    finally:
        await ctx.close()


async def memory_sampler(pid: int, t0: float, deadline: float, out: list[tuple[float, float]]) -> None:
    next_t = t0 + 30
    while time.monotonic() < deadline:
        await asyncio.sleep(max(0.0, min(next_t, deadline) - time.monotonic()))
        if time.monotonic() >= next_t:
            out.append((time.monotonic() - t0, rss_mb(pid)))
            next_t += 30


def port_in_use(port: int) -> bool:
    """Whether something on this machine already listens on 127.0.0.1:port."""
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def listening_pid(port: int) -> int:
    """The pid of the process listening on TCP ``port`` (from /proc/net/tcp{,6} and the processes' sockets)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if f[3] == "0A" and int(f[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(f[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(proc.name)
        except OSError:
            continue
    raise SystemExit(f"error: no process of this user listens on port {port}")


class Attached:
    """A server this script did not start (``--url``): measured, never stopped."""

    def __init__(self, pid: int):
        self.pid = pid


def attach(url: str) -> tuple[Attached, str]:
    """Check that ``url`` is a Streamlit server on this machine and find its process."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS or not parts.port:
        raise SystemExit(f"error: --url must be http://127.0.0.1:PORT (a server on this machine), not {url!r}")
    base = f"http://{parts.hostname}:{parts.port}"
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=5) as r:
            ok = r.status == 200
    except OSError as e:
        raise SystemExit(f"error: no Streamlit server answers at {base} ({e})") from None
    if not ok:
        raise SystemExit(f"error: {base}/_stcore/health did not answer 200")
    return Attached(listening_pid(parts.port)), base


async def run(sessions: int, seconds: float, port: int | None = None, url: str | None = None, idle: float = 0) -> int:
    from playwright.async_api import async_playwright

    if url:
        proc, base = attach(url)
    else:
        if port and port_in_use(port):
            raise SystemExit(f"error: port {port} is already in use; pick another or attach with --url")
        proc, base = serve(port=port)
    stats = Stats()
    external: list[str] = []
    idle_samples: list[tuple[float, float]] = []
    try:
        rss_cold = rss_mb(proc.pid)
        async with async_playwright() as pw:
            browser = await launch_chromium(pw)
            try:
                # One reader first, alone: it loads what every session shares (modules, data, model), which stays
                # for the life of the process. "Before the run" is this warmed server.
                ctx = await browser.new_context(viewport=VIEWPORT)
                await ctx.add_init_script(JS_WS_HOOK)
                await open_fresh(await ctx.new_page(), base, stats)
                await ctx.close()
                rss_start = rss_mb(proc.pid)
                cpu_start = cpu_seconds(proc.pid)
                t0 = time.monotonic()
                deadline = t0 + seconds
                samples: list[tuple[float, float]] = [(0.0, rss_start)]
                await asyncio.gather(
                    memory_sampler(proc.pid, t0, deadline, samples),
                    *(session(i, browser, base, deadline, stats, external) for i in range(sessions)),
                )
                wall = time.monotonic() - t0
            finally:
                await browser.close()
        rss_end = rss_mb(proc.pid)
        cpu_s = cpu_seconds(proc.pid) - cpu_start
        samples.append((wall, rss_end))
        t_idle = time.monotonic()  # every tab is closed now: does the sessions' memory come back?
        while time.monotonic() - t_idle < idle:
            await asyncio.sleep(min(30.0, idle - (time.monotonic() - t_idle)))
            idle_samples.append((time.monotonic() - t_idle, rss_mb(proc.pid)))
    finally:
        if not isinstance(proc, Attached):
            stop_server(proc)

    lat = stats.latencies
    n_err = sum(stats.errors.values())
    print(
        f"load test: {sessions} concurrent headless-Chromium sessions for {seconds:.0f} s against {base} "
        f"(wall {wall:.0f} s incl. the last actions)"
    )
    print(
        f"actions: {stats.presses} slider key presses, {stats.view_switches} view switches, "
        f"{stats.reloads} reloads after a broken page"
    )
    if stats.first_chart:
        print(
            f"opening the {sessions} tabs at once: first full ranking after median "
            f"{statistics.median(stats.first_chart):.1f} s, slowest {max(stats.first_chart):.1f} s; "
            f"{sum(t > 60 for t in stats.first_chart)} of {sessions} waited over 60 s (target 0)"
        )
    print(f"server CPU time during the run: {cpu_s:.0f} s of {wall:.0f} s wall ({100 * cpu_s / wall:.0f}% of one core)")
    print(
        f"errors: {n_err} (target 0)"
        + ("" if not n_err else " — " + ", ".join(f"{k}: {v}" for k, v in stats.errors.items()))
    )
    for k, ex in stats.examples.items():
        print(f"  e.g. {k}: {ex}")
    if lat:
        print(
            f"slider key press -> updated ranking chart under load: median {statistics.median(lat):.0f} ms, "
            f"p95 {pct(lat, 0.95):.0f} ms, max {max(lat):.0f} ms (n={len(lat)})"
        )
    else:
        print("slider key press -> updated ranking chart under load: no successful measurement")
    if stats.server:
        srv = stats.server
        print(
            f"  of which key press -> the rerun's data received over the websocket (server + queueing): "
            f"median {statistics.median(srv):.0f} ms, p95 {pct(srv, 0.95):.0f} ms; the rest is drawing in the tab"
        )
    print(f"server RSS before any reader {rss_cold:.0f} MB; after one reader (shared data loaded) {rss_start:.0f} MB")
    print(
        "server RSS (VmRSS): "
        + ", ".join(f"{t:.0f} s {m:.0f} MB" for t, m in samples)
        + f"; growth {samples[-1][1] - samples[0][1]:+.0f} MB"
    )
    if idle_samples:
        t, m = idle_samples[-1]
        print(
            "server RSS after the tabs closed: "
            + ", ".join(f"{t:.0f} s {m:.0f} MB" for t, m in idle_samples)
            + f"; {m - rss_start:+.0f} MB against the warmed start after {t:.0f} idle s (target within 50 MB)"
        )
    print(f"requests that tried to leave 127.0.0.1: {len(external)}")
    return 1 if n_err else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument(
        "--soak",
        type=float,
        default=None,
        metavar="SECONDS",
        help="run this long instead (e.g. 300) for a memory check",
    )
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--port", type=int, default=None, help="port for the server it starts (default: a free one)")
    where.add_argument(
        "--url", default=None, help="attach to a server already running here, e.g. http://127.0.0.1:8501"
    )
    ap.add_argument(
        "--idle", type=float, default=0, metavar="SECONDS", help="after the run, watch the memory this long"
    )
    args = ap.parse_args(argv)
    return asyncio.run(run(args.sessions, args.soak or args.seconds, args.port, args.url, args.idle))


if __name__ == "__main__":
    sys.exit(main())
