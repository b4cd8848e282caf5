"""Relations with Russia and sanctions on Russia (issue 25): each coding rule recomputed from tables of cases."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators.builders import rupture
from indicators.builders.common import CARRIED, ESTIMATED, OBSERVED
from indicators.countries import PANEL_COUNTRIES, YEARS

RAW = Path(os.environ.get("ALIGN_RAW_DIR", Path(__file__).resolve().parents[2] / "shared" / "raw"))
needs_raw = pytest.mark.skipif(not (RAW / rupture.RELATIONS_FILE).is_file(), reason="raw extracts not present")


def facts(*rows) -> pd.DataFrame:
    """Fact rows as ``read_facts`` returns them: (date, level, kind, supported)."""
    df = pd.DataFrame(
        [
            {"date": d, "level": lvl, "kind": k, "supported": ok, "source_id": f"s{i}", "meaning": f"m{lvl}"}
            for i, (d, lvl, k, ok) in enumerate(rows)
        ],
        columns=["date", "level", "kind", "supported", "source_id", "meaning"],
    )
    df["d"] = df["date"].map(lambda s: dt.date(*[int(p) for p in (s.split("-") + ["1", "1"])[:3]]))
    return df.sort_values("d").reset_index(drop=True)


# (facts, year, default) -> (level, status) or None; one row per case of the rule in the module docstring.
CODE_YEAR_CASES = [
    # 1. an act in force on 31 December, observed when its date is stated
    ((("2008-08-29", 0, "act", True),), 2013, 2, (0, OBSERVED)),
    # a mid-year change counts for its year (status on 31 December) ...
    ((("2022-02-24", 0, "act", True),), 2022, 2, (0, OBSERVED)),
    ((("2023-12-31", 1, "act", True),), 2023, 2, (1, OBSERVED)),
    # ... and a change on 1 January is not in force on 31 December of the year before
    ((("2024-01-01", 1, "act", True),), 2023, 2, (2, OBSERVED)),
    # the latest act wins (chargé-only Ukraine 2014-2021, severed from 2022)
    ((("2014-03", 1, "act", True), ("2022-02-24", 0, "act", True)), 2021, 2, (1, OBSERVED)),
    ((("2014-03", 1, "act", True), ("2022-02-24", 0, "act", True)), 2022, 2, (0, OBSERVED)),
    # an act whose date no row of its spell states is estimated; one dated row in the spell is enough
    ((("2008-08-29", 0, "act", False),), 2013, 2, (0, ESTIMATED)),
    ((("2008-08-29", 0, "act", False), ("2009-03-05", 0, "act", True)), 2013, 2, (0, OBSERVED)),
    # 3. no act in force: a dated statement of the year; not yet (the first act dates the change); held
    ((("2020-10-21", 2, "status", True),), 2020, 2, (2, OBSERVED)),
    ((("2023-07-03", 2, "status", False),), 2023, 2, (2, ESTIMATED)),
    ((("2022-04-04", 1, "act", True),), 2015, 2, (2, OBSERVED)),
    ((("2022-04-04", 1, "act", False), ("2022-10-03", 1, "act", True)), 2015, 2, (2, OBSERVED)),
    ((("2022-04-04", 1, "act", False), ("2023-10-03", 0, "act", True)), 2015, 2, (2, ESTIMATED)),
    ((("2020-10-21", 2, "status", True),), 2015, 2, (2, ESTIMATED)),
    ((), 2015, 2, None),
]


@pytest.mark.parametrize("rows, year, default, want", CODE_YEAR_CASES)
def test_code_year(rows, year, default, want):
    got = rupture.code_year(facts(*rows), year, default)
    assert (None if got is None else (got.level, got.status)) == want


@pytest.mark.parametrize("rate, level", [(0, 0), (1, 1), (44, 1), (49.9, 1), (50, 2), (78, 2), (100, 2)])
def test_rate_level(rate, level):
    assert rupture.rate_level(rate) == level


def rate(year, pct, rank=3, iso3="GEO"):
    return rupture.Rate(iso3, year, pct, rank, f"{pct}%", f"r{year}-{rank}")


def test_rates_best_rank_decides_and_carry_only_forward_one_year():
    codes = rupture.rate_codes([rate(2022, 48, rank=4), rate(2022, 54, rank=2), rate(2024, 49)], "GEO")
    assert (codes[2022].level, codes[2022].source_ids) == (2, ("r2022-2",))  # rank 2 beats rank 4
    assert "also reported: 48%" in codes[2022].note
    assert codes[2022].status == ESTIMATED and codes[2024].level == 1
    assert codes[2023].status == CARRIED and codes[2025].status == CARRIED
    assert 2021 not in codes and 2026 not in codes  # never carried back before the first rate


# (acts and statements, rates by year, year) -> level: an act beats a rate, a rate beats "not yet" and statements
SANCTION_CASES = [
    ((("2014-03-17", 3, "act", True),), {2022: 91}, 2022, 3),
    ((("2023-11-15", 2, "act", True),), {2022: 54}, 2022, 2),
    ((("2023-03", 1, "act", True),), {2023: 44}, 2023, 1),
    ((("2022-02-28", 0, "status", True),), {2022: 48}, 2022, 1),
    ((("2022-02-28", 0, "status", True),), {}, 2022, 0),
    ((("2014-08-14", 3, "act", True),), {}, 2013, 0),
]


@pytest.mark.parametrize("rows, rates, year, level", SANCTION_CASES)
def test_sanctions_precedence(rows, rates, year, level):
    codes = rupture.rate_codes([rate(y, p) for y, p in rates.items()], "GEO")
    assert rupture.code_sanctions_year(facts(*rows), codes, year).level == level


def test_code_table_rejects_a_status_fact_off_the_default(tmp_path):
    bad = pd.read_csv(rupture.CODES, dtype=str, keep_default_na=False)
    bad.loc[bad["code"] == "not joined", "level"] = "1"
    p = tmp_path / "codes.csv"
    bad.to_csv(p, index=False)
    with pytest.raises(ValueError, match="default level"):
        rupture.load_codes(p)


# --------------------------------------------------------------------------- the shipped facts

#: What the sources state (PROVENANCE.md of both raw folders, hand rows): the first year of each level.
RELATIONS_EXPECTED = {"GEO": {2013: 0}, "UKR": {2013: 2, 2014: 1, 2022: 0}, "LTU": {2013: 2, 2022: 1}}
RELATIONS_EXPECTED |= {"EST": {2013: 2, 2023: 1}, "LVA": {2013: 2, 2023: 1}}
SANCTIONS_EXPECTED = {k: {2013: 0, 2014: 3} for k in ("EST", "LVA", "LTU", "UKR")}
SANCTIONS_EXPECTED |= {"GEO": {2013: 0, 2022: 1}, "MDA": {2013: 0, 2022: 2}}


def expand(first_years: dict[int, int], default: int) -> dict[int, int]:
    out, level = {}, default
    for y in YEARS:
        level = first_years.get(y, level)
        out[y] = level
    return out


@pytest.fixture(scope="module")
def built():
    return rupture.build(RAW).frame()


@needs_raw
@pytest.mark.parametrize(
    "indicator, expected", [("relations_russia", RELATIONS_EXPECTED), ("sanctions_on_russia", SANCTIONS_EXPECTED)]
)
def test_every_state_and_year_coded_as_the_sources_state(built, indicator, expected):
    got = built[built["indicator"] == indicator].set_index(["iso3", "year"])["value"]
    assert len(got) == len(PANEL_COUNTRIES) * len(YEARS)  # all 14 states, every year
    for iso3 in PANEL_COUNTRIES:
        want = expand(expected.get(iso3, {}), rupture.DEFAULT_LEVEL[indicator])
        assert {y: int(got[(iso3, y)]) for y in YEARS} == want, iso3


@needs_raw
def test_rates_stand_only_where_the_quote_states_them(built):
    geo = built[(built["indicator"] == "sanctions_on_russia") & (built["iso3"] == "GEO")].set_index("year")
    assert {y: geo.loc[y, "status"] for y in (2022, 2023, 2024, 2025)} == {
        2022: ESTIMATED,
        2023: ESTIMATED,
        2024: ESTIMATED,
        2025: CARRIED,
    }
    assert "49%" in geo.loc[2024, "note"] and "44%" in geo.loc[2023, "note"]
    # Moldova's 78% (August 2023) is not in the quote of the tidy file's row; it stands from compiled_cited
    mda = built[(built["indicator"] == "sanctions_on_russia") & (built["iso3"] == "MDA")].set_index("year")
    assert "the quoted text does not state it" in mda.loc[2023, "note"]
    assert "related to Russia" in mda.loc[2023, "note"]


@needs_raw
def test_unusable_sources_date_nothing():
    codes = rupture.load_codes()
    f, sources = rupture.read_facts(RAW, codes)
    from indicators.tiers import tier_of

    assert all(tier_of(str(s.url)) != "unusable" for s in sources)
    assert not f["url"].str.contains("news-pravda|derechos.org|breitbart").any()


# --------------------------------------------------------------------------- the pillar's effect


def test_zero_pillar_weight_gives_back_the_model_without_the_pillar():
    from indicators.loader import shipped
    from scoring import pillar_effect
    from scoring.model import Model
    from scoring.spec import ScoringSpec

    panel, catalog, _ = shipped()
    with_it = Model.from_panel(panel, catalog)
    keep = {k: v for k, v in catalog.items() if v.pillar != "rupture"}
    without = Model.from_panel(panel[panel["indicator"].isin(list(keep))], keep)
    shift = pillar_effect.rank_shift(with_it, "rupture", YEARS)
    old = without.score(ScoringSpec(years=YEARS)).table.set_index(["iso3", "year"])
    s = shift.set_index(["iso3", "year"])
    assert np.allclose(s["score_without"], old.loc[s.index, "score"], equal_nan=True)
    assert (s["rank_without"] == old.loc[s.index, "rank"]).all()
    assert (s["move"] == s["rank_without"] - s["rank_with"]).all()


def test_methodology_reports_the_computed_ranks_and_every_severed_case():
    from indicators.loader import shipped
    from scoring import pillar_effect
    from scoring.model import Model
    from ui.methodology import RUPTURE_YEARS, rupture_markdown

    panel, catalog, _ = shipped()
    model = Model.from_panel(panel, catalog)
    md = rupture_markdown(model)
    shift = pillar_effect.rank_shift(model, "rupture", RUPTURE_YEARS)
    for c, g in shift.groupby("country"):
        cells = " | ".join(f"{int(r.rank_without)} → {int(r.rank_with)}" for r in g.sort_values("year").itertuples())
        assert f"| {c} | {cells} |" in md
    big = shift[shift["move"].abs() >= pillar_effect.BIG_MOVE]
    assert (f"No state moves {pillar_effect.BIG_MOVE} places" in md) == big.empty
    pairs = pillar_effect.ordered_against(model, "relations_russia", 0, 2, model.years)
    for a, b in set(zip(pairs["country"], pairs["other_country"], strict=True)):
        assert f"- {a} above {b} in " in md
    for name in ("Georgia", "Ukraine"):
        assert f"**{name}** has no diplomatic relations with Russia" in md
