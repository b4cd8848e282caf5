"""CI proves what it claims: the raw folder is required under CI=true, lint and format run, and
`make test-unit` runs everything but the browser tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ci_run_without_raw_folder_fails_naming_it(tmp_path):
    clone = tmp_path / "clone"
    (clone / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", clone / ".ci" / "run")
    (clone / "Makefile").write_text("test:\n\t@echo MAKE-TEST-RAN\n")  # must never be reached
    env = {k: v for k, v in os.environ.items() if k != "ALIGN_RAW_DIR"} | {"CI": "true"}
    r = subprocess.run(["bash", ".ci/run"], cwd=clone, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert "../shared/raw" in r.stderr and "not found" in r.stderr
    assert "MAKE-TEST-RAN" not in r.stdout
    # outside CI it only warns and goes on
    env["CI"] = "false"
    r = subprocess.run(["bash", ".ci/run"], cwd=clone, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "warning" in r.stderr and "MAKE-TEST-RAN" in r.stdout


def _make_n(target: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    r = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_make_test_lints_checks_format_and_runs_unit_then_browser_tests():
    out = _make_n("test")
    assert "ruff check ." in out and "ruff format --check ." in out
    assert out.index('pytest -q -m "not browser"') < out.index("make --no-print-directory chromium")
    assert out.index("chromium") < out.index("pytest -q -m browser")
    assert "apt-get install" in out and 'id -u)" = "0"' in out  # root installs Debian's chromium


def test_make_test_unit_skips_only_the_browser_tests():
    out = _make_n("test-unit")
    assert "ruff format --check ." in out and 'pytest -q -m "not browser"' in out
    assert "chromium" not in out and "-m browser" not in out


def test_ci_true_turns_a_raw_data_skip_into_a_failure(tmp_path):
    (tmp_path / "test_x.py").write_text(
        "import pytest\n\n@pytest.mark.skipif(True, reason='raw data not found; set ALIGN_RAW_DIR')\n"
        "def test_needs_raw():\n    pass\n"
    )
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)]
    for ci, rc in (("true", 1), ("false", 0)):
        env = os.environ | {"CI": ci, "PYTHONPATH": str(ROOT)}
        r = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == rc, r.stdout[-1500:]
