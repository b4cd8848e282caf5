"""``python -m scoring``: output format and every kind of bad input (exit 2, one line, nothing written)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest_scoring import synthetic_catalog, write_data_dir

from scoring import Model, ScoringSpec, scores_csv
from scoring.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return write_data_dir(tmp_path_factory.mktemp("data"))


def run(capsys, data_dir, *args):
    rc = main([*args, "--data", str(data_dir)])
    out, err = capsys.readouterr()
    return rc, out, err


def test_default_run_writes_one_year_csv(capsys, data_dir):
    rc, out, err = run(capsys, data_dir)
    # the default year is named on stderr (stdout stays the CSV)
    assert rc == 0 and err.count("\n") == 1 and "at least 75% of the weight on sourced values" in err
    df = pd.read_csv(io.StringIO(out))
    assert f"year {df['year'].iloc[0]}:" in err
    assert list(df.columns[:7]) == ["iso3", "country", "year", "score", "rank", "coverage", "coverage_observed"]
    assert (df["coverage_observed"] <= df["coverage"] + 1e-9).all()
    assert any(c.startswith("pillar_") for c in df) and any(c.startswith("contrib_") for c in df)
    assert df["year"].nunique() == 1 and len(df) == 14
    assert "e-" not in out and "e+" not in out


def test_csv_matches_the_library_byte_for_byte(capsys, data_dir, tmp_path):
    from indicators.loader import load_catalog, load_panel

    spec = ScoringSpec(years=(2019,), pillar_weights={"energy": 2}, normalisation="percentile")
    f = tmp_path / "spec.json"
    f.write_text(spec.to_json())
    rc, out, _ = run(capsys, data_dir, "--weights", str(f))
    model = Model.from_panel(load_panel(data_dir), load_catalog(data_dir))
    assert rc == 0 and out == scores_csv(model.score(spec))


@pytest.mark.parametrize(
    "args",
    [
        ["--year", "2016"],
        ["--all-years"],
        ["--preset", "security_first", "--normalise", "zscore", "--aggregate", "geometric"],
        ["--missing", "renormalise", "--min-coverage", "0.9"],
    ],
)
def test_valid_options(capsys, data_dir, args):
    rc, out, err = run(capsys, data_dir, *args)
    assert rc == 0 and (err == "" if "--all-years" in args or "--year" in args else err.startswith("year "))
    df = pd.read_csv(io.StringIO(out))
    if "--all-years" in args:
        assert df["year"].nunique() == 13
    if "--year" in args:
        assert set(df["year"]) == {2016}


def test_weights_file_of_indicator_weights(capsys, data_dir, tmp_path):
    f = tmp_path / "w.json"
    f.write_text(json.dumps({"csto_membership": 3, "us_aid": 0}))
    rc, out, _ = run(capsys, data_dir, "--weights", str(f), "--year", "2020")
    assert rc == 0
    df = pd.read_csv(io.StringIO(out))
    assert (df["contrib_us_aid"].fillna(0) == 0).all()


def test_out_file(capsys, data_dir, tmp_path):
    target = tmp_path / "scores.csv"
    rc, out, _ = run(capsys, data_dir, "--out", str(target))
    assert (
        rc == 0
        and out == ""
        and target.read_text().startswith("iso3,country,year,score,rank,coverage,coverage_observed")
    )
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]  # no temporary file left behind


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


BAD = [
    (
        "unknown_indicator",
        lambda t: ["--weights", _write(t, "w.json", '{"gdp": 1}')],
        "unknown indicator id 'gdp'; valid ids: csto_membership",
    ),
    ("negative_weight", lambda t: ["--weights", _write(t, "w.json", '{"csto_membership": -1}')], "non-negative"),
    (
        "non_numeric_weight",
        lambda t: ["--weights", _write(t, "w.json", '{"csto_membership": "high"}')],
        "indicator weight for 'csto_membership' must be a non-negative number, got 'high'",
    ),
    (
        "all_zero",
        lambda t: ["--weights", _write(t, "w.json", json.dumps(dict.fromkeys(synthetic_catalog(), 0)))],
        "all weights are zero",
    ),
    ("unknown_normalise", lambda t: ["--normalise", "log"], "unknown normalisation 'log'; choose one of: minmax"),
    ("unknown_aggregate", lambda t: ["--aggregate", "median"], "unknown aggregation 'median'"),
    ("unknown_missing", lambda t: ["--missing", "zero"], "unknown missing-data policy"),
    ("unknown_preset", lambda t: ["--preset", "moscow_first"], "unknown preset 'moscow_first'; choose one of: equal"),
    ("year_outside", lambda t: ["--year", "2031"], "year 2031 is outside the panel; choose a year in 2013-2025"),
    ("year_not_int", lambda t: ["--year", "last"], "invalid int value"),
    ("year_and_all", lambda t: ["--year", "2020", "--all-years"], "either --year or --all-years"),
    ("unreadable", lambda t: ["--weights", str(t / "missing.json")], "cannot read --weights file"),
    ("malformed_json", lambda t: ["--weights", _write(t, "w.json", '{"csto_membership": 1,}')], "is not valid JSON"),
    ("json_array", lambda t: ["--weights", _write(t, "w.json", "[1, 2]")], "must be a JSON object"),
    ("empty_json", lambda t: ["--weights", _write(t, "w.json", "{}")], "must be a JSON object"),
    (
        "bad_spec_field",
        lambda t: ["--weights", _write(t, "w.json", '{"normalisation": "minmax", "colour": 1}')],
        "unknown spec field 'colour'",
    ),
    (
        "bad_spec_year",
        lambda t: ["--weights", _write(t, "w.json", '{"years": [1999]}')],
        "year 1999 is outside the panel",
    ),
    ("min_coverage", lambda t: ["--min-coverage", "2"], "min_coverage"),
    ("unknown_option", lambda t: ["--colour", "red"], "unrecognized arguments"),
    ("out_folder_missing", lambda t: ["--out", str(t / "nope" / "x.csv")], "does not exist"),
]


@pytest.mark.parametrize("name, make_args, message", BAD, ids=[b[0] for b in BAD])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(capsys, data_dir, tmp_path, name, make_args, message):
    out_file = tmp_path / "out" / "scores.csv"
    out_file.parent.mkdir()
    args = make_args(tmp_path)
    if "--out" not in args:
        args += ["--out", str(out_file)]
    rc, out, err = run(capsys, data_dir, *args)
    assert rc == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err
    assert list(out_file.parent.iterdir()) == []


def test_existing_out_file_is_untouched_on_failure(capsys, data_dir, tmp_path):
    target = tmp_path / "scores.csv"
    target.write_text("previous\n")
    rc, _, _ = run(capsys, data_dir, "--normalise", "log", "--out", str(target))
    assert rc == 2 and target.read_text() == "previous\n"


def test_missing_data_dir(capsys, tmp_path):
    rc = main(["--data", str(tmp_path)])
    _, err = capsys.readouterr()
    assert rc == 2 and "python -m indicators.build" in err and err.count("\n") == 1


def test_module_entry_point(data_dir):
    res = subprocess.run(
        [sys.executable, "-m", "scoring", "--data", str(data_dir), "--year", "2020", "--preset", "equal"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("iso3,country,year,score,rank,coverage,coverage_observed")
    bad = subprocess.run(
        [sys.executable, "-m", "scoring", "--data", str(data_dir), "--preset", "nope"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and bad.stdout == "" and bad.stderr.count("\n") == 1
