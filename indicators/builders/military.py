"""Security alignment: Russian bases by agreement, and alliance alignment with NATO.

Indicators: ``russian_base_by_agreement`` (+1) and ``nato_alignment`` (-1).

A base a government invites signals alignment with Moscow. Russian troops on a state's
territory against its will (occupied regions, Transnistria, Crimea) are *not* an indicator:
coded as a pointer away from Moscow, every state Russia does not occupy gained points toward
Moscow (the Baltic states scored closer to Moscow than Moldova). Occupation is a fact about
Russia's conduct, not the host's alignment, so those spells are timeline events only. The
security pillar's pointer away from Moscow is alliance alignment instead: NATO member (3),
an individual NATO partnership programme (2), Partnership for Peace (1), from dated rows.

Bases are coded per year from dated spells in ``indicators/hand/military_spells.csv``; every spell names the rows of
``compiled_cited/russian_military_presence.csv`` (or ``indicators/hand/facts_extra.csv``)
that support it. Rows whose only source is ``unusable`` (README "Source tiers") are left out.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from indicators.builders.common import (
    BuilderOutput,
    compiled_source,
    country_iso3,
    read_compiled,
)
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import Indicator
from indicators.structure import indicator_fields
from indicators.tiers import tier_of

BASE = "russian_base_by_agreement"
#: Occupation spells: timeline events only (see the module docstring), never a value.
TROOPS = "russian_troops_without_consent"
NATO = "nato_alignment"

#: NATO ties that set a level: (regex on the tie's name, regex on its status, level).
NATO_RULES: tuple[tuple[str, str, int], ...] = (
    (r"Partnership for Peace", r"^joined$", 1),
    (r"Individual Partnership Action Plan", r"^agreed$", 2),
    (r"NATO Annual National Programme|NATO-Ukraine Action Plan", r".", 2),
    (
        r"Substantial NATO-Georgia Package|Enhanced Opportunities Partner|NATO-Ukraine Council",
        r"^(agreed|granted|established)$",
        2,
    ),
)
NATO_LEVELS = {0: "none", 1: "Partnership for Peace", 2: "individual partnership programme", 3: "NATO member"}

#: Dated spells of bases and occupation, a hand table: one row per (iso3, indicator, first_year, last_year,
#: value, match, note). ``match`` is text of the facility in the military-presence file (case-insensitive) or
#: ``topic:status`` of a hand row; years are inclusive, status as on 31 December of each year.
SPELLS_FILE = Path(__file__).resolve().parent.parent / "hand" / "military_spells.csv"


def read_spells(path: Path = SPELLS_FILE) -> list[tuple[str, str, int, int, int, str, str]]:
    """The spells table as tuples (iso3, indicator, first year, last year, value, match, note)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [
        (r.iso3, r.indicator, int(r.first_year), int(r.last_year), int(r.value), r.match, r.note)
        for r in df.itertuples()
    ]


META: list[dict] = [
    dict(
        id=BASE,
        **indicator_fields(BASE),
        unit="yes/no",
        scale="binary",
        levels={0: "no", 1: "yes"},
        bounds=(0, 1),
        goalposts=(0, 1),
        definition=(
            "Whether the state hosts a Russian military base or Russian-operated strategic facility by its own "
            "agreement (leases, basing treaties, an agreed peacekeeping mandate). Distinct from Russian troops "
            "present without the host's consent, which is a separate indicator pointing the other way."
        ),
        coding_rule=(
            "1 if on 31 December of the year a Russian base or facility was on the territory under an agreement "
            "the government had signed and not repudiated; 0 otherwise. Coded from dated spells, each citing a "
            "row that names the facility; a 0 cites a source for the absence (no-bases law, troop withdrawal, "
            "closure). Troop numbers are not used: they are sparse and conflict across sources."
        ),
        years_note="Every year 2013-2025 is coded from the spells.",
    ),
    dict(
        id=NATO,
        **indicator_fields(NATO),
        unit="level (0-3)",
        scale="ordinal",
        levels=NATO_LEVELS,
        bounds=(0, 3),
        goalposts=(0, 3),
        definition=(
            "The state's tie to NATO, the alliance opposed to Russia, on 31 December: 3 = NATO member, 2 = an "
            "individual partnership programme (Individual Partnership Action Plan, Annual National Programme, "
            "NATO-Ukraine Action Plan or Council, Substantial NATO-Georgia Package, Enhanced Opportunities "
            "Partner), 1 = Partnership for Peace, 0 = none. A pointer away from Moscow (direction -1)."
        ),
        coding_rule=(
            "Highest level among the dated NATO rows on or before 31 December (structural-ties rows and the NATO "
            "rows of the memberships file, and the NATO rows of indicators/hand/facts_extra.csv: topic NATO for "
            "membership, topic = the tie's name for a partnership); a tie stays in force once reached. "
            "Rows whose only source is unusable (wiki, mirror, copy) are left out; a state with no usable dated "
            "NATO row in a year is missing that year (no state is coded 0 without a source)."
        ),
        years_note="Every year 2013-2025 where a usable dated row exists; Partnership for Peace accessions "
        "dated only by wiki copies are dated from NATO's relations pages (often the year only) in the hand table.",
    ),
]


def _usable(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["source_url"].map(lambda u: tier_of(u) != "unusable")]


def _date(s: str) -> dt.date:
    parts = [int(p) for p in str(s).split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def nato_facts(raw: Path, hand: pd.DataFrame) -> pd.DataFrame:
    """Dated NATO rows that set a level: iso3, date, d, level, label, and the row (for its source)."""
    # Hand rows whose topic names a tie (e.g. "NATO Partnership for Peace") are read like the
    # structural-ties rows; the topic "NATO" alone is a membership row (below).
    hand_ties = hand[hand["topic"].str.startswith("NATO") & (hand["topic"] != "NATO")]
    ties = _usable(
        pd.concat(
            [read_compiled(raw, "western_structural_ties.csv"), hand_ties.rename(columns={"topic": "tie"})],
            ignore_index=True,
        ).fillna("")
    )
    mem = read_compiled(raw, "memberships_dated.csv")
    mem = pd.concat(
        [mem[mem["organisation"] == "NATO"], hand[hand["topic"] == "NATO"].rename(columns={"topic": "organisation"})],
        ignore_index=True,
    )
    mem = _usable(mem)
    rows = []
    for _, r in ties.iterrows():
        if "ANNOUNCED" in r["notes"]:
            continue
        for tie_re, status_re, level in NATO_RULES:
            if re.search(tie_re, r["tie"]) and re.search(status_re, r["status"]):
                rows.append(
                    dict(iso3=r["iso3"], date=r["date"], level=level, label=f"{r['tie']}: {r['status']}", row=r)
                )
                break
    for _, r in mem.iterrows():
        if r["status"] == "member":
            rows.append(dict(iso3=r["iso3"], date=r["date"], level=3, label="NATO member", row=r))
    f = pd.DataFrame(rows, columns=["iso3", "date", "level", "label", "row"])
    f["d"] = f["date"].map(_date)
    return f


def build(raw: Path) -> BuilderOutput:
    mil = _usable(read_compiled(raw, "russian_military_presence.csv"))
    hand = pd.read_csv(
        Path(__file__).resolve().parent.parent / "hand" / "facts_extra.csv",
        dtype=str,
        keep_default_na=False,
    )
    hand["iso3"] = hand["country"].map(country_iso3)
    out = BuilderOutput(indicators=[])
    spells_src: dict[tuple, list[str]] = {}
    for iso3, ind, y0, y1, val, match, note in read_spells():
        if match.startswith("russian_base:"):
            topic, status = match.split(":")
            rows = _usable(hand[(hand["iso3"] == iso3) & (hand["topic"] == topic) & (hand["status"] == status)])
            prefix = "hand"
        else:
            rows = mil[(mil["iso3"] == iso3) & mil["facility"].str.contains(match, case=False, regex=False)]
            prefix = "mil"
        if rows.empty:
            raise ValueError(f"military spell {iso3} {ind} {y0}-{y1}: no usable source row matches {match!r}")
        ids = []
        for _, r in rows.iterrows():
            s = compiled_source(r, prefix, r.get("year") or r.get("date", "")[:4] or "undated")
            out.sources.append(s)
            ids.append(s.source_id)
        spells_src[(iso3, ind, y0)] = ids
        if ind == BASE:
            for year in range(max(y0, YEARS[0]), min(y1, YEARS[-1]) + 1):
                out.add(iso3, year, ind, val, "observed", ids, note)
        if y0 > YEARS[0] or ind == TROOPS:
            out.events.append(
                {
                    "iso3": iso3,
                    "date": str(max(y0, YEARS[0])),
                    "indicator": BASE,
                    "kind": "military",
                    "description": ("Russian forces without the host's consent: " if ind == TROOPS else "") + note,
                    "source_id": ids[0],
                }
            )
    coded = {(r["iso3"], r["year"]) for r in out.rows}
    missing = [i for i in PANEL_COUNTRIES if not any((i, y) in coded for y in YEARS)]
    if missing:
        raise ValueError(f"military coding has no base spells for {missing}")

    facts = nato_facts(raw, hand)
    nato_ids: set[str] = set()
    for iso3 in PANEL_COUNTRIES:
        f = facts[facts["iso3"] == iso3]
        for year in YEARS:
            g = f[f["d"] <= dt.date(year, 12, 31)]
            if g.empty:
                continue
            level = int(g["level"].max())
            top = g[g["level"] == level].sort_values("d", kind="stable")
            srcs = [compiled_source(r, "nato", r["date"][:4]) for r in top["row"]]
            out.sources += srcs
            ids = sorted({s.source_id for s in srcs})
            nato_ids.add(ids[0])
            first = top.iloc[0]
            out.add(iso3, year, NATO, level, "observed", ids, f"{first['label']} since {first['date']}")
    for r in facts[facts["d"] >= dt.date(YEARS[0], 1, 1)].itertuples():
        out.events.append(
            {
                "iso3": r.iso3,
                "date": r.date,
                "indicator": NATO,
                "kind": "membership",
                "description": f"NATO: {r.label} (level {r.level})",
                "source_id": compiled_source(r.row, "nato", r.date[:4]).source_id,
            }
        )
    out.sources = list({s.source_id: s for s in out.sources}.values())
    # The catalogue cites the sources of the spells that set a 1 (the facilities themselves).
    key_ids = sorted({ids[0] for (_, name, _), ids in spells_src.items() if name == BASE})
    out.indicators.append(Indicator(**META[0], source_ids=tuple(key_ids)))
    out.indicators.append(Indicator(**META[1], source_ids=tuple(sorted(nato_ids))))
    return out
