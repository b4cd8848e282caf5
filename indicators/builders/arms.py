"""Arms imports from Russia: Russia's share of a country's major-arms imports (SIPRI TIV).

Reads ``raw/sipri_trade_register_2025/trade-register_15countries.csv`` (SIPRI trade register,
generated 13 Mar 2025). Each deal row gives "SIPRI TIV of delivered weapons" summed over all its
delivery years and lists those years ("2014; 2015"); the register gives no per-year numbers, so the
delivered TIV is split equally across the listed delivery years.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from indicators.builders.common import BuilderOutput
from indicators.countries import PANEL_COUNTRIES, iso3_from_name
from indicators.schema import Indicator, Source
from indicators.structure import indicator_fields

BUILD_DATE = dt.date(2026, 11, 23)
#: Suppliers counted as "Russia" (the Soviet Union only matters for windows before 1992).
RUSSIA_SUPPLIERS = frozenset({"Russia", "Soviet Union"})
RUSSIA_ISO3 = frozenset({"RUS", "SUN"})
#: Length of the rolling window in years (t-4..t).
WINDOW = 5
#: Years with a value: data end with 2024 deliveries.
ARMS_YEARS: tuple[int, ...] = tuple(range(2013, 2025))
#: Column positions in the SIPRI export (three '?' flag columns have a blank header).
COL_RECIPIENT, COL_SUPPLIER = 0, 1
COL_FLAG_ORDER_YEAR, COL_FLAG_N_ORDERED, COL_FLAG_N_DELIVERED = 3, 5, 9
COL_DELIVERY_YEARS, COL_TIV_DELIVERED = 10, 15

SRC_SIPRI = "sipri-arms-transfers-2025-03"
SOURCE = Source(
    source_id=SRC_SIPRI,
    producer="Stockholm International Peace Research Institute (SIPRI)",
    title=(
        "SIPRI Arms Transfers Database, trade register 'Transfers of major conventional arms' "
        "(data generated 13 Mar 2025; via ColasDroin/SIPRI_arms_transfers_analysis commit b34bde3)"
    ),
    url="https://www.sipri.org/databases/armstransfers",
    archive_url="https://github.com/ColasDroin/SIPRI_arms_transfers_analysis/tree/b34bde3",
    figure_year="2009-2024",
    accessed=BUILD_DATE,
    licence="Source: SIPRI Arms Transfers Database (c) SIPRI; cite SIPRI",
    quote="SIPRI trend-indicator values (TIVs) are in millions.",
)

SRC_SIPRI_BILATERAL = "sipri-arms-bilateral-tiv-2026-10"
SOURCE_BILATERAL = Source(
    source_id=SRC_SIPRI_BILATERAL,
    producer="Stockholm International Peace Research Institute (SIPRI)",
    title=(
        "SIPRI Arms Transfers Database, public TIV tables by supplier, recipient and delivery year 2015-2025 "
        "(re-aggregated in the public worldcountrygroups repository by Tomas Gonzalez, updated 2026-10-01, "
        "commit be20207; records of >= 3 TIV transcribed)"
    ),
    url="https://armstransfers.sipri.org/",
    archive_url="https://github.com/tomasgonz/worldcountrygroups/tree/be20207",
    figure_year="2015-2025",
    accessed=dt.date(2026, 12, 1),
    licence="Source: SIPRI Arms Transfers Database (c) SIPRI; cite SIPRI",
    quote="TIV = trend-indicator value, millions; bilateral flows cover state suppliers and recipients only.",
)

INDICATOR = Indicator(
    id="arms_imports_russia",
    **indicator_fields("arms_imports_russia"),
    unit="% of arms imports (SIPRI TIV, 5-year window)",
    scale="percent",
    bounds=(0.0, 100.0),
    goalposts=(0.0, 100.0),
    definition=(
        "Russia's share of the country's imports of major conventional arms over the five years t-4..t, "
        "measured in SIPRI trend-indicator values (TIV, a volume measure, not money): "
        "100 x TIV delivered by Russia (or the Soviet Union) / TIV delivered by all suppliers."
    ),
    coding_rule=(
        "Precedence: the SIPRI trade register (13 Mar 2025) for every window it covers (ending 2013-2024); "
        "for the window ending 2025 (2021-2025), which the register does not cover, the SIPRI bilateral TIV "
        "table 2015-2025 alone, so that one source gives each value. Register: each deal's 'SIPRI TIV of "
        "delivered weapons' is split equally across its listed delivery years (the register gives no per-year "
        "numbers); deliveries flagged uncertain ('?' on year of order or numbers) are kept as SIPRI counts them; "
        "deals from 'unknown supplier(s)' count in the total. Bilateral table: SIPRI's own TIV per delivery year; "
        "state suppliers only, and only supplier-recipient records of at least 3 TIV over 2015-2025 were "
        "transcribed (smaller ones are missing from the denominator). Before use the table is compared with the "
        "register pair by pair over 2015-2024 (arms.compare_register_bilateral): it does not reproduce it "
        "exactly (SIPRI revises past years; the register of Mar 2025 predates the table), and the note of each "
        "2025 value gives both sources' 2020-2024 share. A country with zero delivered TIV in the window has no "
        "value (share undefined), not 0. Status 'observed', except the window ending 2025: 'estimated', because "
        "SIPRI's figures for 2025 deliveries are first estimates that later releases revise."
    ),
    years_note=(
        "2013-2024 from the SIPRI trade register of 13 Mar 2025 (deliveries 2009-2024); 2025 from the SIPRI "
        "bilateral TIV table (deliveries 2021-2025, version of 1 Oct 2026; 2025 figures are SIPRI's first "
        "estimates)."
    ),
    source_ids=(SRC_SIPRI, SRC_SIPRI_BILATERAL),
)


def parse_delivery_years(text: str) -> list[int]:
    """'2014; 2015' -> [2014, 2015]; '' -> []. Raises ValueError on anything that is not a year."""
    parts = [p.strip() for p in str(text).split(";") if p.strip()]
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise ValueError(f"SIPRI register: cannot read delivery years {text!r}") from None


def read_register(raw: Path) -> pd.DataFrame:
    """Deal rows with a panel-country recipient: iso3, supplier, delivery_years, tiv, uncertain.

    ``tiv`` is the delivered TIV (empty -> 0); ``uncertain`` is True when any '?' flag is set.
    """
    path = raw / "sipri_trade_register_2025" / "trade-register_15countries.csv"
    d = pd.read_csv(path, dtype=str, keep_default_na=False, header=0)
    if d.shape[1] != 16 or d.columns[0] != "Recipient" or not d.columns[COL_TIV_DELIVERED].startswith("SIPRI TIV of"):
        raise ValueError(f"{path.name}: unexpected columns {list(d.columns)}; expected the SIPRI trade-register layout")
    c = d.columns
    out = pd.DataFrame(
        {
            "iso3": d[c[COL_RECIPIENT]].map(iso3_from_name),
            "supplier": d[c[COL_SUPPLIER]],
            "delivery_years": d[c[COL_DELIVERY_YEARS]].map(parse_delivery_years),
            "tiv": pd.to_numeric(d[c[COL_TIV_DELIVERED]].replace("", "0"), errors="raise"),
            "uncertain": (d[c[[COL_FLAG_ORDER_YEAR, COL_FLAG_N_ORDERED, COL_FLAG_N_DELIVERED]]] == "?").any(axis=1),
        }
    )
    out = out[out["iso3"].isin(PANEL_COUNTRIES)].reset_index(drop=True)
    bad = out[(out["tiv"] > 0) & (out["delivery_years"].map(len) == 0)]
    if len(bad):
        raise ValueError(f"{path.name}: {len(bad)} deals have delivered TIV but no delivery year")
    return out


def tiv_by_year(deals: pd.DataFrame) -> pd.DataFrame:
    """Split each deal's delivered TIV equally across its delivery years.

    Returns one row per (iso3, year, from_russia, uncertain) with summed tiv. Deals with no
    delivery year (undelivered orders, TIV 0) drop out.
    """
    rows = []
    for r in deals.itertuples():
        n = len(r.delivery_years)
        for y in r.delivery_years:
            rows.append((r.iso3, y, r.supplier in RUSSIA_SUPPLIERS, r.uncertain, r.tiv / n))
    t = pd.DataFrame(rows, columns=["iso3", "year", "from_russia", "uncertain", "tiv"])
    return t.groupby(["iso3", "year", "from_russia", "uncertain"], as_index=False)["tiv"].sum()


def russia_share(annual: pd.DataFrame, iso3: str, year: int, window: int = WINDOW) -> tuple[float, float, float] | None:
    """(share %, Russian TIV, total TIV) over year-window+1..year, or None if total TIV is 0.

    share = 100 x Russian TIV / total TIV, clipped to [0, 100] against float rounding.
    """
    w = annual[(annual["iso3"] == iso3) & annual["year"].between(year - window + 1, year)]
    total = float(w["tiv"].sum())
    if total <= 0:
        return None
    rus = float(w.loc[w["from_russia"], "tiv"].sum())
    return min(100.0, max(0.0, 100.0 * rus / total)), rus, total


# --------------------------------------------------------------------------- all suppliers, both SIPRI files

#: SIPRI country names -> ISO3 (``SUN`` Soviet Union, ``XXX`` unknown supplier(s)); data, not code.
NAMES_CSV = Path(__file__).resolve().parent.parent / "hand" / "sipri_names_iso3.csv"
BILATERAL_DIR = "sipri_bilateral_tiv_2015_2025"
BILATERAL_FILE = "sipri_bilateral_tiv_2015_2025_15countries_long.csv"
#: Years the bilateral table covers; the register ends with 2024 deliveries.
BILATERAL_YEARS: tuple[int, int] = (2015, 2025)
REGISTER_LAST_YEAR = 2024
#: Recipients ``supplier_tiv`` returns: the 14 states and Russia.
RECIPIENTS = frozenset(PANEL_COUNTRIES) | {"RUS"}


def sipri_iso3() -> dict[str, str]:
    """SIPRI country name -> ISO3, from ``indicators/hand/sipri_names_iso3.csv``."""
    m = pd.read_csv(NAMES_CSV, dtype=str, keep_default_na=False)
    return dict(zip(m["sipri_name"], m["iso3"], strict=True))


def register_deals(raw: Path) -> pd.DataFrame:
    """Register deal rows delivered to the 14 states or Russia: recipient, supplier (ISO3), years (list), tiv."""
    path = Path(raw) / "sipri_trade_register_2025" / "trade-register_15countries.csv"
    d = pd.read_csv(path, dtype=str, keep_default_na=False, header=0)
    c = d.columns
    names = sipri_iso3()
    d = d[d[c[COL_RECIPIENT]].map(names).isin(RECIPIENTS)]
    unknown = sorted(set(d[c[COL_SUPPLIER]]) - set(names))
    if unknown:
        raise ValueError(f"{path.name}: supplier names without an ISO3 code in {NAMES_CSV.name}: {unknown}")
    out = pd.DataFrame(
        {
            "recipient": d[c[COL_RECIPIENT]].map(names),
            "supplier": d[c[COL_SUPPLIER]].map(names),
            "years": d[c[COL_DELIVERY_YEARS]].map(parse_delivery_years),
            "tiv": pd.to_numeric(d[c[COL_TIV_DELIVERED]].replace("", "0"), errors="raise"),
        }
    ).reset_index(drop=True)
    bad = out[(out["tiv"] > 0) & (out["years"].map(len) == 0)]
    if len(bad):
        raise ValueError(f"{path.name}: {len(bad)} deals have delivered TIV but no delivery year")
    return out[out["years"].map(len) > 0].reset_index(drop=True)


def register_supplier_tiv(raw: Path) -> pd.DataFrame:
    """Register deliveries per (recipient, supplier, year), all suppliers, the delivered TIV split equally
    across each deal's listed delivery years. Columns recipient, supplier, year, tiv (ISO3 codes)."""
    rows = [
        (r.recipient, r.supplier, y, r.tiv / len(r.years)) for r in register_deals(raw).itertuples() for y in r.years
    ]
    t = pd.DataFrame(rows, columns=["recipient", "supplier", "year", "tiv"])
    return t.groupby(["recipient", "supplier", "year"], as_index=False)["tiv"].sum()


def bilateral_supplier_tiv(raw: Path) -> pd.DataFrame:
    """The bilateral table (SIPRI TIV by delivery year, 2015-2025, records >= 3 TIV over 2015-2025) for the
    recipients in ``RECIPIENTS``. Columns recipient, supplier, year, tiv."""
    b = pd.read_csv(Path(raw) / BILATERAL_DIR / BILATERAL_FILE)
    b = b.rename(columns={"supplier_iso3": "supplier", "recipient_iso3": "recipient"})
    b = b[b["recipient"].isin(RECIPIENTS)]
    if b.duplicated(["recipient", "supplier", "year"]).any():
        raise ValueError(f"{BILATERAL_FILE}: duplicate supplier-recipient-year rows")
    return b[["recipient", "supplier", "year", "tiv"]].astype({"year": int, "tiv": float}).reset_index(drop=True)


def supplier_tiv(raw: Path, bilateral_from: int = REGISTER_LAST_YEAR + 1) -> pd.DataFrame:
    """Arms deliveries (SIPRI TIV, millions) to the 14 states and Russia, by supplier and delivery year.

    Columns ``recipient, supplier, year, tiv, source`` (ISO3 codes; ``SUN`` = Soviet Union, ``XXX`` = unknown
    supplier(s); every supplier, not only Russia). Precedence: delivery years before ``bilateral_from`` come
    from the SIPRI trade register (13 Mar 2025; each deal's delivered TIV split equally across its listed
    delivery years, since the register has no per-year figures), years from ``bilateral_from`` on from the
    bilateral TIV table (SIPRI's own per-year values; only records of >= 3 TIV over 2015-2025). The default
    takes the register for every year it covers (to 2024) and the bilateral table for 2025 only; the
    indicator's window ending in 2025 uses ``bilateral_from=2021`` so that one source covers the window.
    """
    lo, hi = BILATERAL_YEARS
    if not lo <= bilateral_from <= hi:
        raise ValueError(f"bilateral_from must be within {lo}-{hi}, got {bilateral_from}")
    reg = register_supplier_tiv(raw)
    reg = reg[reg["year"] < bilateral_from].assign(source="register")
    bil = bilateral_supplier_tiv(raw)
    bil = bil[bil["year"] >= bilateral_from].assign(source="bilateral")
    out = pd.concat([reg, bil], ignore_index=True)
    return out.sort_values(["recipient", "supplier", "year"]).reset_index(drop=True)


#: Years the register and the bilateral table are compared over.
CHECK_YEARS: tuple[int, int] = (2015, 2024)
#: Status of a supplier-recipient pair in :func:`compare_register_bilateral`.
PAIR_STATUSES = (
    "match",
    "differs",
    "register_only_below_3",
    "register_only_unknown_supplier",
    "register_only",
    "bilateral_only",
)


def compare_register_bilateral(raw: Path) -> pd.DataFrame:
    """Does the bilateral table reproduce the register's 2015-2024 deliveries per supplier-recipient pair?

    Per pair (recipients: the 14 states and Russia): ``register`` = the register's delivered TIV in 2015-2024
    with each deal split equally across its delivery years; as the register has no per-year figures, a deal
    delivered partly outside 2015-2024 could put anything between ``register_lo`` (only deals delivered
    entirely within 2015-2024) and ``register_hi`` (every deal with a delivery year in 2015-2024) into the window.
    ``bilateral`` = the table's sum over 2015-2024 (integer TIV per year). ``status``: ``match`` when bilateral
    lies within [register_lo, register_hi] widened by 0.5 TIV per bilateral year plus 0.5 (rounding),
    ``differs`` otherwise; ``register_only_below_3`` for a pair missing from the table whose register total is
    below 3 TIV (the table omits records under 3 TIV), ``register_only_unknown_supplier`` for 'unknown
    supplier(s)' (the table has state suppliers only), ``register_only`` / ``bilateral_only`` otherwise.
    """
    lo, hi = CHECK_YEARS
    rows = []
    for r in register_deals(raw).itertuples():
        inside = [y for y in r.years if lo <= y <= hi]
        if inside:
            full = len(inside) == len(r.years)
            rows.append((r.recipient, r.supplier, r.tiv * len(inside) / len(r.years), r.tiv if full else 0.0, r.tiv))
    reg = pd.DataFrame(rows, columns=["recipient", "supplier", "register", "register_lo", "register_hi"])
    reg = reg.groupby(["recipient", "supplier"], as_index=False).sum()
    bil = bilateral_supplier_tiv(raw)
    bil = bil[bil["year"].between(lo, hi)].groupby(["recipient", "supplier"], as_index=False)["tiv"]
    bil = bil.agg(bilateral="sum", n_years="size")
    m = reg.merge(bil, on=["recipient", "supplier"], how="outer")
    tol = 0.5 * m["n_years"].fillna(0) + 0.5
    within = (m["bilateral"] >= m["register_lo"] - tol) & (m["bilateral"] <= m["register_hi"] + tol)
    status = pd.Series("differs", index=m.index)
    status[within] = "match"
    status[m["bilateral"].isna()] = "register_only"
    status[m["bilateral"].isna() & (m["register"] < 3)] = "register_only_below_3"
    status[m["bilateral"].isna() & (m["supplier"] == "XXX")] = "register_only_unknown_supplier"
    status[m["register"].isna()] = "bilateral_only"
    m["status"] = status
    m["diff"] = m["bilateral"] - m["register"]
    return m.sort_values(["recipient", "supplier"]).reset_index(drop=True)


def build(raw: Path) -> BuilderOutput:
    """Build ``arms_imports_russia``: 2013-2024 from the register, 2025 from the bilateral table."""
    annual = tiv_by_year(read_register(Path(raw)))
    out = BuilderOutput(indicators=[INDICATOR], sources=[SOURCE, SOURCE_BILATERAL])
    for iso3 in sorted(PANEL_COUNTRIES):
        for year in ARMS_YEARS:
            res = russia_share(annual, iso3, year)
            if res is None:
                continue
            share, rus, total = res
            w = annual[(annual["iso3"] == iso3) & annual["year"].between(year - WINDOW + 1, year)]
            unc = float(w.loc[w["uncertain"], "tiv"].sum())
            note = f"Russia {rus:.1f} of {total:.1f} TIV m delivered {year - WINDOW + 1}-{year}"
            if unc > 0:
                note += f" ({unc:.1f} TIV m from deals with a '?' uncertainty flag, kept)"
            out.add(iso3, year, INDICATOR.id, share, "observed", SRC_SIPRI, note)
    _add_2025(Path(raw), out, annual)
    return out


def window_share(t: pd.DataFrame, iso3: str, first: int, last: int) -> tuple[float, float, float] | None:
    """(share %, Russian TIV, total TIV) of ``supplier_tiv``-style rows for one recipient over first..last."""
    w = t[(t["recipient"] == iso3) & t["year"].between(first, last)]
    total = float(w["tiv"].sum())
    if total <= 0:
        return None
    rus = float(w.loc[w["supplier"].isin(RUSSIA_ISO3), "tiv"].sum())
    return min(100.0, max(0.0, 100.0 * rus / total)), rus, total


def _add_2025(raw: Path, out: BuilderOutput, annual: pd.DataFrame) -> None:
    """The window 2021-2025 from the bilateral table alone; the note compares both sources on 2020-2024."""
    year = BILATERAL_YEARS[1]
    first = year - WINDOW + 1
    bil = supplier_tiv(raw, bilateral_from=first)
    bil = bil[bil["source"] == "bilateral"]
    both = bilateral_supplier_tiv(raw)
    for iso3 in sorted(PANEL_COUNTRIES):
        res = window_share(bil, iso3, first, year)
        if res is None:
            continue
        share, rus, total = res
        reg_prev = russia_share(annual, iso3, year - 1)
        bil_prev = window_share(both, iso3, year - WINDOW, year - 1)
        cmp = "; 2020-2024 share: register " + (f"{reg_prev[0]:.1f}%" if reg_prev else "n/a")
        cmp += ", bilateral table " + (f"{bil_prev[0]:.1f}%" if bil_prev else "n/a")
        note = (
            f"Russia {rus:.0f} of {total:.0f} TIV m delivered {first}-{year} (SIPRI bilateral TIV table; records "
            f">= 3 TIV only; 2025 first estimates){cmp}"
        )
        # SIPRI's 2025 deliveries are first estimates (revised in later releases): a first-estimate year
        out.add(iso3, year, INDICATOR.id, share, "estimated", SRC_SIPRI_BILATERAL, note)
