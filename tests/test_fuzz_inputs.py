"""Issue 21: property-based fuzzing of everything a user or a link can hand the project.

Arbitrary bytes go to every upload parser, arbitrary strings to every URL parameter and every CLI
option. The only outcomes allowed are success or the documented one-line error, each call within
:data:`BOUND` seconds (a guard against hangs, not a speed target: ``benchmarks/hostile_bench.py``
measures speed). Hypothesis runs a fixed number of examples, derandomized and without its example
database, so CI sees the same inputs every time; all of them together take well under 60 s.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import time

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indicators
import indicators.__main__ as indicators_main
import scoring
from indicators import build
from scoring import bundle, cli, diff, pulls
from scoring.untrusted import md
from ui import static_page, uploads
from ui.state import VIEWS, PageConfig, UIState, slug

PANEL, CATALOG, SOURCES = indicators.shipped()
#: Seconds any single call may take (a hang guard).
BOUND = 5.0


def fuzz(n: int):
    return settings(
        max_examples=n,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    )


def outcome(fn):
    """(result or None, UploadError message or None), asserting the time bound and the one-line message."""
    t0 = time.perf_counter()
    try:
        res, err = fn(), None
    except uploads.UploadError as e:
        res, err = None, str(e)
    assert time.perf_counter() - t0 < BOUND
    if err is not None:
        assert err and "\n" not in err and "\r" not in err and len(err) < 1200, err
        assert "Traceback" not in err
    return res, err


# ---------------------------------------------------------------- upload parsers
CSV_TOKENS = st.sampled_from(
    ["iso3", "year", "value", "status", "note", "ARM", "geo", "Kazakhstan", "RUS", "2013", "2020", "2031", "1.5",
     "3,5", "-2", "1e308", "nan", "=1+1", "\u00a0=A1", "<b>", "observed", "imputed", ",", ";", "\t", "\n", "\r",
     "\r\n", '"', " ", "", "\ufeff", "[x](https://e.x)"]
)  # fmt: skip
CSV_TEXT = st.lists(CSV_TOKENS, max_size=80).map("".join)
CSV_BYTES = st.one_of(st.binary(max_size=600), CSV_TEXT.map(lambda s: s.encode("utf-8")))


@fuzz(150)
@given(CSV_BYTES)
def test_values_parser_only_succeeds_or_explains(data):
    df, err = outcome(lambda: uploads.parse_values("f.csv", data))
    if df is not None:
        assert list(df.columns) == uploads.VALUE_COLUMNS and len(df) > 0
        assert df["value"].abs().max() <= 1e12 and df["iso3"].isin(list(indicators.PANEL_COUNTRIES)).all()


JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=12), kids, max_size=4),
    max_leaves=20,
)
FIELDS = st.sampled_from(
    ["name", "direction", "unit", "scale", "pillar", "bounds", "definition", "source", "indicator_weights",
     "pillar_weights", "normalisation", "years", "min_coverage", "edits", "citation", "description"]
)  # fmt: skip
JSON_OBJECT = st.dictionaries(FIELDS | st.text(max_size=8), JSON_VALUE, max_size=6)
JSON_BYTES = st.one_of(
    st.binary(max_size=300),
    JSON_OBJECT.map(lambda o: json.dumps(o).encode()),
    st.integers(1, 5000).map(lambda n: b"[" * n + b"]" * n),
)
VALUES = uploads.parse_values("v.csv", b"iso3,year,value\nARM,2020,1\nGEO,2020,2\n")


@fuzz(100)
@given(JSON_BYTES)
def test_json_parsers_only_succeed_or_explain(data):
    outcome(lambda: uploads.parse_spec_upload("s.json", data, CATALOG))
    outcome(lambda: uploads.parse_scenario_upload("s.json", data, CATALOG))
    outcome(lambda: uploads.parse_metadata(data, VALUES, name="m.json"))


@fuzz(60)
@given(JSON_OBJECT)
def test_the_metadata_form_only_succeeds_or_explains(fields):
    res, _ = outcome(lambda: uploads.parse_metadata(fields, VALUES, name="the form"))
    if res is not None:
        ind, src = res
        outcome(lambda: uploads.merge_user_indicator(PANEL, CATALOG, SOURCES, ind, src, VALUES))


# ---------------------------------------------------------------- URL parameters
@functools.cache
def page() -> PageConfig:
    model = scoring.Model.from_panel(PANEL, CATALOG)
    examples = {slug(sc.name): sc for sc in scoring.load_example_scenarios(CATALOG).values()}
    _, measures = indicators.load_poles()
    return PageConfig.build(CATALOG, model, examples, {k: m.weight for k, m in measures.items()})


PARAMS = ["view", "year", "preset", "w", "pw", "norm", "agg", "miss", "cov", "cmp", "hl", "unc", "seed", "floor",
          "scn", "ed", "split", "pm", "cc", "cf", "ct", "chain", "dunc"]  # fmt: skip
URL_VALUE = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(["csto_membership", "security", "ARM", ":", ",", "~", "1e308", "nan", "-1", "2020",
                              "10", "0", "![x](https://e.x/i.png)", "**b**"]), max_size=12).map("".join),
)  # fmt: skip


@fuzz(200)
@given(st.dictionaries(st.sampled_from(PARAMS) | st.text(max_size=6), URL_VALUE | st.lists(URL_VALUE, max_size=3)))
def test_every_url_parameter_falls_back_with_a_notice_never_an_exception(params):
    cfg = page()
    t0 = time.perf_counter()
    s = cfg.parse(params)
    assert time.perf_counter() - t0 < BOUND
    assert isinstance(s, UIState) and s.view in VIEWS and s.preset in (*cfg.presets, "custom")
    assert s.year in cfg.years and 0 <= s.min_coverage <= 1 and 2 <= len(s.compare) <= 4
    assert all(0 <= w <= 10 for w in [*s.weights.values(), *s.pillar_weights.values()])
    assert all(abs(v) <= 1e12 for *_, v in s.edits)
    for n in s.notices:
        shown = md(n, 300)
        assert "\n" not in shown and "](" not in shown and "<" not in shown and "://" not in shown
    assert cfg.parse(cfg.encode(s)).notices == ()  # what the page writes back reads without complaint


# ---------------------------------------------------------------- CLI options
@pytest.fixture(scope="module")
def cached_model():
    """The CLIs load the shipped model once here (the options, not the disk, are under test)."""
    mp = pytest.MonkeyPatch()
    mp.setattr(cli, "_load_model", functools.cache(cli._load_model))
    yield
    mp.undo()


OPT_VALUE = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["2020", "2013", "1e308", "nan", "-1", "0", "1", "equal", "security_first", "minmax", "zscore",
                     "geometric", "renormalise", "ARM", "un_votes:2,ties:0", "/dev/zero", "/dev/null", "/", ".",
                     "--year", "9" * 400]),
)  # fmt: skip
CLIS = {
    "scoring": (cli.main, ["--year", "--all-years", "--weights", "--preset", "--normalise", "--aggregate",
                           "--missing", "--min-coverage", "--data"]),
    "scoring.diff": (diff.main, ["--from", "--to", "--country", "--weights", "--preset", "--normalise", "--missing"]),
    "scoring.pulls": (pulls.main, ["--year", "--all-years", "--weights", "--data"]),
    "scoring.bundle": (bundle.main, ["--weights", "--preset", "--aggregate", "--min-coverage", "--year"]),
    "ui.static_page": (static_page.main, ["--year", "--preset", "--normalise", "--aggregate", "--missing",
                                          "--min-coverage"]),
    "indicators": (indicators_main.main, ["--check", "--tiers", "--bogus"]),
    # never a real build here: the raw folder given last does not exist (a build would rewrite data/)
    "indicators.build": (lambda a: build.main([*a, "--raw", "/nonexistent/raw"]), ["--only", "--bogus"]),
}  # fmt: skip
FLAGS = {"--all-years", "--check", "--tiers"}


@pytest.mark.parametrize("name", list(CLIS))
def test_every_cli_option_succeeds_or_fails_in_one_line(name, cached_model, tmp_path):
    main, options = CLIS[name]

    @fuzz(40)
    @given(
        st.lists(st.tuples(st.sampled_from(options), OPT_VALUE), max_size=4),
        st.sampled_from(["out.csv", "sub/none.csv", "", "."]),
    )
    def check(opts, out_name):
        argv = []
        for opt, val in opts:
            argv += [opt] if opt in FLAGS else [opt, val]
        out = tmp_path / out_name if out_name else None
        before = sorted(p.name for p in tmp_path.iterdir())
        if out is not None:
            argv += ["--out", str(out)]
        err, stdout = io.StringIO(), io.StringIO()
        t0 = time.perf_counter()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(stdout):
            try:
                rc = main(argv)
            except SystemExit as e:  # argparse's --help (a value such as "-h") exits 0 after printing help
                rc = e.code
        assert time.perf_counter() - t0 < BOUND
        text = err.getvalue()
        assert rc in (0, 2), (argv, rc, text)
        if rc == 2:
            assert text.startswith("error: ") and text.count("\n") == 1 and "Traceback" not in text, text
            assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written, nothing left behind
        else:
            assert "Traceback" not in text
        if out is not None and out.is_file():
            out.unlink()

    if name == "scoring":  # without --out the CSV goes to stdout: read it back once as a table
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert main(["--year", "2020"]) == 0
        assert len(pd.read_csv(io.StringIO(buf.getvalue()))) == 14
    check()


def test_the_fuzz_inputs_reach_both_outcomes():
    """The strategies are not all refusals: a well-formed file and link from them parse."""
    ok = b"iso3,year,value\nARM,2020,1.5\nGEO,2020,-2\n"
    assert outcome(lambda: uploads.parse_values("f.csv", ok))[0] is not None
    assert outcome(lambda: uploads.parse_values("f.csv", b"iso3;year;value\nARM;2013;3,5\n"))[0] is not None
    assert page().parse({"w": "csto_membership:2", "year": "2020"}).notices == ()
