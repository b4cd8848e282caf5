"""The command-line examples in README.md and in the modules' docstrings actually run.

Every line that starts with ``python -m`` (or ``.venv/bin/python -m``) in a README code block
or a module docstring's example block is collected and run in a temporary folder, with files
it names (``--weights X.json``) written there first, and must exit 0. Commands that would
rewrite the repository or need the raw extracts and minutes run in a cheaper form, declared in
``CHEAPER`` with the reason; a new example that fits none of the rules fails the collection test.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import ScoringSpec

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("scoring", "indicators", "ui", "benchmarks", "tools")
_LINE = re.compile(r"^\s*(?:\.venv/bin/)?python -m (?P<cmd>[\w.]+(?:[^#\n]*?))\s*(?:#\s*(?P<comment>.*))?$")

#: module -> how its examples run instead, and why.
CHEAPER = {
    # rebuilding data/ needs ../shared/raw and minutes; tests/test_indicators_data.py rebuilds and compares.
    # Here: the module starts and offers every option the example uses.
    "indicators.build": "help",
    # the timings take a minute on the shipped panel: one run on the small synthetic panel instead
    "scoring.bench": ["--synthetic", "--repeat", "1"],
    # --write rewrites tests/golden/: print the CSV to stdout instead
    "scoring.golden": "drop --write",
    # downloading needs the network (none in CI) and writes a raw folder; tests/test_fetch.py replays it
    "indicators.fetch": "help",
    # OLD and NEW are placeholders: compare the shipped data with itself
    "indicators.diff": [str(ROOT / "data"), str(ROOT / "data")],
}


#: module -> how the file it writes with --out begins.
OUTPUT_START = {
    "scoring": b"iso3,country,year,score,rank,coverage",
    "scoring.diff": b"iso3,country,from,to,part,change",
    "scoring.pulls": b"iso3,country,year,measure,pole,value",
    "scoring.audit": b"section,item,other,measure,value",
    "scoring.bundle": b"PK\x03\x04",  # a zip archive
    "ui.static_page": b"<!doctype html>",
}


def _readme_lines() -> list[tuple[str, str]]:
    out, in_code = [], False
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code and _LINE.match(line):
            out.append(("README.md", line))
    return out


def _docstring_lines() -> list[tuple[str, str]]:
    out = []
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
            for line in (doc or "").splitlines():
                # example lines are indented inside the docstring (prose mentions are inline)
                if line.startswith("    ") and _LINE.match(line):
                    out.append((str(path.relative_to(ROOT)), line))
    return out


EXAMPLES = _readme_lines() + _docstring_lines()


def test_examples_were_found():
    where = {w for w, _ in EXAMPLES}
    assert {"README.md", "scoring/cli.py", "indicators/build.py", "scoring/golden.py"} <= where
    assert len(EXAMPLES) >= 12


def _prepare(line: str, tmp: Path) -> list[str]:
    m = _LINE.match(line)
    args = shlex.split(m["cmd"])
    module, rest = args[0], args[1:]
    for i, a in enumerate(rest[:-1]):
        if a == "--weights" and rest[i + 1].endswith(".json"):  # inline weights (id:w,...) need no file
            comment = (m["comment"] or "").strip()
            try:
                content = json.loads(comment)  # the example's comment shows the file's content
                text = json.dumps(content)
            except json.JSONDecodeError:
                text = ScoringSpec(preset="equal").to_json()  # "a full spec saved by the dashboard"
            (tmp / rest[i + 1]).write_text(text, encoding="utf-8")
    how = CHEAPER.get(module)
    if how == "help":
        rest = ["--help"]
    elif how == "drop --write":
        rest = [a for a in rest if a != "--write"]
    elif isinstance(how, list):
        rest = how
    return [sys.executable, "-m", module, *rest]


@pytest.mark.parametrize("where, line", EXAMPLES, ids=[f"{w}:{ln.strip()[:60]}" for w, ln in EXAMPLES])
def test_example_runs(where, line, tmp_path):
    cmd = _prepare(line, tmp_path)
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    r = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"{where}: {line.strip()} -> exit {r.returncode}\n{r.stderr[-2000:]}"
    if CHEAPER.get(cmd[2]) == "help":
        used = [a for a in shlex.split(_LINE.match(line)["cmd"]) if a.startswith("--")]
        assert all(opt in r.stdout for opt in used), f"{where}: options {used} not all in --help"
    if "--out" in cmd:
        out = tmp_path / cmd[cmd.index("--out") + 1]
        assert out.exists() and out.read_bytes().startswith(OUTPUT_START[cmd[2]]), (where, out.read_bytes()[:40])
    if cmd[2] == "scoring" and "--out" not in cmd:
        assert r.stdout.startswith("iso3,country,year,score,rank,coverage")


def test_the_cli_example_weights_are_accepted():
    # the docstring's plain-weights example names real indicator ids (the CLI refuses unknown ones)
    from scoring import cli

    line = next(ln for w, ln in EXAMPLES if w == "scoring/cli.py" and "my_weights.json" in ln)
    weights = json.loads(_LINE.match(line)["comment"])
    import indicators

    _, catalog, _ = indicators.shipped()
    assert set(weights) <= set(catalog), cli.__doc__
