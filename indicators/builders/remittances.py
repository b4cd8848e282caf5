"""Remittances from Russia as % of GDP.

value(t) = WDI personal remittances received, % of GDP (BX.TRF.PWKR.DT.GD.ZS, vintage 2022-05-25)
           x Russia's share of the country's remittance inflows in the World Bank bilateral
           remittance matrix 2018.

The matrix is a single year, so Russia's share is held at its 2018 level for 2013-2020.
Uzbekistan's matrix share (100%) is an artefact of the World Bank's estimation; it is replaced
by the Central Bank of Uzbekistan's reported share for the first half of 2018 (77%), kept with
its citation in ``indicators/hand/remittances_russia_share.csv``. Turkmenistan has no matrix
data (all zeros) and stays missing.

From 2021 the WDI vintage has no data; cited figures in ``indicators/hand/remittances_extra.csv``
take over (:func:`build_recent`): one World Bank remittances-%-of-GDP figure per country-year,
times Russia's share for that year where a figure is cited, else the latest earlier share held.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from indicators.builders.common import (
    BuilderOutput,
    compiled_source,
    country_iso3,
    partial_months,
    partial_ok,
    rule_for,
    sourced_status,
    url_source_id,
)
from indicators.countries import PANEL_COUNTRIES, YEARS, iso3_from_name
from indicators.schema import Indicator, Source

BUILD_DATE = dt.date(2026, 11, 23)
WDI_CODE = "BX.TRF.PWKR.DT.GD.ZS"
MATRIX_YEAR = 2018
#: WDI vintage 2022-05 ends in 2020 for this series (2021 empty).
REMIT_YEARS: tuple[int, ...] = tuple(range(2013, 2021))
RUSSIA_ROW = "Russian Federation"
HAND_FILE = Path(__file__).resolve().parent.parent / "hand" / "remittances_russia_share.csv"
EXTRA_FILE = HAND_FILE.with_name("remittances_extra.csv")
#: Years after the WDI vintage, filled from EXTRA_FILE only.
RECENT_YEARS: tuple[int, ...] = tuple(y for y in YEARS if y > REMIT_YEARS[-1])
#: Partial years (and gap filling, none for this indicator): the shared rules, parameters in indicators/hand/rules.csv.
RULE = rule_for("remittances_russia_gdp")
#: A partial-year share of Russia is used for its year (flagged) only if it covers this many months.
MIN_SHARE_MONTHS = RULE.min_partial_months
#: Shares are never held from before this year into it or later: the full-scale invasion of Ukraine
#: (February 2022) and the sanctions after it cut and rerouted remittance corridors.
SHARE_BREAK_YEAR = 2022
#: Measures of EXTRA_FILE: % of GDP, Russia's share, the two US$ amounts a share can be computed from,
#: and remittances from Russia as % of GDP where a source states that figure itself.
EXTRA_MEASURES = (
    "remittances_pct_gdp",
    "share_from_russia_pct",
    "from_russia_usd",
    "total_remittances_usd",
    "from_russia_pct_gdp",
)

SRC_WDI = "wdi-2022-05-bx-trf-pwkr"
SRC_MATRIX = "wb-bilateral-remittance-matrix-2018"

SOURCES: dict[str, Source] = {
    SRC_WDI: Source(
        source_id=SRC_WDI,
        producer="World Bank",
        title=(
            "World Development Indicators: Personal remittances, received (% of GDP), BX.TRF.PWKR.DT.GD.ZS "
            "(Last Updated 2022-05-25; via DSKUS-Foreign-Aid/Foreign_Aid commit 52256ad)"
        ),
        url="https://data.worldbank.org/indicator/BX.TRF.PWKR.DT.GD.ZS",
        figure_year="2013-2020",
        accessed=BUILD_DATE,
        licence="CC BY 4.0",
        quote="Personal remittances, received (% of GDP)",
    ),
    SRC_MATRIX: Source(
        source_id=SRC_MATRIX,
        producer="World Bank / KNOMAD",
        title=(
            "Bilateral Remittance Matrix 2018 (updated October 2019), US$ millions, estimates "
            "(Excel Bilateralremittancematrix2018Oct2019.xlsx as CSV in hannahkates/global-remittances, commit ea902e1)"
        ),
        url="https://github.com/hannahkates/global-remittances",
        figure_year="2018",
        accessed=BUILD_DATE,
        licence="CC BY 4.0 (World Bank open data terms)",
        quote="Rows are remittance-sending countries, columns remittance-receiving countries; modelled estimates.",
    ),
}

INDICATOR = Indicator(
    id="remittances_russia_gdp",
    name="Remittances from Russia",
    pillar="economy",
    unit="% of GDP",
    direction=1,
    scale="percent",
    bounds=(0.0, 100.0),
    goalposts=None,
    definition=(
        "Personal remittances received from Russia as a share of GDP: WDI personal remittances received "
        "(% of GDP) x Russia's share of the country's remittance inflows in the World Bank bilateral "
        "remittance matrix 2018."
    ),
    coding_rule=(
        "Russia's share = matrix cell (sender Russian Federation, receiver country) / column total. The matrix "
        "exists for 2018 only: every year is 'estimated' (a WDI total times a modelled matrix share: two datasets), other years 2013-2020 with Russia's share held "
        "at its 2018 level. Turkmenistan: missing (matrix column all zeros = no data; WDI near 0). Uzbekistan: "
        "the matrix's 100% share is an artefact of the estimation, so the Central Bank of Uzbekistan's share for "
        "H1 2018 (77%, cited in indicators/hand/remittances_russia_share.csv) is used instead and every "
        "Uzbekistan value is 'estimated'. From 2021 (after the WDI vintage): the World Bank's remittances "
        "(% of GDP) for the year as cited in indicators/hand/remittances_extra.csv (one figure per country-year; "
        "where sources differ the hand table keeps the final WDI figure over an earlier brief's estimate and names "
        "the others in its note) x Russia's share of inflows for the same year where one is cited (central-bank "
        "money-transfer data, stated as a share or as the amount from Russia over the total on the same page; a "
        "partial year of at least 5 months is used when no full-year figure exists), "
        "otherwise the latest earlier share (cited, or the 2018 matrix) held. All such values are 'estimated' "
        "(two sources of different scope combined); a year without a cited remittances figure stays missing. A "
        "source that states remittances from Russia as a share of GDP itself is used as stated instead. No "
        "share from before 2022 is held into 2022 or later: the invasion of Ukraine and the sanctions after it cut "
        "and rerouted remittance corridors (e.g. Georgia: Russia 47% of transfers in 2022, 20% in Jan-May 2024)."
    ),
    years_note=(
        "2013-2020: WDI 2022-05 remittances (% GDP); Russia's share from the 2018 matrix for all years "
        "(estimated; held constant outside 2018). 2021 onwards: cited World Bank figures and central-bank "
        "shares (indicators/hand/remittances_extra.csv), where found; see the coverage table for gaps."
    ),
    source_ids=(SRC_WDI, SRC_MATRIX),
)


def read_wdi_remittances(raw: Path) -> pd.DataFrame:
    """WDI remittances % GDP, long: iso3, year, value (empty cells dropped)."""
    w = pd.read_csv(raw / "wdi_2022_05" / "wdi_15countries_wide.csv", dtype=str, keep_default_na=False)
    w = w[w["Indicator Code"] == WDI_CODE]
    if w.empty:
        raise ValueError(f"wdi_2022_05: series {WDI_CODE} not found")
    years = [c for c in w.columns if c.isdigit()]
    long = w.melt(id_vars=["Country Code"], value_vars=years, var_name="year", value_name="value")
    long = long[long["value"].str.strip() != ""]
    long = long.rename(columns={"Country Code": "iso3"})
    long["year"] = long["year"].astype(int)
    long["value"] = long["value"].astype(float)
    return long[["iso3", "year", "value"]].sort_values(["iso3", "year"]).reset_index(drop=True)


def russia_shares(raw: Path) -> pd.DataFrame:
    """Russia's share (0-1) of each receiving country's 2018 inflows: iso3, from_russia, total, share.

    share is NaN where the column total is 0 (no data, e.g. Turkmenistan).
    """
    m = pd.read_csv(raw / "wb_bilateral_remittances_2018" / "matrix_columns_receivers15_all_senders.csv", index_col=0)
    if RUSSIA_ROW not in m.index:
        raise ValueError(f"bilateral matrix: no sending row {RUSSIA_ROW!r}")
    total = m.sum(axis=0)
    ru = m.loc[RUSSIA_ROW]
    df = pd.DataFrame({"receiver": m.columns, "from_russia": ru.values, "total": total.values})
    df["iso3"] = df["receiver"].map(iso3_from_name)
    if df["iso3"].isna().any():
        raise ValueError(f"bilateral matrix: unknown receiver names {df.loc[df['iso3'].isna(), 'receiver'].tolist()}")
    df["share"] = (df["from_russia"] / df["total"]).where(df["total"] > 0)
    return df[["iso3", "from_russia", "total", "share"]]


def read_share_overrides(path: Path = HAND_FILE) -> pd.DataFrame:
    """Hand-compiled replacement shares (iso3, share 0-1, period, source fields)."""
    h = pd.read_csv(path, dtype=str, keep_default_na=False)
    need = {"iso3", "value", "period", "source_title", "source_url", "quote", "accessed"}
    if not need <= set(h.columns):
        raise ValueError(f"{path.name}: missing columns {sorted(need - set(h.columns))}")
    h["share"] = h["value"].astype(float) / 100.0
    if ((h["share"] < 0) | (h["share"] > 1)).any():
        raise ValueError(f"{path.name}: shares must be between 0 and 100")
    return h


def override_source(row: pd.Series) -> Source:
    url = row["source_url"].strip()
    return Source(
        source_id=url_source_id("remit", url, row["quote"]),
        producer="Central Bank of Uzbekistan (as reported by DNA News)",
        title=row["source_title"],
        url=url,
        figure_year=row["period"],
        accessed=dt.date.fromisoformat(row["accessed"]),
        licence="quoted for citation; see the page",
        quote=row["quote"],
    )


def read_extra(path: Path = EXTRA_FILE) -> pd.DataFrame:
    """Cited recent rows: iso3, year, measure (one of :data:`EXTRA_MEASURES`), num,
    months (12 unless the note says PARTIAL YEAR, see :func:`partial_months`), and the row's Source."""
    h = pd.read_csv(path, dtype=str, keep_default_na=False)
    need = {"country", "year", "measure", "value", "source_title", "source_url", "quote", "notes", "accessed"}
    if not need <= set(h.columns):
        raise ValueError(f"{path.name}: missing columns {sorted(need - set(h.columns))}")
    bad = set(h["measure"]) - set(EXTRA_MEASURES)
    if bad:
        raise ValueError(f"{path.name}: unknown measures {sorted(bad)}")
    h["iso3"] = h["country"].map(country_iso3)
    h["year"] = h["year"].astype(int)
    h["num"] = h["value"].astype(float)
    h["months"] = [12 if (m := partial_months(n)) is None else m for n in h["notes"]]
    h["source"] = [
        compiled_source(r, "remit-hand", r["year"]).model_copy(
            update={"accessed": dt.date.fromisoformat(r["accessed"])}
        )
        for _, r in h.iterrows()
    ]
    dup = h[h["months"] == 12].duplicated(["iso3", "year", "measure"], keep=False)
    if dup.any():
        raise ValueError(
            f"{path.name}: more than one full-year figure for {h.loc[dup[dup].index, ['iso3', 'year', 'measure']].values.tolist()}"
        )
    return h


#: (text in a hand row's notes, tag shown in the value's note)
_TAGS = (
    ("approximate", "approximate"),
    ("lower bound", "lower bound"),
    ("YEAR INFERRED", "year inferred"),
    ("Russian-side", "Russian-side"),
)


def _tags(notes: str) -> str:
    """Qualifiers of a hand row, for the value's note: ', approximate, lower bound' or ''."""
    return "".join(f", {tag}" for key, tag in _TAGS if key in notes)


def share_for_year(shares: list[tuple[int, int, float, str, tuple[str, ...]]], year: int):
    """Russia's share (0-1) for ``year`` from (year, months, share, label, source ids) entries.

    Same-year entries win: a full year over the longest partial year of at least
    :data:`MIN_SHARE_MONTHS` months. Otherwise the latest earlier full-year entry is held, but
    never from before :data:`SHARE_BREAK_YEAR` into it or later (then there is no share).
    Returns (share, label, source ids, held_from) or None; held_from is None for a same-year share.
    """
    same = [e for e in shares if e[0] == year and partial_ok(None if e[1] == 12 else e[1], RULE)]
    if same:
        _, _, share, label, ids = max(same, key=lambda e: e[1])
        return share, label, ids, None
    earlier = [
        e for e in shares if e[0] < year and e[1] == 12 and (year < SHARE_BREAK_YEAR or e[0] >= SHARE_BREAK_YEAR)
    ]
    if not earlier:
        return None
    y, _, share, label, ids = max(earlier, key=lambda e: e[0])
    return share, label, ids, y


def cited_shares(rows: pd.DataFrame) -> list[tuple[int, int, float, str, tuple[str, ...]]]:
    """Russia's shares (year, months, share 0-1, label, source ids) from one country's extra rows.

    A ``share_from_russia_pct`` row gives one directly. A ``from_russia_usd`` row over a
    ``total_remittances_usd`` row gives another, but only when both come from the same page
    (same URL), year and period, so that the two amounts share one statistical concept.
    Where two entries tie for a year in :func:`share_for_year`, the first wins: direct shares
    come first, then computed ones, each in the hand table's order.
    """
    out = []
    for r in rows[rows["measure"] == "share_from_russia_pct"].itertuples():
        out.append(
            (r.year, r.months, r.num / 100.0, f"{r.num:g}% ({_when(r)}; {r.source_title})", (r.source.source_id,))
        )
    ru = rows[rows["measure"] == "from_russia_usd"]
    tot = rows[rows["measure"] == "total_remittances_usd"]
    for r, t in ((r, t) for r in ru.itertuples() for t in tot.itertuples()):
        if (r.source_url, r.year, r.months) == (t.source_url, t.year, t.months) and t.num > 0:
            label = (
                f"{100 * r.num / t.num:.1f}% = {r.num / 1e9:g} of {t.num / 1e9:g} bn US$ ({_when(r)}; {r.source_title})"
            )
            ids = tuple(sorted({r.source.source_id, t.source.source_id}))
            out.append((r.year, r.months, r.num / t.num, label, ids))
    return out


def _when(r) -> str:
    """'2023', or '2024, 6 months', plus the row's qualifiers."""
    return f"{r.year}{'' if r.months == 12 else f', {r.months} months'}{_tags(r.notes)}"


def build_recent(out: BuilderOutput, base_shares: dict[str, tuple[float, str, tuple[str, ...]]]) -> None:
    """Add 2021+ values from :data:`EXTRA_FILE` to ``out`` (see the coding rule).

    ``base_shares``: iso3 -> (2018 share, label, source ids), the share used for 2013-2020.
    """
    extra = read_extra()
    used: set[str] = set()
    for iso3 in sorted(PANEL_COUNTRIES):
        rows = extra[extra["iso3"] == iso3]
        shares = [(2018, 12, *base_shares[iso3])] if iso3 in base_shares else []
        shares += cited_shares(rows)
        full = rows[(rows["months"] == 12) & rows["year"].isin(RECENT_YEARS)]
        direct = full[full["measure"] == "from_russia_pct_gdp"].set_index("year")
        for r in direct.itertuples():
            note = f"remittances from Russia {r.num:g}% of GDP, stated directly ({r.Index}{_tags(r.notes)}; {r.source_title})"
            out.add(iso3, r.Index, INDICATOR.id, r.num, sourced_status({"cross_source"}), (r.source.source_id,), note)
            used.add(r.source.source_id)
        pct = full[(full["measure"] == "remittances_pct_gdp") & ~full["year"].isin(direct.index)]
        for r in pct.itertuples():
            got = share_for_year(shares, r.year)
            if got is None:
                continue
            share, label, ids, held_from = got
            held = "" if held_from is None else f", held from {held_from}"
            note = f"remittances {r.num:g}% of GDP ({_when(r)}; {r.source_title}) x Russia's share {label}{held}"
            out.add(
                iso3,
                r.year,
                INDICATOR.id,
                r.num * share,
                sourced_status({"cross_source"}),
                (r.source.source_id, *ids),
                note,
            )
            used |= {r.source.source_id, *ids}
    extra["sid"] = [src.source_id for src in extra["source"]]
    for _sid, g in extra[extra["sid"].isin(used)].groupby("sid", sort=True):
        lo, hi = g["year"].min(), g["year"].max()
        out.sources.append(
            g["source"].iloc[0].model_copy(update={"figure_year": str(lo) if lo == hi else f"{lo}-{hi}"})
        )


def build(raw: Path) -> BuilderOutput:
    """Build ``remittances_russia_gdp``: 2013-2020 from WDI x the 2018 matrix, then cited figures."""
    raw = Path(raw)
    wdi = read_wdi_remittances(raw)
    shares = russia_shares(raw).set_index("iso3")
    overrides = read_share_overrides().set_index("iso3")
    out = BuilderOutput(indicators=[INDICATOR], sources=list(SOURCES.values()))
    base_shares: dict[str, tuple[float, str, tuple[str, ...]]] = {}
    for iso3 in sorted(PANEL_COUNTRIES):
        if iso3 in overrides.index:
            o = overrides.loc[iso3]
            src = override_source(o)
            out.sources.append(src)
            share, share_ids = float(o["share"]), [SRC_WDI, SRC_MATRIX, src.source_id]
            m = shares.loc[iso3]
            share_note = (
                f"Russia's share {100 * share:.0f}% (Central Bank of Uzbekistan, {o['period']}) replaces the matrix's "
                f"{100 * m['share']:.0f}% (artefact of the World Bank estimation)"
            )
            observed_year = None
        else:
            m = shares.loc[iso3]
            if pd.isna(m["share"]):
                continue  # no bilateral data (Turkmenistan): missing
            share, share_ids = float(m["share"]), [SRC_WDI, SRC_MATRIX]
            share_note = (
                f"Russia's share {100 * share:.1f}% = {m['from_russia']:.0f} of {m['total']:.0f} US$ m (2018 matrix)"
            )
            observed_year = MATRIX_YEAR
        base_shares[iso3] = (share, share_note.removeprefix("Russia's share "), tuple(share_ids[1:]))
        w = wdi[(wdi["iso3"] == iso3) & wdi["year"].isin(REMIT_YEARS)]
        for r in w.itertuples():
            # WDI total x a modelled matrix share: two datasets, one modelled -> estimated in every year
            reasons = {"cross_source", "modelled"} | (set() if r.year == observed_year else {"held"})
            status = sourced_status(reasons)
            held = "" if r.year == MATRIX_YEAR else "; share held at its 2018 level"
            note = f"remittances {r.value:.2f}% of GDP x {share_note}{held}"
            out.add(iso3, r.year, INDICATOR.id, r.value * share, status, share_ids, note)
    build_recent(out, base_shares)
    return out
