"""Shared test fixtures: where the raw extracts are, and the shipped data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = Path(os.environ.get("ALIGN_RAW_DIR") or ROOT.parent / "shared" / "raw")


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    if not (RAW / "compiled_cited").is_dir():
        pytest.skip(f"raw extracts not found at {RAW} (set ALIGN_RAW_DIR to the shared/raw folder to run this test)")
    return RAW


@pytest.fixture(scope="session")
def shipped():
    import indicators

    return indicators.shipped()
