"""The poles lens: pulls table (indicators.builders.poles), positions and CLI (scoring.pulls), figures."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators.builders import poles as poles_builder
from indicators.countries import PANEL_COUNTRIES
from indicators.loader import DATA_DIR, DataError, load_poles, load_pulls, validate_pulls
from scoring import pulls as sp
from ui import poles_charts
from ui.state import PageConfig


@pytest.fixture(scope="module")
def shipped_pulls() -> sp.PullsModel:
    return sp.PullsModel.shipped()


def value(pulls: pd.DataFrame, iso3: str, year: int, measure: str, pole: str) -> float:
    row = pulls[(pulls.iso3 == iso3) & (pulls.year == year) & (pulls.measure == measure) & (pulls.pole == pole)]
    assert len(row) == 1, (iso3, year, measure, pole)
    return float(row["value"].iloc[0])


# ---------------------------------------------------------------- hand recomputations from the raw files
POS = {"yes": 1, "abstain": 0, "no": -1, "Y": 1, "A": 0, "N": -1}


def hand_agreement(pairs: list[tuple[str, str]]) -> float:
    return 100.0 * sum(1 - abs(POS[a] - POS[b]) / 2 for a, b in pairs) / len(pairs)


def test_un_agreement_with_beijing_recomputed_by_hand_from_the_voeten_files(raw_dir, shipped_pulls):
    """Belarus and China, 2016: final-passage roll calls on a resolution, both voted yes/abstain/no."""
    d = raw_dir / "unvotes_voeten"
    rcs = {}
    with open(d / "un_roll_calls_1991plus.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            final = r["amend"] not in ("1", "1.0") and r["para"] not in ("1", "1.0")
            # a regular-session resolution symbol (R/71/5 or A/RES/71/5; emergency sessions excluded)
            if r["date"].startswith("2016") and final and re.match(r"^(A/RES/|R/)\d+/", r["unres"]):
                rcs[r["rcid"]] = r["unres"]
    votes: dict[str, dict[str, str]] = {"Belarus": {}, "China": {}}
    for name in ("un_votes_15countries_1991plus.csv", "un_votes_references_1991plus.csv"):
        with open(d / name, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["country"] in votes and r["rcid"] in rcs:
                    votes[r["country"]][r["rcid"]] = r["vote"]
    both = sorted(set(votes["Belarus"]) & set(votes["China"]))
    assert len(both) > 50
    expected = hand_agreement([(votes["Belarus"][k], votes["China"][k]) for k in both])
    assert value(shipped_pulls.pulls, "BLR", 2016, "un_votes", "beijing") == pytest.approx(expected, abs=1e-4)


def test_un_agreement_with_the_west_recomputed_by_hand_from_the_undl_file(raw_dir, shipped_pulls):
    """Ukraine 2023: the West = mean of the agreement with the US and with Germany."""
    with open(raw_dir / "undl_votes_2020_2025" / "unga_votes_2020_2025_19countries.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["date"].startswith("2023")]
    parts = []
    for partner in ("USA", "DEU"):
        pairs = [(r["UKR"], r[partner]) for r in rows if r["UKR"] in "YNA" and r[partner] in "YNA"]
        parts.append(hand_agreement(pairs))
    assert value(shipped_pulls.pulls, "UKR", 2023, "un_votes", "west") == pytest.approx(np.mean(parts), abs=1e-4)


def test_trade_shares_recomputed_by_hand_from_the_armenia_dots_workbook(raw_dir, shipped_pulls):
    """DOTS_9.xlsx (Armenia), 2019 column, read cell by cell (million USD):
    exports to World 2638.804168, China P.R.: Mainland 193.709652, Russian Federation 733.09871,
    Turkey 2.223892; imports from World 5548.206975, China 751.162789, Russia 1513.170771, Turkey 268.014357."""
    world = 2638.804168 + 5548.206975
    p = shipped_pulls.pulls
    assert value(p, "ARM", 2019, "trade", "beijing") == pytest.approx(100 * (193.709652 + 751.162789) / world, abs=1e-3)
    assert value(p, "ARM", 2019, "trade", "moscow") == pytest.approx(100 * (733.09871 + 1513.170771) / world, abs=1e-3)
    assert value(p, "ARM", 2019, "trade", "ankara") == pytest.approx(100 * (2.223892 + 268.014357) / world, abs=1e-3)


def test_trade_west_is_the_us_plus_the_eu27_sum(raw_dir):
    from indicators.builders import dots

    d = dots.read_dots(raw_dir)
    d = d[(d.iso3 == "GEO") & (d.year == 2018)]
    world = d.loc[d.partner == "WLD", "usd"].sum()
    west = d.loc[d.partner.isin(["USA", *poles_builder.EU27]), "usd"].sum()
    t = poles_builder.trade_shares(d)
    got = t[(t.pole == "west")]["share"].iloc[0]
    assert got == pytest.approx(100 * west / world)
    # the IMF's own EU aggregate row is not used, but the member sum must be close to it
    eu_agg = d.loc[d.partner == "EUU", "usd"].sum()
    eu_sum = d.loc[d.partner.isin(poles_builder.EU27), "usd"].sum()
    assert eu_sum == pytest.approx(eu_agg, rel=0.02)


def test_arms_shares_on_constructed_deliveries():
    tiv = pd.DataFrame(
        [
            ("ARM", "RUS", 2018, 30.0),
            ("ARM", "SUN", 2016, 10.0),  # Soviet Union counts for Moscow
            ("ARM", "USA", 2019, 20.0),
            ("ARM", "FRA", 2020, 20.0),  # EU member: the West
            ("ARM", "GBR", 2020, 10.0),  # not the West, but in the total
            ("ARM", "CHN", 2014, 99.0),  # outside the 2016-2020 window
        ],
        columns=["recipient", "supplier", "year", "tiv"],
    )
    s = poles_builder.arms_shares(tiv, 2020).set_index("pole")["share"]
    # total in 2016-2020 = 90: Moscow 30 + 10, the West 20 + 20, the UK's 10 in no pole
    assert s["moscow"] == pytest.approx(100 * 40 / 90) and s["west"] == pytest.approx(100 * 40 / 90)
    assert s["beijing"] == 0.0 and s["ankara"] == 0.0


# ---------------------------------------------------------------- the shipped table
def test_shipped_pulls_validate_and_every_value_is_cited(shipped_pulls):
    p = load_pulls()  # manifest verified, every source known
    assert len(p) == len(shipped_pulls.pulls) > 1000
    assert (p["source_ids"] != "").all() and p["status"].isin(["observed", "estimated"]).all()
    assert p["value"].between(0, 100).all()
    poles, measures = load_poles()
    assert list(poles) == ["moscow", "west", "beijing", "ankara"]
    assert list(measures) == ["un_votes", "trade", "arms", "ties"]


def test_face_validity_belarus_and_ukraine_un_votes_2023(raw_dir, shipped_pulls):
    p = shipped_pulls.pulls
    assert value(p, "BLR", 2023, "un_votes", "moscow") > value(p, "BLR", 2023, "un_votes", "west")
    assert value(p, "UKR", 2023, "un_votes", "moscow") < value(p, "UKR", 2023, "un_votes", "west")
    from indicators.builders import unvotes

    v = unvotes.load_votes(raw_dir)
    v = v[v.year == 2023]
    rus = unvotes.agreement(v, "RUS").set_index("iso3")["agreement"]
    usa = unvotes.agreement(v, "USA").set_index("iso3")["agreement"]
    assert rus["BLR"] > usa["BLR"] and rus["UKR"] < usa["UKR"]


def test_missing_stays_missing_in_the_shipped_table(shipped_pulls):
    p = shipped_pulls.pulls
    assert p[p.measure == "trade"]["year"].max() == 2020  # DOTS extract ends in 2020: no later trade values
    assert p[(p.measure == "ties") & (p.pole == "ankara")].empty  # not coded
    # Turkmenistan's DOTS figures are partner-derived: never 'observed'
    assert (p[(p.measure == "trade") & (p.iso3 == "TKM")]["status"] == "estimated").all()


def test_validate_pulls_rejects_bad_rows(shipped_pulls):
    poles, measures = load_poles()
    from indicators.loader import load_sources

    sources = load_sources()
    good = shipped_pulls.pulls.head(3).copy()
    for col, bad, msg in [
        ("value", 101.0, "outside 0-100"),
        ("pole", "moon", "unknown pole"),
        ("measure", "vibes", "unknown measure"),
        ("source_ids", "nope", "not found in sources.csv"),
    ]:
        d = good.copy()
        d.loc[0, col] = bad
        with pytest.raises(DataError, match=msg):
            validate_pulls(d, poles, measures, sources)
    with pytest.raises(DataError, match="duplicate row"):
        validate_pulls(pd.concat([good, good.head(1)]), poles, measures, sources)


# ---------------------------------------------------------------- positions on constructed data
def constructed(rows: list[tuple[str, int, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["iso3", "year", "measure", "pole", "value"]).assign(
        status="observed", source_ids="x", note=""
    )


W1 = {"un_votes": 1.0, "trade": 1.0, "arms": 1.0, "ties": 1.0}


def test_a_fully_moscow_tied_country_sits_at_the_moscow_corner():
    rows = []
    for m in W1:
        rows += [("BLR", 2020, m, "moscow", 100.0), ("BLR", 2020, m, "west", 0.0), ("BLR", 2020, m, "beijing", 0.0)]
    pos = sp.positions(constructed(rows), W1).set_index("pole")["value"]
    assert pos.to_dict() == {"moscow": 1.0, "west": 0.0, "beijing": 0.0}
    wide = poles_charts.position_table(constructed(rows), W1)
    fig = poles_charts.triangle_figure(wide, constructed(rows), 2020, *load_poles())
    point = fig.data[-1]
    assert (point.a[0], point.b[0], point.c[0]) == (1.0, 0.0, 0.0)


def test_positions_are_weighted_means_of_measure_shares():
    rows = [
        ("KAZ", 2019, "un_votes", "moscow", 60.0),
        ("KAZ", 2019, "un_votes", "west", 20.0),
        ("KAZ", 2019, "un_votes", "beijing", 20.0),
        ("KAZ", 2019, "trade", "moscow", 10.0),
        ("KAZ", 2019, "trade", "west", 10.0),
        ("KAZ", 2019, "trade", "beijing", 30.0),
    ]
    pos = sp.positions(constructed(rows), {"un_votes": 3.0, "trade": 1.0, "arms": 1.0, "ties": 1.0})
    got = pos.set_index("pole")["value"]
    assert got["moscow"] == pytest.approx((3 * 0.6 + 0.2) / 4)
    assert got["beijing"] == pytest.approx((3 * 0.2 + 0.6) / 4)
    assert pos["used"].iloc[0] == "un_votes;trade"


def test_a_country_with_no_data_for_a_pole_is_drawn_without_it_and_says_so():
    rows = [
        ("TKM", 2018, "un_votes", "moscow", 70.0),
        ("TKM", 2018, "un_votes", "west", 30.0),
        ("TKM", 2018, "ties", "moscow", 20.0),
        ("TKM", 2018, "ties", "west", 20.0),
        ("TKM", 2018, "un_votes", "ankara", 50.0),  # not a corner: ignored by the position
    ]
    pulls = constructed(rows)
    pos = sp.positions(pulls, W1)
    assert set(pos["pole"]) == {"moscow", "west"}
    assert pos["value"].sum() == pytest.approx(1.0)
    assert (pos["missing_poles"] == "beijing").all()
    poles, measures = load_poles()
    wide = poles_charts.position_table(pulls, W1)
    fig = poles_charts.triangle_figure(wide, pulls, 2018, poles, measures)
    point = fig.data[-1]
    assert point.c[0] == 0.0 and point.a[0] + point.b[0] == pytest.approx(1.0)
    assert "no data for Beijing: drawn on the Moscow–the West edge" in point.hovertext[0]
    assert point.marker.symbol[0] == "circle-open"


def test_a_measure_missing_one_pole_is_left_out_not_read_as_zero():
    rows = [
        ("GEO", 2015, "un_votes", "moscow", 50.0),
        ("GEO", 2015, "un_votes", "west", 50.0),
        ("GEO", 2015, "un_votes", "beijing", 50.0),
        ("GEO", 2015, "trade", "moscow", 90.0),  # trade lacks the West and Beijing
    ]
    pos = sp.positions(constructed(rows), W1)
    assert pos.set_index("pole")["value"].to_dict() == pytest.approx({"moscow": 1 / 3, "west": 1 / 3, "beijing": 1 / 3})
    assert (pos["dropped"] == "trade").all() and (pos["used"] == "un_votes").all()


def test_positions_sum_to_one_on_the_shipped_data_at_any_weights(shipped_pulls):
    rng = np.random.default_rng(7)
    for w in [W1, *({k: float(x) for k, x in zip(W1, rng.uniform(0, 5, 4), strict=True)} for _ in range(3))]:
        pos = sp.positions(shipped_pulls.pulls, w)
        sums = pos.groupby(["iso3", "year"])["value"].sum()
        assert np.allclose(sums, 1.0)
        assert pos["value"].between(0, 1).all()
        assert set(pos["iso3"]) == set(PANEL_COUNTRIES)


def test_check_weights_refuses_bad_input(shipped_pulls):
    for bad, msg in [
        ({"nope": 1}, "unknown measure"),
        ({"trade": -1}, ">= 0"),
        ({"trade": "x"}, ">= 0"),
        ({"trade": float("nan")}, ">= 0"),
        (dict.fromkeys(W1, 0), "all measure weights are zero"),
    ]:
        with pytest.raises(sp.PullsError, match=msg):
            shipped_pulls.check_weights(bad)


# ---------------------------------------------------------------- CLI
def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = sp.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_measures_and_positions(capsys, shipped_pulls):
    code, out, err = run_cli(capsys, "--year", "2019")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "iso3,country,year,measure,pole,value"
    df = pd.read_csv(pd.io.common.StringIO(out))
    assert set(df["measure"]) == {"un_votes", "trade", "arms", "ties", "position"}
    assert (df["year"] == 2019).all()
    pos = df[df.measure == "position"]
    assert len(pos.groupby("iso3")) == 14 and np.allclose(pos.groupby("iso3")["value"].sum(), 1.0, atol=2e-4)
    assert set(pos["pole"]) == {"moscow", "west", "beijing"}
    assert out == sp.pulls_csv(sp.pulls_table(shipped_pulls, shipped_pulls.default_weights(), (2019,)))


def test_cli_weights_move_the_positions(capsys, tmp_path):
    _, base, _ = run_cli(capsys, "--year", "2019")
    _, votes_only, _ = run_cli(capsys, "--year", "2019", "--weights", "trade:0,arms:0,ties:0")
    f = tmp_path / "w.json"
    f.write_text(json.dumps({"trade": 0, "arms": 0, "ties": 0}))
    out_file = tmp_path / "o.csv"
    assert run_cli(capsys, "--year", "2019", "--weights", str(f), "--out", str(out_file))[0] == 0
    assert out_file.read_text() == votes_only != base


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--year", "1990"], "not in the pulls table"),
        (["--weights", "bogus:1"], "unknown measure 'bogus'"),
        (["--weights", "trade:-2"], ">= 0"),
        (["--weights", "trade:x"], ">= 0"),
        (["--weights", "un_votes:0,trade:0,arms:0,ties:0"], "all measure weights are zero"),
        (["--weights", "missing.json"], "cannot read --weights file"),
        (["--year", "2019", "--all-years"], "either --year or --all-years"),
        (["--out", "/no/such/folder/x.csv"], "does not exist"),
        (["--frobnicate"], "unrecognized arguments"),
    ],
)
def test_cli_refuses_bad_input_with_exit_2_and_one_line(capsys, args, fragment):
    code, out, err = run_cli(capsys, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and fragment in err


def test_cli_default_year_has_more_than_half_the_weight_for_every_state(capsys, shipped_pulls):
    y = shipped_pulls.default_year()
    pos = sp.positions(shipped_pulls.pulls, W1).drop_duplicates(["iso3", "year"])
    now = pos[pos.year == y]
    assert len(now) == 14 and (now["used"].str.count(";") >= 2).all()  # at least 3 of the 4 equal weights
    assert y == max(shipped_pulls.years)  # 2025: UN votes, ties and the bilateral arms table reach it


# ---------------------------------------------------------------- URL
def test_pole_weights_travel_in_the_url():
    import indicators
    import scoring

    panel, catalog, _ = indicators.shipped()
    model = scoring.Model.from_panel(panel, catalog)
    page = PageConfig.build(catalog, model, (), {"un_votes": 1.0, "trade": 1.0, "arms": 1.0, "ties": 1.0})
    s = page.parse({"view": "poles", "pm": "trade:0,ties:2.5"})
    assert s.view == "poles" and not s.notices
    assert s.pole_weights == {"un_votes": 1.0, "trade": 0.0, "arms": 1.0, "ties": 2.5}
    q = page.encode(s)
    assert q["pm"] == "trade:0,ties:2.5" and q["view"] == "poles"
    bad = page.parse({"pm": "trade:abc,moon:1"})
    assert bad.pole_weights == page.defaults.pole_weights and len(bad.notices) == 2


def test_data_dir_has_the_poles_tables_in_the_manifest():
    man = (Path(DATA_DIR) / "MANIFEST.sha256").read_text()
    assert "  poles.json" in man and "  pulls.csv" in man
