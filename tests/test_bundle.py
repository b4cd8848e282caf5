"""The download bundle (python -m scoring.bundle): contents checked against the model and the panel."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile

import pandas as pd
import pytest

import scoring
from indicators.loader import data_version
from scoring import bundle


@pytest.fixture(scope="module")
def made(shipped):
    panel, catalog, sources = shipped
    model = scoring.Model.from_panel(panel, catalog)
    spec = scoring.spec_from_preset("equal", catalog)
    data = bundle.build_bundle(model, spec, panel, sources, data_version())
    z = zipfile.ZipFile(io.BytesIO(data))
    return model, spec, panel, catalog, z, data


def test_the_zip_holds_the_four_files(made):
    *_, z, _ = made
    assert sorted(z.namelist()) == ["README.md", "scores.csv", "sources.csv", "spec.json"]


def test_readme_explains_exactly_the_csv_columns(made):
    *_, z, _ = made
    header = pd.read_csv(io.BytesIO(z.read("scores.csv")), nrows=0).columns.tolist()
    readme = z.read("README.md").decode()
    table = re.search(r"## Columns of scores.csv\n\| column \| meaning \|\n\|---\|---\|\n((?:\|.*\n)+)", readme)
    documented = [html.unescape(line.split(" | ")[0].lstrip("| ").strip()) for line in table.group(1).splitlines()]
    assert documented == header


def test_scores_are_the_models_every_year_at_one_decimal(made):
    model, spec, _, _, z, _ = made
    got = pd.read_csv(io.BytesIO(z.read("scores.csv")), dtype={"Score": str})
    want = model.score(spec.replace(years=None)).table
    assert len(got) == len(want) == 14 * len(model.years)
    m = got.merge(want, left_on=["ISO3", "Year"], right_on=["iso3", "year"])
    assert len(m) == len(got)
    for r in m.to_dict("records"):
        if pd.isna(r["score"]):
            assert pd.isna(r["Score"])
        else:
            assert r["Score"] == f"{r['score']:.1f}"
        assert r["Coverage (%)"] == round(r["coverage"] * 100)


def test_each_input_carries_its_status_and_missing_is_empty(made):
    _, _, panel, catalog, z, _ = made
    got = pd.read_csv(io.BytesIO(z.read("scores.csv"))).set_index(["ISO3", "Year"])
    est = panel[panel["status"] == "estimated"].iloc[0]
    ind = catalog[est["indicator"]]
    assert got.loc[(est["iso3"], est["year"]), f"{ind.name}: status"] == "estimated"
    assert got.loc[(est["iso3"], est["year"]), f"{ind.name} ({ind.unit})"] == pytest.approx(est["value"])
    have = set(zip(panel["iso3"], panel["year"], panel["indicator"], strict=True))
    iso, yr, k = next(
        (i, y, k) for i in got.index.levels[0] for y in got.index.levels[1] for k in catalog if (i, y, k) not in have
    )
    # the default policy imputes it for the score: the status says so, the raw value stays empty
    assert got.loc[(iso, yr), f"{catalog[k].name}: status"] == bundle.FILLED_WORD
    assert pd.isna(got.loc[(iso, yr), f"{catalog[k].name} ({catalog[k].unit})"])
    model, spec = made[0], made[1]
    ac = bundle.scores_frame(model.score(spec.replace(missing="renormalise", years=None)), panel, catalog)
    row = ac[(ac["ISO3"] == iso) & (ac["Year"] == yr)].iloc[0]
    assert row[f"{catalog[k].name}: status"] == "missing"


def test_spec_reproduces_and_version_is_stated(made):
    _, spec, *_, z, _ = made
    assert scoring.ScoringSpec.from_json(z.read("spec.json").decode()) == spec.replace(years=None)
    assert data_version() in z.read("README.md").decode()
    assert json.loads(z.read("spec.json"))["normalisation"] == spec.normalisation


def test_same_input_same_bytes(made):
    model, spec, panel, _, _, data = made
    from indicators import load_sources

    assert bundle.build_bundle(model, spec, panel, load_sources(), data_version()) == data


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "give --out"),
        (["--out", "x.zip", "--year", "2020"], "every year"),
        (["--out", "x.zip", "--preset", "nope"], "unknown preset"),
    ],
)
def test_cli_refuses_bad_input(tmp_path, capsys, args, message):
    args = [a if a != "x.zip" else str(tmp_path / "x.zip") for a in args]
    assert bundle.main(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "x.zip").exists()


def test_cli_writes_the_zip(tmp_path):
    out = tmp_path / "a.zip"
    assert bundle.main(["--out", str(out), "--preset", "security_first"]) == 0
    spec = json.loads(zipfile.ZipFile(out).read("spec.json"))
    assert spec["preset"] == "security_first"


def test_every_score_reads_100_closest_to_moscow_checked_against_the_raw_columns(made):
    """Issue 22: each pillar score rises with the inputs that point to Moscow and falls with those that point
    away (read from the raw columns beside it), and the README says which way every score reads."""
    from scipy.stats import spearmanr

    _, _, _, catalog, z, _ = made
    got = pd.read_csv(io.BytesIO(z.read("scores.csv")))
    readme = z.read("README.md").decode()
    assert "100 = closest to Moscow" in readme.split("## Which way the numbers read")[1]
    checked = 0
    for ind in catalog.values():
        col = bundle.subscore_column(ind.pillar)
        assert col in got.columns and "sub-score" not in " ".join(got.columns)
        pair = got[[col, f"{ind.name} ({ind.unit})"]].dropna()
        rho = spearmanr(pair.iloc[:, 0], pair.iloc[:, 1]).statistic
        assert rho * ind.direction > 0.2, (ind.id, rho)
        checked += 1
    assert checked == len(catalog)
    # a pillar with one input follows it exactly, reversed when the input points away from Moscow
    for p in {i.pillar for i in catalog.values()}:
        only = [i for i in catalog.values() if i.pillar == p]
        if len(only) == 1:
            pair = got[[bundle.subscore_column(p), f"{only[0].name} ({only[0].unit})"]].dropna()
            rho = spearmanr(pair.iloc[:, 0], pair.iloc[:, 1]).statistic  # sub-scores are rounded to 0.1
            assert rho == pytest.approx(only[0].direction, abs=1e-3), (p, rho)
    est = got[(got["ISO3"] == "EST") & (got["Year"] == 2024)].iloc[0]
    blr = got[(got["ISO3"] == "BLR") & (got["Year"] == 2024)].iloc[0]
    assert est[bundle.subscore_column("western_ties")] < blr[bundle.subscore_column("western_ties")]
    assert est["Score"] < blr["Score"]
