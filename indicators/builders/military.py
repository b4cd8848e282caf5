"""Russian military presence: hosted by agreement vs present without the host's consent.

Indicators: ``russian_base_by_agreement`` (+1) and ``russian_troops_without_consent`` (-1).

The two are kept apart on purpose: a base a government invites signals alignment with
Moscow; Russian troops on a state's territory against its will (occupied regions,
Transnistria, Crimea) signal the opposite. Each is coded per year from dated spells in
``SPELLS`` below; every spell names the rows of
``compiled_cited/russian_military_presence.csv`` (or ``indicators/hand/facts_extra.csv``)
that support it.
"""

from __future__ import annotations

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

BASE = "russian_base_by_agreement"
TROOPS = "russian_troops_without_consent"

#: (iso3, indicator, first year, last year, value, match on facility text (case-insensitive) or hand topic, note)
#: The year range is inclusive; status is as on 31 December of each year.
SPELLS: list[tuple[str, str, int, int, int, str, str]] = [
    (
        "ARM",
        BASE,
        2013,
        2025,
        1,
        "102nd Military Base",
        "102nd base at Gyumri; basing extended to 2044 by the 2010 protocol",
    ),
    (
        "AZE",
        BASE,
        2013,
        2019,
        0,
        "Gabala",
        "Gabala radar lease ended in December 2012; no Russian presence",
    ),
    (
        "AZE",
        BASE,
        2020,
        2023,
        1,
        "peacekeeping contingent, Nagorno-Karabakh",
        "peacekeepers under the 9/10 Nov 2020 trilateral statement Azerbaijan signed",
    ),
    (
        "AZE",
        BASE,
        2024,
        2025,
        0,
        "withdrawal completed",
        "peacekeepers withdrawn by June 2024",
    ),
    (
        "BLR",
        BASE,
        2013,
        2025,
        1,
        "Volga",
        "Volga radar and Vileyka naval communication centre by agreement; leases extended 2022",
    ),
    (
        "KAZ",
        BASE,
        2013,
        2025,
        1,
        "Baikonur",
        "Baikonur leased to Russia until 2050 (largely a space facility; coded as a Russian-operated strategic site)",
    ),
    (
        "KGZ",
        BASE,
        2013,
        2025,
        1,
        "Kant air base",
        "Kant air base; agreement lets Russia stay until 2032",
    ),
    (
        "TJK",
        BASE,
        2013,
        2025,
        1,
        "201st Military Base",
        "201st base; lease extended to at least 2042",
    ),
    (
        "TKM",
        BASE,
        2013,
        2025,
        0,
        "none (neutrality",
        "neutrality policy: no foreign military bases",
    ),
    (
        "UZB",
        BASE,
        2013,
        2025,
        0,
        "russian_base:no_foreign_bases",
        "2012 foreign policy concept bans foreign military bases",
    ),
    (
        "EST",
        BASE,
        2013,
        2025,
        0,
        "russian_base:troops_withdrawn",
        "last Russian troops left on 31 Aug 1994",
    ),
    (
        "LVA",
        BASE,
        2013,
        2025,
        0,
        "russian_base:troops_withdrawn",
        "last Russian troops left on 31 Aug 1994",
    ),
    (
        "LTU",
        BASE,
        2013,
        2025,
        0,
        "russian_base:troops_withdrawn",
        "last Russian troops left on 31 Aug 1993",
    ),
    (
        "UKR",
        BASE,
        2013,
        2013,
        1,
        "Black Sea Fleet, Crimea",
        "Black Sea Fleet at Sevastopol under the 1997 and 2010 agreements",
    ),
    (
        "UKR",
        BASE,
        2014,
        2025,
        0,
        "basing agreements terminated",
        "Russia terminated the basing agreements on 2 Apr 2014 after annexing Crimea",
    ),
    (
        "GEO",
        BASE,
        2013,
        2025,
        0,
        "Abkhazia",
        "Russian bases in Abkhazia and South Ossetia are not by Georgia's consent (see the other indicator)",
    ),
    (
        "MDA",
        BASE,
        2013,
        2025,
        0,
        "Operational Group of Russian Forces",
        "OGRF in Transnistria stays against Moldova's demand to withdraw (see the other indicator)",
    ),
    (
        "GEO",
        TROOPS,
        2013,
        2025,
        1,
        "Abkhazia",
        "Russian bases in occupied Abkhazia and South Ossetia",
    ),
    (
        "MDA",
        TROOPS,
        2013,
        2025,
        1,
        "Operational Group of Russian Forces",
        "Operational Group of Russian Forces in Transnistria",
    ),
    (
        "UKR",
        TROOPS,
        2013,
        2013,
        0,
        "Black Sea Fleet, Crimea",
        "2013: Black Sea Fleet present by agreement",
    ),
    (
        "UKR",
        TROOPS,
        2014,
        2025,
        1,
        "basing agreements terminated",
        "Crimea annexed in 2014; Russian forces present against Ukraine's will",
    ),
]
#: States coded 0 on ``TROOPS`` because the same rows show only consented (or no) presence.
NO_TROOPS_FROM_BASE = (
    "ARM",
    "AZE",
    "BLR",
    "KAZ",
    "KGZ",
    "TJK",
    "TKM",
    "UZB",
    "EST",
    "LVA",
    "LTU",
)


META: list[dict] = [
    dict(
        id=BASE,
        name="Russian base hosted by agreement",
        pillar="security",
        unit="yes/no",
        direction=1,
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
        id=TROOPS,
        name="Russian troops without consent",
        pillar="security",
        unit="yes/no",
        direction=-1,
        scale="binary",
        levels={0: "no", 1: "yes"},
        bounds=(0, 1),
        goalposts=(0, 1),
        definition=(
            "Whether Russian forces are stationed on the state's internationally recognised territory against its "
            "government's will (Abkhazia and South Ossetia in Georgia, Transnistria in Moldova, Crimea and the "
            "occupied regions of Ukraine from 2014). A state in that position is pushed away from Moscow, so the "
            "indicator points away (direction -1)."
        ),
        coding_rule=(
            "1 if on 31 December of the year Russian forces were present on the territory without the host "
            "government's consent; 0 otherwise (no Russian forces, or only by agreement)."
        ),
        years_note="Every year 2013-2025 is coded from the spells.",
    ),
]


def build(raw: Path) -> BuilderOutput:
    mil = read_compiled(raw, "russian_military_presence.csv")
    hand = pd.read_csv(
        Path(__file__).resolve().parent.parent / "hand" / "facts_extra.csv",
        dtype=str,
        keep_default_na=False,
    )
    hand["iso3"] = hand["country"].map(country_iso3)
    out = BuilderOutput(indicators=[])
    spells_src: dict[tuple, list[str]] = {}
    for iso3, ind, y0, y1, val, match, note in SPELLS:
        if match.startswith("russian_base:"):
            topic, status = match.split(":")
            rows = hand[(hand["iso3"] == iso3) & (hand["topic"] == topic) & (hand["status"] == status)]
            prefix = "hand"
        else:
            rows = mil[(mil["iso3"] == iso3) & mil["facility"].str.contains(match, case=False, regex=False)]
            prefix = "mil"
        if rows.empty:
            raise ValueError(f"military spell {iso3} {ind} {y0}-{y1}: no source row matches {match!r}")
        ids = []
        for _, r in rows.iterrows():
            s = compiled_source(r, prefix, r.get("year") or r.get("date", "")[:4] or "undated")
            out.sources.append(s)
            ids.append(s.source_id)
        spells_src[(iso3, ind, y0)] = ids
        for year in range(max(y0, YEARS[0]), min(y1, YEARS[-1]) + 1):
            out.add(iso3, year, ind, val, "observed", ids, note)
        if y0 > YEARS[0]:
            out.events.append(
                {
                    "iso3": iso3,
                    "date": str(y0),
                    "indicator": ind,
                    "kind": "military",
                    "description": note,
                    "source_id": ids[0],
                }
            )
    coded = {(r["iso3"], r["indicator"], r["year"]) for r in out.rows}
    for iso3 in NO_TROOPS_FROM_BASE:
        base_ids = [ids for (i, ind, _), ids in spells_src.items() if i == iso3 and ind == BASE]
        for year in YEARS:
            if (iso3, TROOPS, year) not in coded:
                out.add(
                    iso3,
                    year,
                    TROOPS,
                    0,
                    "observed",
                    sorted({x for ids in base_ids for x in ids}),
                    "no Russian forces without consent: presence, if any, is by agreement",
                )
    missing = [
        (i, ind)
        for i in PANEL_COUNTRIES
        for ind in (BASE, TROOPS)
        if not any((i, ind, y) in {(r["iso3"], r["indicator"], r["year"]) for r in out.rows} for y in YEARS)
    ]
    if missing:
        raise ValueError(f"military coding has no spells for {missing}")
    out.sources = list({s.source_id: s for s in out.sources}.values())
    # The catalogue cites the sources of the spells that set a 1 (the facilities themselves).
    for m in META:
        key_ids = sorted({ids[0] for (_, name, _), ids in spells_src.items() if name == m["id"]})
        out.indicators.append(Indicator(**m, source_ids=tuple(key_ids)))
    return out
