"""A state's own breaks with Moscow: diplomatic relations with Russia and sanctions on Russia.

Indicators: ``relations_russia`` and ``sanctions_on_russia`` (pillar ``rupture``; README "Decisions").

Inputs: ``diplomatic_relations_russia_cited/`` and ``sanctions_cfsp_alignment_cited/`` (dated facts, each
with URL and verbatim quote; read their PROVENANCE.md), the dated rows added by hand in
``indicators/hand/rupture_facts_extra.csv``, the Moldovan rate on the EU's Russia-related restrictive
measures in ``compiled_cited/western_structural_ties.csv``, and two rule tables:
``indicators/hand/rupture_codes.csv`` (each fact's wording -> level and kind) and
``indicators/hand/cfsp_rate_precedence.csv`` (which EU-reported alignment rate decides).

One coding rule for both indicators (:func:`code_year`), the status on 31 December:

1. **Act in force.** A fact of kind ``act`` (a break, a downgrade, EU membership's sanctions, a sanctions
   law, a national listing) holds from its date until a later act. The level is that of the latest act on
   or before 31 December; the value is ``observed`` when a row of that spell states its date (quote, or
   the page's dateline in its title or URL: :func:`indicators.quotes.date_supported`), else ``estimated``
   (``year_inferred``).
2. **EU-reported alignment rate** (sanctions only, for a state without an act in force): a rate for
   the year decides the level: 2 at or above :data:`RATE_THRESHOLD` %, 1 below it, 0 at 0. Among several
   rates for one year the first rank of ``cfsp_rate_precedence.csv`` wins; the others are named in the
   note. Always ``estimated`` (``proxy``: the rate counts all CFSP acts, or all restrictive measures, not
   only those on Russia). A rate is carried forward at most ``max_carry_years`` (``rules.csv``), never
   back before the first rate.
3. **No act in force:** the default level (relations: 2, full; sanctions: 0, none), citing, in order,
   a status fact of that year (``observed`` if it states its date), the state's first later act ("not
   yet", ``observed``, as for memberships: the act dates the change from the default), or the state's
   other status facts (``estimated``, reason ``held``: no change is on record). A state with no usable
   fact at all is missing.

Rows whose only source is ``unusable`` (README "Source tiers") are left out before coding.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from indicators.builders.common import (
    CARRIED,
    BuilderOutput,
    compiled_source,
    fill_gaps,
    parse_date,
    read_compiled,
    rule_for,
    sourced_status,
    url_source_id,
)
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.quotes import date_supported, figure_in_quote
from indicators.schema import Indicator, Source
from indicators.structure import indicator_fields
from indicators.tiers import tier_of

HAND = Path(__file__).resolve().parent.parent / "hand"
CODES = HAND / "rupture_codes.csv"
EXTRA = HAND / "rupture_facts_extra.csv"
RATE_PRECEDENCE = HAND / "cfsp_rate_precedence.csv"
RELATIONS_FILE = Path("diplomatic_relations_russia_cited") / "diplomatic_relations_russia_cited.csv"
SANCTIONS_DIR = Path("sanctions_cfsp_alignment_cited")
SANCTIONS_FILE = SANCTIONS_DIR / "sanctions_on_russia_facts.csv"
RATE_FACTS_FILE = SANCTIONS_DIR / "cfsp_alignment_facts.csv"
RATES_FILE = SANCTIONS_DIR / "cfsp_alignment_rates_tidy.csv"
#: The compiled_cited tie whose rows give the Commission's rate on the EU's Russia-related restrictive measures.
RUSSIA_MEASURES_TIE = "EU restrictive measures related to Russia (alignment)"
#: An EU-reported alignment rate at or above this (%) codes "most" (2), below it "partial" (1).
RATE_THRESHOLD = 50.0
#: Level without any act in force: full relations; no sanctions.
DEFAULT_LEVEL = {"relations_russia": 2, "sanctions_on_russia": 0}

INDICATORS: dict[str, dict] = {
    "relations_russia": dict(
        unit="level (0-2)",
        levels={0: "severed", 1: "downgraded (chargés d'affaires)", 2: "full (ambassadors)"},
        definition=(
            "The level of the state's diplomatic relations with Russia on 31 December: 2 = full (ambassadors "
            "in post), 1 = downgraded (ambassadors recalled or expelled and not replaced, missions headed by "
            "chargés d'affaires: Ukraine 2014-2021, Lithuania from April 2022, Estonia and Latvia from "
            "2023), 0 = severed (Georgia since August 2008, with interests sections under the Swiss embassies "
            "since March 2009; Ukraine since 24 February 2022). Full is the Moscow end, so a lower level "
            "moves a state away from Moscow. A consultation recall, a summoned ambassador, expelled single "
            "diplomats or a cut in embassy staff (Moldova 2023) do not change the level."
        ),
        years_note=(
            "All 14 states, 2013-2025. Full relations with no change on record are observed in a year only "
            "where a source of that year states them, or before a dated break or downgrade (which dates the "
            "change); otherwise estimated."
        ),
    ),
    "sanctions_on_russia": dict(
        unit="level (0-3)",
        levels={
            0: "none",
            1: "partial (under half of the EU's acts, or own listings of some Russians)",
            2: "most (half or more of the EU's acts)",
            3: "full (the EU's sanctions as a member, or its own sanctions regime)",
        },
        definition=(
            "Whether the state applies sanctions on Russia, its own or the EU's, on 31 December: 3 = the EU's "
            "sanctions as a member state (the Baltic states, from Council Decision 2014/145/CFSP of 17 March "
            "2014) or its own sanctions regime (Ukraine, from the Law 'On Sanctions' of August 2014), 2 = "
            "aligned with half or more of the EU's restrictive measures or foreign-policy acts (the "
            "EU-reported alignment rate, or most of the sanctions packages on Russians), 1 = under half, or "
            "own sanctions on some Russian persons, 0 = none (not joined, refused or opposed). No state "
            "applied sanctions on Russia before March 2014."
        ),
        years_note=(
            "All 14 states, 2013-2025. The EU-reported alignment rates exist only for Moldova (2022) and "
            "Georgia (2022-2024); they are estimated because they count all the EU's acts, not only those "
            "on Russia. Non-joining without a statement in the year is estimated (held)."
        ),
    ),
}


class Coded(NamedTuple):
    """One coded year: level, status, the source ids and the note."""

    level: int
    status: str
    source_ids: tuple[str, ...]
    note: str


def load_codes(path: Path = CODES) -> pd.DataFrame:
    """The table wording -> (level, kind); ValueError on a malformed row."""
    codes = pd.read_csv(path, dtype=str, keep_default_na=False)
    if not set(codes["kind"]) <= {"act", "status"}:
        raise ValueError(f"{path.name}: kind must be act or status")
    codes["level"] = codes["level"].astype(int)
    if codes.duplicated(["indicator", "code"]).any():
        raise ValueError(f"{path.name}: a code appears twice for one indicator")
    for ind, default in DEFAULT_LEVEL.items():
        status_levels = set(codes.loc[(codes["indicator"] == ind) & (codes["kind"] == "status"), "level"])
        if status_levels - {default}:
            raise ValueError(f"{path.name}: a status fact of {ind} must code the default level {default}")
    return codes


def fact_source(row) -> Source:
    """A Source for one dated fact row (producer, title, URL, quote as compiled)."""
    url, quote = str(row["url"]).strip(), str(row["quote"])
    return Source(
        source_id=url_source_id("rup", url, quote),
        producer=row["producer"],
        title=row["source_title"],
        url=url,
        figure_year=str(row["date"])[:4],
        accessed=dt.date.fromisoformat(row["accessed"]),
        licence="quoted for citation; see the page",
        quote=quote,
    )


def read_facts(raw: Path, codes: pd.DataFrame, extra: Path = EXTRA) -> tuple[pd.DataFrame, list[Source]]:
    """Every usable dated fact of both indicators, coded; and the sources they cite.

    Columns added: ``indicator``, ``level``, ``kind``, ``meaning``, ``source_id``, ``d`` (date) and
    ``supported`` (the quote or the page's dateline states the date, and the year is not inferred).
    """
    rel = pd.read_csv(raw / RELATIONS_FILE, dtype=str, keep_default_na=False).assign(indicator="relations_russia")
    san = pd.read_csv(raw / SANCTIONS_FILE, dtype=str, keep_default_na=False).assign(indicator="sanctions_on_russia")
    hand = pd.read_csv(extra, dtype=str, keep_default_na=False)
    facts = pd.concat([rel, san, hand], ignore_index=True).rename(columns={"value_code_suggestion": "code"})
    facts = facts.merge(codes, on=["indicator", "code"], how="left", validate="many_to_one")
    if facts["kind"].isna().any():
        bad = facts.loc[facts["kind"].isna(), ["indicator", "iso3", "code"]].drop_duplicates()
        raise ValueError(f"facts with a wording missing from {CODES.name}: {bad.to_dict('records')}")
    facts["level"] = facts["level"].astype(int)
    facts = facts[facts["url"].map(lambda u: tier_of(u) != "unusable")].copy()
    sources = [fact_source(r) for _, r in facts.iterrows()]
    facts["source_id"] = [s.source_id for s in sources]
    facts["d"] = facts["date"].map(parse_date)
    facts["supported"] = [
        date_supported(r.date, r.quote, r.source_title, r.url) and "INFERRED" not in r.notes for r in facts.itertuples()
    ]
    facts = facts.sort_values(["indicator", "iso3", "d", "source_id"]).reset_index(drop=True)
    return facts, list({s.source_id: s for s in sources}.values())


def _status(supported: bool) -> str:
    return sourced_status(() if supported else ("year_inferred",))


def code_year(facts: pd.DataFrame, year: int, default: int) -> Coded | None:
    """The level of one state in one year from its dated facts (rules 1 and 3 of the module docstring)."""
    end = dt.date(year, 12, 31)
    acts = facts[(facts["kind"] == "act") & (facts["d"] <= end)]
    if len(acts):
        level = int(acts["level"].iloc[-1])
        spell_start = len(acts)
        while spell_start > 0 and acts["level"].iloc[spell_start - 1] == level:
            spell_start -= 1
        spell = acts.iloc[spell_start:]
        first = spell.iloc[0]
        note = f"{first['meaning']} since {first['date']}"
        if not spell["supported"].any():
            note += " (the quotes do not state the date; it is read from the page)"
        return Coded(level, _status(spell["supported"].any()), tuple(spell["source_id"]), note)
    stated = facts[(facts["kind"] == "status") & (facts["d"].map(lambda d: d.year) == year)]
    if len(stated):
        note = "; ".join(f"{r.date}: {r.meaning}" for r in stated.itertuples())
        return Coded(default, _status(stated["supported"].any()), tuple(stated["source_id"]), note)
    later = facts[facts["kind"] == "act"]
    if len(later):
        first = later.iloc[0]
        spell = later[(later["level"] != first["level"]).cumsum() == 0]  # the first spell of that level
        note = f"not yet: {first['meaning']} from {first['date']}"
        return Coded(default, _status(spell["supported"].any()), tuple(spell["source_id"]), note)
    if len(facts):
        years = ", ".join(sorted({r.date[:4] for r in facts.itertuples()}))
        note = f"no change on record; held from the statements of {years}"
        return Coded(default, sourced_status(("held",)), tuple(facts["source_id"]), note)
    return None


# ----------------------------------------------------------------------------- EU-reported rates


class Rate(NamedTuple):
    iso3: str
    year: int
    rate: float
    rank: int
    label: str
    source_id: str


def rate_year(period: str) -> int:
    """The year an EU-reported rate stands for: the calendar year, or the year a report cycle ends."""
    return int(str(period).strip()[:4])


def rate_rank(producer: str, basis: str, table: pd.DataFrame) -> int | None:
    """The precedence rank of a rate (``cfsp_rate_precedence.csv``), None if it is never used."""
    for r in table.itertuples():
        if r.producer_contains in producer and r.basis_contains in basis:
            return int(r.rank)
    return None


def read_rates(raw: Path, table: pd.DataFrame) -> tuple[list[Rate], list[Source], list[tuple[str, int, str]]]:
    """The usable EU-reported rates, their sources and notes on the rates not used (national claims)."""
    tidy = pd.read_csv(raw / RATES_FILE, dtype=str, keep_default_na=False)
    facts = pd.read_csv(raw / RATE_FACTS_FILE, dtype=str, keep_default_na=False)
    tidy = tidy.rename(columns={next(c for c in tidy.columns if c.startswith("fact_row")): "fact_row"})
    rates, sources, unused = [], [], []
    for r in tidy.itertuples(index=False):
        if r.fact_file != RATE_FACTS_FILE.name:
            continue  # the rows pointing elsewhere are read from that table (below)
        fact = facts.iloc[int(r.fact_row) - 1]
        rank = rate_rank(r.producer_type, r.basis, table)
        label = f"{r.rate_pct}% ({r.basis}; {r.producer_type}; {r.period_covered})"
        if tier_of(fact["url"]) == "unusable":
            continue
        why = "not an EU-reported rate" if rank is None else ""
        why = why or ("" if figure_in_quote(r.rate_pct, fact["quote"]) else "the quoted text does not state it")
        if why:
            unused.append((r.iso3, rate_year(r.period_covered), f"{label}, not used: {why}"))
            continue
        src = fact_source(fact)
        sources.append(src)
        rates.append(Rate(r.iso3, rate_year(r.period_covered), float(r.rate_pct), rank, label, src.source_id))
    ties = read_compiled(raw, "western_structural_ties.csv")
    for _, t in ties[ties["tie"] == RUSSIA_MEASURES_TIE].iterrows():
        pct = t["status"].removeprefix("partial_").removesuffix("pct")
        src = compiled_source(t, "rup", t["date"][:4])
        sources.append(src)
        rank = rate_rank("European Commission", "restrictive measures related to Russia", table)
        label = f"{pct}% (EU restrictive measures related to Russia; European Commission, as of {t['date']})"
        rates.append(Rate(t["iso3"], int(t["date"][:4]), float(pct), rank, label, src.source_id))
    return rates, list({s.source_id: s for s in sources}.values()), unused


def rate_level(rate: float) -> int:
    """The sanctions level an EU-reported alignment rate codes."""
    return 0 if rate <= 0 else (2 if rate >= RATE_THRESHOLD else 1)


def rate_codes(rates: list[Rate], iso3: str) -> dict[int, Coded]:
    """Year -> the level from the state's rates (best rank per year), and carried rates (rule 2)."""
    mine = sorted((r for r in rates if r.iso3 == iso3), key=lambda r: (r.year, r.rank))
    best: dict[int, Rate] = {}
    for r in mine:
        best.setdefault(r.year, r)
    out = {}
    for y, r in best.items():
        others = [o.label for o in mine if o.year == y and o is not r]
        note = f"EU-reported alignment rate {r.label} -> level {rate_level(r.rate)}"
        if others:
            note += "; also reported: " + "; ".join(others)
        out[y] = Coded(rate_level(r.rate), sourced_status(("proxy",)), (r.source_id,), note)
    if best:
        anchors = {y: float(c.level) for y, c in out.items()}
        later = [y for y in YEARS if y > min(best)]
        for y, f in fill_gaps(anchors, rule_for("sanctions_on_russia"), later).items():
            src = out[f.from_year]
            out[y] = Coded(int(f.value), f.status, src.source_ids, f"{f.describe(y, anchors=anchors)}: {src.note}")
    return out


def code_sanctions_year(facts: pd.DataFrame, rates: dict[int, Coded], year: int) -> Coded | None:
    """Sanctions: an act in force, else a rate for the year (or carried), else the fact rule (rules 1-3)."""
    by_facts = code_year(facts, year, DEFAULT_LEVEL["sanctions_on_russia"])
    acts_in_force = facts[(facts["kind"] == "act") & (facts["d"] <= dt.date(year, 12, 31))]
    if year not in rates or len(acts_in_force):
        if by_facts is not None and year in rates and rates[year].status != CARRIED:
            return by_facts._replace(note=f"{by_facts.note}; {rates[year].note}")
        return by_facts
    rate = rates[year]
    if by_facts is not None:
        rate = rate._replace(note=f"{rate.note}; facts: {by_facts.note}")
    return rate


# ----------------------------------------------------------------------------- build


def build(raw: Path) -> BuilderOutput:
    codes = load_codes()
    facts, sources = read_facts(raw, codes)
    rates, rate_sources, unused = read_rates(raw, pd.read_csv(RATE_PRECEDENCE, dtype=str, keep_default_na=False))
    out = BuilderOutput(indicators=[])
    out.sources = list({s.source_id: s for s in sources + rate_sources}.values())
    anchors = {
        "relations_russia": facts.loc[facts["url"].str.contains("mfa.gov.lv"), "source_id"].iloc[0],
        "sanctions_on_russia": facts.loc[facts["url"].str.contains("CELEX-02014D0145"), "source_id"].iloc[0],
    }
    for ind_id, meta in INDICATORS.items():
        levels = meta["levels"]
        rule = (
            "Status on 31 December. An act (a break, a downgrade, EU membership's sanctions, a sanctions law, "
            "a national listing) holds from its date until a later act; observed if a row of that spell states "
            "its date, else estimated. Without an act in force: the default level ("
            f"{levels[DEFAULT_LEVEL[ind_id]].split(' (')[0]}), observed in a year with a dated statement or before the state's "
            "first act (which dates the change), else estimated (held). Each fact's wording is mapped to "
            "a level and a kind (act or statement) in indicators/hand/rupture_codes.csv."
        )
        if ind_id == "sanctions_on_russia":
            rule += (
                f" Where no act is in force, an EU-reported alignment rate for the year "
                f"decides: >= {RATE_THRESHOLD:g}% -> 2, below -> 1 (estimated; precedence: "
                "indicators/hand/cfsp_rate_precedence.csv; carried forward at most one year). National "
                "claims are named in the notes only."
            )
        ind = Indicator(
            id=ind_id,
            **indicator_fields(ind_id),
            scale="ordinal",
            bounds=(min(levels), max(levels)),
            goalposts=(min(levels), max(levels)),
            coding_rule=rule,
            source_ids=(anchors[ind_id],),
            **meta,
        )
        out.indicators.append(ind)
        mine = facts[facts["indicator"] == ind_id]
        for iso3 in PANEL_COUNTRIES:
            state = mine[mine["iso3"] == iso3]
            state_rates = rate_codes(rates, iso3) if ind_id == "sanctions_on_russia" else {}
            for year in YEARS:
                if ind_id == "sanctions_on_russia":
                    c = code_sanctions_year(state, state_rates, year)
                else:
                    c = code_year(state, year, DEFAULT_LEVEL[ind_id])
                if c is None:
                    continue
                note = c.note
                claims = [lab for i, y, lab in unused if (i, y) == (iso3, year) and ind_id == "sanctions_on_russia"]
                if claims:
                    note += "; " + "; ".join(claims)
                out.add(iso3, year, ind_id, c.level, c.status, c.source_ids, note)
        for r in mine[(mine["kind"] == "act") & (mine["d"] >= dt.date(YEARS[0] - 1, 1, 1))].itertuples():
            out.events.append(
                {
                    "iso3": r.iso3,
                    "date": r.date,
                    "indicator": ind_id,
                    "kind": "relations" if ind_id == "relations_russia" else "sanctions",
                    "description": f"{ind.name}: {r.meaning} ({r.fact})",
                    "source_id": r.source_id,
                }
            )
    return out
