"""Remittances from Russia as % of GDP.

value(t) = WDI personal remittances received, % of GDP (BX.TRF.PWKR.DT.GD.ZS, vintage 2022-05-25)
           x Russia's share of the country's remittance inflows in the World Bank bilateral
           remittance matrix 2018.

The matrix is a single year, so Russia's share is held at its 2018 level for 2013-2020.
Uzbekistan's matrix share (100%) is an artefact of the World Bank's estimation; it is replaced
by the Central Bank of Uzbekistan's reported share for the first half of 2018 (77%), kept with
its citation in ``indicators/hand/remittances_russia_share.csv``. Turkmenistan has no matrix
data (all zeros) and stays missing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from indicators.builders.common import BuilderOutput, url_source_id
from indicators.countries import PANEL_COUNTRIES, iso3_from_name
from indicators.schema import Indicator, Source

BUILD_DATE = dt.date(2026, 11, 23)
WDI_CODE = "BX.TRF.PWKR.DT.GD.ZS"
MATRIX_YEAR = 2018
#: WDI vintage 2022-05 ends in 2020 for this series (2021 empty).
REMIT_YEARS: tuple[int, ...] = tuple(range(2013, 2021))
RUSSIA_ROW = "Russian Federation"
HAND_FILE = Path(__file__).resolve().parent.parent / "hand" / "remittances_russia_share.csv"

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
        "exists for 2018 only: 2018 is 'observed', other years 2013-2020 are 'estimated' with Russia's share held "
        "at its 2018 level. Turkmenistan: missing (matrix column all zeros = no data; WDI near 0). Uzbekistan: "
        "the matrix's 100% share is an artefact of the estimation, so the Central Bank of Uzbekistan's share for "
        "H1 2018 (77%, cited in indicators/hand/remittances_russia_share.csv) is used instead and every "
        "Uzbekistan value is 'estimated'. 2021-2025 missing (WDI vintage ends in 2020)."
    ),
    years_note=(
        "2013-2020: WDI 2022-05 remittances (% GDP); Russia's share from the 2018 matrix for all years "
        "(observed in 2018, held constant otherwise). 2021-2025: missing."
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


def build(raw: Path) -> BuilderOutput:
    """Build ``remittances_russia_gdp`` for 2013-2020."""
    raw = Path(raw)
    wdi = read_wdi_remittances(raw)
    shares = russia_shares(raw).set_index("iso3")
    overrides = read_share_overrides().set_index("iso3")
    out = BuilderOutput(indicators=[INDICATOR], sources=list(SOURCES.values()))
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
        w = wdi[(wdi["iso3"] == iso3) & wdi["year"].isin(REMIT_YEARS)]
        for r in w.itertuples():
            status = "observed" if r.year == observed_year else "estimated"
            held = "" if r.year == MATRIX_YEAR else "; share held at its 2018 level"
            note = f"remittances {r.value:.2f}% of GDP x {share_note}{held}"
            out.add(iso3, r.year, INDICATOR.id, r.value * share, status, share_ids, note)
    return out
