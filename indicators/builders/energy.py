"""Builder for ``pipeline_dependence``: energy dependence on Russia (the largest of up to three shares).

Inputs
------
Bulk extracts of official datasets (raw folder; read each folder's PROVENANCE.md):

* ``eurostat_energy_imports_by_partner/`` -- Eurostat ``nrg_ti_gasm``, monthly gas imports by partner
  (Estonia, Latvia, Lithuania; TJ of gross calorific value, 2008 .. 2022-07): G for the Baltic states;
* ``armenia_fuel_imports_by_partner/`` -- UN Comtrade, Armenia's monthly imports of natural gas (HS 271121)
  by partner, net weight, 2010 .. 2025-06: G for Armenia;
* ``ei_bp_statreview_gas_pipeline_2014_2025/`` (verbatim sheets) and ``bp_statreview_2021_pipeline_gas/`` --
  bp / Energy Institute Statistical Review pipeline-gas trade matrices, data years 2014, 2016-2023 and 2025 (the
  editions are declared in ``indicators/hand/energy_matrices.csv``): G for Belarus, Kazakhstan and Ukraine (to
  2020); X for Turkmenistan and Uzbekistan (their gas exports sold to Russia);
* ``iea_gas_trade_flows_2024_02/`` -- IEA Gas Trade Flows (release 2024-02), monthly physical flows at border
  points: G for the Baltic states in full years 2022-2023, for Moldova (entries from Ukraine, i.e. Russian gas,
  over all entries) and a cross-check for the Baltic states before;

cited page figures, used last:

* ``<raw>/compiled_cited/energy_dependence.csv`` and ``indicators/hand/energy_extra.csv`` (every row with a
  URL and a verbatim quote), combined into parts as declared in ``indicators/hand/energy_parts.csv``;
* one seed article (Bloomberg via Charter97, 31 Jan 2023), whose Source is written out below.

``comtrade_fuel_imports_from_russia/`` is not used: it holds imports *from Russia* only, with no totals, so no
share can be computed from it. ``wdi_2022_05`` has no series by partner.

Declared as data (``indicators/hand/``): ``energy_parts.csv`` (which cited rows make which part-year, and how),
``energy_breaks.csv`` (dated regime breaks and cut-offs to zero), ``energy_events.csv`` (timeline events).
Adding a cited figure is a row in ``energy_extra.csv`` plus a row in ``energy_parts.csv``: no code change.

Formula
-------
Two *parts*, each a percentage (plus a third, P, for states listed in :data:`P_STATES` only):

* **G** -- Russia's share of the country's natural-gas imports (or, where only that is reported, of its gas
  supply/consumption);
* **X** -- the share of the country's oil or gas exports that transit Russian pipelines/ports or are sold to
  Russia through them (Kazakh oil via the CPC, Azerbaijani oil via Baku-Novorossiysk, Turkmen and Uzbek gas
  sold to Gazprom);
* **P** -- Russia's share of the country's petroleum-product (fuel) imports, used *only* for a state in
  :data:`P_STATES` (criterion in :data:`P_CRITERION`; today only Tajikistan).

``value = max(available parts)``. A part without a figure is *left out*, never set to 0, and the row's note
says which parts were used -- the value is then a lower bound of the two-channel maximum.

Precedence (:data:`PRECEDENCE`), per country-year-part, a full year before a partial one, then: (1) Eurostat ``nrg_ti_gasm`` in TJ; (2) UN Comtrade
(reporter's own declaration); (3) bp / Energy Institute Statistical Review matrices; (4) Eurostat in m3 (same dataset, other unit; a
cross-check); (5) IEA Gas Trade Flows (physical route, a proxy: always ``estimated``); (6) cited page figures
(``compiled_cited`` before ``indicators/hand``). The first available candidate is kept; every other candidate is
named in the note, prefixed ``disagree:`` when it differs from the kept value by more than
:data:`DISAGREE_POINTS` points (the Data view flags such cells).

Status (``common.sourced_status``): observed = a full-year figure of one producer with no qualifier; estimated =
partial year, bound, approximate, year inferred, a proxy (physical flows at border points), or an assumption (declared in ``energy_parts.csv``). Gap filling: ``common.fill_gaps`` with this
indicator's row of ``indicators/hand/rules.csv``, never across a dated break; a dated cut-off to zero is
carried forward for at most ``max_carry_years``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indicators.builders.common import (
    CARRIED,
    COMPILED_ACCESSED,
    BuilderOutput,
    compiled_source,
    country_iso3,
    fill_gaps,
    partial_months,
    partial_ok,
    reasons_from_notes,
    rule_for,
    sourced_status,
)
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.quotes import figure_in_quote
from indicators.schema import Indicator, Source
from indicators.structure import indicator_fields

INDICATOR_ID = "pipeline_dependence"
PREFIX = "energy"
RAW_FILE = "energy_dependence.csv"
HAND_DIR = Path(__file__).resolve().parent.parent / "hand"
HAND_CSV = HAND_DIR / "energy_extra.csv"
PARTS_CSV = HAND_DIR / "energy_parts.csv"
MATRICES_CSV = HAND_DIR / "energy_matrices.csv"
BREAKS_CSV = HAND_DIR / "energy_breaks.csv"
EVENTS_CSV = HAND_DIR / "energy_events.csv"

#: Gap filling and partial years: the shared rules with this indicator's parameters (indicators/hand/rules.csv).
RULE = rule_for(INDICATOR_ID)
#: Longest run of missing years that may be bridged by linear interpolation (from :data:`RULE`).
MAX_INTERP_GAP = RULE.max_gap_years
#: Furthest a sourced value may be carried forward or back, in years (from :data:`RULE`).
MAX_CARRY = RULE.max_carry_years
#: Two candidates for one cell differing by more than this many points are marked ``disagree:`` in the note.
DISAGREE_POINTS = 3.0

PART_LABELS = {
    "G": "G = Russia's share of gas imports",
    "X": "X = share of oil/gas exports routed via or sold to Russia",
    "P": "P = Russia's share of petroleum-product imports",
}

#: Criterion for the third part P (fuel imports). Every condition needs a cited row; a state without cited
#: evidence for all three is not eligible (so Kyrgyzstan and Georgia, which have fuel-import figures, are not).
P_CRITERION = (
    "P (Russia's share of petroleum-product imports, LPG included) is used only for a state that (1) exports no "
    "oil or gas, (2) imported less than 0.5 bcm of natural gas a year in every cited year, and (3) has a cited "
    "statement that its imported gas goes mainly to industry (no general household/heating supply); each "
    "condition must be backed by a cited row. Only Tajikistan qualifies: 133 mcm imported in 2012 (AFP), "
    "156.5 mcm in Jan-Jun 2024 (Ministry of Energy), gas 'purchased mainly from Uzbekistan for industrial use'; "
    "it has no oil or gas exports"
)
#: States meeting :data:`P_CRITERION` (the only ones whose PARTS may contain a P part).
P_STATES: frozenset[str] = frozenset({"TJK"})

#: Date the bulk extracts were read (raw/README.md: added 2026-12-01).
BULK_ACCESSED = dt.date(2026, 12, 1)

#: Dataset keys in order of precedence (first = preferred). See the module docstring.
PRECEDENCE: tuple[str, ...] = ("eurostat_tj", "comtrade", "bp", "eurostat_m3", "iea", "cited_raw", "cited_hand")

SRC_EUROSTAT = "energy-eurostat-nrg-ti-gasm"
SRC_COMTRADE = "energy-comtrade-armenia-gas"
SRC_IEA = "energy-iea-gas-trade-flows-2024-02"

#: The bulk datasets (figure_year is set to the years actually used).
BULK_SOURCES: dict[str, Source] = {
    SRC_EUROSTAT: Source(
        source_id=SRC_EUROSTAT,
        producer="Eurostat",
        title=(
            "Imports of natural gas by partner country - monthly data (nrg_ti_gasm), G3000, TJ (GCV) and million m3; "
            "as pulled by CREA (energyandcleanair/fossil_shipment_tracker_r, inst/extdata/eurostat.RDS, commit 555c436)"
        ),
        url="https://ec.europa.eu/eurostat/databrowser/view/nrg_ti_gasm/default/table",
        archive_url="https://github.com/energyandcleanair/fossil_shipment_tracker_r/blob/555c436/inst/extdata/eurostat.RDS",
        figure_year="2013-2022",
        accessed=BULK_ACCESSED,
        licence="CC BY 4.0 (Eurostat re-use policy)",
        quote="Imports of natural gas by partner country - monthly data",
    ),
    SRC_COMTRADE: Source(
        source_id=SRC_COMTRADE,
        producer="UN Comtrade (reporter Armenia)",
        title=(
            "UN Comtrade, Armenia imports of natural gas in gaseous state (HS 271121) by partner, monthly, net weight; "
            "as downloaded in tavad/tvyal_newsletter (2024/2024_13_00_petrol_price/fuel_imports.csv, commit 4241de3)"
        ),
        url="https://comtradeplus.un.org/TradeFlow",
        archive_url="https://github.com/tavad/tvyal_newsletter/blob/4241de3/2024/2024_13_00_petrol_price/fuel_imports.csv",
        figure_year="2013-2025",
        accessed=BULK_ACCESSED,
        licence="UN Comtrade terms of use",
        quote="reporter Armenia, flow M, commodity 271121, partners Russian Federation, Iran",
    ),
    SRC_IEA: Source(
        source_id=SRC_IEA,
        producer="International Energy Agency",
        title=(
            "IEA Gas Trade Flows, release 2024-02 (Export_GTF_IEA_202402.xlsx, sheet GTF_data): monthly natural-gas "
            "flows by border point, Oct 2008 - Feb 2024, million m3"
        ),
        url="https://www.iea.org/data-and-statistics/data-product/gas-trade-flows",
        archive_url=(
            "https://github.com/Maxplanas24/Visualitzacio_de_dades_PAC2/blob/"
            "02267dc2403968671da70e045f825e7c523be898/Export_GTF_IEA_202402.xlsx"
        ),
        figure_year="2013-2023",
        accessed=dt.date(2026, 12, 7),
        licence="IEA terms of use (free dataset; cite 'IEA Gas Trade Flows')",
        quote="Unit: Million cubic metres",
    ),
}

#: Partners through which Russian pipeline gas reaches a Baltic state and that export no gas of their own:
#: Eurostat records the transit country as partner (Lithuania's gas 'from Belarus' 2013-2022), so gas consigned
#: from them is counted as Russian. Belarus imports all its gas from Russia and is no exporter in the bp 2020
#: pipeline matrix, so this is arithmetic on the Eurostat figures, not an estimate (status stays observed); the
#: note shows the Belarus part. Latvia (Incukalns storage, Russian gas and Klaipeda LNG mixed) is not counted.
RUSSIAN_GAS_TRANSIT = ("Belarus",)
#: Eurostat reporters read for G (the file's Georgia, Moldova and Ukraine rows have no partner detail).
EUROSTAT_COUNTRIES = ("Estonia", "Latvia", "Lithuania")
#: IEA: a year is used only if all 12 months are in the file and the entries recorded reach this fraction of
#: the country's median annual entries over such years (so that a re-routing to points outside the file, e.g.
#: Moldova from 2020, does not read as a share of a tiny remainder).
IEA_MIN_COVERAGE = 0.5
#: IEA routes per country: (exits whose entries count as Russian gas, exit destinations that are transit of that
#: gas and are subtracted from both sides, proxy?). Estonia and Latvia: entries from Russia. Lithuania: entries
#: from Russia or Belarus (which only transits Russian gas, as in the Eurostat rule above) less what leaves for
#: Russia at Sakiai (transit to Kaliningrad: 2,173 of 2,291 Mm3 entering from Belarus in 2022); the netting assumes
#: the year's transit entries equal its exits, so the remainder (118 Mm3 in 2022, 158 in 2023, when Lithuania
#: reports no Russian imports after April 2022) is a proxy. Moldova: entries from Ukraine, counted as Gazprom's
#: gas, a proxy.
IEA_ROUTES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "Estonia": (("Russia",), (), False),
    "Latvia": (("Russia",), (), False),
    "Lithuania": (("Russia", "Belarus"), ("Russia",), True),
    "Moldova": (("Ukraine",), (), True),
}


@dataclass(frozen=True)
class Matrix:
    """One edition of the Statistical Review pipeline-trade matrix (a row of ``energy_matrices.csv``)."""

    edition: str
    year: int
    path: str  # the verbatim sheet, relative to the raw folder
    header_fix: tuple[str, str] | None  # (after, label): a header label missing from the published sheet
    russia_row: bool  # False: the sheet's Russia row is empty by construction (exports are not read)
    source: Source

    @property
    def source_id(self) -> str:
        return self.source.source_id

    @property
    def label(self) -> str:
        return f"{self.source.producer.split()[0]} Statistical Review ({self.edition[2:]} edition)"


def read_matrices(path: Path = MATRICES_CSV) -> tuple[Matrix, ...]:
    """The editions of the pipeline-trade matrix, with their sources (producer page first, copy read as archive)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = []
    for r in df.itertuples(index=False):
        out.append(
            Matrix(
                edition=r.edition,
                year=int(r.data_year),
                path=r.path,
                header_fix=(r.header_fix_after, r.header_fix_label) if r.header_fix_after else None,
                russia_row=r.russia_row == "yes",
                source=Source(
                    source_id=f"energy-statreview-{r.edition}-pipeline",
                    producer=r.producer,
                    title=r.title,
                    url=r.url,
                    archive_url=r.archive_url,
                    figure_year=r.data_year,
                    accessed=BULK_ACCESSED,
                    licence="Statistical Review terms (free use with attribution)",
                    quote=f"Natural Gas: Trade movements {r.data_year} by pipeline",
                ),
            )
        )
    return tuple(out)


MATRICES: tuple[Matrix, ...] = read_matrices()
#: Importer rows read from the matrices (G): the only states of the 14 the Review shows on their own
#: (Ukraine to data year 2020; the others are inside "Other CIS" or "EU").
MATRIX_IMPORTERS = {"BLR": "Belarus", "KAZ": "Kazakhstan", "UKR": "Ukraine"}
#: Exporter columns read from the matrices (X = share of pipeline-gas exports sold to Russia). Kazakhstan's gas
#: column is not read: its X is oil routed through Russia (CPC), its main export.
MATRIX_EXPORTERS = {"TKM": "Turkmenistan", "UZB": "Uzbekistan"}

#: Row key: (table, country as spelled in the CSV, year, measure); table is "raw" or "hand".
RowKey = tuple[str, str, int, str]

#: The seed article cited for Kazakhstan 2022 (the archived copy is a Charter97 mirror).
SEED_CHARTER97 = Source(
    source_id="energy-seed-charter97-2023-01-31",
    producer="Charter97 (relaying Bloomberg)",
    title="Bloomberg: Former Soviet Countries Create New Alliances Against Russia (Charter97, 2023-01-31)",
    url="https://mb6k2s.c97.org/en/news/2023/1/31/534402/",
    figure_year="2022",
    accessed=COMPILED_ACCESSED,
    licence="quoted for citation; see the page",
    quote="This is the pipeline through which Kazakhstan sends about 80% of its oil exports.",
)
SEED_SOURCES = {SEED_CHARTER97.source_id: SEED_CHARTER97}


@dataclass(frozen=True)
class PartSpec:
    """One cited part-year and how it is computed from cited rows (one row of ``energy_parts.csv``).

    ``method``:
      * ``value`` -- the first row's value (a range ``a-b`` gives the midpoint, ``a of b`` gives 100*a/b);
      * ``ratio`` -- 100 * row0 / row1 (Russian volume over total of the same year);
      * ``share_of_sum`` -- 100 * row0 / (row0 + row1 + ...) (Russian volume over the sum of all named suppliers);
      * ``complement`` -- 100 * (row1 - row0) / row1 (total minus the non-Russian volume, over the total);
      * ``relative`` -- 100 / (1 + row0/100), where row0 gives the other supplier as % of the Russian volume;
      * ``zero_volume`` -- the first row is a Russian volume of exactly 0, so the share is 0;
      * ``sum`` -- row0 + row1 + ... (shares of one total from one page, e.g. two export routes through Russia).
    Rows after the ones the method needs are cited as corroboration. ``reasons`` are status reasons
    (``common.ESTIMATE_REASONS``) that the rows' notes do not carry themselves, e.g. ``assumption``.
    """

    iso3: str
    year: int
    part: str
    method: str
    rows: tuple[RowKey, ...]
    reasons: frozenset[str] = frozenset()
    note: str = ""
    extra_sources: tuple[str, ...] = field(default=())

    @property
    def estimated(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class Candidate:
    """One candidate value for a (country, year, part) cell, from one dataset."""

    iso3: str
    year: int
    part: str
    value: float
    dataset: str  # a key of PRECEDENCE
    label: str  # the dataset as named in notes
    how: str  # the arithmetic, for the note
    source_ids: frozenset[str]
    reasons: frozenset[str] = frozenset()

    @property
    def status(self) -> str:
        return sourced_status(self.reasons)


# ----------------------------------------------------------------------------- declared tables


def _row_key(text: str) -> RowKey:
    table, country, year, measure = (t.strip() for t in text.split(":"))
    if table not in ("raw", "hand"):
        raise ValueError(f"row reference {text!r}: table must be 'raw' or 'hand'")
    return (table, country, int(year), measure)


def read_parts(path: Path = PARTS_CSV) -> tuple[PartSpec, ...]:
    """The cited part-years declared in ``energy_parts.csv`` (rows: ``table:country:year:measure`` joined by ``|``)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = []
    for r in df.itertuples(index=False):
        out.append(
            PartSpec(
                iso3=r.iso3,
                year=int(r.year),
                part=r.part,
                method=r.method,
                rows=tuple(_row_key(t) for t in r.rows.split("|")),
                reasons=frozenset(x.strip() for x in r.reasons.split(";") if x.strip()),
                note=r.note,
                extra_sources=tuple(x.strip() for x in r.extra_sources.split(";") if x.strip()),
            )
        )
    return tuple(out)


def read_breaks(path: Path = BREAKS_CSV) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[str, RowKey]]]:
    """Dated regime breaks per country, and dated cut-offs to zero (date, row stating it), from ``energy_breaks.csv``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    breaks: dict[str, list[int]] = {}
    zero: dict[str, tuple[str, RowKey]] = {}
    for r in df.itertuples(index=False):
        breaks.setdefault(r.iso3, []).append(int(r.year))
        if r.zero_from:
            if int(r.zero_from[:4]) != int(r.year):
                raise ValueError(f"{path.name}: {r.iso3} cut-off {r.zero_from} is not in its break year {r.year}")
            zero[r.iso3] = (r.zero_from, _row_key(r.row))
    return {k: tuple(sorted(v)) for k, v in breaks.items()}, zero


def read_events(path: Path = EVENTS_CSV) -> tuple[tuple[str, str, str, RowKey | str], ...]:
    """Timeline events (iso3, date, description, row stating it or ``seed:<source id>``) from ``energy_events.csv``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return tuple(
        (r.iso3, r.date, r.description, r.ref.removeprefix("seed:") if r.ref.startswith("seed:") else _row_key(r.ref))
        for r in df.itertuples(index=False)
    )


PARTS: tuple[PartSpec, ...] = read_parts()
BREAKS, ZERO_FROM = read_breaks()
EVENTS = read_events()


# ----------------------------------------------------------------------------- bulk datasets


def eurostat_candidates(raw: Path) -> list[Candidate]:
    """G for the Baltic states from Eurostat ``nrg_ti_gasm`` (monthly gas imports by partner).

    Per country, year and unit (TJ -> dataset ``eurostat_tj``; m3 -> ``eurostat_m3``): 100 * (imports from
    Russia + from :data:`RUSSIAN_GAS_TRANSIT`) / imports from all partners recorded. A month absent from the file
    counts as zero when the IEA records no entry flow into the country that month (Latvia imports nothing in
    winter, drawing on Incukalns storage); a year with other months absent is a partial year (``partial_year``,
    usable if ``common.partial_ok``).
    """
    df = pd.read_csv(
        raw / "eurostat_energy_imports_by_partner" / "eurostat_imports_by_partner_monthly_EE_LV_LT_GE_MD_UA.csv"
    )
    df = df[(df["commodity"] == "gas_all") & df["country"].isin(EUROSTAT_COUNTRIES) & (df["value"] > 0)]
    df = df.assign(year=df["date"].str[:4].astype(int), month=df["date"].str[5:7].astype(int))
    zero_months = iea_zero_entry_months(raw)
    out = []
    for (country, unit, year), g in df.groupby(["country", "unit", "year"], sort=True):
        if year not in YEARS:
            continue
        months = set(g["month"])
        missing = sorted(set(range(1, 13)) - months - zero_months.get((country, year), set()))
        total = float(g["value"].sum())
        ru = float(g.loc[g["partner"] == "Russia", "value"].sum())
        tr = float(g.loc[g["partner"].isin(RUSSIAN_GAS_TRANSIT), "value"].sum())
        if total <= 0:
            continue
        reasons = set()
        if missing:
            covered = 12 - len(missing)
            if not partial_ok(covered, RULE):
                continue
            reasons.add("partial_year")
        u = "TJ" if unit == "TJ" else "mcm"
        scale = 1 if unit == "TJ" else 1e-6
        num = f"{_fmt(round(ru * scale, 1))}" + (
            f" + Belarus (transit of Russian gas) {_fmt(round(tr * scale, 1))}" if tr > 0 else ""
        )
        how = f"100*(Russia {num})/{_fmt(round(total * scale, 1))} {u}"
        if missing:
            how += f", {12 - len(missing)} months (no data for months {','.join(map(str, missing))})"
        zm = sorted(zero_months.get((country, year), set()) - months)
        if zm:
            how += f"; months {','.join(map(str, zm))} zero (no IEA entry flow)"
        out.append(
            Candidate(
                country_iso3(country),
                int(year),
                "G",
                min(100.0, 100 * (ru + tr) / total),
                "eurostat_tj" if unit == "TJ" else "eurostat_m3",
                f"Eurostat nrg_ti_gasm ({u})",
                how,
                frozenset({SRC_EUROSTAT}),
                frozenset(reasons),
            )
        )
    return out


def _iea(raw: Path) -> pd.DataFrame:
    """IEA flows (release 2024-02), long: exit, entry, year, month, value (Mm3); 'Moldova, Republic' spelled Moldova.

    Cells that are not numbers (``N/A``: not reported) are 0 here, as in the older release the builder read before.
    """
    df = pd.read_csv(raw / "iea_gas_trade_flows_2024_02" / "iea_gtf_202402_borderpoints_15countries_monthly.csv")
    months = [c for c in df.columns if re.fullmatch(r"[A-Z][a-z]{2}-\d{2}", str(c))]
    long = df.melt(id_vars=["Borderpoint", "Exit", "Entry"], value_vars=months, var_name="mon", value_name="value")
    long = long.replace({"Moldova, Republic": "Moldova"})
    long["value"] = pd.to_numeric(long["value"], errors="coerce").fillna(0.0)
    when = pd.to_datetime(long["mon"], format="%b-%y")
    return long.assign(year=when.dt.year, month=when.dt.month, ym=when.dt.strftime("%Y-%m"))


def iea_zero_entry_months(raw: Path) -> dict[tuple[str, int], set[int]]:
    """(country, year) -> months in which the IEA records no entry flow at all into the country."""
    long = _iea(raw)
    per = long.groupby(["Entry", "year", "month"])["value"].sum()
    out: dict[tuple[str, int], set[int]] = {}
    for (entry, year, month), v in per.items():
        if v <= 0:
            out.setdefault((entry, int(year)), set()).add(int(month))
    return out


def iea_candidates(raw: Path) -> list[Candidate]:
    """G from IEA physical entry flows, per year: 100 * (entries from the route's Russian exits - transit out) /
    (all entries - transit out), with the route as declared in :data:`IEA_ROUTES`.

    Used for years with 12 months in the file whose entries reach :data:`IEA_MIN_COVERAGE` of the country's median
    annual entries. Where the exit is Russia itself (or Belarus, which only transits Russian gas) the entry is gas
    consigned from Russia, the same measure as Eurostat's partner data: arithmetic on one producer's figures,
    ``observed`` for a full year. Where the exit is a transit country whose gas is only assumed to be Russian
    (Moldova: entries from Ukraine), it is a physical-route proxy: ``estimated`` (reason ``proxy``).
    """
    long = _iea(raw)
    out = []
    for country, (russian, transit_to, proxy) in IEA_ROUTES.items():
        g = long[long["Entry"] == country]
        n_months = g.groupby("year")["ym"].nunique()
        full = [y for y, n in n_months.items() if n == 12]
        tot = g[g["year"].isin(full)].groupby("year")["value"].sum()
        ru = g[g["year"].isin(full) & g["Exit"].isin(russian)].groupby("year")["value"].sum()
        x = long[(long["Exit"] == country) & long["Entry"].isin(transit_to)].groupby("year")["value"].sum()
        if tot.empty:
            continue
        floor = IEA_MIN_COVERAGE * float(tot.median())
        for year, t in tot.items():
            if year not in YEARS or t <= 0 or t < floor:
                continue
            r, tr = float(ru.get(year, 0.0)), float(x.get(year, 0.0))
            r_net, t_net = max(r - tr, 0.0), float(t) - tr
            if t_net <= 0:
                continue
            how = f"100*{_fmt(round(r_net, 1))}/{_fmt(round(t_net, 1))} Mm3 entering from {'/'.join(russian)}"
            if tr:
                how += f" (less {_fmt(round(tr, 1))} Mm3 leaving for {'/'.join(transit_to)}: transit)"
            out.append(
                Candidate(
                    country_iso3(country),
                    int(year),
                    "G",
                    min(100.0, 100 * r_net / t_net),
                    "iea",
                    "IEA Gas Trade Flows (entries by border point)",
                    how,
                    frozenset({SRC_IEA}),
                    frozenset({"proxy"} if proxy else ()),
                )
            )
    return out


def comtrade_candidates(raw: Path) -> list[Candidate]:
    """G for Armenia: 100 * natural-gas imports (HS 271121) from Russia / from all partners, by net weight.

    A year with fewer than 12 months in the file is a partial year (usable if ``common.partial_ok``).
    """
    path = (
        raw
        / "armenia_fuel_imports_by_partner"
        / "comtrade_armenia_fuel_and_gas_imports_by_partner_monthly_2010_2025.csv"
    )
    df = pd.read_csv(path, encoding="utf-8-sig", encoding_errors="replace")
    g = df[df["commodity_code"] == 271121]
    g = g.assign(year=g["period"].str[:4].astype(int))
    out = []
    for year, y in g.groupby("year", sort=True):
        if year not in YEARS:
            continue
        months = y["period"].nunique()
        if not partial_ok(None if months == 12 else months, RULE):
            continue
        total = float(y["netweight_kg"].sum())
        ru = float(y.loc[y["partner"] == "Russian Federation", "netweight_kg"].sum())
        how = f"100*{_fmt(round(ru / 1e6, 1))}/{_fmt(round(total / 1e6, 1))} thousand t"
        if months < 12:
            how += f", {months} months"
        out.append(
            Candidate(
                "ARM",
                int(year),
                "G",
                100 * ru / total,
                "comtrade",
                "UN Comtrade (Armenia, HS 271121, net weight)",
                how,
                frozenset({SRC_COMTRADE}),
                frozenset({"partial_year"} if months < 12 else ()),
            )
        )
    return out


def _matrix_number(cell: str) -> float | None:
    """A cell of a Statistical Review matrix: a number, ``-``/``†``/``^`` (nil or below 0.05 bcm) as 0, else None."""
    c = str(cell).strip()
    if c in ("-", "†", "^", "0"):
        return 0.0
    try:
        return float(c)
    except ValueError:
        return None


def read_matrix(path: Path, fix: tuple[str, str] | None = None) -> pd.DataFrame:
    """One pipeline-trade sheet as a frame: rows = importers ('To', plus 'Total exports'), columns = exporters.

    ``fix = (after, label)`` inserts a header label missing from the published sheet after ``after`` (bp 2015).
    """
    import csv

    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if r]
    hdr = [c.strip() for c in next(r for r in rows if r[0].strip() == "To")]
    if fix is not None:
        i = hdr.index(fix[0]) + 1
        hdr = hdr[:i] + [fix[1]] + hdr[i:]
    body = {}
    for r in rows:
        name = r[0].strip()
        if name and name != "To" and len(r) > 2:
            body[name] = {h: _matrix_number(v) for h, v in zip(hdr[1:], r[1:], strict=False) if h}
    return pd.DataFrame.from_dict(body, orient="index")


def matrix_candidates(raw: Path) -> list[Candidate]:
    """G (pipeline imports) and X (pipeline exports) from the Statistical Review matrices (:data:`MATRICES`).

    Imports, for each row in :data:`MATRIX_IMPORTERS`: 100 * cell (row = country, column 'Russian Federation') /
    the row's 'Total imports'. Exports, for each column in :data:`MATRIX_EXPORTERS`: 100 * cell (row 'Russian
    Federation', column = country) / the column's 'Total exports' (editions whose Russia row is empty by
    construction, ``russia_row`` = no, are skipped for exports). A country absent from an edition's
    rows (Ukraine from data year 2021) gives no candidate.
    """
    out = []
    for ed in MATRICES:
        m = read_matrix(Path(raw) / ed.path, ed.header_fix)
        for iso3, name in MATRIX_IMPORTERS.items():
            if name not in m.index:
                continue
            ru, tot = m.loc[name, "Russian Federation"], m.loc[name, "Total imports"]
            if ru is None or tot is None or pd.isna(ru) or pd.isna(tot) or tot <= 0:
                continue
            how = f"100*{ru:.2f}/{tot:.2f} bcm pipeline imports from Russia / total"
            out.append(Candidate(iso3, ed.year, "G", 100 * ru / tot, "bp", ed.label, how, frozenset({ed.source_id})))
        if not ed.russia_row:
            continue
        for iso3, name in MATRIX_EXPORTERS.items():
            if name not in m.columns:  # bp 2015 has Uzbekistan inside "Other Former Soviet Union"
                continue
            ru, tot = m.loc["Russian Federation", name], m.loc["Total exports", name]
            if pd.isna(ru) or pd.isna(tot) or tot <= 0:
                continue
            how = f"100*{ru:.2f}/{tot:.2f} bcm pipeline exports to Russia / total"
            out.append(Candidate(iso3, ed.year, "X", 100 * ru / tot, "bp", ed.label, how, frozenset({ed.source_id})))
    return out


def bulk_candidates(raw: Path) -> list[Candidate]:
    """Every candidate from the bulk datasets."""
    raw = Path(raw)
    return eurostat_candidates(raw) + comtrade_candidates(raw) + matrix_candidates(raw) + iea_candidates(raw)


def choose(cands: list[Candidate]) -> dict[tuple[str, int, str], tuple[Candidate, list[Candidate]]]:
    """The precedence rule: per (iso3, year, part), a full-year candidate before a partial-year one, then the
    candidate whose dataset comes first in :data:`PRECEDENCE` (ties: the order given); returns (kept, the others
    in that order). A full year beats a part of it as in the trade rule (Eurostat Jan-Jul 2022 gives way to the
    IEA's full year 2022 for the Baltic states)."""
    rank = {d: i for i, d in enumerate(PRECEDENCE)}
    by: dict[tuple[str, int, str], list[tuple[int, int, Candidate]]] = {}
    for i, c in enumerate(cands):
        by.setdefault((c.iso3, c.year, c.part), []).append(("partial_year" in c.reasons, rank[c.dataset], i, c))
    out = {}
    for key, lst in by.items():
        ordered = [t[-1] for t in sorted(lst, key=lambda t: t[:3])]
        out[key] = (ordered[0], ordered[1:])
    return out


def others_note(kept: Candidate, others: list[Candidate]) -> str:
    """'disagree: <dataset> 93.0; agrees: <dataset> 46.4' for the candidates not kept (in precedence order)."""
    bits = []
    for o in others:
        tag = "disagree:" if abs(o.value - kept.value) > DISAGREE_POINTS else "agrees:"
        part = " (partial year)" if "partial_year" in o.reasons else ""
        bits.append(f"{tag} {o.label}{part} {o.value:.1f}")
    return "; ".join(bits)


def indicator(source_ids: tuple[str, ...]) -> Indicator:
    """The catalogue record of ``pipeline_dependence``."""
    return Indicator(
        id=INDICATOR_ID,
        **indicator_fields(INDICATOR_ID),
        unit="% (largest of the shares)",
        scale="percent",
        bounds=(0.0, 100.0),
        goalposts=(0.0, 100.0),
        definition=(
            "The larger of two shares, in %: (G) Russia's share of the country's natural-gas imports (or, where "
            "only that is reported, of its gas supply/consumption) and (X) the share of the country's oil or gas "
            "exports that transit Russian pipelines or ports or are sold to Russia through them (Kazakh oil via "
            "the CPC to Novorossiysk, Azerbaijani oil via Baku-Novorossiysk, Turkmen and Uzbek gas sold to "
            "Gazprom). For a state that exports no oil or gas and imports little gas, all of it for industry "
            "(only Tajikistan), a third share counts as well: (P) Russia's share of its petroleum-product (fuel) "
            "imports. 100 = all gas imports (or, for P, all fuel imports) from Russia or all exports routed "
            "through Russia. One meaning for importers and exporters: the share of the state's main cross-border "
            "hydrocarbon flow that Russia supplies, buys or carries, i.e. how much of it Moscow can interrupt. For an "
            "importer (Armenia, Belarus, the Baltic states, Georgia, Kyrgyzstan, Moldova, Ukraine) that is its gas "
            "supply; for an exporter it is its export outlet: Turkmenistan's and Uzbekistan's pipeline-gas exports "
            "sold to Russia, Azerbaijan's and Kazakhstan's oil exports shipped through Russian pipelines to "
            "Novorossiysk. A low value for Turkmenistan or Azerbaijan means their exports go around Russia (to "
            "China, Iran, Turkey, Europe via Georgia), not that they import gas elsewhere."
        ),
        coding_rule=(
            "value = max(available parts): dependence through either channel gives Moscow leverage. A part with "
            "no figure is left out, never set to 0; the note of every row lists the parts used, so a value "
            "from one part is a lower bound of the two-channel maximum. PRECEDENCE, per country-year-part (bulk "
            "official data first, cited page figures last): (1) Eurostat nrg_ti_gasm monthly gas imports by partner "
            "in TJ (Estonia, Latvia, Lithuania; Russia's share = imports consigned from Russia, plus from Belarus, "
            "which only transits Russian gas, over imports from all partners; a month absent from Eurostat counts as "
            "zero when the IEA records no entry into the country that month); (2) UN Comtrade, Armenia's natural-gas "
            "imports (HS 271121) by partner, net weight; (3) the bp / Energy Institute Statistical Review pipeline-trade "
            "matrices, editions 2015 and 2017-2024 and 2026 (data years 2014, 2016-2023, 2025; Belarus and Kazakhstan "
            "imports every year, Ukraine to 2020; Turkmenistan and Uzbekistan exports sold to Russia, not 2025, whose "
            "sheet leaves out intra-regional trade); (4) Eurostat in million "
            "m3 (cross-check); (5) IEA Gas Trade Flows, share of physical entries coming from Russia (Moldova: from "
            "Ukraine, Gazprom's gas; always estimated, a physical-route proxy; a year is used only with 12 months and "
            f"entries of at least {IEA_MIN_COVERAGE:.0%} of the country's median); (6) cited page figures "
            "(compiled_cited/energy_dependence.csv, then indicators/hand/energy_extra.csv, combined as declared in "
            "indicators/hand/energy_parts.csv: a range 'a-b' at its midpoint; 'a of b' as 100*a/b; Russian volume "
            "over the total or over the sum of named suppliers; Ukraine 2013 = the share stated by the Presidential Administration, matching total minus European "
            "imports). The "
            "first available is kept; the note names every other candidate, marked 'disagree:' if it differs by more "
            f"than {DISAGREE_POINTS:g} points. For Kazakhstan X is the CPC share (2013 and 2022: CPC plus Atyrau-Samara, "
            "both given on one page), a lower bound of oil exports via Russia. Moldova from Dec 2022 is the government-controlled right bank. Uzbekistan 2023-2024: G is "
            "Russian gas over (domestic production + Russian gas), a proxy for Russia's share of supply. "
            f"{P_CRITERION}. For other states petroleum-product imports are not coded. Status (one policy for all "
            "builders): observed = a full-year figure of one producer, or arithmetic on one producer's figures of "
            "the same year, with no qualifier; estimated = partial year (at least "
            f"{RULE.min_partial_months} months, else unused), year inferred, bound, approximate, physical-route "
            "proxy, or an assumption declared in energy_parts.csv (plans, late-year snapshots, unlisted suppliers). "
            "Gap filling (shared rule, indicators/hand/rules.csv): linear interpolation between two sourced years "
            f"at most {MAX_INTERP_GAP} missing years apart (imputed); otherwise the nearest sourced value carried "
            f"at most {MAX_CARRY} years forward or back (carried_forward). Neither crosses a dated break "
            "(indicators/hand/energy_breaks.csv: Baltic states 2022; Lithuania 2015 LNG; Moldova 2022 and 2025; "
            "Ukraine 2015; Uzbekistan 2020 and 2023; Turkmenistan 2016 and 2024) and break years are never filled; "
            "a dated cut-off to zero (Baltic states, 2022-04-01) is carried forward as 0 for at most "
            f"{MAX_CARRY} years."
        ),
        years_note=(
            "Eurostat: Estonia, Latvia, Lithuania 2013-2021; IEA full years: the Baltic states 2022-2023 "
            "(Lithuania estimated), Moldova 2013-2019 (estimated); UN Comtrade: Armenia 2013-2024 (2025 Jan-Jun, "
            "estimated); bp / Energy Institute matrices: Belarus and Kazakhstan 2014, 2016-2023, 2025, Ukraine 2014, "
            "2016-2020, Turkmenistan 2014, 2016-2023, Uzbekistan 2016-2023 (no edition for data years 2013, 2015 "
            "and 2024 was found); other years and states from cited pages, interpolated or carried "
            "where allowed. Tajikistan's values come from P only (fuel imports, mostly partial-year figures). "
            "Turkmenistan 2025 is missing (supplies to Gazprom suspended from summer 2024)."
        ),
        source_ids=source_ids,
    )


# ----------------------------------------------------------------------------- reading inputs


def read_rows(raw: Path, hand_csv: Path = HAND_CSV) -> dict[RowKey, pd.Series]:
    """All cited rows, keyed by (table, country, year, measure).

    Raises ValueError naming the file if an input is missing, a country is unknown or a key appears twice.
    """
    tables = {"raw": Path(raw) / "compiled_cited" / RAW_FILE, "hand": Path(hand_csv)}
    out: dict[RowKey, pd.Series] = {}
    for table, path in tables.items():
        if not path.exists():
            raise ValueError(f"{path} is missing: the energy builder needs it (raw folder or indicators/hand/)")
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        df["iso3"] = df["country"].map(country_iso3)
        for _, row in df.iterrows():
            if not figure_in_quote(row["value"], row["quote"]):
                continue  # the quote test (issue 14): a row whose quote does not state its figure is not used
            key = (table, row["country"], int(row["year"]), row["measure"])
            if key in out:
                raise ValueError(f"{path.name}: two rows for {key[1:]}; make (country, year, measure) unique")
            out[key] = row
    return out


def parse_value(text: str) -> tuple[float, str]:
    """Numeric value of a compiled cell and a note on how it was read.

    ``"80-85"`` -> (82.5, "midpoint of 80-85"); ``"5.7 of 8.06"`` -> (70.72.., "100*5.7/8.06");
    a plain number -> (number, ""). Raises ValueError on anything else.
    """
    s = str(text).strip()
    m = re.fullmatch(r"(-?[\d.]+)\s*-\s*([\d.]+)", s)
    if m:
        lo, hi = float(m.group(1)), float(m.group(2))
        return (lo + hi) / 2, f"midpoint of {s}"
    m = re.fullmatch(r"([\d.]+)\s+of\s+([\d.]+)", s)
    if m:
        a, b = float(m.group(1)), float(m.group(2))
        if b == 0:
            raise ValueError(f"ratio {s!r} has a zero denominator")
        return 100 * a / b, f"100*{m.group(1)}/{m.group(2)}"
    try:
        return float(s), ""
    except ValueError:
        raise ValueError(f"cannot read {s!r} as a number, a range 'a-b' or a ratio 'a of b'") from None


def _fmt(x: float) -> str:
    """A number for a note: integers without decimals or exponent, others with up to 6 significant digits."""
    return str(int(x)) if float(x).is_integer() else f"{x:.6g}"


def compute_part(spec: PartSpec, rows: dict[RowKey, pd.Series]) -> tuple[float, str]:
    """Value (in %) of one part and a note on the arithmetic. See :class:`PartSpec` for the methods.

    Raises ValueError if a row is missing, a denominator is zero or the result is outside 0..100.
    """
    missing = [k for k in spec.rows if k not in rows]
    if missing:
        raise ValueError(
            f"{spec.iso3} {spec.year} {spec.part}: input row(s) {missing} not found; fix PARTS or the CSVs"
        )
    vals = [parse_value(rows[k]["value"])[0] for k in spec.rows]
    how = ""
    if spec.method == "value":
        v, how = parse_value(rows[spec.rows[0]]["value"])
    elif spec.method == "ratio":
        if vals[1] == 0:
            raise ValueError(f"{spec.iso3} {spec.year}: total is zero")
        v, how = 100 * vals[0] / vals[1], f"100*{_fmt(vals[0])}/{_fmt(vals[1])}"
    elif spec.method == "share_of_sum":
        total = sum(vals)
        if total == 0:
            raise ValueError(f"{spec.iso3} {spec.year}: sum of suppliers is zero")
        v, how = 100 * vals[0] / total, f"100*{_fmt(vals[0])}/({' + '.join(_fmt(x) for x in vals)})"
    elif spec.method == "complement":
        if vals[1] == 0:
            raise ValueError(f"{spec.iso3} {spec.year}: total is zero")
        v, how = 100 * (vals[1] - vals[0]) / vals[1], f"100*({_fmt(vals[1])} - {_fmt(vals[0])})/{_fmt(vals[1])}"
    elif spec.method == "relative":
        v, how = 100 / (1 + vals[0] / 100), f"100/(1 + {_fmt(vals[0])}/100)"
    elif spec.method == "sum":
        v, how = sum(vals), " + ".join(_fmt(x) for x in vals)
    elif spec.method == "zero_volume":
        if vals[0] != 0:
            raise ValueError(f"{spec.iso3} {spec.year}: zero_volume row has value {vals[0]}, expected 0")
        v, how = 0.0, "Russian volume is 0"
    else:
        raise ValueError(f"unknown method {spec.method!r} in PARTS")
    if not 0 <= v <= 100:
        raise ValueError(f"{spec.iso3} {spec.year} {spec.part}: computed {v:.2f} is outside 0..100")
    return v, how


def part_reasons(spec: PartSpec, rows: dict[RowKey, pd.Series]) -> set[str]:
    """Status reasons of one part (see ``common.ESTIMATE_REASONS``): the qualifiers in the notes of the rows the
    method uses (:func:`used_rows`; partial year, year inferred, bound, approximate), ``cross_source`` when those
    rows come from more than one page (a share computed across two sources is never observed), plus the reasons
    declared for the part in ``energy_parts.csv`` (e.g. ``assumption``).

    Raises ValueError if a used row is a partial year shorter than the rule's ``min_partial_months``.
    """
    needed = used_rows(spec)
    reasons = set().union(*(reasons_from_notes(rows[k].get("notes", "")) for k in needed))
    if len({str(rows[k]["source_url"]).strip() for k in needed}) > 1:
        reasons.add("cross_source")
    for k in needed:
        if not partial_ok(partial_months(str(rows[k].get("notes", ""))), RULE):
            raise ValueError(
                f"{spec.iso3} {spec.year} {spec.part}: row {k[1:]} covers fewer than {RULE.min_partial_months} months"
            )
    return reasons | set(spec.reasons)


def used_rows(spec: PartSpec) -> tuple[RowKey, ...]:
    """The rows a part's method computes with (the others are cited as corroboration)."""
    n = {"value": 1, "zero_volume": 1, "ratio": 2, "complement": 2, "relative": 2}.get(spec.method, len(spec.rows))
    return spec.rows[:n]


def part_status(spec: PartSpec, rows: dict[RowKey, pd.Series]) -> str:
    """The shared status policy (``common.sourced_status``) applied to :func:`part_reasons`."""
    return sourced_status(part_reasons(spec, rows))


# ----------------------------------------------------------------------------- sources


def build_sources(rows: dict[RowKey, pd.Series], used: dict[RowKey, set[int]]) -> dict[RowKey, Source]:
    """One Source per cited row, via ``compiled_source`` (prefix ``energy``).

    Rows sharing a URL and quote share a source id; its ``figure_year`` is the span of the rows' years and the
    years the source is used for (``"2017"`` or ``"2017-2018"``). Hand rows keep their own ``accessed`` date.
    """
    years_by_id: dict[str, set[int]] = {}
    made: dict[RowKey, Source] = {}
    for key, row in rows.items():
        src = compiled_source(row, PREFIX, key[2])
        made[key] = src
        years_by_id.setdefault(src.source_id, set()).update({key[2]} | used.get(key, set()))
    out = {}
    by_id: dict[str, Source] = {}
    for key, src in made.items():
        ys = sorted(years_by_id[src.source_id])
        span = str(ys[0]) if ys[0] == ys[-1] else f"{ys[0]}-{ys[-1]}"
        update = {"figure_year": span}
        if key[0] == "hand":
            update["accessed"] = dt.date.fromisoformat(str(rows[key]["accessed"]).strip())
        out[key] = src.model_copy(update=update)
        first = by_id.setdefault(out[key].source_id, out[key])
        if first != out[key]:
            raise ValueError(f"rows with URL {src.url} and the same quote differ in title or date; make them agree")
    return out


# ----------------------------------------------------------------------------- filling


def fill_series(
    anchors: dict[int, dict], breaks: tuple[int, ...] = (), zero_from: tuple[int, dict] | None = None
) -> dict[int, dict]:
    """Filled values for the panel years that have no sourced value.

    ``anchors``: year -> {"value", "sources", "parts"} of sourced (observed/estimated) values, possibly outside
    the panel years. Returns year -> {"value", "status", "sources", "note", "parts"} for filled years only.

    The shared rule ``common.fill_gaps`` with :data:`RULE` and the country's ``breaks`` decides every year
    (interpolation -> ``imputed``, else a carry -> ``carried_forward``). One addition for a dated cut-off:
    with ``zero_from=(cut-off year, info)`` (the cut-off year is a break), a year the shared rule leaves
    missing in the regime right after the cut-off, with no anchor before it in that regime, gets 0 carried
    forward up to ``MAX_CARRY`` years after the cut-off (the cut-off is a sourced 0 dated inside the break year).
    """
    values = {y: a["value"] for y, a in anchors.items()}
    out: dict[int, dict] = {}
    for y, f in fill_gaps(values, RULE, YEARS, breaks).items():
        used = [f.from_year] + ([f.to_year] if f.to_year is not None else [])
        out[y] = {
            "value": f.value,
            "status": f.status,
            "sources": set().union(*(anchors[a]["sources"] for a in used)),
            "parts": set().union(*(anchors[a]["parts"] for a in used)),
            "note": f.describe(y, "{:.1f}", values)
            + " [from: "
            + "; ".join(sorted(set().union(*(anchors[a].get("datasets", set()) for a in used))))
            + "]",
        }
    if zero_from is not None:
        cut, info = zero_from
        nxt_break = min([b for b in breaks if b > cut], default=YEARS[-1] + 1)
        regime = [a for a in anchors if cut < a < nxt_break]
        for y in YEARS:
            if y in anchors or y in out or cut not in breaks or not 0 < y - cut <= MAX_CARRY or y >= nxt_break:
                continue
            if any(a < y for a in regime):
                continue
            out[y] = {
                "value": 0.0,
                "status": CARRIED,
                "sources": info["sources"],
                "parts": {"G"},
                "note": f"carried forward: Russian gas imports at zero since {info['date']}",
            }
    return out


# ----------------------------------------------------------------------------- main


def _parts_note(parts: dict[str, tuple[float, str, str]], iso3: str = "") -> str:
    """'parts used: G = ... 80.0 (...); not available (no figure): X; ...' for the note column.

    P is listed as absent only for a state in :data:`P_STATES` (elsewhere it is not part of the indicator).
    """
    used = "; ".join(
        f"{PART_LABELS[p]} {v:.1f}" + (f" ({txt})" if txt else "") for p, (v, _, txt) in sorted(parts.items())
    )
    possible = ("G", "X", "P") if iso3 in P_STATES else ("G", "X")
    absent = [p for p in possible if p not in parts]
    tail = f"; not available (no figure): {', '.join(absent)}" if absent else ""
    return f"parts used: {used}{tail}; value = max of parts"


def cited_candidates(rows: dict[RowKey, pd.Series], sources: dict[RowKey, Source]) -> list[Candidate]:
    """One candidate per part-year declared in ``energy_parts.csv`` (see :class:`PartSpec`)."""
    out = []
    for s in PARTS:
        if not all(k in rows for k in s.rows):
            continue  # an input row was left out by the quote test: the part is not computed
        v, how = compute_part(s, rows)
        reasons = part_reasons(s, rows)
        flags = sorted(reasons - set(s.reasons))
        txt = "; ".join(x for x in (how, s.note, ", ".join(f.replace("_", " ") for f in flags)) if x)
        first = sources[s.rows[0]]
        out.append(
            Candidate(
                s.iso3,
                s.year,
                s.part,
                v,
                "cited_raw" if s.rows[0][0] == "raw" else "cited_hand",
                f"cited ({first.producer})",
                txt,
                frozenset({sources[k].source_id for k in s.rows} | set(s.extra_sources)),
                frozenset(reasons),
            )
        )
    return out


def _check_parts() -> None:
    keys = [(s.iso3, s.year, s.part) for s in PARTS]
    dups = {k for k in keys if keys.count(k) > 1}
    if dups:
        raise ValueError(f"energy_parts.csv declares {sorted(dups)} more than once")
    bad_p = sorted({s.iso3 for s in PARTS if s.part == "P"} - P_STATES)
    if bad_p:
        raise ValueError(
            f"energy_parts.csv has a P part for {bad_p}, not in P_STATES; P applies only where {P_CRITERION}"
        )
    unknown = sorted({s.part for s in PARTS} - set(PART_LABELS))
    if unknown:
        raise ValueError(f"energy_parts.csv uses unknown part(s) {unknown}; use one of {sorted(PART_LABELS)}")


def build(raw: Path) -> BuilderOutput:
    """Build ``pipeline_dependence`` from ``raw`` (see module docstring for formula, precedence and rules)."""
    raw = Path(raw)
    _check_parts()
    rows = read_rows(raw)
    used: dict[RowKey, set[int]] = {}
    for s in PARTS:
        if not all(k in rows for k in s.rows):
            continue
        for k in s.rows:
            used.setdefault(k, set()).add(s.year)
    sources = build_sources(rows, used)

    # 1. Candidates from every dataset -> one kept per country-year-part (precedence), the others in the note.
    chosen = choose(bulk_candidates(raw) + cited_candidates(rows, sources))
    per_cy: dict[tuple[str, int], dict[str, tuple[float, str, str]]] = {}
    src_cy: dict[tuple[str, int], set[str]] = {}
    lab_cy: dict[tuple[str, int], set[str]] = {}
    for (iso, year, part), (kept, others) in sorted(chosen.items()):
        txt = f"{kept.label}: {kept.how}"
        if others:
            txt += "; " + others_note(kept, others)
        per_cy.setdefault((iso, year), {})[part] = (kept.value, kept.status, txt)
        src_cy.setdefault((iso, year), set()).update(kept.source_ids)
        lab_cy.setdefault((iso, year), set()).add(kept.label)

    out = BuilderOutput(indicators=[])
    anchors: dict[str, dict[int, dict]] = {}
    for (iso, year), parts in sorted(per_cy.items()):
        value = max(v for v, _, _ in parts.values())
        status = "observed" if all(st == "observed" for _, st, _ in parts.values()) else "estimated"
        anchors.setdefault(iso, {})[year] = {
            "value": value,
            "sources": src_cy[(iso, year)],
            "parts": set(parts),
            "datasets": lab_cy[(iso, year)],
        }
        if year in YEARS:
            out.add(iso, year, INDICATOR_ID, value, status, src_cy[(iso, year)], _parts_note(parts, iso))

    # 2. Gap filling per country.
    for iso in sorted(PANEL_COUNTRIES):
        zf = None
        if iso in ZERO_FROM:
            date, key = ZERO_FROM[iso]
            zf = (int(date[:4]), {"sources": {sources[key].source_id}, "date": date})
        filled = fill_series(anchors.get(iso, {}), BREAKS.get(iso, ()), zf)
        for y, f in sorted(filled.items()):
            note = f"parts used: {'+'.join(sorted(f['parts']))} (as in the source years); {f['note']}"
            out.add(iso, y, INDICATOR_ID, f["value"], f["status"], f["sources"], note)

    # 3. Events.
    for iso, date, desc, ref in EVENTS:
        sid = ref if isinstance(ref, str) else sources[ref].source_id
        out.events.append(
            {
                "iso3": iso,
                "date": date,
                "indicator": INDICATOR_ID,
                "kind": "energy",
                "description": desc,
                "source_id": sid,
            }
        )

    # 4. Sources actually cited (bulk ones with the years they feed), and the catalogue record.
    cited = set(";".join(r["source_ids"] for r in out.rows).split(";")) | {e["source_id"] for e in out.events}
    bulk = {}
    for sid, src in (BULK_SOURCES | {m.source_id: m.source for m in MATRICES}).items():
        ys = sorted(
            {
                r["year"]
                for r in out.rows
                if sid in r["source_ids"].split(";") and r["status"] in ("observed", "estimated")
            }
        )
        if ys:
            bulk[sid] = src.model_copy(update={"figure_year": str(ys[0]) if ys[0] == ys[-1] else f"{ys[0]}-{ys[-1]}"})
    by_id = {s.source_id: s for s in sources.values()} | SEED_SOURCES | bulk
    unknown = cited - set(by_id)
    if unknown:
        raise ValueError(f"energy builder cites unknown source ids {sorted(unknown)}")
    out.sources = [by_id[k] for k in sorted(cited)]
    out.indicators = [indicator(tuple(sorted(cited)))]
    out.rows.sort(key=lambda r: (r["iso3"], r["year"]))
    out.events.sort(key=lambda e: (e["iso3"], e["date"], e["description"]))
    return out
