"""scoring.diff and scoring.composition: a change splits exactly into parts; trends hold the composition fixed."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from conftest_scoring import make_indicator, synthetic_catalog, write_data_dir
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.countries import PANEL_COUNTRIES
from indicators.schema import PILLARS
from scoring import AGGREGATORS, NORMALISERS, Model, ScoringSpec, SpecError, scores_csv
from scoring.cli import main as scores_main
from scoring.composition import chain_linked, composition_table, provisional_lacks, provisional_years
from scoring.diff import COMPOSITION, IMPUTED, TOTAL, biggest_drivers, change_csv, explain_change, listed_parts
from scoring.diff import main as diff_main

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ISO = tuple(PANEL_COUNTRIES)
NAN = np.nan


def sums(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(total per country, sum of the other parts per country)."""
    tot = df[df["kind"] == TOTAL].set_index("iso3")["change"]
    parts = df[df["kind"] != TOTAL].groupby("iso3")["change"].sum(min_count=1)
    return tot, parts.reindex(tot.index)


def assert_parts_sum(df: pd.DataFrame, model: Model, spec: ScoringSpec, y0: int, y1: int) -> None:
    tot, parts = sums(df)
    scores = model.score(spec.replace(years=None)).table.set_index(["iso3", "year"])["score"]
    want = pd.Series({iso: scores[(iso, y1)] - scores[(iso, y0)] for iso in tot.index})
    # total is the difference of the two years' scores of Model.score (missing when either is missing) ...
    np.testing.assert_allclose(tot.to_numpy(float), want.reindex(tot.index).to_numpy(float), atol=1e-9)
    # ... and the parts add up to it exactly (float noise only), for every country with both scores
    np.testing.assert_allclose(parts.to_numpy(float), tot.to_numpy(float), atol=1e-9)
    assert (tot.notna() == parts.notna()).all()


# ------------------------------------------------------------------ property: parts sum to the change
@st.composite
def panels(draw):
    """A random model: 2-4 years, 2-14 countries, 2-7 indicators in random pillars, a share of gaps."""
    ny = draw(st.integers(2, 4))
    nc = draw(st.integers(2, 14))
    ni = draw(st.integers(2, 7))
    cat = {}
    for k in range(ni):
        gp = draw(st.sampled_from([None, (10.0, 90.0)]))
        cat[f"i{k}"] = make_indicator(
            f"i{k}", draw(st.sampled_from(list(PILLARS))), draw(st.sampled_from([1, -1])), goalposts=gp
        )
    cells = st.one_of(st.floats(0, 100, allow_nan=False), st.just(NAN))
    vals = draw(st.lists(cells, min_size=ny * nc * ni, max_size=ny * nc * ni))
    return Model(np.array(vals).reshape(ny, nc, ni), cat, ISO[:nc], tuple(range(2020, 2020 + ny)))


@SETTINGS
@given(
    st.data(),
    st.sampled_from(list(NORMALISERS)),
    st.sampled_from(list(AGGREGATORS)),
    st.sampled_from(["renormalise", "coverage_threshold"]),
)
def test_parts_sum_to_the_change_for_random_weights_methods_and_years(data, norm, agg, missing):
    m = data.draw(panels())
    iw = {i: data.draw(st.sampled_from([0.0, 0.5, 1.0, 3.0]) | st.floats(0.01, 10)) for i in m.indicators}
    pw = {p: data.draw(st.floats(0.01, 10)) for p in m.pillars}
    if not any(iw.values()):
        iw[m.indicators[0]] = 1.0
    spec = ScoringSpec(indicator_weights=iw, pillar_weights=pw, normalisation=norm, aggregation=agg, missing=missing)
    y0, y1 = data.draw(st.permutations(m.years))[:2]
    try:
        df = explain_change(m, spec, y0, y1)
    except SpecError:  # weights all in pillars the model lacks: scoring refuses too
        with pytest.raises(SpecError):
            m.score(spec)
        return
    assert set(df["iso3"]) == set(m.countries)
    assert_parts_sum(df, m, spec, y0, y1)
    # an indicator whose value did not change contributes exactly nothing
    same = df[(df["kind"] == "indicator") & ~df["changed"]]
    assert (same["change"].fillna(0) == 0).all()


@pytest.fixture(scope="module")
def shipped_model(shipped):
    panel, catalog, _ = shipped
    return Model.from_panel(panel, catalog)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.data(),
    st.sampled_from(list(NORMALISERS)),
    st.sampled_from(list(AGGREGATORS)),
    st.sampled_from(["renormalise", "coverage_threshold"]),
)
def test_parts_sum_to_the_change_on_the_shipped_panel(shipped_model, data, norm, agg, missing):
    m = shipped_model
    iw = {i: data.draw(st.floats(0, 10)) for i in m.indicators}
    iw[m.indicators[data.draw(st.integers(0, len(m.indicators) - 1))]] = 1.0
    spec = ScoringSpec(indicator_weights=iw, normalisation=norm, aggregation=agg, missing=missing)
    y0, y1 = data.draw(st.permutations(m.years))[:2]
    df = explain_change(m, spec, y0, y1)
    assert sorted(set(df["iso3"])) == sorted(ISO)
    assert_parts_sum(df, m, spec, y0, y1)


def test_a_subnormal_weight_counts_as_zero_and_the_parts_still_add_up(shipped_model):
    # Found by the property test above: a weight of 2.2e-311 overflowed the aggregation's shares.
    m = shipped_model
    tiny = {m.indicators[1]: 2.225073858507e-311, m.indicators[10]: 1.0}
    spec = ScoringSpec(indicator_weights=tiny, missing="renormalise")
    assert spec.indicator_weights[m.indicators[1]] == 0.0
    same = ScoringSpec(indicator_weights={m.indicators[1]: 0.0, m.indicators[10]: 1.0}, missing="renormalise")
    assert np.array_equal(m.score(spec).score, m.score(same).score, equal_nan=True)
    assert_parts_sum(explain_change(m, spec, 2013, 2014), m, spec, 2013, 2014)


# ------------------------------------------------------------------ constructed panels, by hand
def small_model(later: dict[str, float], earlier: dict[str, float] | None = None) -> Model:
    """One country, two years, indicators a, b (security) and c (economy) on 0-100 goalposts (value = score)."""
    cat = {k: make_indicator(k, p, goalposts=(0.0, 100.0)) for k, p in (("a", "security"), ("b", "security"))}
    cat["c"] = make_indicator("c", "economy", goalposts=(0.0, 100.0))
    earlier = earlier or {"a": 40.0, "b": 80.0, "c": 20.0}
    cube = np.array([[[earlier[k] for k in cat]], [[later.get(k, NAN) for k in cat]]])
    return Model(cube, cat, ("ARM",), (2020, 2021))


GOAL = ScoringSpec(normalisation="goalposts", missing="renormalise")


def test_one_indicator_missing_in_the_later_year_is_all_composition():
    # 2020: 0.5 * (40 + 80) / 2 + 0.5 * 20 = 40 ; 2021 (b missing): 0.5 * 40 + 0.5 * 20 = 30
    m = small_model({"a": 40.0, "c": 20.0})
    df = explain_change(m, GOAL, 2020, 2021)
    comp = df[df["kind"] == COMPOSITION].iloc[0]
    assert comp["change"] == pytest.approx(-10.0)
    assert comp["left"] == "b" and comp["entered"] == ""
    ind = df[df["kind"] == "indicator"]
    assert sorted(ind["part"]) == ["a", "c"] and (ind["change"] == 0).all()
    assert df[df["kind"] == TOTAL].iloc[0]["change"] == pytest.approx(-10.0)
    # only the composition part is listed, and the CSV says the same
    assert listed_parts(df)["part"].tolist() == [COMPOSITION]
    assert change_csv(df) == (
        "iso3,country,from,to,part,change\nARM,Armenia,2020,2021,composition,-10.0000\n"
        "ARM,Armenia,2020,2021,total,-10.0000\n"
    )


def test_the_reverse_move_is_the_opposite_composition():
    m = small_model({"a": 40.0, "c": 20.0})
    df = explain_change(m, GOAL, 2021, 2020)
    comp = df[df["kind"] == COMPOSITION].iloc[0]
    assert comp["change"] == pytest.approx(10.0) and comp["entered"] == "b" and comp["left"] == ""


def test_a_value_change_and_a_missing_indicator_split_by_hand():
    # shared set {a, c}: a's share 0.5, so a: 0.5 * (60 - 40) = +10; composition: 0 - (40 - 30) = -10
    m = small_model({"a": 60.0, "c": 20.0})
    df = explain_change(m, GOAL, 2020, 2021).set_index("part")
    assert df.loc["a", "change"] == pytest.approx(10.0)
    assert df.loc["c", "change"] == 0
    assert df.loc[COMPOSITION, "change"] == pytest.approx(-10.0)
    assert df.loc[TOTAL, "change"] == pytest.approx(0.0)
    assert (df.loc["a", "raw_from"], df.loc["a", "raw_to"]) == (40.0, 60.0)


def test_geometric_composition_by_hand():
    m = small_model({"a": 40.0, "c": 20.0})
    spec = GOAL.replace(aggregation="geometric")
    t0 = 0.5 * (0.5 * math.log(41) + 0.5 * math.log(81)) + 0.5 * math.log(21)
    t1 = 0.5 * math.log(41) + 0.5 * math.log(21)
    df = explain_change(m, spec, 2020, 2021).set_index("part")
    assert df.loc[COMPOSITION, "change"] == pytest.approx(math.exp(t1) - math.exp(t0))
    assert df.loc["a", "change"] == 0 and df.loc["c", "change"] == 0


def test_geometric_value_change_is_rescaled_by_the_log_mean():
    # complete data, only a moves 40 -> 60: the whole change is a's, and it equals the change in score
    m = small_model({"a": 60.0, "b": 80.0, "c": 20.0})
    spec = GOAL.replace(aggregation="geometric")
    s = m.score(spec).score[:, 0]
    df = explain_change(m, spec, 2020, 2021).set_index("part")
    assert df.loc["a", "change"] == pytest.approx(s[1] - s[0])
    assert df.loc[COMPOSITION, "change"] == 0


def test_a_missing_score_leaves_the_change_missing_with_a_reason():
    m = small_model({"c": 20.0})  # 2021 coverage 0.5 -> below a 0.6 threshold
    spec = ScoringSpec(normalisation="goalposts", missing="coverage_threshold", min_coverage=0.6)
    df = explain_change(m, spec, 2020, 2021)
    assert df["change"].isna().all()
    assert "no score in 2021" in df["reason"].iloc[0]
    assert change_csv(df).splitlines()[1:] == ["ARM,Armenia,2020,2021,total,"]
    drv = biggest_drivers(df).iloc[0]
    assert drv["driver"] == "" and "no score" in drv["reason"]


def test_same_year_and_unknown_country_are_refused():
    m = small_model({"a": 40.0, "c": 20.0})
    with pytest.raises(SpecError, match="two different years"):
        explain_change(m, GOAL, 2020, 2020)
    with pytest.raises(SpecError, match="unknown country"):
        explain_change(m, GOAL, 2020, 2021, ["XYZ"])
    with pytest.raises(SpecError, match="outside the panel"):
        explain_change(m, GOAL, 2019, 2021)


def test_biggest_driver_is_the_largest_part():
    m = small_model({"a": 60.0, "b": 30.0, "c": 25.0})
    df = explain_change(m, GOAL, 2020, 2021)
    parts = df[df["kind"] == "indicator"].set_index("part")["change"]
    d = biggest_drivers(df).iloc[0]
    assert d["driver"] == parts.abs().idxmax() and d["driver_change"] == parts[parts.abs().idxmax()]


# ------------------------------------------------------------------ composition and chain-linking
def test_composition_table_marks_the_year_the_set_changed():
    m = small_model({"a": 40.0, "c": 20.0})
    t = composition_table(m.score(GOAL)).set_index("year")
    assert not t.loc[2020, "provisional"] and t.loc[2021, "provisional"]
    assert (t.loc[2021, "left"], t.loc[2021, "entered"], t.loc[2021, "missing"]) == ("b", "", "b")


def test_scores_csv_lists_the_missing_indicators():
    m = small_model({"a": 40.0, "c": 20.0})
    df = pd.read_csv(io.StringIO(scores_csv(m.score(GOAL))), keep_default_na=False)
    assert df.columns[-1] == "missing_indicators"
    assert df.set_index("year")["missing_indicators"].to_dict() == {2020: "", 2021: "b"}


def test_chain_linked_holds_the_composition_fixed():
    m = small_model({"a": 60.0, "c": 20.0})  # a rises (+10 on the shared set), b leaves (-10)
    c = chain_linked(m, GOAL, anchor=2020).set_index("year")
    assert c.loc[2020, "chained"] == c.loc[2020, "score"] == pytest.approx(40.0)
    assert c.loc[2021, "score"] == pytest.approx(40.0)  # the actual score hides the rise
    assert c.loc[2021, "chained"] == pytest.approx(50.0)  # the chain shows it
    assert c.loc[2021, "composition"] == pytest.approx(-10.0)
    back = chain_linked(m, GOAL, anchor=2021).set_index("year")
    assert back.loc[2021, "chained"] == pytest.approx(40.0) and back.loc[2020, "chained"] == pytest.approx(30.0)


def test_chain_equals_the_score_when_no_indicator_enters_or_leaves():
    cat = synthetic_catalog()
    rng = np.random.default_rng(3)
    cube = rng.uniform(0, 100, (5, 4, len(cat)))
    for ind in cat.values():  # values inside bounds
        k = list(cat).index(ind.id)
        cube[:, :, k] = ind.bounds[0] + (ind.bounds[1] - ind.bounds[0]) * cube[:, :, k] / 100
    m = Model(cube, cat, ISO[:4], tuple(range(2019, 2024)))
    for agg in AGGREGATORS:
        c = chain_linked(m, ScoringSpec(aggregation=agg), anchor=2021)
        np.testing.assert_allclose(c["chained"], c["score"], atol=1e-9)
        assert not composition_table(m.score(ScoringSpec())).provisional.any()


@pytest.mark.parametrize("missing", ["impute", "coverage_threshold"])
def test_chain_steps_on_the_shipped_panel_are_the_like_for_like_changes(shipped_model, missing):
    spec = ScoringSpec(missing=missing)
    anchor = shipped_model.default_year(spec)
    c = chain_linked(shipped_model, spec, anchor)
    for iso, g in c.groupby("iso3"):
        g = g.dropna(subset=["score"]).set_index("year")
        if anchor in g.index:  # the chain equals the actual score in the anchor year
            assert g.loc[anchor, "chained"] == pytest.approx(g.loc[anchor, "score"])
        ys = list(g.index)
        for a, b in zip(ys, ys[1:], strict=False):
            df = explain_change(shipped_model, spec, a, b, [iso])
            like = df[df["kind"].isin(["indicator", IMPUTED])]["change"].sum()
            assert g.loc[b, "chained"] - g.loc[a, "chained"] == pytest.approx(like, abs=1e-9)
    if missing == "impute":  # nothing enters or leaves: the chained series is the score itself
        np.testing.assert_allclose(c["chained"], c["score"], atol=1e-9)


def test_under_the_default_policy_no_part_is_data_entering_or_leaving(shipped_model):
    """Issue 20: between any two consecutive years, the default policy lists no composition part, every
    part whose value is imputed in either year is kind 'imputed', and the parts still add up."""
    spec = ScoringSpec()
    imputed = shipped_model.score(spec).imputed
    seen_imputed = False
    for a, b in zip(shipped_model.years, shipped_model.years[1:], strict=False):
        df = explain_change(shipped_model, spec, a, b)
        assert (df[df["kind"] == COMPOSITION]["change"].abs() < 1e-12).all()
        assert COMPOSITION not in set(listed_parts(df)["part"])
        assert "composition" not in change_csv(df)
        ia, ib = shipped_model.year_index(a), shipped_model.year_index(b)
        for r in df[df["kind"].isin(["indicator", IMPUTED])].itertuples():
            c, k = shipped_model.countries.index(r.iso3), shipped_model.indicators.index(r.part)
            assert (r.kind == IMPUTED) == bool(imputed[ia, c, k] or imputed[ib, c, k])
        seen_imputed |= (df["kind"] == IMPUTED).any()
        assert_parts_sum(df, shipped_model, spec, a, b)
    assert seen_imputed


def test_an_imputed_part_is_named_in_the_csv():
    cat = {k: make_indicator(k, goalposts=(0.0, 100.0)) for k in "ab"}
    cube = np.full((3, 2, 2), 50.0)
    cube[:, 0, 1] = [20.0, NAN, 60.0]  # ARM's b is interpolated in 2021: 40
    m = Model(cube, cat, ISO[:2], (2020, 2021, 2022))
    df = explain_change(m, GOAL.replace(missing="impute"), 2020, 2021, ["ARM"])
    assert df.set_index("part").loc["b", "kind"] == IMPUTED
    assert df.set_index("part").loc["b", "change"] == pytest.approx((40 - 20) / 2)
    assert "ARM,Armenia,2020,2021,imputed:b,10.0000" in change_csv(df)


def test_provisional_years_are_those_after_the_default_year():
    cat = {k: make_indicator(k, goalposts=(0.0, 100.0)) for k in "abcd"}
    cube = np.full((4, 4, 4), 50.0)
    cube[1, 0, 3] = NAN  # 2021: ARM lacks a quarter of the weight: 75%, still enough
    cube[2, 1, 2:] = NAN  # 2022: AZE lacks half -> fails the rule
    cube[3, 2, 3] = NAN  # 2023: BLR 75% -> passes, so 2023 is the default year
    m = Model(cube, cat, ISO[:4], (2020, 2021, 2022, 2023))
    assert m.default_year(GOAL) == 2023 and provisional_years(m, GOAL) == ()
    cube[3, 2, 2:] = NAN  # now BLR has 50% in 2023 too
    m = Model(cube, cat, ISO[:4], (2020, 2021, 2022, 2023))
    assert m.default_year(GOAL) == 2021 and provisional_years(m, GOAL) == (2022, 2023)
    lacks = provisional_lacks(m, GOAL, 2023)
    assert lacks.startswith("Belarus 50% sourced (lacks ") and "Azerbaijan" not in lacks
    assert provisional_years(m, GOAL.replace(indicator_weights={"c": 0, "d": 0})) == ()


# ------------------------------------------------------------------ command line
@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return write_data_dir(tmp_path_factory.mktemp("data"))


def run(capsys, data_dir, main, *args):
    rc = main([*args, "--data", str(data_dir)])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize(
    "extra", [[], ["--aggregate", "geometric", "--normalise", "percentile"], ["--preset", "security_first"]]
)
def test_cli_columns_sums_and_totals_match_python_m_scoring(capsys, data_dir, extra):
    rc, out, err = run(capsys, data_dir, diff_main, "--from", "2016", "--to", "2021", *extra)
    assert rc == 0 and err == ""
    df = pd.read_csv(io.StringIO(out))
    assert list(df.columns) == ["iso3", "country", "from", "to", "part", "change"]
    assert sorted(df["iso3"].unique()) == sorted(ISO)
    assert set(df["from"]) == {2016} and set(df["to"]) == {2021}
    rc, scores, _ = run(capsys, data_dir, scores_main, "--all-years", *extra)
    s = pd.read_csv(io.StringIO(scores)).set_index(["iso3", "year"])["score"]
    for iso, g in df.groupby("iso3"):
        assert g["part"].iloc[-1] == TOTAL and (g["part"] == TOTAL).sum() == 1
        total = g[g["part"] == TOTAL]["change"].iloc[0]
        want = s[(iso, 2021)] - s[(iso, 2016)]
        if np.isnan(want):
            assert np.isnan(total) and len(g) == 1
            continue
        assert total == pytest.approx(want, abs=2e-4)
        assert g[g["part"] != TOTAL]["change"].sum() == pytest.approx(total, abs=0.01)
        others = g[g["part"] != TOTAL]
        assert list(others["change"].abs()) == sorted(others["change"].abs(), reverse=True)


def test_cli_one_country_to_a_file(capsys, data_dir, tmp_path):
    out = tmp_path / "d.csv"
    rc, stdout, _ = run(
        capsys, data_dir, diff_main, "--from", "2024", "--to", "2020", "--country", "arm", "--out", str(out)
    )
    assert rc == 0 and stdout == ""
    df = pd.read_csv(out)
    assert set(df["iso3"]) == {"ARM"} and set(df["from"]) == {2024}


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--from", "2020", "--to", "2021", "--country", "RUS"], "unknown country 'RUS'"),
        (["--from", "2020", "--to", "2031"], "2031 is outside the panel"),
        (["--from", "2009", "--to", "2021"], "2009 is outside the panel"),
        (["--from", "2021", "--to", "2021"], "--from and --to are both 2021"),
        (["--to", "2021"], "--from"),
        (["--from", "x", "--to", "2021"], "invalid int"),
        (["--from", "2020", "--to", "2021", "--aggregate", "median"], "unknown aggregation"),
    ],
)
def test_cli_refuses_bad_input_with_exit_2_and_one_line(capsys, data_dir, tmp_path, args, fragment):
    out = tmp_path / "never.csv"
    rc, stdout, err = run(capsys, data_dir, diff_main, *args, "--out", str(out))
    assert rc == 2 and stdout == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and fragment in err, err
    assert not out.exists()
