"""The page's URL state (ui/state.py): parsing, fallbacks with notices, encoding, presets, spec."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest_scoring import make_indicator, synthetic_catalog, synthetic_panel

import scoring
from indicators.countries import PANEL_COUNTRIES
from indicators.schema import PILLARS
from ui import state as S

CAT = synthetic_catalog()
MODEL = scoring.Model.from_panel(synthetic_panel(CAT, seed=2), CAT)
CFG = S.PageConfig.build(CAT, MODEL, scenario_keys=("armenia_leaves_the_csto",))
D = CFG.defaults


def parse(**params) -> S.UIState:
    return CFG.parse(params)


# ---------------------------------------------------------------- defaults and PageConfig
def test_page_config_defaults():
    assert D.view == "ranking" and D.preset == "equal"
    assert D.year == MODEL.default_year(scoring.spec_from_preset("equal", CAT))
    assert D.weights == {k: 1.0 for k in CAT} and D.pillar_weights == {p: 1.0 for p in PILLARS}
    assert (D.normalisation, D.aggregation, D.missing, D.min_coverage) == (
        "minmax",
        "arithmetic",
        "impute",
        0.5,
    )
    assert D.compare == ("ARM", "KAZ", "GEO") and D.highlight == ("ARM", "BLR", "GEO", "KAZ", "UKR")
    assert (D.uncertainty, D.seed, D.floor, D.scenario, D.edits) == ("medium", 1, 2.0, "", ())
    assert CFG.methods == {
        "norm": ("minmax", "goalposts", "zscore", "percentile"),
        "agg": ("arithmetic", "geometric"),
        "miss": ("impute", "carry_forward", "renormalise", "coverage_threshold"),
    }
    assert CFG.years == tuple(range(2013, 2026)) and CFG.countries == tuple(PANEL_COUNTRIES)
    assert CFG.scenarios == ("", "armenia_leaves_the_csto") and CFG.indicators == tuple(CAT)


def test_empty_query_gives_the_defaults_without_notices():
    s = parse()
    assert s == D and s.notices == ()


def test_a_list_value_uses_the_last_item():
    assert CFG.parse({"view": ["map", "trends"]}).view == "trends"
    assert CFG.parse({"view": ["map", "data", "trends"]}).view == "trends"
    assert S._one(("a", "b", "c")) == "c" and S._one(7) == "7"


# ---------------------------------------------------------------- choices
@pytest.mark.parametrize(
    "key, field, value",
    [
        ("view", "view", "robustness"),
        ("preset", "preset", "security_first"),
        ("norm", "normalisation", "zscore"),
        ("agg", "aggregation", "geometric"),
        ("miss", "missing", "renormalise"),
        ("unc", "uncertainty", "high"),
        ("scn", "scenario", "armenia_leaves_the_csto"),
    ],
)
def test_valid_choices_are_taken(key, field, value):
    s = parse(**{key: value})
    assert getattr(s, field) == value and s.notices == ()


@pytest.mark.parametrize(
    "key, field, allowed",
    [
        ("view", "view", ", ".join(S.VIEWS)),
        ("norm", "normalisation", "minmax, goalposts, zscore, percentile"),
        ("agg", "aggregation", "arithmetic, geometric"),
        ("miss", "missing", "impute, carry_forward, renormalise, coverage_threshold"),
        ("unc", "uncertainty", "off, low, medium, high"),
        ("preset", "preset", "equal, equal_indicators, security_first, economy_first, declared_alignment, custom"),
    ],
)
def test_unknown_choice_falls_back_with_a_notice(key, field, allowed):
    s = parse(**{key: "bogus"})
    assert getattr(s, field) == getattr(D, field)
    assert s.notices == (f"URL parameter '{key}': 'bogus' is not one of {allowed}; using {getattr(D, field)!r}",)


def test_preset_sets_its_weights():
    s = parse(preset="security_first")
    assert s.pillar_weights["security"] == 3.0 and s.pillar_weights["economy"] == 1.0
    assert s.weights == {k: 1.0 for k in CAT}


def test_scenario_choice_is_ignored_when_the_page_has_no_scenarios():
    cfg = S.PageConfig.build(CAT, MODEL)
    assert cfg.scenarios == ("",)
    s = cfg.parse({"scn": "x"})
    assert s.scenario == "" and "'scn'" in s.notices[0]
    plain = S.parse_query(
        {"scn": "x"}, D, years=CFG.years, presets=CFG.presets, methods=CFG.methods, countries=CFG.countries
    )
    assert plain.scenario == "" and plain.notices == ()


# ---------------------------------------------------------------- weights
def test_weights_override_the_preset_and_keep_the_rest():
    s = parse(w="arms_share:2.5,gas_share:0", pw="security:10,energy:0")
    assert s.weights == {k: 1.0 for k in CAT} | {"arms_share": 2.5, "gas_share": 0.0}
    assert s.pillar_weights == {p: 1.0 for p in PILLARS} | {"security": 10.0, "energy": 0.0}
    assert s.notices == ()


@pytest.mark.parametrize(
    "raw, notice",
    [
        ("nope:1", "URL parameter 'w': unknown key 'nope' ignored"),
        ("arms_share:x", "URL parameter 'w': arms_share = 'x' is not a number; default kept"),
        ("arms_share:10.5", "URL parameter 'w': arms_share = 10.5 is outside 0-10; default kept"),
        ("arms_share:-0.5", "URL parameter 'w': arms_share = -0.5 is outside 0-10; default kept"),
        ("arms_share:nan", "URL parameter 'w': arms_share = nan is outside 0-10; default kept"),
    ],
)
def test_bad_weights_keep_the_default_with_a_notice(raw, notice):
    s = parse(w=raw + ",gas_share:3")
    assert s.weights["arms_share"] == 1.0 and s.weights["gas_share"] == 3.0
    assert s.notices == (notice,)


def test_weight_bounds_are_inclusive():
    assert parse(w="arms_share:0,gas_share:10").weights | {} == {k: 1.0 for k in CAT} | {
        "arms_share": 0.0,
        "gas_share": 10.0,
    }
    assert S._pairs("a:1,,b:2", {"a": 0.0, "b": 0.0}, "w", notes := []) == {"a": 1.0, "b": 2.0} and notes == []


# ---------------------------------------------------------------- year, coverage
def test_year():
    assert parse(year="2015").year == 2015
    s = parse(year="2031")
    assert s.year == D.year and s.notices == (
        f"URL parameter 'year': 2031 is outside the panel 2013-2025; using {D.year}",
    )
    s = parse(year="20x")
    assert s.year == D.year and s.notices == (f"URL parameter 'year': '20x' is not a year; using {D.year}",)
    assert parse(year="2013").year == 2013 and parse(year="2025").year == 2025


def test_coverage():
    assert parse(cov="0.75").min_coverage == 0.75
    assert parse(cov="0").min_coverage == 0.0 and parse(cov="1").min_coverage == 1.0
    s = parse(cov="1.5")
    assert s.min_coverage == 0.5 and s.notices == ("URL parameter 'cov': 1.5 is outside 0-1; using 0.5",)
    s = parse(cov="-0.1")
    assert s.min_coverage == 0.5 and len(s.notices) == 1
    s = parse(cov="lots")
    assert s.min_coverage == 0.5 and s.notices == ("URL parameter 'cov': 'lots' is not a number; using 0.5",)


# ---------------------------------------------------------------- countries
def test_compare_codes():
    assert parse(cmp="arm, blr ,arm").compare == ("ARM", "BLR")
    assert parse(cmp="ARM,BLR,GEO,KAZ").compare == ("ARM", "BLR", "GEO", "KAZ")
    s = parse(cmp="ARM,XYZ,BLR")
    assert s.compare == ("ARM", "BLR") and s.notices == ("URL parameter 'cmp': unknown country code(s) XYZ ignored",)
    s = parse(cmp="ARM")
    assert s.compare == D.compare
    assert s.notices == ("URL parameter 'cmp': needs 2-4 countries; using ARM, KAZ, GEO",)
    s = parse(cmp="ARM,BLR,GEO,KAZ,UKR")
    assert s.compare == D.compare and len(s.notices) == 1


def test_highlight_codes_may_be_empty():
    assert parse(hl="").highlight == () and parse(hl="").notices == ()
    assert parse(hl="ukr").highlight == ("UKR",)
    all14 = ",".join(PANEL_COUNTRIES)
    assert parse(hl=all14).highlight == tuple(PANEL_COUNTRIES)
    cfg = replace(CFG, defaults=replace(D, highlight=()))
    s = cfg.parse({"hl": "XYZ"})
    assert s.highlight == () and s.notices == ("URL parameter 'hl': unknown country code(s) XYZ ignored",)


# ---------------------------------------------------------------- numbers
def test_seed_and_floor():
    assert parse(seed="42").seed == 42 and isinstance(parse(seed="42.9").seed, int)
    assert parse(seed="42.9").seed == 42
    assert parse(seed="0").seed == 0 and parse(seed="99999").seed == 99999
    s = parse(seed="100000")
    assert s.seed == 1 and s.notices == ("URL parameter 'seed': '100000' must be a number from 0 to 99999; using 1",)
    s = parse(seed="-1")
    assert s.seed == 1 and len(s.notices) == 1
    s = parse(seed="abc")
    assert s.seed == 1 and s.notices == ("URL parameter 'seed': 'abc' must be a number from 0 to 99999; using 1",)
    assert parse(floor="2.5").floor == 2.5 and parse(floor="0").floor == 0.0 and parse(floor="5").floor == 5.0
    s = parse(floor="5.5")
    assert s.floor == 2.0 and s.notices == ("URL parameter 'floor': '5.5' must be a number from 0 to 5; using 2.0",)


# ---------------------------------------------------------------- scenario edits
def test_edits():
    s = parse(ed="arm:2024:csto_membership:0~KAZ:2023:gas_share:12.5")
    assert s.edits == (("ARM", 2024, "csto_membership", 0.0), ("KAZ", 2023, "gas_share", 12.5))
    assert s.notices == ()
    s = parse(
        ed="ARM:2024:csto_membership~XYZ:2024:gas_share:1~ARM:1990:gas_share:1~ARM:2024:gdp:1~ARM:2024:gas_share:3"
    )
    assert s.edits == (("ARM", 2024, "gas_share", 3.0),)
    assert s.notices == (
        "URL parameter 'ed': 'ARM:2024:csto_membership' is not ISO3:year:indicator:value; ignored",
        "URL parameter 'ed': 'XYZ:2024:gas_share:1' names an unknown country, year or indicator; ignored",
        "URL parameter 'ed': 'ARM:1990:gas_share:1' names an unknown country, year or indicator; ignored",
        "URL parameter 'ed': 'ARM:2024:gdp:1' names an unknown country, year or indicator; ignored",
    )
    s = parse(ed="ARM:20x4:gas_share:1~ARM:2024:gas_share:x")
    assert s.edits == () and len(s.notices) == 2


def test_edits_beyond_the_url_limit_are_dropped():
    many = "~".join(f"ARM:{y}:gas_share:{y - 2000}" for y in range(2013, 2026))  # 13 edits
    s = parse(ed=many)
    assert len(s.edits) == S.MAX_URL_EDITS == 12 and s.edits[-1] == ("ARM", 2024, "gas_share", 24.0)


# ---------------------------------------------------------------- encoding
#: What every link carries even at the defaults (so a link keeps its meaning when a default moves).
ALWAYS_AT_DEFAULTS = {
    "view": "ranking",
    "year": str(D.year),
    "preset": "equal",
    "split": "pillar",
    "cmp": "ARM,KAZ,GEO",
    "hl": "ARM,BLR,GEO,KAZ,UKR",
    "unc": "medium",
    "seed": "1",
    "floor": "2",
    "cc": "ARM",
    "chain": "0",
}


def test_encode_defaults_is_only_what_every_link_carries():
    assert CFG.encode(D) == ALWAYS_AT_DEFAULTS
    assert set(ALWAYS_AT_DEFAULTS) == set(S.ALWAYS)


def test_encode_only_what_differs():
    s = replace(
        D,
        view="map",
        year=2016,
        normalisation="zscore",
        min_coverage=0.25,
        seed=7,
        floor=1.5,
        compare=("ARM", "BLR"),
        highlight=(),
        weights=D.weights | {"arms_share": 2.5, "user_mine": 3.0},
        pillar_weights=D.pillar_weights | {"energy": 0.0},
        edits=(("ARM", 2024, "gas_share", 12.5),),
    )
    assert CFG.encode(s) == ALWAYS_AT_DEFAULTS | {
        "view": "map",
        "year": "2016",
        "norm": "zscore",
        "cov": "0.25",
        "seed": "7",
        "floor": "1.5",
        "w": "arms_share:2.5",  # an uploaded indicator's weight stays out of links
        "pw": "energy:0",
        "cmp": "ARM,BLR",
        "hl": "",
        "ed": "ARM:2024:gas_share:12.5",
    }


def test_encode_a_preset_only_names_weights_that_differ_from_it():
    s = parse(preset="security_first", pw="security:2")
    assert CFG.encode(s) == ALWAYS_AT_DEFAULTS | {"preset": "security_first", "pw": "security:2"}


def test_encode_leaves_out_edits_beyond_the_url_limit():
    edits = tuple(("ARM", y, "gas_share", 1.0) for y in range(2013, 2026))
    assert "ed" not in CFG.encode(replace(D, edits=edits))
    assert CFG.encode(replace(D, edits=edits[:12]))["ed"].count("~") == 11


def test_round_trip():
    s = parse(
        view="compare",
        year="2019",
        preset="economy_first",
        w="trade_share:4",
        pw="diplomacy:0.5",
        agg="geometric",
        miss="renormalise",
        cov="0.6",
        cmp="GEO,UKR,MDA",
        hl="BLR",
        unc="low",
        seed="123",
        floor="3",
        scn="armenia_leaves_the_csto",
        ed="ARM:2024:csto_membership:0",
    )
    assert s.notices == ()
    assert CFG.parse(CFG.encode(s)) == s


# ---------------------------------------------------------------- presets, slug, spec
def test_slug():
    assert S.slug("Armenia leaves the CSTO") == "armenia_leaves_the_csto"
    assert S.slug("  Kazakhstan: oil (CPC)! ") == "kazakhstan__oil__cpc"


def test_ui_presets_scale_weights_above_the_slider_maximum():
    cat = {f"i{k}": make_indicator(f"i{k}", "security") for k in range(12)} | {"e": make_indicator("e", "economy")}
    p = S.ui_presets(cat, PILLARS)
    iw, pw = p["equal_indicators"]  # by_count: security 12, economy 1 -> scaled by 10/12
    assert pw["security"] == pytest.approx(10.0) and pw["economy"] == pytest.approx(10 / 12)
    assert pw["diplomacy"] == 0.0 and iw == {k: 1.0 for k in cat}
    assert p["security_first"][1]["security"] == 3.0  # at or below 10: unchanged
    assert set(p) == set(scoring.PRESETS)


def test_spec_from_state():
    s = parse(
        preset="security_first", w="gas_share:2", norm="goalposts", agg="geometric", miss="renormalise", cov="0.3"
    )
    spec = S.spec_from_state(s)
    assert spec.years is None and S.spec_from_state(s, 2020).years == (2020,)
    assert spec.indicator_weights["gas_share"] == 2.0 and spec.pillar_weights["security"] == 3.0
    assert (spec.normalisation, spec.aggregation, spec.missing, spec.min_coverage, spec.preset) == (
        "goalposts",
        "geometric",
        "renormalise",
        0.3,
        "security_first",
    )
    assert MODEL.weights(spec)[list(CAT).index("gas_share")] == pytest.approx(
        2 / 3 * 1 / 7
    )  # energy: 1/7; gas_share 2 of 3 in it


def test_fit_to_sliders_scales_only_above_the_maximum():
    assert S.fit_to_sliders({"a": 10.0, "b": 0.5}) == ({"a": 10.0, "b": 0.5}, 1.0)
    scaled, f = S.fit_to_sliders({"a": 40.0, "b": 4.0, "c": 0.0})
    assert f == 0.25 and scaled == {"a": 10.0, "b": 1.0, "c": 0.0}
    assert S.fit_to_sliders({}) == ({}, 1.0)


def test_session_model_key_hashes_values_and_metadata():
    from ui import uploads

    panel = synthetic_panel(CAT, seed=2)
    flipped = dict(CAT) | {"gas_share": CAT["gas_share"].model_copy(update={"direction": -1})}
    k = uploads.session_model_key(panel, CAT)
    assert k.startswith("user-") and k == uploads.session_model_key(panel.copy(), dict(CAT))
    assert uploads.session_model_key(panel, flipped) != k
    assert uploads.session_model_key(panel.iloc[1:], CAT) != k
