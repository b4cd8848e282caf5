"""Trade of the 14 states with Russia and with the World from the official bulk extracts.

Every reader returns rows of one long *flows* frame (:data:`FLOW_COLUMNS`), always seen from the
panel state's side: ``partner`` is ``RUS`` or ``WLD``; ``flow`` is ``exports``/``imports`` (or
``turnover`` where only the sum is published); ``value`` is in ``currency`` units (USD or EUR,
never converted); ``months`` is the number of months covered; ``side`` is ``reporter`` (the state's
own figure) or ``mirror`` (Russia's figure: Russia's exports to X are X's imports from Russia);
``flag`` holds a caveat from the folder's PROVENANCE.md ('' when none).

The datasets and their rank are declared in ``indicators/hand/trade_precedence.csv``; the trade
builder combines these rows into shares (see ``indicators/builders/trade.py``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from indicators.builders.dots import read_dots
from indicators.countries import PANEL_COUNTRIES
from indicators.schema import Source

FLOW_COLUMNS = ["dataset", "iso3", "year", "partner", "flow", "value", "currency", "months", "side", "flag"]
#: Date the bulk extracts were added to the raw folder (raw README) and read for this build.
BULK_ACCESSED = dt.date(2026, 12, 1)
#: Date the WDI refresh of 2026-07-01 (``wdi_2026_07``) was read for this build.
WDI_ACCESSED = dt.date(2026, 12, 7)
PANEL = set(PANEL_COUNTRIES)

#: PROVENANCE caveats that make a cell an estimate (status ``estimated``).
DOTS_PARTNER_BASED = "IMF estimate from partner data (imf_dots_2022 PROVENANCE: Turkmenistan does not report)"
DOTS_UZB_ESTIMATE = (
    "IMF estimate (imf_dots_2022 PROVENANCE: Uzbekistan 2012-2015 totals far from stat.uz, share identical 3 years)"
)
UZB_DOTS_YEARS = range(2012, 2016)
KGZ_PRELIMINARY = "2023 imports preliminary (Kyrgyz table 4.03.00.20, footnote 1)"


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=FLOW_COLUMNS)


def read_armstat(raw: Path) -> pd.DataFrame:
    """Armstat by partner (``armstat_trade_by_country``), thousand USD -> USD; World = sum of all partner rows.

    Two datasets: ``armstat`` (imports by country of origin) and ``armstat_consignment``.
    """
    t = pd.read_csv(raw / "armstat_trade_by_country" / "armenia_russia_total_annual.csv")
    rows = []
    for _, r in t.iterrows():
        y, m = int(r["year"]), int(r["months_present"])
        for ds, basis in (("armstat", "origin"), ("armstat_consignment", "consignment")):
            flag = ""
            rows += [
                (ds, "ARM", y, "RUS", "exports", r["russia_export"] * 1e3, "USD", m, "reporter", flag),
                (ds, "ARM", y, "RUS", "imports", r[f"russia_import_{basis}"] * 1e3, "USD", m, "reporter", flag),
                (ds, "ARM", y, "WLD", "exports", r["all_partners_sum_export"] * 1e3, "USD", m, "reporter", flag),
                (
                    ds,
                    "ARM",
                    y,
                    "WLD",
                    "imports",
                    r[f"all_partners_sum_import_{basis}"] * 1e3,
                    "USD",
                    m,
                    "reporter",
                    flag,
                ),
            ]
    return _frame(rows)


_NATSTAT = {"KAZ": "kazstat", "KGZ": "kgstat", "UZB": "uzstat", "GEO": "geostat"}
_UNIT = {"thousand USD": 1e3, "million USD": 1e6}


def read_natstat(raw: Path) -> pd.DataFrame:
    """National statistics offices in ``national_trade_stats`` (KAZ, KGZ, UZB; Georgia's World totals).

    Armenia's copy in the same file (Armstat 2017-2022, consignment basis) is the same producer's
    series as :func:`read_armstat` in an earlier vintage and is not read.
    """
    t = pd.read_csv(raw / "national_trade_stats" / "natstat_russia_total_long.csv")
    t = t[t["reporter_iso3"].isin(list(_NATSTAT))]
    rows = []
    for _, r in t.iterrows():
        iso3, y = r["reporter_iso3"], int(r["year"])
        flow = {"X": "exports", "M": "imports"}[r["flow"]]
        flags = []
        if "preliminary" in str(r["source_file"]):
            flags.append(KGZ_PRELIMINARY)
        value = float(r["value"]) * _UNIT[r["unit"]]
        rows.append((_NATSTAT[iso3], iso3, y, r["partner"], flow, value, "USD", 12, "reporter", "; ".join(flags)))
    return _frame(rows)


def read_dots_flows(raw: Path) -> pd.DataFrame:
    """IMF DOTS reporter side (:func:`indicators.builders.dots.read_dots`), partners Russia and World."""
    d = read_dots(raw)
    d = d[d["partner"].isin(["RUS", "WLD"])]
    rows = []
    for _, r in d.iterrows():
        flags = []
        if r["iso3"] == "TKM":
            flags.append(DOTS_PARTNER_BASED)
        if r["iso3"] == "UZB" and r["year"] in UZB_DOTS_YEARS:
            flags.append(DOTS_UZB_ESTIMATE)
        if r["imf_estimate"]:
            flags.append("cell flagged e (IMF estimate)")
        rows.append(
            (
                "imf_dots",
                r["iso3"],
                int(r["year"]),
                r["partner"],
                r["flow"],
                r["usd"],
                "USD",
                12,
                "reporter",
                "; ".join(flags),
            )
        )
    return _frame(rows)


def read_wits(raw: Path) -> pd.DataFrame:
    """Ukraine as reporter from WITS (UN Comtrade), thousand USD -> USD."""
    t = pd.read_csv(raw / "wits_ukraine" / "ukraine_world_russia_wits.csv")
    rows = []
    for _, r in t.iterrows():
        partner = {"World": "WLD", "Russian Federation": "RUS"}[str(r["Partner Name"]).strip()]
        flow = {"Export": "exports", "Import": "imports"}[r["Trade Flow"]]
        v = float(r["value_thousand_usd"]) * 1e3
        rows.append(("wits", "UKR", int(r["year"]), partner, flow, v, "USD", 12, "reporter", ""))
    return _frame(rows)


def read_itc(raw: Path) -> pd.DataFrame:
    """Ukraine as reporter from ITC Trade Map (``TOTAL`` rows), thousand USD -> USD."""
    t = pd.read_csv(raw / "itc_trademap_ukraine" / "ukraine_total_trade_world_eu_russia.csv")
    t = t[t["partner"].isin(["WLD", "RUS"])]
    rows = []
    for _, r in t.iterrows():
        for col, flow in (("Exported", "exports"), ("Imported", "imports")):
            v = float(r[col]) * 1e3
            rows.append(("itc", "UKR", int(r["year"]), r["partner"], flow, v, "USD", 12, "reporter", ""))
    return _frame(rows)


def read_comext(raw: Path) -> pd.DataFrame:
    """Estonia, Latvia, Lithuania trade with Russia from Eurostat Comext, EUR, monthly summed per year.

    ``months`` counts the months with a value (2022: 11, December not available).
    """
    t = pd.read_csv(
        raw / "eurostat_comext_baltic_russia" / "baltic_trade_with_russia_and_neighbours_monthly.csv", dtype=str
    )
    t = t[(t["partner"] == "Russian Federation (Russia)") & (t["product"] == "TOTAL")]
    t = t.assign(v=pd.to_numeric(t["value_eur"], errors="coerce"), year=t["period"].str[:4].astype(int))
    iso = {"Estonia": "EST", "Latvia": "LVA", "Lithuania": "LTU"}
    rows = []
    for (rep, flow, y), g in t.groupby(["reporter", "flow", "year"], sort=True):
        rows.append(
            (
                "comext",
                iso[rep],
                int(y),
                "RUS",
                {"EXPORT": "exports", "IMPORT": "imports"}[flow],
                float(g["v"].sum()),
                "EUR",
                int(g["v"].notna().sum()),
                "reporter",
                "",
            )
        )
    return _frame(rows)


def read_fcs_mirror(raw: Path) -> pd.DataFrame:
    """Russian customs (FCS) trade with ARM, BLR, KAZ, KGZ, TJK, UZB, million USD (mirror side)."""
    t = pd.read_csv(raw / "national_trade_stats" / "russia_fcs_mirror_94itog_long.csv")
    t = t[t["partner_iso3"].isin(PANEL)]
    rows = []
    for _, r in t.iterrows():
        flow = {"RUS_exports_to_partner": "imports", "RUS_imports_from_partner": "exports"}[r["flow"]]
        v = float(r["value_musd"]) * 1e6
        rows.append(("fcs_mirror", r["partner_iso3"], int(r["year"]), "RUS", flow, v, "USD", 12, "mirror", ""))
    return _frame(rows)


def read_imts_mirror(raw: Path) -> pd.DataFrame:
    """IMF IMTS with Russia as reporter, million USD (mirror side); 2022-2024 are IMF partner-based estimates
    (flagged). Cells known to be wrong are dropped later by ``indicators/hand/trade_exclusions.csv``."""
    t = pd.read_csv(raw / "imf_imts_russia_reporter" / "imts_russia_reporter_fsu_long.csv")
    t = t[t["partner_iso3"].isin(PANEL) & t["value_musd"].notna()]
    rows = []
    for _, r in t.iterrows():
        iso3, y = r["partner_iso3"], int(r["year"])
        flow = "imports" if r["flow"].startswith("RUS_exports") else "exports"
        flag = "2022+ IMF estimate from partner data (Russia stopped publishing)" if y >= 2022 else ""
        rows.append(("imts_mirror", iso3, y, "RUS", flow, float(r["value_musd"]) * 1e6, "USD", 12, "mirror", flag))
    return _frame(rows)


#: WDI series of merchandise exports and imports (current US$), BoP-based concept.
WDI_TRADE = {"TX.VAL.MRCH.CD.WT": "exports", "TM.VAL.MRCH.CD.WT": "imports"}


def read_wdi(raw: Path) -> pd.DataFrame:
    """World totals from WDI (``wdi_2026_07``, refresh of 2026-07-01): merchandise exports and imports, US$.

    A denominator only (method ``total_only``): Russia's share needs trade with Russia from another dataset.
    Caveats of single countries (non-monetary gold excluded, Turkmenistan modelled) are flags declared in
    ``indicators/hand/trade_exclusions.csv`` (action ``flag``), not here.
    """
    t = pd.read_csv(raw / "wdi_2026_07" / "wdi_2026_07_15countries_long.csv", dtype=str, keep_default_na=False)
    t = t[t["indicator_code"].isin(list(WDI_TRADE)) & t["iso3"].isin(PANEL) & (t["value"].str.strip() != "")]
    rows = [
        ("wdi", r.iso3, int(r.year), "WLD", WDI_TRADE[r.indicator_code], float(r.value), "USD", 12, "reporter", "")
        for r in t.itertuples()
    ]
    return _frame(rows)


READERS = (
    read_armstat,
    read_wdi,
    read_natstat,
    read_dots_flows,
    read_wits,
    read_itc,
    read_comext,
    read_fcs_mirror,
    read_imts_mirror,
)


def read_all(raw: Path) -> pd.DataFrame:
    """All bulk readers, concatenated and sorted (deterministic)."""
    df = pd.concat([f(raw) for f in READERS], ignore_index=True)
    return df.sort_values(["dataset", "iso3", "year", "partner", "flow"], ignore_index=True)


def _src(sid: str, producer: str, title: str, url: str, licence: str, archive: str | None = None) -> Source:
    """A bulk dataset: ``url`` is the producer's page for it, ``archive`` the repository copy the build read."""
    return Source(
        source_id=sid,
        producer=producer,
        title=title,
        url=url,
        archive_url=archive,
        figure_year="1992-2024",
        accessed=BULK_ACCESSED,
        licence=licence,
    )


#: One Source per bulk dataset (figure_year is narrowed to the years cited when the build runs).
SOURCES: dict[str, Source] = {
    "armstat": _src(
        "trade-armstat",
        "Statistical Committee of the Republic of Armenia (Armstat)",
        "Armenia's foreign trade by partner country, monthly 2007-2024, imports by country of origin "
        "(compiled in tavad/tvyal_newsletter, commit d1b2914, file arm_trade_country.csv)",
        "https://statbank.armstat.am/",
        "Armstat data; compilation without stated licence",
        "https://github.com/tavad/tvyal_newsletter/tree/d1b2914",
    ),
    "armstat_consignment": _src(
        "trade-armstat-consignment",
        "Statistical Committee of the Republic of Armenia (Armstat)",
        "Armenia's foreign trade by partner country, monthly 2007-2024, imports by country of consignment "
        "(compiled in tavad/tvyal_newsletter, commit d1b2914, file arm_trade_country.csv)",
        "https://statbank.armstat.am/",
        "Armstat data; compilation without stated licence",
        "https://github.com/tavad/tvyal_newsletter/tree/d1b2914",
    ),
    "kazstat": _src(
        "trade-kazstat",
        "Bureau of National Statistics of Kazakhstan",
        "Main indicators of foreign trade (by country), 2019-2023, thousand USD "
        "(as collected in mary-lev/eu-export-sanctions, commit 5a0f32e)",
        "https://stat.gov.kz/en/industries/economy/foreign-market/",
        "official statistics; repository Apache-2.0",
        "https://github.com/mary-lev/eu-export-sanctions/tree/5a0f32e",
    ),
    "kgstat": _src(
        "trade-kgstat",
        "National Statistical Committee of the Kyrgyz Republic",
        "Tables 4.03.00.18 (exports) and 4.03.00.20 (imports): geographic distribution of trade in goods, "
        "1994-2023, thousand USD (as collected in mary-lev/eu-export-sanctions, commit ebc1f20)",
        "https://stat.kg/en/statistics/foreign-trade/",
        "official statistics; repository Apache-2.0",
        "https://github.com/mary-lev/eu-export-sanctions/tree/ebc1f20",
    ),
    "uzstat": _src(
        "trade-uzstat",
        "Statistics Agency under the President of the Republic of Uzbekistan",
        "SDMX datasets 1105 (exports by country) and 1176 (imports by country), 2010-2023, thousand USD "
        "(as collected in mary-lev/eu-export-sanctions, commit d3a90a9)",
        "https://stat.uz/en/official-statistics/merchandise-trade",
        "official statistics; repository Apache-2.0",
        "https://github.com/mary-lev/eu-export-sanctions/tree/d3a90a9",
    ),
    "geostat": _src(
        "trade-geostat",
        "National Statistics Office of Georgia (Geostat)",
        "External merchandise trade of Georgia, monthly totals 1995-2024 (FTrade_1995-2024.xlsx, "
        "as collected in mary-lev/eu-export-sanctions, commit aca6dd9)",
        "https://www.geostat.ge/en/modules/categories/35/external-trade",
        "official statistics; repository Apache-2.0",
        "https://github.com/mary-lev/eu-export-sanctions/tree/aca6dd9",
    ),
    "wdi": _src(
        "trade-wdi-2026-07",
        "World Bank",
        "World Development Indicators: Merchandise exports (TX.VAL.MRCH.CD.WT) and imports (TM.VAL.MRCH.CD.WT), "
        "current US$, as served on 2026-07-01 (datasets/world-development-indicators, commit 4ebec5a)",
        "https://data.worldbank.org/indicator/TX.VAL.MRCH.CD.WT",
        "CC BY 4.0 (World Bank open data terms)",
        "https://github.com/datasets/world-development-indicators/tree/4ebec5a",
    ).model_copy(update={"accessed": WDI_ACCESSED}),
    "imf_dots": _src(
        "trade-imf-dots",
        "International Monetary Fund",
        "Direction of Trade Statistics (DOTS), per-country reports 'Exports, FOB to Partner Countries' / "
        "'Imports, CIF from Partner Countries', million USD, vintage ~Feb 2022 (SamLeBlanc/Direction-of-Trade-Map, "
        "commit a769819, data/DOTS)",
        "https://data.imf.org/?sk=9D6028D4-F14A-464C-A2F2-59B2CD424B85",
        "IMF terms of use",
        "https://github.com/SamLeBlanc/Direction-of-Trade-Map/tree/a769819/data/DOTS",
    ),
    "wits": _src(
        "trade-wits",
        "World Bank WITS (UN Comtrade data reported by Ukraine)",
        "WITS Partner-Timeseries, Ukraine exports and imports with World and Russian Federation, 1996-2022, "
        "thousand USD (TdeKoning21/Ukraine-Trade-Shift-Project, commit 4b41e9f)",
        "https://wits.worldbank.org/CountryProfile/en/UKR",
        "World Bank WITS terms of use",
        "https://github.com/TdeKoning21/Ukraine-Trade-Shift-Project/tree/4b41e9f",
    ),
    "itc": _src(
        "trade-itc",
        "International Trade Centre (Trade Map), data reported by Ukraine",
        "Ukraine's exports and imports, all products, with the world and Russia, 2001-2018, thousand USD "
        "(texty/trade-map, commit 6c8d83a, data/newLineChartData.csv)",
        "https://www.trademap.org/",
        "ITC Trade Map terms of use",
        "https://github.com/texty/trade-map/blob/6c8d83a/data/newLineChartData.csv",
    ),
    "comext": _src(
        "trade-comext",
        "Eurostat",
        "EU trade since 1988 by HS2-4-6 and CN8 (DS-045409), product TOTAL, Estonia/Latvia/Lithuania with Russia, "
        "monthly 2020-01..2022-11, EUR (vzemlys/ruimpeks, commit 1c68091)",
        "https://ec.europa.eu/eurostat/comext/newxtweb/",
        "Eurostat re-use policy (CC BY 4.0)",
        "https://github.com/vzemlys/ruimpeks/tree/1c68091",
    ),
    "fcs_mirror": _src(
        "trade-fcs-mirror",
        "Federal Customs Service of Russia (FCS), via Rosstat tables",
        "Russia's foreign trade with CIS countries (94itog.xlsx), exports to / imports from each partner, "
        "1994-2021, million USD (mary-lev/eu-export-sanctions, commit 7259b75)",
        "https://customs.gov.ru/statistic",
        "official statistics; repository Apache-2.0",
        "https://github.com/mary-lev/eu-export-sanctions/tree/7259b75",
    ),
    "imts_mirror": _src(
        "trade-imf-imts",
        "International Monetary Fund",
        "International Trade in Goods (IMTS, IMF.STA:IMTS 1.0.0), reporter Russian Federation, exports FOB / "
        "imports CIF by counterpart, 2016-2024, million USD (paulinakasetiene/Russia-sanctions-trade-reallocation, "
        "commit 0d3a9a4, RU_trade.csv)",
        "https://data.imf.org/",
        "IMF terms of use",
        "https://github.com/paulinakasetiene/Russia-sanctions-trade-reallocation/blob/0d3a9a4/RU_trade.csv",
    ),
}
