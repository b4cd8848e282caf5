"""Many readers at once, as the server sees them (issue 22; prints figures; not a test).

    .venv/bin/python benchmarks/readers.py [--readers 20] [--view ranking] [--idle 300] [--url http://127.0.0.1:P]

``load_test.py`` drives real Chromium tabs; with 20 of them on this 2-core machine the tabs' own rendering takes
most of the CPU, so what it measures is mostly the browsers. This script measures the server: it opens one real
Chromium tab of the view (a fresh context, nothing cached) and records what that tab asked of the server (every
HTTP GET, and the messages it sent on Streamlit's websocket before its first run finished). Then ``--readers``
readers replay exactly that, all at once, without a browser: each fetches every file the tab fetched (in the
same order, 6 at a time as a browser does), opens the websocket, sends the tab's messages and reads until the
server reports the run finished, and until the last of its files has arrived. A reader's **wait** is from its
start to both: what a reader on its own machine waits for the server before drawing.

Prints: the readers' waits (median, slowest, how many over 60 s), errors (HTTP status >= 400, a websocket that
closes or times out, a run that ends without success, an exception element in the page; target 0), the server's
CPU seconds per reader, and its RSS before the readers (after one warm-up reader), after them, and after
``--idle`` seconds (target: within 50 MB of before). Starts its own server on a free 127.0.0.1 port unless
``--url`` names one already running on this machine. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import urllib.request
from pathlib import Path

if __package__ in (None, ""):  # run as `python benchmarks/readers.py`: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import VIEWPORT, cpu_seconds, is_local, launch_chromium, rss_mb, serve, stop_server  # noqa: E402
from benchmarks.load_test import Attached, attach  # noqa: E402

#: Parallel HTTP connections per reader (what Chromium opens per host).
CONNECTIONS = 6
#: How long a reader may wait for its first run before it counts as an error.
TIMEOUT_S = 180.0


def record(base: str, view: str) -> tuple[list[str], str, list[str], list[bytes], int]:
    """What one fresh Chromium tab of ``view`` asks of the server: (paths of its GETs, websocket URL, websocket
    subprotocols, binary frames sent before the first ``script_finished``, page elements (deltas) it received
    in that run)."""
    from playwright.sync_api import sync_playwright
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    gets: list[str] = []
    ws_url, frames, finished, deltas = "", [], [], []
    protocols: list[str] = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        ctx = browser.new_context(viewport=VIEWPORT)
        page = ctx.new_page()
        page.route("**/*", lambda r: r.continue_() if is_local(r.request.url) else r.abort())

        def on_request(req):
            if req.resource_type == "websocket":
                protocols.extend(p.strip() for p in (req.headers.get("sec-websocket-protocol") or "").split(","))
            elif req.method == "GET" and req.url.startswith(base):
                gets.append(req.url[len(base) :])

        def on_ws(ws):
            nonlocal ws_url
            ws_url = ws.url

            def sent(payload):
                if isinstance(payload, bytes) and not finished:
                    frames.append(payload)

            def received(payload):
                if isinstance(payload, bytes):
                    m = ForwardMsg()
                    m.ParseFromString(payload)
                    if m.WhichOneof("type") == "script_finished":
                        finished.append(m.script_finished)
                    elif m.WhichOneof("type") == "delta" and not finished:
                        deltas.append(1)

            ws.on("framesent", sent)
            ws.on("framereceived", received)

        page.on("request", on_request)
        page.on("websocket", on_ws)
        page.goto(f"{base}/?view={view}")
        deadline = time.monotonic() + 120
        while not finished and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        page.wait_for_timeout(1500)  # the lazy chunks the first draw asks for
        browser.close()
    if not finished:
        raise SystemExit("the recording tab never finished its first run")
    return gets, ws_url, [p for p in protocols if p], frames, len(deltas)


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as r:  # noqa: S310 - 127.0.0.1 only (checked)
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


async def reader(
    base: str, gets: list[str], ws_url: str, protocols: list[str], frames: list[bytes], deltas: int
) -> dict:
    """One reader: the tab's GETs (CONNECTIONS at a time), then its websocket messages; wait and errors (a run
    that sent fewer page elements than the recorded tab received is one)."""
    import websockets
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.monotonic()
    errors: list[str] = []
    sem = asyncio.Semaphore(CONNECTIONS)

    async def get(path: str) -> None:
        async with sem:
            status = await asyncio.to_thread(fetch, base + path)
            if status >= 400:
                errors.append(f"HTTP {status} {path[:60]}")

    # the page and its scripts come first (the websocket opens once they run), the rest alongside the run
    first = [p for p in gets if not p.startswith("/static/media") and "/_stcore/" not in p][:3]
    await asyncio.gather(*(get(p) for p in first))
    rest = asyncio.gather(*(get(p) for p in gets if p not in first))
    wait, got = None, 0
    try:
        async with websockets.connect(
            ws_url, subprotocols=protocols or None, max_size=None, open_timeout=TIMEOUT_S
        ) as ws:
            for f in frames:
                await ws.send(f)
            while True:
                raw = await asyncio.wait_for(ws.recv(), timeout=TIMEOUT_S - (time.monotonic() - t0))
                m = ForwardMsg()
                m.ParseFromString(raw)
                kind = m.WhichOneof("type")
                if kind == "delta":
                    got += 1
                    if m.delta.new_element.WhichOneof("type") == "exception":
                        errors.append("exception element: " + m.delta.new_element.exception.type)
                if kind == "script_finished":
                    wait = time.monotonic() - t0
                    if m.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                        errors.append(f"run ended with status {m.script_finished}")
                    if got < deltas:
                        errors.append(f"short run: {got} page elements, the tab got {deltas}")
                    break
    except (TimeoutError, websockets.exceptions.WebSocketException, OSError) as e:
        errors.append(f"websocket: {type(e).__name__} {e}"[:120])
    await rest
    return {"wait": wait, "done": time.monotonic() - t0, "errors": errors}


async def crowd(n: int, base: str, rec) -> list[dict]:
    return await asyncio.gather(*(reader(base, *rec) for _ in range(n)))


def main(argv: list[str] | None = None) -> int:
    from ui.state import VIEWS

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--readers", type=int, default=20)
    ap.add_argument("--view", default="ranking", choices=list(VIEWS))
    ap.add_argument("--idle", type=float, default=0, help="seconds to wait after the readers, then RSS again")
    ap.add_argument("--url", help="attach to a dashboard already running on this machine")
    a = ap.parse_args(argv)
    proc, base = attach(a.url) if a.url else serve()
    try:
        rss_cold = rss_mb(proc.pid)
        rec = record(base, a.view)  # also the warm-up reader: loads what every session shares
        gets, ws_url, protocols, frames, deltas = rec
        if not all(is_local(u) for u in (base, ws_url)):
            raise SystemExit("refusing a server that is not on this machine")
        asyncio.run(crowd(1, base, rec))  # one replayed reader alone: the replay works and is warm
        rss_start, cpu_start, t0 = rss_mb(proc.pid), cpu_seconds(proc.pid), time.monotonic()
        out = asyncio.run(crowd(a.readers, base, rec))
        wall, cpu = time.monotonic() - t0, cpu_seconds(proc.pid) - cpu_start
        time.sleep(2)
        rss_end = rss_mb(proc.pid)
        idle = []
        t_idle = time.monotonic()
        while time.monotonic() - t_idle < a.idle:
            time.sleep(min(30.0, a.idle - (time.monotonic() - t_idle)))
            idle.append((time.monotonic() - t_idle, rss_mb(proc.pid)))
    finally:
        if not isinstance(proc, Attached):
            stop_server(proc)
    waits = [r["wait"] for r in out if r["wait"] is not None]
    done = [r["done"] for r in out if r["wait"] is not None]
    errors = [e for r in out for e in r["errors"]]
    print(
        f"{a.readers} readers of the {VIEWS[a.view]} view at once, replaying one fresh Chromium tab "
        f"({len(gets)} GETs, {len(frames)} websocket message(s), {deltas} page elements) against {base}"
    )
    if waits:
        print(
            f"wait until the server finished the first run: median {statistics.median(waits):.1f} s, slowest "
            f"{max(waits):.1f} s; until that and every file the tab fetched were received (all a browser needs to "
            f"draw): median {statistics.median(done):.1f} s, slowest {max(done):.1f} s; "
            f"{sum(w > 60 for w in done)} of {a.readers} over 60 s (target 0)"
        )
    print(f"errors: {len(errors)} (target 0)" + "".join(f"\n  {e}" for e in errors[:10]))
    print(f"server CPU: {cpu:.1f} s for {a.readers} readers ({cpu / a.readers:.2f} s each) in {wall:.1f} s wall")
    print(
        f"server RSS: {rss_cold:.0f} MB cold, {rss_start:.0f} MB warmed (before), {rss_end:.0f} MB after the readers"
        + "".join(f", {t:.0f} s idle {m:.0f} MB" for t, m in idle)
        + (f"; {idle[-1][1] - rss_start:+.0f} MB against before (target within 50 MB)" if idle else "")
    )
    return 1 if errors or len(waits) < a.readers else 0


if __name__ == "__main__":
    sys.exit(main())
