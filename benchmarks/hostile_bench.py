"""Time the upload parsers on the hostile files of issue 21 (prints figures; no pass/fail).

    .venv/bin/python benchmarks/hostile_bench.py

Each line: the input, its size, what the parser answered (the first words of its message) and the
median of 3 runs. The issue's bound: a refusal of the 137,500-column header in under 2 s (it took
229 s with the quadratic duplicate-header check).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import indicators  # noqa: E402
from ui import uploads  # noqa: E402


def cases() -> list[tuple[str, object]]:
    catalog = indicators.shipped()[1]
    header = ",".join(["iso3"] + [f"c{j:05x}" for j in range(1, 137_500)]).encode() + b"\nARM\n"
    dup_header = ",".join(["iso3"] + ["2013"] * 39).encode() + b"\nARM\n"
    rows = b"iso3,year,value\n" + b"".join(f"ARM,{2013 + k % 13},{k}\n".encode() for k in range(4_999))
    deep = b"[" * 100_000 + b"]" * 100_000
    digits = b'{"indicator_weights": {"csto_membership": ' + b"7" * 400 + b"}}"
    return [
        ("137,500-column header", lambda: uploads.parse_values("h.csv", header), len(header)),
        ("duplicate year columns", lambda: uploads.parse_values("d.csv", dup_header), len(dup_header)),
        ("5,000-row long table", lambda: uploads.parse_values("r.csv", rows), len(rows)),
        ("100,000-deep JSON spec", lambda: uploads.parse_spec_upload("s.json", deep, catalog), len(deep)),
        ("400-digit weight", lambda: uploads.parse_spec_upload("s.json", digits, catalog), len(digits)),
    ]


def main() -> int:
    for name, fn, size in cases():
        times, answer = [], ""
        for _ in range(3):
            t0 = time.perf_counter()
            try:
                fn()
                answer = "accepted"
            except uploads.UploadError as e:
                answer = "refused: " + str(e).split(": ", 1)[-1][:60]
            times.append(time.perf_counter() - t0)
        print(f"{name:<26} {size / 1e3:>8.1f} kB  {statistics.median(times) * 1e3:>8.1f} ms  {answer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
