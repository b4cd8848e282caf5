"""scoring.impute (the missing-data model) and scoring.backtest (the evidence for it)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from scoring import Model, ScoringSpec
from scoring.backtest import POLICIES, run, summary
from scoring.backtest import main as backtest_main
from scoring.impute import CROSS_SECTION, EXTRAPOLATED, INTERPOLATED, SOURCED, carry_forward, impute, step_sd

NAN = np.nan


@pytest.fixture(scope="module")
def shipped_model(shipped):
    panel, catalog, _ = shipped
    return Model.from_panel(panel, catalog)


def cube(*series: list[float]) -> np.ndarray:
    """(Y, C, 1) cube from one series per country."""
    return np.array(series, dtype=float).T[:, :, None]


@pytest.mark.parametrize(
    ("series", "mean", "how"),
    [
        # inside the span: linear interpolation
        ([10, NAN, NAN, 40], [10, 20, 30, 40], [SOURCED, INTERPOLATED, INTERPOLATED, SOURCED]),
        # outside: the nearest sourced value held (random walk), both ends
        ([NAN, 30, 50, NAN, NAN], [30, 30, 50, 50, 50], [EXTRAPOLATED, 0, 0, EXTRAPOLATED, EXTRAPOLATED]),
        # nothing missing: untouched
        ([5, 6, 7], [5, 6, 7], [0, 0, 0]),
    ],
)
def test_time_model_by_hand(series, mean, how):
    other = [50.0] * len(series)
    imp = impute(cube(series, other))
    np.testing.assert_allclose(imp.mean[:, 0, 0], mean)
    assert imp.how[:, 0, 0].tolist() == how
    assert (imp.sd[:, 0, 0][np.array(how) == SOURCED] == 0).all()


def test_uncertainty_grows_with_the_distance_to_the_nearest_year():
    x = cube([10, NAN, NAN, NAN, 50, NAN, NAN, NAN], [0, 10, 20, 30, 40, 50, 60, 70])
    imp = impute(x)
    sigma = step_sd(x)[0]
    sd = imp.sd[:, 0, 0]
    # Brownian bridge inside: sigma * sqrt((t - a)(b - t) / (b - a)), largest mid-span
    np.testing.assert_allclose(sd[1:4], sigma * np.sqrt(np.array([1 * 3, 2 * 2, 3 * 1]) / 4))
    # random walk outside: sigma * sqrt(d)
    np.testing.assert_allclose(sd[5:], sigma * np.sqrt([1, 2, 3]))
    assert sd[5] < sd[6] < sd[7]


def test_step_is_the_rms_of_one_year_changes_with_a_floor():
    x = cube([0, 3, NAN, 7], [10, 6, 6, 6])  # changes 3, -4, 0, 0 (the gap is skipped)
    assert step_sd(x)[0] == pytest.approx(np.sqrt((9 + 16 + 0 + 0) / 4))
    assert step_sd(cube([1, 1, 1], [2, 2, 2]))[0] == 1.0  # MIN_STEP


def test_cross_section_model_predicts_a_state_without_any_year_from_the_correlated_indicator():
    """Indicator b = 100 - a for every state but ARM, which has no b at all: the ridge regression on a
    predicts ARM's b close to 100 - a, clipped to 0-100, with its residual error as uncertainty."""
    rng = np.random.default_rng(0)
    a = rng.uniform(0, 100, size=(5, 6))
    b = 100.0 - a + rng.normal(0, 1.0, size=a.shape)
    b[:, 0] = NAN
    x = np.stack([a, b], axis=-1)
    imp = impute(x)
    assert (imp.how[:, 0, 1] == CROSS_SECTION).all()
    np.testing.assert_allclose(imp.mean[:, 0, 1], np.clip(100 - a[:, 0], 0, 100), atol=4.0)
    assert 0 < imp.sd[0, 0, 1] < 5
    assert not imp.imputed[:, 1:, :].any()


def test_an_indicator_without_any_value_stays_missing_and_the_result_is_read_only():
    x = cube([1, 2], [3, 4])
    x = np.concatenate([x, np.full_like(x, NAN)], axis=-1)
    imp = impute(x)
    assert np.isnan(imp.mean[..., 1]).all() and not imp.imputed[..., 1].any()
    with pytest.raises(ValueError):
        imp.mean[0, 0, 0] = 5


def test_draws_move_only_imputed_values_within_0_100_and_are_seeded():
    x = cube([10, NAN, 90], [0, 100, 0])
    imp = impute(x)
    d1 = imp.draws(500, 1, np.random.default_rng(3))
    d2 = imp.draws(500, 1, np.random.default_rng(3))
    np.testing.assert_array_equal(d1, d2)
    assert (d1[:, 1, 0] == 100).all()  # sourced: fixed
    assert d1[:, 0, 0].std() > 0 and d1.min() >= 0 and d1.max() <= 100
    assert d1[:, 0, 0].mean() == pytest.approx(50, abs=imp.sd[1, 0, 0] / 5)


def test_carry_forward_holds_the_latest_earlier_value_and_nothing_before_the_first():
    x = cube([NAN, 10, NAN, NAN, 40, NAN])
    np.testing.assert_array_equal(carry_forward(x)[:, 0, 0], [NAN, 10, 10, 10, 40, 40])


def test_every_policy_scores_and_only_available_case_leaves_out(shipped_model):
    for missing in ("impute", "carry_forward", "renormalise"):
        r = shipped_model.score(ScoringSpec(missing=missing))
        assert not np.isnan(r.score).any()
        if missing == "impute":
            assert r.used.all() and r.imputed.any()
        if missing == "renormalise":
            assert not r.imputed.any()


# ------------------------------------------------------------------ backtest
@pytest.fixture(scope="module")
def cases(shipped_model):
    return run(shipped_model, ScoringSpec())


def test_backtest_masks_every_observed_value_of_2013_2024(cases, shipped_model):
    m = shipped_model
    yi = [k for k, y in enumerate(m.years) if 2013 <= y <= 2024]
    observed = m.observed[yi] & ~np.isnan(m.normalised("minmax").values[yi])
    one = cases[cases["kind"] == "one_value"]
    assert set(one["policy"]) == set(POLICIES)
    for policy in POLICIES:
        assert (one["policy"] == policy).sum() == int(observed.sum())
    assert (one["hidden"] == 1).all()
    assert (cases[cases["kind"] == "latest_year"]["hidden"] >= 1).all()


def test_the_default_policy_halves_the_available_case_error(cases):
    s = summary(cases)
    assert set(s) == {"model", "available_case", "carry_forward"}
    assert s["model"]["median_abs_error"] <= s["available_case"]["median_abs_error"] / 2
    latest = summary(cases, "latest_year")
    assert latest["model"]["median_abs_error"] <= latest["available_case"]["median_abs_error"] / 2
    assert s["model"]["rank_changed_share"] < s["available_case"]["rank_changed_share"]


def test_backtest_json_has_exactly_the_issue_shape(capsys, cases):
    assert backtest_main(["--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got == summary(cases)
    for v in got.values():
        assert set(v) == {"median_abs_error", "rank_changed_share", "cases"}
    assert backtest_main(["--preset", "nope"]) == 2


def test_the_readme_shows_the_published_backtest_and_the_default_year(shipped_model):
    """README.md's backtest table and default year are those of docs/backtest.json and the shipped data
    (regenerate with: python -m scoring.golden --write && python tools/readme_backtest.py)."""
    from pathlib import Path

    from scoring.backtest import load_published, markdown_rows
    from scoring.weights import spec_from_preset

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- backtest:start -->\n")[1].split("\n<!-- backtest:end -->")[0]
    assert block.split("\n", 2)[2] == markdown_rows(load_published()), "run python tools/readme_backtest.py"
    year = shipped_model.default_year(spec_from_preset("equal", shipped_model.catalog))
    assert f"equal weights that is {year} " in readme and f"missing-data model ({year} with" in readme


def test_the_cross_section_model_predicts_only_from_the_indicators_pillar():
    """With groups, an indicator of another pillar is no predictor: ARM's b falls back to the other states'
    mean instead of following a; with a in b's pillar it follows a."""
    rng = np.random.default_rng(1)
    a = rng.uniform(0, 100, size=(4, 6))
    b = 100.0 - a
    b[:, 0] = NAN
    x = np.stack([a, b], axis=-1)
    apart = impute(x, ("security", "economy"))
    np.testing.assert_allclose(apart.mean[:, 0, 1], np.nanmean(b[:, 1:], axis=1))
    together = impute(x, ("economy", "economy"))
    np.testing.assert_allclose(together.mean[:, 0, 1], 100 - a[:, 0], atol=4.0)
