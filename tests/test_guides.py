"""The guides docs/adding-an-indicator.md and docs/adding-a-country.md, followed step by step.

Each test copies data/ to a temporary folder, adds a toy indicator (from the templates in
docs/templates/) or a toy 15th country with values for three indicators only, rewrites the
manifest, and points ``ALIGN_DATA_DIR`` at the copy. The CLI, the page (AppTest, in a fresh
interpreter so every module reads the copy) and the bundle must pick the addition up with no
code change. The toy values are test data, never shipped.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from indicators.build import write_manifest
from indicators.structure import COUNTRIES, DATA_DIR, STRUCTURE

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "docs" / "templates"
TOY_COUNTRY = "XTA"
#: The three indicators the toy country has values for.
TOY_COUNTRY_INDICATORS = ("pipeline_dependence", "western_engagement", "eaeu_membership")

#: Run in a fresh interpreter: the page through AppTest; prints the live ranking's countries, names,
#: indicators and scores for the year.
PAGE_SCRIPT = """
import json, sys
from streamlit.testing.v1 import AppTest
from tests.apptest_live import live_data
at = AppTest.from_file(sys.argv[1], default_timeout=240)
for k, v in json.loads(sys.argv[2]).items():
    at.query_params[k] = v
at.run()
assert not at.exception, [e.value for e in at.exception]
d = live_data(at)
text = " ".join(str(m.value) for m in at.markdown) + " ".join(str(c.value) for c in at.caption)
print(json.dumps({"countries": d["countries"], "names": d["names"], "indicators": [i["id"] for i in d["indicators"]],
                  "scores": d.get("scores"), "text": text}))
"""


def _copy_data(tmp: Path) -> Path:
    d = tmp / "data"
    shutil.copytree(DATA_DIR, d)
    return d


def _append_csv(path: Path, rows: list[dict]) -> None:
    cols = list(pd.read_csv(path, nrows=0).columns)
    with path.open("a", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        for r in rows:
            w.writerow(r)


def _env(data: Path) -> dict:
    return os.environ | {"ALIGN_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}


def _run(args: list[str], data: Path, cwd: Path) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, *args], cwd=cwd, env=_env(data), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return r


def _page(data: Path, params: dict) -> dict:
    r = subprocess.run(
        [sys.executable, "-c", PAGE_SCRIPT, str(ROOT / "dashboard.py"), json.dumps(params)],
        cwd=ROOT,
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def _bundle_scores(data: Path, tmp: Path, *extra: str) -> pd.DataFrame:
    _run(["-m", "scoring.bundle", "--out", str(tmp / "b.zip"), *extra], data, tmp)
    with zipfile.ZipFile(tmp / "b.zip") as z:
        return pd.read_csv(io.BytesIO(z.read("scores.csv")))


def test_adding_an_indicator_from_the_templates(tmp_path):
    data = _copy_data(tmp_path)
    # 1. a row in the structure (docs/templates/structure_row.csv)
    row = pd.read_csv(TEMPLATES / "structure_row.csv", dtype=str, keep_default_na=False).iloc[0].to_dict()
    row |= {"id": "toy_indicator", "name": "Toy indicator", "parent": "economy"}
    _append_csv(data / STRUCTURE, [row])
    # 2. its catalogue record (docs/templates/indicator.json), name, pillar and direction as declared
    rec = json.loads((TEMPLATES / "indicator.json").read_text(encoding="utf-8"))
    rec |= {"id": "toy_indicator", "name": "Toy indicator", "pillar": "economy", "source_ids": ["toy-source"]}
    catalog = json.loads((data / "catalog.json").read_text(encoding="utf-8"))
    (data / "catalog.json").write_text(json.dumps([*catalog, rec], indent=1), encoding="utf-8")
    # 3. its source and its values (docs/templates/source.csv, values.csv)
    src = pd.read_csv(TEMPLATES / "source.csv", dtype=str, keep_default_na=False).iloc[0].to_dict()
    _append_csv(data / "sources.csv", [src | {"source_id": "toy-source"}])
    countries = pd.read_csv(data / COUNTRIES)
    panel_states = list(countries.loc[countries["role"] == "panel", "iso3"])
    values = [
        {"iso3": c, "year": y, "indicator": "toy_indicator", "value": float((7 * k + y) % 90), "status": "observed"}
        | {"source_ids": "toy-source", "note": ""}
        for k, c in enumerate(panel_states)
        for y in range(2013, 2026)
    ]
    _append_csv(data / "panel.csv", values)
    write_manifest(data)

    cli = _run(["-m", "scoring", "--year", "2020"], data, tmp_path).stdout
    assert "contrib_toy_indicator" in cli.splitlines()[0]
    t = pd.read_csv(io.StringIO(cli))
    assert t["contrib_toy_indicator"].notna().all() and len(t) == len(panel_states)

    page = _page(data, {"view": "ranking", "year": "2020"})
    assert "toy_indicator" in page["indicators"]

    scores = _bundle_scores(data, tmp_path)
    assert "Toy indicator (% of GDP)" in scores.columns
    assert scores["Toy indicator (% of GDP)"].notna().all()


def test_adding_a_fifteenth_country_with_three_indicators(tmp_path):
    data = _copy_data(tmp_path)
    row = pd.read_csv(TEMPLATES / "country_row.csv", dtype=str, keep_default_na=False).iloc[0].to_dict()
    assert row["iso3"] == TOY_COUNTRY
    _append_csv(data / COUNTRIES, [row])
    src = pd.read_csv(TEMPLATES / "source.csv", dtype=str, keep_default_na=False).iloc[0].to_dict()
    _append_csv(data / "sources.csv", [src | {"source_id": "toy-source"}])
    catalog = {r["id"]: r for r in json.loads((data / "catalog.json").read_text(encoding="utf-8"))}
    values = []
    for ind in TOY_COUNTRY_INDICATORS:
        lo, hi = catalog[ind]["bounds"]
        for y in range(2013, 2026):
            v = lo + (hi - lo) * ((y - 2013) % 3) / 2  # on the indicator's levels or inside its range
            values.append(
                {"iso3": TOY_COUNTRY, "year": y, "indicator": ind, "value": v, "status": "observed"}
                | {"source_ids": "toy-source", "note": ""}
            )
    _append_csv(data / "panel.csv", values)
    write_manifest(data)

    # The CLI: the toy country is a row of every year; with only three indicators its coverage is below
    # 50%: the default policy imputes the rest (a score), the coverage threshold withholds its score.
    t = pd.read_csv(io.StringIO(_run(["-m", "scoring", "--year", "2020"], data, tmp_path).stdout))
    assert len(t) == 15 and TOY_COUNTRY in set(t["iso3"])
    toy = t.set_index("iso3").loc[TOY_COUNTRY]
    assert toy["country"] == "Toyland" and 0 <= toy["score"] <= 100 and 0 < toy["coverage"] < 0.5
    t = pd.read_csv(
        io.StringIO(_run(["-m", "scoring", "--year", "2020", "--missing", "coverage_threshold"], data, tmp_path).stdout)
    )
    assert pd.isna(t.set_index("iso3").loc[TOY_COUNTRY, "score"])
    t = pd.read_csv(
        io.StringIO(_run(["-m", "scoring", "--year", "2020", "--missing", "renormalise"], data, tmp_path).stdout)
    )
    toy = t.set_index("iso3").loc[TOY_COUNTRY]
    assert 0 <= toy["score"] <= 100 and 1 <= toy["rank"] <= 15
    assert str(toy["missing_indicators"]).count(";") == len(catalog) - 3 - 1  # all but its three are missing

    page = _page(data, {"view": "ranking", "year": "2020", "miss": "renormalise"})
    assert TOY_COUNTRY in page["countries"] and "Toyland" in page["names"]
    assert "of 15 states have a score" in page["text"]

    scores = _bundle_scores(data, tmp_path, "--missing", "renormalise")
    toy = scores[scores["ISO3"] == TOY_COUNTRY]
    assert len(toy) == 13 and set(toy["Country"]) == {"Toyland"} and toy["Score"].notna().all()


@pytest.mark.parametrize("guide", ["adding-an-indicator.md", "adding-a-country.md"])
def test_guides_name_the_tables_they_change(guide):
    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    for name in ("data/structure.csv" if "indicator" in guide else "data/countries.csv", "tests/test_guides.py"):
        assert name in text, (guide, name)
