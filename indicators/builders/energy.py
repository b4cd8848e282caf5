"""Builder for ``pipeline_dependence``: energy dependence on Russia (the largest of up to three shares).

Inputs
------
* ``<raw>/compiled_cited/energy_dependence.csv`` (hand-compiled, row-cited; see its PROVENANCE.md);
* ``indicators/hand/energy_extra.csv`` — extra cited figures found for this indicator, same columns plus
  ``accessed`` (every row has a verbatim quote from the stored page);
* one seed article (Bloomberg via Charter97, 31 Jan 2023), whose Source is written out below.

Formula
-------
Two *parts*, each a percentage (plus a third, P, for states listed in :data:`P_STATES` only):

* **G** — Russia's share of the country's natural-gas imports (or, where only that is reported, of its gas
  supply/consumption);
* **X** — the share of the country's oil or gas exports that transit Russian pipelines/ports or are sold to
  Russia through them (Kazakh oil via the CPC, Azerbaijani oil via Baku–Novorossiysk, Turkmen and Uzbek gas
  sold to Gazprom);
* **P** — Russia's share of the country's petroleum-product (fuel) imports, used *only* for a state in
  :data:`P_STATES`: one that exports no oil or gas and imports little gas, all of it for industry (criterion in
  :data:`P_CRITERION`; today only Tajikistan). Elsewhere gas or export routes are the channel that matters and
  fuel imports are not coded, so P never replaces a missing G or X.

``value = max(available parts)``: dependence through either channel gives Moscow leverage. A part without a
cited figure is *left out*, never set to 0, and the row's note says which parts were used — the value is then a
lower bound of the two-channel maximum. Every part-year is declared in :data:`PARTS` with the rows it is
computed from, so each number can be traced to its quotes.

Gap filling (see :func:`fill_series`): linear interpolation inside a regime when the two sourced years are at
most :data:`MAX_INTERP_GAP` missing years apart (``imputed``); otherwise the nearest sourced value is carried at
most :data:`MAX_CARRY` years forward or back inside the regime (``carried_forward``). Regimes are separated at
dated breaks (:data:`BREAKS`); a break year itself is never filled. A dated cut-off to zero
(:data:`ZERO_FROM`) is carried forward into the following :data:`MAX_CARRY` years.
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
from indicators.schema import Indicator, Source

INDICATOR_ID = "pipeline_dependence"
PREFIX = "energy"
RAW_FILE = "energy_dependence.csv"
HAND_CSV = Path(__file__).resolve().parent.parent / "hand" / "energy_extra.csv"

#: Gap filling and partial years: the shared rules with this indicator's parameters (indicators/hand/rules.csv).
RULE = rule_for(INDICATOR_ID)
#: Longest run of missing years that may be bridged by linear interpolation (from :data:`RULE`).
MAX_INTERP_GAP = RULE.max_gap_years
#: Furthest a sourced value may be carried forward or back, in years (from :data:`RULE`).
MAX_CARRY = RULE.max_carry_years

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

#: Dated regime breaks (year the channel changed): fills never cross them and the break year is never filled.
BREAKS: dict[str, tuple[int, ...]] = {
    "EST": (2022,),  # Russian gas stops 2022-04-01
    "LVA": (2022,),
    "LTU": (2015, 2022),  # Klaipeda LNG ends Gazprom's monopoly (2015); stop 2022-04-01
    "MDA": (2022, 2025),  # right bank stops Russian gas Dec 2022; Gazprom stops all supply 2025-01-01
    "UKR": (2015,),  # last direct imports 2015-11-26
    "UZB": (2020, 2023),  # gas exports to Russia stop during 2020; imports of Russian gas begin Oct 2023
    "TKM": (2016, 2024),  # Gazprom stops buying (before mid-April 2016); supplies suspended from summer 2024
}

#: Row key: (table, country as spelled in the CSV, year, measure); table is "raw" or "hand".
RowKey = tuple[str, str, int, str]

#: Dated cut-offs to zero: (date of the cut-off, row stating it). Carried forward only, never written themselves.
ZERO_FROM: dict[str, tuple[str, RowKey]] = {
    "EST": ("2022-04-01", ("raw", "Estonia", 2022, "russia_share_of_gas_imports")),
    "LVA": ("2022-04-01", ("raw", "Latvia", 2022, "russia_share_of_gas_imports")),
    "LTU": ("2022-04-01", ("raw", "Lithuania", 2022, "russia_share_of_gas_imports")),
}

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
    """One part-year and how it is computed from cited rows.

    ``method``:
      * ``value`` — the first row's value (a range ``a-b`` gives the midpoint, ``a of b`` gives 100*a/b);
      * ``ratio`` — 100 * row0 / row1 (Russian volume over total of the same year);
      * ``share_of_sum`` — 100 * row0 / (row0 + row1 + ...) (Russian volume over the sum of all named suppliers);
      * ``complement`` — 100 * (row1 - row0) / row1 (total minus the non-Russian volume, over the total);
      * ``relative`` — 100 / (1 + row0/100), where row0 gives the other supplier as % of the Russian volume;
      * ``zero_volume`` — the first row is a Russian volume of exactly 0, so the share is 0.
    Rows after the ones the method needs are cited as corroboration.
    """

    iso3: str
    year: int
    part: str
    method: str
    rows: tuple[RowKey, ...]
    estimated: bool = False
    note: str = ""
    extra_sources: tuple[str, ...] = field(default=())


def _r(country: str, year: int, measure: str) -> RowKey:
    return ("raw", country, year, measure)


def _h(country: str, year: int, measure: str) -> RowKey:
    return ("hand", country, year, measure)


# fmt: off
#: Every part-year used, with its inputs. Order does not matter (output is sorted).
PARTS: tuple[PartSpec, ...] = (
    # --- Armenia (G) ---
    PartSpec("ARM", 2015, "G", "relative",
             (_r("Armenia", 2015, "iran_gas_vs_gazprom_supply_ratio"), _r("Armenia", 2015, "gas_imports_from_russia_volume")),
             estimated=True, note="Iranian gas = a quarter of Gazprom's ~2 bcm/yr, so Russia = 1/1.25 of imports"),
    PartSpec("ARM", 2016, "G", "value", (_r("Armenia", 2016, "russia_share_of_gas_consumption"),),
             note="share of gas used (Armenia's gas is imported)"),
    PartSpec("ARM", 2022, "G", "ratio",
             (_r("Armenia", 2022, "gas_imports_from_russia_volume"), _r("Armenia", 2022, "gas_imports_total_volume")),
             note="2,600 of 2,966 mcm imported"),
    PartSpec("ARM", 2023, "G", "value", (_r("Armenia", 2023, "russia_share_of_gas_imports"),)),
    # --- Azerbaijan (X) ---
    PartSpec("AZE", 2015, "X", "ratio",
             (_h("Azerbaijan", 2015, "oil_exports_via_novorossiysk_volume"), _h("Azerbaijan", 2015, "oil_exports_total_volume")),
             note="Baku-Novorossiysk volume (SOCAR) over total oil exports (customs basis)"),
    PartSpec("AZE", 2013, "X", "ratio",
             (_h("Azerbaijan", 2013, "oil_exports_via_novorossiysk_volume"), _h("Azerbaijan", 2013, "oil_exports_total_volume")),
             note="Baku-Novorossiysk volume (SOCAR) over crude exports (State Statistical Committee)"),
    PartSpec("AZE", 2020, "X", "ratio",
             (_h("Azerbaijan", 2020, "oil_exports_via_novorossiysk_volume"), _h("Azerbaijan", 2020, "oil_exports_total_volume")),
             note="transit via Russia (pipeline idle until mid-July) over total oil exports"),
    PartSpec("AZE", 2023, "X", "zero_volume", (_h("Azerbaijan", 2023, "oil_exports_via_novorossiysk_volume"),),
             note="exports via Baku-Novorossiysk suspended in 2022, no resumption reported"),
    # --- Belarus (G) ---
    PartSpec("BLR", 2014, "G", "value", (_h("Belarus", 2014, "russia_share_of_gas_imports_planned"),),
             estimated=True, note="planned 2014 imports, all Russian gas, cover all consumers"),
    PartSpec("BLR", 2017, "G", "value", (_h("Belarus", 2017, "russia_share_of_gas_imports"),),
             note="'imports oil and gas only from Russia'"),
    PartSpec("BLR", 2025, "G", "value", (_h("Belarus", 2025, "russia_share_of_gas_imports"),),
             estimated=True, note="'almost exclusively' from Russia, coded 100 (an upper bound)"),
    # --- Baltic states (G) ---
    PartSpec("EST", 2013, "G", "value", (_h("Estonia", 2013, "russia_share_of_gas_imports"),),
             note="'all their gas imports' from Russia (Reuters, May 2014), coded for 2013"),
    PartSpec("EST", 2020, "G", "value", (_r("Estonia", 2020, "russia_share_of_gas_imports"),), note="Eurostat via AFP"),
    PartSpec("LVA", 2013, "G", "value", (_h("Latvia", 2013, "russia_share_of_gas_imports"),),
             note="'all their gas imports' from Russia (Reuters, May 2014), coded for 2013"),
    PartSpec("LVA", 2020, "G", "value", (_r("Latvia", 2020, "russia_share_of_gas_imports"),), note="Eurostat via AFP"),
    PartSpec("LVA", 2021, "G", "value", (_h("Latvia", 2021, "russia_share_of_gas_imports"),), note="approximate"),
    PartSpec("LVA", 2023, "G", "value", (_h("Latvia", 2023, "russia_share_of_gas_imports"),),
             note="legal ban on Russian gas in force from 2023-01-01"),
    PartSpec("LTU", 2013, "G", "value", (_h("Lithuania", 2013, "russia_share_of_gas_imports"),),
             note="'all their gas imports' from Russia (Reuters, May 2014), coded for 2013"),
    PartSpec("LTU", 2014, "G", "value", (_h("Lithuania", 2014, "russia_share_of_gas_imports"),),
             note="Gazprom the sole supplier until end-2014"),
    PartSpec("LTU", 2020, "G", "value", (_r("Lithuania", 2020, "russia_share_of_gas_imports"),),
             note="Eurostat via AFP; CONFLICT: other copies of the same AFP report give 41.8"),
    # --- Georgia (G) ---
    PartSpec("GEO", 2018, "G", "value", (_h("Georgia", 2018, "russia_share_of_gas_imports_value"),),
             estimated=True, note="share by value; upper bound ('less than 3%') coded at the bound"),
    PartSpec("GEO", 2019, "G", "value", (_h("Georgia", 2019, "russia_share_of_gas_imports"),),
             estimated=True, note="minister's preliminary full-year estimate, approximate"),
    PartSpec("GEO", 2021, "G", "value", (_h("Georgia", 2021, "russia_share_of_gas_imports_value"),),
             estimated=True, note="share by value; lower bound ('exceeded 20%') coded at the bound"),
    PartSpec("GEO", 2022, "G", "share_of_sum",
             (_h("Georgia", 2022, "gas_imports_from_russia_volume"), _h("Georgia", 2022, "gas_imports_from_azerbaijan_volume")),
             estimated=True, note="Russia / (Russia + Azerbaijan) by tonnage; Iran's 10 t ignored; Russian volume = 486 - 69"),
    PartSpec("GEO", 2023, "G", "ratio",
             (_h("Georgia", 2023, "gas_imports_from_russia_volume"), _h("Georgia", 2023, "gas_imports_total_volume")),
             note="486 of 2,254 thousand tonnes"),
    PartSpec("GEO", 2025, "G", "ratio",
             (_h("Georgia", 2025, "gas_imports_from_russia_value"), _h("Georgia", 2025, "gas_imports_total_value")),
             note="share by value, Jan-Oct"),
    # --- Kazakhstan (X) ---
    PartSpec("KAZ", 2021, "X", "value", (_h("Kazakhstan", 2021, "oil_exports_share_via_CPC_russia"),),
             note="CPC share ('two-thirds'); CPC only, so a lower bound of oil exports via Russia"),
    PartSpec("KAZ", 2022, "X", "value", (_r("Kazakhstan", 2022, "oil_exports_share_via_CPC_russia"),),
             extra_sources=(SEED_CHARTER97.source_id,), note="CPC share, approximate; also the Bloomberg/Charter97 seed"),
    PartSpec("KAZ", 2023, "X", "value", (_r("Kazakhstan", 2023, "oil_exports_share_via_CPC_russia"),),
             note="CPC share (Kazakh ambassador to the US)"),
    PartSpec("KAZ", 2024, "X", "value", (_r("Kazakhstan", 2024, "oil_exports_share_via_CPC_russia"),),
             note="CPC share for 2023-2024, approximate; low-reliability aggregator"),
    PartSpec("KAZ", 2025, "X", "value", (_h("Kazakhstan", 2025, "oil_exports_share_via_CPC_russia"),),
             estimated=True, note="CPC share, lower bound ('more than 80%'); stated before the year was complete"),
    # --- Kyrgyzstan (G) ---
    PartSpec("KGZ", 2023, "G", "ratio",
             (_h("Kyrgyzstan", 2023, "gas_imports_from_russia_volume"), _h("Kyrgyzstan", 2023, "gas_imports_total_volume")),
             note="Jan-Aug: 233.7 of 260.7 mcm"),
    PartSpec("KGZ", 2024, "G", "value", (_h("Kyrgyzstan", 2024, "russia_share_of_gas_imports"),), note="Jan-Apr"),
    # --- Moldova (G) ---
    PartSpec("MDA", 2021, "G", "value", (_h("Moldova", 2021, "russia_share_of_gas_imports"),)),
    PartSpec("MDA", 2022, "G", "value", (_r("Moldova", 2022, "gazprom_supply_vs_demand"),),
             estimated=True, note="Gazprom supply / demand in mcm per day after the Oct-2022 cut (late-2022 snapshot)"),
    PartSpec("MDA", 2023, "G", "value", (_r("Moldova", 2023, "russia_share_of_gas_right_bank"),),
             note="government-controlled right bank; Russian gas went only to Transnistria"),
    PartSpec("MDA", 2024, "G", "value", (_r("Moldova", 2023, "russia_share_of_gas_right_bank"),),
             note="right bank; the statement of 2024-12-28 covers Dec 2022 to Dec 2024"),
    PartSpec("MDA", 2025, "G", "value", (_r("Moldova", 2025, "gazprom_supply_to_moldova"),),
             estimated=True, note="Gazprom supply zero from 2025-01-01 (stated 2025-01-24), assumed for the year"),
    # --- Tajikistan (P; see P_CRITERION) ---
    PartSpec("TJK", 2012, "P", "value", (_r("Tajikistan", 2012, "russia_share_of_petroleum_product_imports"),),
             note="Jan-Oct 2012; outside the panel years, used as an anchor"),
    PartSpec("TJK", 2019, "P", "value", (_r("Tajikistan", 2019, "russia_share_of_petroleum_product_imports"),),
             note="Jan-May; year ambiguous (2018 or 2019)"),
    PartSpec("TJK", 2022, "P", "value", (_h("Tajikistan", 2022, "russia_share_of_petroleum_product_imports"),),
             note="Jan-Jul, approximate"),
    PartSpec("TJK", 2023, "P", "value", (_r("Tajikistan", 2023, "russia_share_of_petroleum_product_imports"),),
             note="Antimonopoly Service (customs statistics)"),
    PartSpec("TJK", 2024, "P", "ratio",
             (_h("Tajikistan", 2024, "petroleum_product_imports_from_russia_volume"),
              _h("Tajikistan", 2024, "petroleum_product_imports_total_volume"),
              _h("Tajikistan", 2024, "gas_imports_from_uzbekistan_volume"), _h("Tajikistan", 2012, "gas_imports_volume")),
             note="Jan-Jun, LPG included; the gas-import rows are cited for the P criterion"),
    # --- Turkmenistan (X) ---
    PartSpec("TKM", 2017, "X", "zero_volume", (_h("Turkmenistan", 2017, "gas_exports_to_russia_volume"),),
             note="no gas sold to Russia"),
    PartSpec("TKM", 2018, "X", "zero_volume",
             (_h("Turkmenistan", 2018, "gas_exports_to_russia_volume"), _r("Turkmenistan", 2018, "gas_exports_to_china_volume")),
             note="no gas sold to Russia; China virtually the only buyer"),
    PartSpec("TKM", 2021, "X", "share_of_sum",
             (_r("Turkmenistan", 2021, "gas_exports_to_russia_volume"), _r("Turkmenistan", 2021, "gas_exports_to_china_volume")),
             estimated=True, note="Russia / (Russia + China); other small buyers omitted; Russian volume an estimate"),
    PartSpec("TKM", 2023, "X", "ratio",
             (_h("Turkmenistan", 2023, "gas_exports_to_russia_volume"), _h("Turkmenistan", 2023, "gas_exports_total_volume")),
             estimated=True, note="expected full-year volumes stated by Turkmengaz in Oct 2023"),
    PartSpec("TKM", 2024, "X", "share_of_sum",
             (_h("Turkmenistan", 2024, "gas_exports_to_russia_volume"), _h("Turkmenistan", 2024, "gas_exports_to_china_volume")),
             estimated=True, note="Russia (estimate up to the summer suspension) / (Russia + China); other buyers omitted"),
    # --- Ukraine (G) ---
    PartSpec("UKR", 2013, "G", "complement",
             (_h("Ukraine", 2013, "gas_imports_from_europe_volume"), _h("Ukraine", 2013, "gas_imports_total_volume")),
             estimated=True, note="imports not from Hungary/Poland assumed Russian"),
    PartSpec("UKR", 2014, "G", "ratio",
             (_h("Ukraine", 2014, "gas_imports_from_russia_volume"), _h("Ukraine", 2014, "gas_imports_total_volume")),
             note="14.45 of 19.47 bcm"),
    PartSpec("UKR", 2015, "G", "share_of_sum",
             (_r("Ukraine", 2015, "gas_imports_from_russia_volume"), _r("Ukraine", 2015, "gas_imports_from_eu_volume")),
             note="Russia 6.1 / (6.1 + Europe 10.3) bcm"),
    PartSpec("UKR", 2016, "G", "zero_volume", (_r("Ukraine", 2016, "gas_imports_from_russia_volume"),),
             note="no direct imports of Russian gas since 2015-11-26"),
    PartSpec("UKR", 2017, "G", "zero_volume", (_h("Ukraine", 2017, "gas_imports_from_russia_volume"),),
             note="no direct imports of Russian gas since 2015-11-26"),
    PartSpec("UKR", 2018, "G", "zero_volume", (_h("Ukraine", 2018, "gas_imports_from_russia_volume"),),
             note="imports only from Slovakia, Hungary, Poland"),
    PartSpec("UKR", 2019, "G", "zero_volume", (_h("Ukraine", 2019, "gas_imports_from_russia_volume"),),
             note="no purchases of Russian gas since Nov 2015 (statement of May 2020)"),
    PartSpec("UKR", 2023, "G", "zero_volume", (_h("Ukraine", 2023, "gas_imports_from_russia_volume"),),
             note="all imports via Slovakia, Hungary, Poland and Romania/Moldova (entry points)"),
    # --- Uzbekistan (X) ---
    PartSpec("UZB", 2021, "X", "zero_volume", (_h("Uzbekistan", 2021, "gas_exports_to_russia_volume"),),
             estimated=True, note="gas exports to Russia stopped in 2020"),
    PartSpec("UZB", 2022, "X", "zero_volume", (_h("Uzbekistan", 2022, "gas_exports_to_russia_volume"),),
             estimated=True, note="gas exports to Russia stopped in 2020"),
    PartSpec("UZB", 2023, "G", "share_of_sum",
             (_h("Uzbekistan", 2023, "gas_imports_from_russia_volume"), _h("Uzbekistan", 2023, "gas_production_volume")),
             estimated=True, note="supply proxy: Russian gas / (production + Russian gas); imports from Oct 2023"),
    PartSpec("UZB", 2024, "G", "share_of_sum",
             (_h("Uzbekistan", 2024, "gas_imports_from_russia_volume"), _h("Uzbekistan", 2024, "gas_production_volume")),
             estimated=True, note="supply proxy: Russian gas / (production + Russian gas)"),
)

#: Timeline events: (iso3, date, description, row stating it, or a seed source id).
EVENTS: tuple[tuple[str, str, str, RowKey | str], ...] = (
    ("EST", "2022-04-01", "Russian gas stops flowing to Estonia (Baltic states end Russian gas imports)",
     _r("Estonia", 2022, "russia_share_of_gas_imports")),
    ("LVA", "2022-04-01", "Russian gas stops flowing to Latvia (Baltic states end Russian gas imports)",
     _r("Latvia", 2022, "russia_share_of_gas_imports")),
    ("LTU", "2022-04-01", "Russian gas stops flowing to Lithuania (Baltic states end Russian gas imports)",
     _r("Lithuania", 2022, "russia_share_of_gas_imports")),
    ("LVA", "2023-01-01", "Latvian legal ban on natural gas supply from Russia takes effect (adopted July 2022)",
     _h("Latvia", 2023, "russia_share_of_gas_imports")),
    ("LTU", "2015", "Gazprom's gas supply monopoly in Lithuania ends with 2014; Klaipeda LNG terminal supplies from 2015",
     _h("Lithuania", 2014, "russia_share_of_gas_imports")),
    ("MDA", "2022-10-01", "Gazprom cuts daily gas supply to Moldova by about 30%",
     _r("Moldova", 2022, "gazprom_supply_vs_demand")),
    ("MDA", "2022-12", "Moldova's right bank stops using Russian gas; all Russian gas goes to Transnistria",
     _r("Moldova", 2023, "russia_share_of_gas_right_bank")),
    ("MDA", "2025-01-01", "Gazprom stops gas supply to Moldova, including Transnistria",
     _r("Moldova", 2025, "gazprom_supply_to_moldova")),
    ("UKR", "2015-11-26", "Ukraine stops direct imports of Russian gas (imports only from the EU thereafter)",
     _h("Ukraine", 2017, "gas_imports_from_russia_volume")),
    ("KGZ", "2014-04", "Gazprom buys 100% of Kyrgyzgaz, Kyrgyzstan's gas monopoly, for $1",
     _h("Kyrgyzstan", 2014, "gazprom_stake_in_kyrgyzgaz")),
    ("UZB", "2023-10", "Russian gas supplies to Uzbekistan via Kazakhstan begin (contract ~2.8 bcm/yr)",
     _r("Uzbekistan", 2023, "gas_imports_from_russia_contract_rate")),
    ("TKM", "2019-04", "Russia resumes buying Turkmen gas after a pause of more than three years",
     _h("Turkmenistan", 2017, "gas_exports_to_russia_volume")),
    ("TKM", "2024-10", "Turkmengaz: gas supplies to Gazprom suspended since summer 2024 by mutual agreement",
     _h("Turkmenistan", 2024, "gas_exports_to_russia_volume")),
    ("AZE", "2019-03", "SOCAR halts Baku-Novorossiysk oil pipeline for maintenance (resumed 3 July 2019)",
     _r("Azerbaijan", 2019, "oil_exports_via_baku_novorossiysk_volume")),
    ("KAZ", "2022-07", "Russian court suspends the CPC for a month; Tokayev orders export routes bypassing Russia",
     _r("Kazakhstan", 2022, "oil_exports_share_via_CPC_russia")),
    ("KAZ", "2022-11", "Kazakhstan to ship 1.5 Mt more oil via Baku-Ceyhan, bypassing Russia",
     SEED_CHARTER97.source_id),
)
# fmt: on


def indicator(source_ids: tuple[str, ...]) -> Indicator:
    """The catalogue record of ``pipeline_dependence``."""
    return Indicator(
        id=INDICATOR_ID,
        name="Energy dependence on Russia",
        pillar="energy",
        unit="% (largest of the cited shares)",
        direction=1,
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
            "through Russia."
        ),
        coding_rule=(
            "value = max(available parts): dependence through either channel gives Moscow leverage. A part with "
            "no cited figure is left out, never set to 0; the note of every row lists the parts used, so a value "
            "from one part is a lower bound of the two-channel maximum. Parts come from cited rows "
            "(compiled_cited/energy_dependence.csv and indicators/hand/energy_extra.csv): a range 'a-b' is coded "
            "at its midpoint; 'a of b' as 100*a/b; a share may be computed from cited volumes of the same year "
            "(Russian volume over the total, or over the sum of all named suppliers; Ukraine 2013 = total minus "
            "European imports). For Kazakhstan only the CPC share is reported, a lower bound of all oil exports "
            "via Russia. Moldova from Dec 2022 is the government-controlled right bank (Russian gas went only to "
            "Transnistria, whose power plant still supplied right-bank electricity). Uzbekistan 2023-2024: G is "
            "Russian gas over (domestic production + Russian gas), a proxy for Russia's share of supply (Turkmen "
            "imports, which would lower it, and exports, which would raise it, have no cited volumes). "
            f"{P_CRITERION}. For other states petroleum-product imports are not coded. Status: observed = a reported annual figure or arithmetic on reported "
            "annual volumes; estimated = partial-year or year-inferred rows (never observed), bounds ('over', "
            "'less than', coded at the bound), plans, late-year snapshots, or an assumption about unlisted "
            "suppliers. Gap filling, per country: linear interpolation between two sourced years at most "
            f"{MAX_INTERP_GAP} missing years apart (imputed); otherwise the nearest sourced value carried at most "
            f"{MAX_CARRY} years forward or back (carried_forward). Neither crosses a dated break (Baltic states "
            "2022; Lithuania 2015 LNG; Moldova 2022 and 2025; Ukraine 2015; Uzbekistan 2020 and 2023; Turkmenistan "
            "2016 and 2024) "
            "and break years are never filled; a dated cut-off to zero (Baltic states, 2022-04-01) is carried "
            f"forward as 0 for at most {MAX_CARRY} years."
        ),
        years_note=(
            "Sourced years only where a cited figure exists (see each row's note); Tajikistan's values come from P "
            "only (fuel imports; mostly partial-year figures, so 2013-2018 and 2020-2021 are interpolated). Baltic "
            "states 2022 are missing (Russian gas until 1 April); Turkmenistan 2025 is missing (supplies to "
            "Gazprom suspended from summer 2024); Kazakhstan's purchases of Russian gas are not coded (no cited "
            "share of supply)."
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
    """Status reasons of one part (see ``common.ESTIMATE_REASONS``): the qualifiers in its input rows' notes
    (partial year, year inferred, bound, approximate) plus ``assumption`` if the spec is marked estimated.

    Raises ValueError if an input row is a partial year shorter than the rule's ``min_partial_months``.
    """
    reasons = set().union(*(reasons_from_notes(rows[k].get("notes", "")) for k in spec.rows))
    for k in spec.rows:
        if not partial_ok(partial_months(str(rows[k].get("notes", ""))), RULE):
            raise ValueError(
                f"{spec.iso3} {spec.year} {spec.part}: row {k[1:]} covers fewer than {RULE.min_partial_months} months"
            )
    return reasons | ({"assumption"} if spec.estimated else set())


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
            "note": f.describe(y, "{:.1f}", values),
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
    """'parts used: G = ... 80.0 (...); not available (no cited figure): X; ...' for the note column.

    P is listed as absent only for a state in :data:`P_STATES` (elsewhere it is not part of the indicator).
    """
    used = "; ".join(
        f"{PART_LABELS[p]} {v:.1f}" + (f" ({txt})" if txt else "") for p, (v, _, txt) in sorted(parts.items())
    )
    possible = ("G", "X", "P") if iso3 in P_STATES else ("G", "X")
    absent = [p for p in possible if p not in parts]
    tail = f"; not available (no cited figure): {', '.join(absent)}" if absent else ""
    return f"parts used: {used}{tail}; value = max of parts"


def build(raw: Path) -> BuilderOutput:
    """Build ``pipeline_dependence`` from ``raw`` (see module docstring for formula and rules)."""
    rows = read_rows(raw)
    keys = [(s.iso3, s.year, s.part) for s in PARTS]
    dups = {k for k in keys if keys.count(k) > 1}
    if dups:
        raise ValueError(f"PARTS declares {sorted(dups)} more than once")
    bad_p = sorted({s.iso3 for s in PARTS if s.part == "P"} - P_STATES)
    if bad_p:
        raise ValueError(f"PARTS has a P part for {bad_p}, not in P_STATES; P applies only where {P_CRITERION}")
    unknown = sorted({s.part for s in PARTS} - set(PART_LABELS))
    if unknown:
        raise ValueError(f"PARTS uses unknown part(s) {unknown}; use one of {sorted(PART_LABELS)}")

    used: dict[RowKey, set[int]] = {}
    for s in PARTS:
        for k in s.rows:
            used.setdefault(k, set()).add(s.year)
    sources = build_sources(rows, used)

    # 1. Parts -> sourced values per country-year.
    per_cy: dict[tuple[str, int], dict[str, tuple[float, str, str]]] = {}
    src_cy: dict[tuple[str, int], set[str]] = {}
    for s in PARTS:
        v, how = compute_part(s, rows)
        status = part_status(s, rows)
        flags = sorted(part_reasons(s, rows) - {"assumption"})
        txt = "; ".join(x for x in (how, s.note, ", ".join(f.replace("_", " ") for f in flags)) if x)
        per_cy.setdefault((s.iso3, s.year), {})[s.part] = (v, status, txt)
        src_cy.setdefault((s.iso3, s.year), set()).update({sources[k].source_id for k in s.rows} | set(s.extra_sources))

    out = BuilderOutput(indicators=[])
    anchors: dict[str, dict[int, dict]] = {}
    for (iso, year), parts in sorted(per_cy.items()):
        value = max(v for v, _, _ in parts.values())
        status = "observed" if all(st == "observed" for _, st, _ in parts.values()) else "estimated"
        anchors.setdefault(iso, {})[year] = {"value": value, "sources": src_cy[(iso, year)], "parts": set(parts)}
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

    # 4. Sources actually cited, and the catalogue record.
    cited = set(";".join(r["source_ids"] for r in out.rows).split(";")) | {e["source_id"] for e in out.events}
    by_id = {s.source_id: s for s in sources.values()} | SEED_SOURCES
    unknown = cited - set(by_id)
    if unknown:
        raise ValueError(f"energy builder cites unknown source ids {sorted(unknown)}")
    out.sources = [by_id[k] for k in sorted(cited)]
    out.indicators = [indicator(tuple(sorted(cited)))]
    out.rows.sort(key=lambda r: (r["iso3"], r["year"]))
    out.events.sort(key=lambda e: (e["iso3"], e["date"], e["description"]))
    return out
