"""Remittances from Russia as % of GDP (``remittances_russia_gdp``).

value(country, year) = remittances received, % of GDP  x  Russia's share of the country's remittance inflows.

Each of the two components has its own precedence list (bulk official data first, cited page figures last);
the first available candidate is kept and every other one is named in the value's note, marked ``disagree:``
when the value it would give differs by more than :data:`DISAGREE_POINTS` points.

* **% of GDP** (:data:`PCT_PRECEDENCE`): (1) WDI ``BX.TRF.PWKR.DT.GD.ZS``, vintage 2022-05 (2013-2020);
  (2) WDI as served on 2026-07-01: ``BX.TRF.PWKR.CD.DT`` / ``NY.GDP.MKTP.CD`` (2021-2024, every state but
  Turkmenistan; :func:`read_wdi26_pct`); (3) World Bank/KNOMAD inflows, Dec 2023 release, column "% of GDP in
  2023" (2023, itself an estimate); (4) a World Bank figure cited on a page (``indicators/hand/remittances_extra.csv``,
  full years only).
* **Russia's share** (:data:`SHARE_PRECEDENCE`), same-year candidates: (1) Central Bank of Armenia, money
  transfers of individuals by country, inflows 'of which non-commercial' (the closer proxy to remittances, see
  its PROVENANCE; 2013-2024), then CBA total inflows as a cross-check; (2) the World Bank/KNOMAD bilateral
  matrices (2018 and 2021; modelled estimates); Uzbekistan and Turkmenistan are left out of both -- their
  100% shares are artefacts of the method (PROVENANCE) -- and Uzbekistan 2018 takes the Central Bank of
  Uzbekistan's H1 2018 share instead (``indicators/hand/remittances_russia_share.csv``); (3) cited central-bank
  shares (``remittances_extra.csv``: a share, or the amount from Russia over the total on the same page; a
  partial year only if ``common.partial_ok``). With no same-year share, the nearest share in the same period
  is held (:func:`share_for_year`): the latest earlier one, else the earliest later one; never across
  :data:`SHARE_BREAK_YEAR`.

A source that states remittances from Russia as % of GDP itself is used as stated where no computed value exists.
Status: every value is ``estimated`` (``common.sourced_status``: two datasets combined, ``cross_source``; plus
``modelled`` for a matrix share or KNOMAD's 2023 estimate, ``held`` for a share from another year). No value is
interpolated or carried (``indicators/hand/rules.csv``: 0 and 0): a year without a % of GDP figure stays missing.
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
from indicators.structure import indicator_fields

BUILD_DATE = dt.date(2026, 11, 23)
#: Date the 2026-12-01 bulk extracts were read.
BULK_ACCESSED = dt.date(2026, 12, 1)
WDI_CODE = "BX.TRF.PWKR.DT.GD.ZS"
MATRIX_YEAR = 2018
MATRIX21_YEAR = 2021
KNOMAD_PCT_YEAR = 2023
#: WDI vintage 2022-05 ends in 2020 for this series (2021 empty).
REMIT_YEARS: tuple[int, ...] = tuple(range(2013, 2021))
RUSSIA_ROW = "Russian Federation"
HAND_FILE = Path(__file__).resolve().parent.parent / "hand" / "remittances_russia_share.csv"
EXTRA_FILE = HAND_FILE.with_name("remittances_extra.csv")
#: Years after the WDI vintage.
RECENT_YEARS: tuple[int, ...] = tuple(y for y in YEARS if y > REMIT_YEARS[-1])
#: Partial years (and gap filling, none for this indicator): the shared rules, parameters in indicators/hand/rules.csv.
RULE = rule_for("remittances_russia_gdp")
#: A partial-year share of Russia is used for its year (flagged) only if it covers this many months.
MIN_SHARE_MONTHS = RULE.min_partial_months
#: Shares are never held across this year: the full-scale invasion of Ukraine (February 2022) and the
#: sanctions after it cut and rerouted remittance corridors.
SHARE_BREAK_YEAR = 2022
#: Two candidates for one value differing by more than this many points are marked ``disagree:``.
DISAGREE_POINTS = 3.0
#: Countries whose matrix share (2018 and 2021) is an artefact of the World Bank method (100% from Russia).
MATRIX_ARTEFACTS = frozenset({"UZB", "TKM"})
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
SRC_MATRIX21 = "knomad-bilateral-remittance-matrix-2021"
SRC_INFLOWS23 = "knomad-remittance-inflows-2023-12"
SRC_CBA = "cba-money-transfers-by-country"
SRC_WDI26 = "wdi-2026-07-bx-trf-pwkr-cd"
#: WDI series (current US$) whose ratio gives remittances as % of GDP after the 2022-05 vintage.
WDI26_REMIT, WDI26_GDP = "BX.TRF.PWKR.CD.DT", "NY.GDP.MKTP.CD"

#: Component datasets in order of precedence (first = preferred); keys used in the candidates below.
PCT_PRECEDENCE: tuple[str, ...] = ("wdi", "wdi_2026", "knomad_inflows", "cited")
SHARE_PRECEDENCE: tuple[str, ...] = ("cba_noncommercial", "cba_total", "matrix", "cited_override", "cited")

SOURCES: dict[str, Source] = {
    SRC_WDI: Source(
        source_id=SRC_WDI,
        producer="World Bank",
        title=(
            "World Development Indicators: Personal remittances, received (% of GDP), BX.TRF.PWKR.DT.GD.ZS "
            "(Last Updated 2022-05-25; via DSKUS-Foreign-Aid/Foreign_Aid commit 52256ad)"
        ),
        url="https://data.worldbank.org/indicator/BX.TRF.PWKR.DT.GD.ZS",
        archive_url="https://github.com/DSKUS-Foreign-Aid/Foreign_Aid/tree/52256ad",
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
        url="https://www.knomad.org/data/remittances",
        archive_url="https://github.com/hannahkates/global-remittances/tree/ea902e1",
        figure_year="2018",
        accessed=BUILD_DATE,
        licence="CC BY 4.0 (World Bank open data terms)",
        quote="Rows are remittance-sending countries, columns remittance-receiving countries; modelled estimates.",
    ),
    SRC_MATRIX21: Source(
        source_id=SRC_MATRIX21,
        producer="World Bank / KNOMAD",
        title=(
            "Bilateral Remittance Estimates for 2021 using Migrant Stocks, Host Country Incomes, and Origin Country "
            "Incomes (millions of US$) (December 2022 Version), sheet 'FINAL BRM 2021' (via raulincadet/Macro, "
            "commit 65b2aa9)"
        ),
        url="https://www.knomad.org/sites/default/files/2022-12/bilateral_remittance_matrix_2021_0.xlsx",
        archive_url="https://github.com/raulincadet/Macro/tree/65b2aa9",
        figure_year="2021",
        accessed=BULK_ACCESSED,
        licence="CC BY 4.0 (World Bank open data terms)",
        quote="KNOMAD/World Bank Bilateral Remittance Matrix 2021, December 2022.",
    ),
    SRC_INFLOWS23: Source(
        source_id=SRC_INFLOWS23,
        producer="World Bank / KNOMAD",
        title=(
            "Remittance inflows (US$ million), December 2023 (inward_remittance_flows_december_2023_1.xlsx, "
            "Migration and Development Brief 39 data; column '% of GDP in 2023'; via raulincadet/Macro, commit 65b2aa9)"
        ),
        url="https://www.knomad.org/data/remittances",
        archive_url="https://github.com/raulincadet/Macro/tree/65b2aa9",
        figure_year="2023",
        accessed=BULK_ACCESSED,
        licence="CC BY 4.0 (World Bank open data terms)",
        quote="% of GDP in 2023",
    ),
    SRC_WDI26: Source(
        source_id=SRC_WDI26,
        producer="World Bank",
        title=(
            "World Development Indicators: Personal remittances, received (current US$), BX.TRF.PWKR.CD.DT, and "
            "GDP (current US$), NY.GDP.MKTP.CD, as served on 2026-07-01 (datasets/world-development-indicators, "
            "commit 4ebec5a); % of GDP = the first over the second"
        ),
        url="https://data.worldbank.org/indicator/BX.TRF.PWKR.CD.DT",
        archive_url="https://github.com/datasets/world-development-indicators/tree/4ebec5a",
        figure_year="2021-2024",
        accessed=dt.date(2026, 12, 7),
        licence="CC BY 4.0",
        quote="Personal remittances, received (current US$)",
    ),
    SRC_CBA: Source(
        source_id=SRC_CBA,
        producer="Central Bank of Armenia",
        title=(
            "Total money transfers of individuals sent to and received from abroad through commercial banks of RA, "
            "by countries, annual in USD (5_Money_transfers_of_individuals_by_countries-eng.xlsx; via "
            "tavad/tvyal_newsletter, commit 21cee1a)"
        ),
        url="https://www.cba.am/stat/stat_data_eng/5_Money_transfers_of_individuals_by_countries-eng.xlsx",
        archive_url="https://github.com/tavad/tvyal_newsletter/tree/21cee1a",
        figure_year="2013-2024",
        accessed=BULK_ACCESSED,
        licence="official statistics; cite the Central Bank of Armenia",
        quote="Money transfers of individuals by countries",
    ),
}

INDICATOR = Indicator(
    id="remittances_russia_gdp",
    **indicator_fields("remittances_russia_gdp"),
    unit="% of GDP",
    scale="percent",
    bounds=(0.0, 100.0),
    goalposts=None,
    definition=(
        "Personal remittances received from Russia as a share of GDP: remittances received (% of GDP, World Bank) "
        "x Russia's share of the country's remittance inflows (central-bank transfer data where available, else "
        "the World Bank/KNOMAD bilateral remittance matrices)."
    ),
    coding_rule=(
        "PRECEDENCE, per country-year and component (bulk official data first, cited page figures last). % of GDP: "
        "(1) WDI BX.TRF.PWKR.DT.GD.ZS, vintage 2022-05 (2013-2020); (2) WDI as served on 2026-07-01, personal "
        "remittances received (BX.TRF.PWKR.CD.DT) / GDP (NY.GDP.MKTP.CD), both current US$ (2021-2024); (3) World "
        "Bank/KNOMAD inflows, Dec 2023, '% of GDP in 2023' (2023, an estimate); (4) a World Bank figure cited on a page (indicators/hand/"
        "remittances_extra.csv; where pages differ the hand table keeps the final WDI figure and names the others). "
        "Russia's share of inflows, same year: (1) Central Bank of Armenia transfers by country, inflows 'of which "
        "non-commercial' from Russia / all such inflows (Armenia 2013-2024; CBA total inflows as a cross-check); "
        "(2) World Bank/KNOMAD bilateral matrices 2018 and 2021 (cell Russia / column total; modelled); "
        "Uzbekistan and Turkmenistan excluded (their 100% shares are artefacts of the method; Turkmenistan 2018 "
        "has no data), Uzbekistan 2018 uses the Central Bank of Uzbekistan's H1 2018 share (77%, cited); (3) "
        "central-bank shares cited on pages (a share, or the amount from Russia over the total on the same page; "
        "a partial year of at least 5 months when no full year exists). With no same-year share, the nearest share "
        "in the same period is held (latest earlier, else earliest later); no share is held across 2022 (the "
        "invasion of Ukraine and the sanctions cut and rerouted corridors). The first candidate is kept; the note "
        "names every other, marked 'disagree:' when the value it gives differs by more than 3 points. A source "
        "stating remittances from Russia as % of GDP itself is used where no computed value exists. Status: every "
        "value is 'estimated' (one status policy for all builders: a total from one dataset times a share from "
        "another, 'cross_source'; also 'modelled' for a matrix share, 'held' for a share from another year). No "
        "value is interpolated or carried: a year without a % of GDP figure stays missing."
    ),
    years_note=(
        "2013-2020: WDI 2022-05 (% GDP) x Russia's share (Armenia: CBA each year; others: the 2018 matrix, held "
        "for 2013-2017 and 2019-2020; the 2021 matrix for 2021). 2021-2024: WDI 2026-07 (remittances / GDP, every "
        "state but Turkmenistan) x a share of Russia from the same period: the 2021 matrix (2021), CBA (Armenia), "
        "central-bank shares cited on pages (2022 or later, held within 2022-2024 where a year has none). "
        "2025: no remittances figure yet. Turkmenistan: missing in every year."
    ),
    source_ids=(SRC_WDI, SRC_WDI26, SRC_MATRIX, SRC_MATRIX21, SRC_INFLOWS23, SRC_CBA),
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


def russia_shares(raw: Path, edition: int = MATRIX_YEAR) -> pd.DataFrame:
    """Russia's share (0-1) of each receiving country's inflows in a bilateral matrix: iso3, from_russia, total, share.

    ``edition`` 2018 (World Bank, no total row: the column sum is the total) or 2021 (KNOMAD, ``WORLD`` row).
    share is NaN where the total is 0 (no data, e.g. Turkmenistan 2018).
    """
    if edition == MATRIX_YEAR:
        m = pd.read_csv(
            raw / "wb_bilateral_remittances_2018" / "matrix_columns_receivers15_all_senders.csv", index_col=0
        )
    else:
        m = pd.read_csv(
            raw / "knomad_bilateral_remittances_2021" / "brm2021_columns_receivers15_all_senders.csv", index_col=0
        )
    if RUSSIA_ROW not in m.index:
        raise ValueError(f"bilateral matrix {edition}: no sending row {RUSSIA_ROW!r}")
    if "WORLD" in m.index:
        total = m.loc["WORLD"]
        m = m.drop(index="WORLD")
    else:
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


def _usable(entry, year: int) -> bool:
    return entry[0] == year and partial_ok(None if entry[1] == 12 else entry[1], RULE)


def same_year_shares(shares: list[tuple[int, int, float, str, tuple[str, ...]]], year: int) -> list:
    """The usable same-year entries, best first: full year before partial, longer partial before shorter,
    then the order given (the precedence order)."""
    same = [(i, e) for i, e in enumerate(shares) if _usable(e, year)]
    return [e for _, e in sorted(same, key=lambda t: (-t[1][1], t[0]))]


def share_for_year(shares: list[tuple[int, int, float, str, tuple[str, ...]]], year: int):
    """Russia's share (0-1) for ``year`` from (year, months, share, label, source ids) entries.

    Same-year entries win (:func:`same_year_shares`; a partial year only if ``common.partial_ok``). Otherwise a
    full-year entry of the same period is held: the latest earlier one, else the earliest later one, where the
    periods are before and from :data:`SHARE_BREAK_YEAR` (no share is held across it).
    Returns (share, label, source ids, held_from) or None; held_from is None for a same-year share.
    """
    same = same_year_shares(shares, year)
    if same:
        _, _, share, label, ids = same[0]
        return share, label, ids, None
    after = year >= SHARE_BREAK_YEAR
    period = [e for e in shares if e[1] == 12 and (e[0] >= SHARE_BREAK_YEAR) == after]
    earlier = [e for e in period if e[0] < year]
    later = [e for e in period if e[0] > year]
    if earlier:
        y, _, share, label, ids = max(earlier, key=lambda e: e[0])
    elif later:
        y, _, share, label, ids = min(later, key=lambda e: e[0])
    else:
        return None
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


def read_wdi26_pct(raw: Path, years=RECENT_YEARS) -> dict[tuple[str, int], tuple[float, float, float]]:
    """(iso3, year) -> (% of GDP, remittances US$, GDP US$) from the 2026-07 WDI refresh, for ``years`` (those after
    the 2022-05 vintage). The ratio is computed here from the two current-US$ series (the official ratio
    BX.TRF.PWKR.DT.GD.ZS is not in that extract; its PROVENANCE shows the two agree to rounding)."""
    w = pd.read_csv(raw / "wdi_2026_07" / "wdi_2026_07_15countries_long.csv", dtype=str, keep_default_na=False)
    w = w[w["indicator_code"].isin([WDI26_REMIT, WDI26_GDP]) & (w["value"].str.strip() != "")]
    w = w.assign(year=w["year"].astype(int), value=w["value"].astype(float))
    t = w[w["year"].isin(list(years))].pivot_table(index=["iso3", "year"], columns="indicator_code", values="value")
    t = t.dropna()
    t = t[t[WDI26_GDP] > 0]
    return {
        (iso3, int(y)): (100 * r[WDI26_REMIT] / r[WDI26_GDP], r[WDI26_REMIT], r[WDI26_GDP])
        for (iso3, y), r in t.iterrows()
    }


def read_knomad_pct_2023(raw: Path) -> dict[str, float]:
    """iso3 -> remittances as % of GDP in 2023 (KNOMAD Dec 2023, an estimate); empty cells dropped."""
    k = pd.read_csv(raw / "knomad_remittance_inflows_2023" / "inward_remittance_flows_dec2023_15countries.csv")
    col = "% of GDP in 2023"
    if col not in k.columns:
        raise ValueError(f"knomad_remittance_inflows_2023: column {col!r} not found")
    k = k.dropna(subset=[col])
    return {iso3_from_name(c): float(v) for c, v in zip(k["country"], k[col], strict=True)}


def read_cba_shares(raw: Path) -> dict[str, dict[int, tuple[float, float]]]:
    """Armenia's inflows from Russia and in total (thousand US$) per year, per CBA item:
    {"noncommercial": {year: (from Russia, total)}, "total": {...}}."""
    c = pd.read_csv(raw / "cba_armenia_transfers_by_country" / "cba_transfers_by_country_annual_USD_2013_2024_tidy.csv")
    c = c[c["direction"] == "Inflow"]
    out: dict[str, dict[int, tuple[float, float]]] = {}
    for key, typ in (("noncommercial", "of which non-commercial"), ("total", "total")):
        t = c[c["type"] == typ].pivot(index="year", columns="country", values="thousand_USD")
        out[key] = {
            int(y): (float(t.loc[y, RUSSIA_ROW]), float(t.loc[y, "Total"])) for y in t.index if t.loc[y, "Total"] > 0
        }
    return out


def _fmt_alt(label: str, value: float, kept: float) -> str:
    tag = "disagree:" if abs(value - kept) > DISAGREE_POINTS else "agrees:"
    return f"{tag} {label} gives {value:.2f}"


def build(raw: Path) -> BuilderOutput:
    """Build ``remittances_russia_gdp`` (see the module docstring for the precedence and status rules)."""
    raw = Path(raw)
    wdi = read_wdi_remittances(raw)
    m18 = russia_shares(raw, MATRIX_YEAR).set_index("iso3")
    m21 = russia_shares(raw, MATRIX21_YEAR).set_index("iso3")
    kn23 = read_knomad_pct_2023(raw)
    wdi26 = read_wdi26_pct(raw)
    cba = read_cba_shares(raw)
    overrides = read_share_overrides().set_index("iso3")
    extra = read_extra()
    out = BuilderOutput(indicators=[INDICATOR])
    used: set[str] = set()
    for iso3 in sorted(PANEL_COUNTRIES):
        rows = extra[extra["iso3"] == iso3]
        # --- Russia's share: entries (year, months, share, label, ids, reasons) in precedence order
        shares: list[tuple] = []
        reasons_of: dict[str, set[str]] = {}
        if iso3 == "ARM":
            for key, what in (("noncommercial", "non-commercial"), ("total", "all")):
                for y, (ru, tot) in sorted(cba[key].items()):
                    label = (
                        f"{100 * ru / tot:.1f}% = {ru / 1e3:,.1f} of {tot / 1e3:,.1f} US$ m ({what} transfers, CBA {y})"
                    )
                    shares.append((y, 12, ru / tot, label, (SRC_CBA,)))
                    reasons_of[label] = set()
        for year, m, sid in ((MATRIX_YEAR, m18, SRC_MATRIX), (MATRIX21_YEAR, m21, SRC_MATRIX21)):
            if iso3 in MATRIX_ARTEFACTS or iso3 not in m.index or pd.isna(m.loc[iso3, "share"]):
                continue
            r = m.loc[iso3]
            label = f"{100 * r['share']:.1f}% = {r['from_russia']:.0f} of {r['total']:.0f} US$ m ({year} matrix)"
            shares.append((year, 12, float(r["share"]), label, (sid,)))
            reasons_of[label] = {"modelled"}
        if iso3 in overrides.index:
            o = overrides.loc[iso3]
            src = override_source(o)
            out.sources.append(src)
            label = (
                f"{o['value']}% (Central Bank of Uzbekistan, {o['period']}; replaces the 2018 matrix's "
                f"{100 * m18.loc[iso3, 'share']:.0f}%, an artefact of the World Bank estimation)"
            )
            shares.append((MATRIX_YEAR, 12, float(o["share"]), label, (src.source_id,)))
            reasons_of[label] = {"partial_year"}
        for e in cited_shares(rows):
            shares.append(e)
            reasons_of[e[3]] = set()
        # --- % of GDP: candidates per year in precedence order (value, label, ids, reasons)
        pct: dict[int, list[tuple[float, str, tuple[str, ...], set[str]]]] = {}
        for r in wdi[wdi["iso3"] == iso3].itertuples():
            if r.year in REMIT_YEARS:
                pct.setdefault(r.year, []).append((r.value, f"{r.value:.2f}% of GDP (WDI 2022-05)", (SRC_WDI,), set()))
        for year in RECENT_YEARS:
            if (iso3, year) in wdi26:
                v, rem, gdp = wdi26[(iso3, year)]
                label = f"{v:.2f}% of GDP (WDI 2026-07: {rem / 1e9:.4g} bn remittances / {gdp / 1e9:.4g} bn US$ GDP)"
                pct.setdefault(year, []).append((v, label, (SRC_WDI26,), set()))
        if iso3 in kn23 and KNOMAD_PCT_YEAR in YEARS:
            v = kn23[iso3]
            pct.setdefault(KNOMAD_PCT_YEAR, []).append(
                (v, f"{v:.2f}% of GDP (KNOMAD Dec 2023, 2023e)", (SRC_INFLOWS23,), {"modelled"})
            )
        full = rows[rows["months"] == 12]
        for r in full[full["measure"] == "remittances_pct_gdp"].itertuples():
            pct.setdefault(r.year, []).append(
                (r.num, f"{r.num:g}% of GDP ({_when(r)}; {r.source_title})", (r.source.source_id,), set())
            )
        direct = {r.year: r for r in full[full["measure"] == "from_russia_pct_gdp"].itertuples()}
        for year in YEARS:
            got = share_for_year(shares, year) if year in pct else None
            if got is None:
                if year in direct:
                    r = direct[year]
                    note = f"remittances from Russia {r.num:g}% of GDP, stated directly ({r.year}{_tags(r.notes)}; {r.source_title})"
                    out.add(
                        iso3, year, INDICATOR.id, r.num, sourced_status({"cross_source"}), (r.source.source_id,), note
                    )
                    used.add(r.source.source_id)
                continue
            share, label, ids, held_from = got
            p_val, p_label, p_ids, p_reasons = pct[year][0]
            value = p_val * share
            reasons = {"cross_source"} | p_reasons | reasons_of.get(label, set()) | ({"held"} if held_from else set())
            held = "" if held_from is None else f", held from {held_from}"
            alts = [_fmt_alt(f"{q[1]} x the same share", q[0] * share, value) for q in pct[year][1:]]
            alts += [
                _fmt_alt(f"Russia's share {e[3]}", p_val * e[2], value) for e in same_year_shares(shares, year)[1:]
            ]
            if year in direct:
                r = direct[year]
                alts.append(_fmt_alt(f"a stated {r.num:g}% of GDP from Russia ({r.source_title})", r.num, value))
            note = f"remittances {p_label} x Russia's share {label}{held}"
            if alts:
                note += "; " + "; ".join(alts)
            out.add(iso3, year, INDICATOR.id, value, sourced_status(reasons), (*p_ids, *ids), note)
            used |= {*p_ids, *ids}
    # sources: bulk ones that are cited, with the years they feed; hand rows with their years
    cited_years: dict[str, set[int]] = {}
    for r in out.rows:
        for sid in r["source_ids"].split(";"):
            cited_years.setdefault(sid, set()).add(r["year"])
    for sid, src in SOURCES.items():
        if sid in cited_years:
            ys = sorted(cited_years[sid])
            out.sources.append(
                src.model_copy(update={"figure_year": str(ys[0]) if ys[0] == ys[-1] else f"{ys[0]}-{ys[-1]}"})
            )
    out.sources = [s for s in out.sources if s.source_id in cited_years or s.source_id in SOURCES]
    # the catalogue lists the bulk sources that some value rests on (KNOMAD's 2023 estimate is only named as
    # an alternative once WDI has 2023)
    listed = tuple(sid for sid in INDICATOR.source_ids if sid in cited_years)
    out.indicators = [INDICATOR.model_copy(update={"source_ids": listed})]
    extra["sid"] = [src.source_id for src in extra["source"]]
    for _sid, g in extra[extra["sid"].isin(used)].groupby("sid", sort=True):
        lo, hi = g["year"].min(), g["year"].max()
        out.sources.append(
            g["source"].iloc[0].model_copy(update={"figure_year": str(lo) if lo == hi else f"{lo}-{hi}"})
        )
    return out
