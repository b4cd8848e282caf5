"""Membership of Russia-led organisations, coded per year from dated transitions.

Indicators: ``csto_membership``, ``eaeu_membership``, ``cis_membership``, ``sco_membership``.

Coding rule shared by all four: the level in year *t* is the status in force on
31 December of *t*, taken from the latest dated transition on or before that day in
``compiled_cited/memberships_dated.csv`` (plus ``indicators/hand/facts_extra.csv`` for
the Eurasian Customs Union of 2010). Where two rows date the same transition
differently, a row flagged CONFLICT loses to an unflagged one; among unflagged rows
the earliest date counts (later rows of the same status confirm a spell already begun);
if every row is flagged, the later date wins (the conservative reading). A row whose only
source is ``unusable`` (README "Source tiers": wikis, mirrors, copies) dates nothing and is
left out before this resolution.

Years with no transition in force are coded only where a source supports it:

* before a state's first transition, when that transition is an accession (joining, observer
  or partner status): 0, citing the accession source, which dates the start;
* a state with no usable dated transition at all: the build reads the 2026 membership
  snapshot (``country_groups_treaties/group_memberships_15countries.csv``). Absent from the
  organisation's list -> 0, ``observed``: the 0 is an observation of the member list (a neutral
  reference compiled from the organisations' own lists), and with no accession or exit on record in
  any source the state was outside the organisation in every panel year; the note says so. On the
  list -> missing: membership without a dated start is not coded.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from indicators.builders.common import (
    COMPILED_ACCESSED,
    BuilderOutput,
    compiled_source,
    country_iso3,
    parse_date,
    read_compiled,
)
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import Indicator, Source
from indicators.structure import indicator_fields
from indicators.tiers import tier_of

SNAPSHOT_FILE = Path("country_groups_treaties") / "group_memberships_15countries.csv"
#: Organisation -> its ``gid`` in the snapshot.
SNAPSHOT_GID = {"CSTO": "csto", "EAEU": "eaeu", "CIS": "cis", "SCO": "sco"}
#: Status words that start a membership (an accession): the years before them are "none".
ACCESSION_STATUSES = {"founding_member", "member", "customs_union_member", "observer", "partner", "associate"}


def snapshot_members(raw: Path) -> dict[str, set[str]]:
    """Organisation -> iso3 codes on its 2026 member list (the snapshot read by the build)."""
    snap = pd.read_csv(raw / SNAPSHOT_FILE, dtype=str, keep_default_na=False)
    return {org: set(snap.loc[snap["gid"] == gid, "iso3"]) for org, gid in SNAPSHOT_GID.items()}


SNAPSHOT_ID = "wcg-groups-2026"


def snapshot_source() -> Source:
    return Source(
        source_id=SNAPSHOT_ID,
        producer="Tomas Gonzalez, worldcountrygroups (MIT)",
        title="World country groups: membership lists of international groupings (snapshot, commit 5980db5, 2026-03-05)",
        url="https://github.com/tomasgonz/worldcountrygroups",
        figure_year="2026",
        accessed=COMPILED_ACCESSED,
        licence="MIT",
        quote="",
    )


def not_listed_note(org: str) -> str:
    return (
        f"not on the {org} member list (2026 snapshot of the member lists), and no accession or exit is on "
        "record in any source: outside the organisation throughout"
    )


#: organisation -> (indicator metadata kwargs, status -> level)
ORGS: dict[str, tuple[dict, dict[str, int]]] = {
    "CSTO": (
        dict(
            id="csto_membership",
            unit="level (0-2)",
            levels={0: "not a member", 1: "participation suspended or frozen", 2: "active member"},
            definition=(
                "Standing in the Collective Security Treaty Organization, the Russia-led military alliance: "
                "2 = active member, 1 = member whose participation is suspended or frozen (e.g. Uzbekistan's "
                "2012 suspension, Armenia's 2024 freeze, which was not a formal withdrawal), 0 = not a member "
                "(never joined, or left: Azerbaijan and Georgia in 1999, Uzbekistan in 2012)."
            ),
        ),
        {"founding_member": 2, "member": 2, "suspended_participation": 1, "withdrew": 0},
    ),
    "EAEU": (
        dict(
            id="eaeu_membership",
            unit="level (0-2)",
            levels={0: "none", 1: "observer", 2: "member"},
            definition=(
                "Standing in the Eurasian Economic Union: 2 = member, 1 = observer state, 0 = none. The EAEU "
                "started on 1 January 2015; for 2013-2014 its forerunner, the Eurasian Customs Union of Belarus, "
                "Kazakhstan and Russia (common external tariff from 1 January 2010), is coded instead, so Belarus "
                "and Kazakhstan are members from 2013 and Armenia and Kyrgyzstan only from their 2015 accession."
            ),
        ),
        {"founding_member": 2, "member": 2, "customs_union_member": 2, "observer": 1},
    ),
    "CIS": (
        dict(
            id="cis_membership",
            unit="level (0-2)",
            levels={0: "not a member", 1: "associate, suspended or leaving", 2: "member"},
            definition=(
                "Standing in the Commonwealth of Independent States: 2 = member taking part in its bodies, "
                "1 = associate member (Turkmenistan since 2005) or member that has suspended participation or "
                "started to leave (Ukraine 2014-2017, Moldova from 2023), 0 = not a member or withdrawn "
                "(Georgia 2009, Ukraine's exit from the statutory bodies in May 2018, the Baltic states never joined)."
            ),
        ),
        {"founding_member": 2, "member": 2, "associate": 1, "suspended_participation": 1, "withdrew": 0},
    ),
    "SCO": (
        dict(
            id="sco_membership",
            unit="level (0-3)",
            levels={0: "none", 1: "dialogue partner", 2: "observer", 3: "member"},
            definition=(
                "Standing in the Shanghai Cooperation Organisation, co-led by Russia and China: 3 = member, "
                "2 = observer, 1 = dialogue partner, 0 = none. A weak signal of alignment with Moscow (China "
                "weighs as much in the SCO), so the presets give it a small weight."
            ),
        ),
        {"founding_member": 3, "member": 3, "observer": 2, "partner": 1},
    ),
}


def resolve_conflicts(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (iso3, org, status, year-of-transition family).

    Rows with the same status in one unbroken spell describe the same transition. A
    CONFLICT-flagged row loses to an unflagged one; among unflagged rows the earliest
    date counts (later rows confirm the spell); if all rows are flagged the later date
    wins. Every source of the kept date is cited (``all_ids``); other dates go to
    ``losers`` for the note.
    """
    out = []
    for _, g in rows.groupby(["iso3", "org", "status", "episode"], sort=True):
        # A state medium of an interested government dates a transition only when no independent
        # (official, reference or press) row dates the same spell in the same year (README "Source tiers").
        g_all = g
        independent = g["source_url"].map(lambda u: tier_of(u) != "interested-party")
        ind_years = {d.year for d in g.loc[independent, "d"]}
        g = g[independent | ~g["d"].map(lambda d, ys=ind_years: d.year in ys)]
        clean = g[~g["notes"].str.contains("CONFLICT", na=False)]
        best_date = clean["d"].min() if len(clean) else g["d"].max()
        pool = clean if len(clean) else g
        keep = pool[pool["d"] == best_date].iloc[0].copy()
        keep["all_ids"] = tuple(sorted(pool.loc[pool["d"] == best_date, "source_id"]))
        keep["losers"] = "; ".join(
            f"{r.date} ({r.source_title})"
            for r in g_all.itertuples()
            if r.d != best_date or r.source_id not in keep["all_ids"]
        )
        out.append(keep)
    return pd.DataFrame(out).sort_values(["iso3", "org", "d"]).reset_index(drop=True)


def _episode(g: pd.DataFrame) -> pd.Series:
    """Number the spells of a status: a status that recurs after another one starts a new episode."""
    ep, last, n = [], None, 0
    for st in g["status"]:
        if st != last:
            n += 1
            last = st
        ep.append(n)
    return pd.Series(ep, index=g.index)


def level_at(transitions: pd.DataFrame, year: int) -> pd.Series | None:
    """The transition row in force on 31 December of ``year`` (None if none precedes it)."""
    before = transitions[transitions["d"] <= dt.date(year, 12, 31)]
    return None if before.empty else before.iloc[-1]


def build(raw: Path) -> BuilderOutput:
    mem = read_compiled(raw, "memberships_dated.csv").rename(columns={"organisation": "org"})
    hand = pd.read_csv(
        Path(__file__).resolve().parent.parent / "hand" / "facts_extra.csv", dtype=str, keep_default_na=False
    )
    hand = hand[hand["topic"].isin(list(ORGS))].rename(columns={"topic": "org"})
    hand["iso3"] = hand["country"].map(country_iso3)
    rows = pd.concat([mem, hand], ignore_index=True)
    rows = rows[rows["org"].isin(list(ORGS))].copy()
    # Turkmenistan's 2005 CIS "member" row is an associate membership (see its note).
    assoc = rows["notes"].str.contains("ASSOCIATE", na=False)
    rows.loc[assoc, "status"] = "associate"
    rows["d"] = rows["date"].map(parse_date)

    out = BuilderOutput(indicators=[])
    src_by_row = {}
    for i, r in rows.iterrows():
        s = compiled_source(r, "mem", r["date"][:4])
        src_by_row[i] = s.source_id
        out.sources.append(s)
    rows["source_id"] = pd.Series(src_by_row)
    # A transition dated only by an unusable source (wiki, mirror, copy) is not a transition.
    rows = rows[rows["source_url"].map(lambda u: tier_of(u) != "unusable")].copy()
    listed = snapshot_members(raw)
    out.sources.append(snapshot_source())
    out.sources = list({s.source_id: s for s in out.sources}.values())

    rows = rows.sort_values(["iso3", "org", "d"])
    rows["episode"] = rows.groupby(["iso3", "org"], group_keys=False)[["status"]].apply(_episode)
    resolved = resolve_conflicts(rows)

    for org, (meta, status_level) in ORGS.items():
        ind = Indicator(
            **meta,
            **indicator_fields(meta["id"]),
            scale="ordinal",
            bounds=(min(meta["levels"]), max(meta["levels"])),
            goalposts=(min(meta["levels"]), max(meta["levels"])),
            coding_rule=(
                "Status in force on 31 December of the year, from the latest dated transition on or before that "
                "day (one source per date). Status words map to levels as "
                + ", ".join(f"{k} -> {v}" for k, v in status_level.items())
                + ". Where sources date a transition differently, a row flagged CONFLICT loses to an unflagged "
                "one; among unflagged rows the earliest date of the spell counts; if all are flagged, the later "
                "date; a row whose only source is unusable (wiki, mirror, copy) is left out. Before a state's "
                "first transition, if that is an accession, the lowest level (citing the accession). A state "
                "with no dated transition: the lowest level, observed (an observation of the member list), if the "
                "2026 member list (snapshot, read by the build) does not include it and no accession or exit is on "
                "record; missing if it does."
            ),
            years_note="All years 2013-2025 are coded from dated facts; 2025 is the status on 31 December 2025 "
            "as known from sources compiled on 2026-11-23.",
            source_ids=(SNAPSHOT_ID,),
        )
        out.indicators.append(ind)
        t_org = resolved[resolved["org"] == org]
        for iso3 in PANEL_COUNTRIES:
            t = t_org[t_org["iso3"] == iso3]
            for year in YEARS:
                row = level_at(t, year)
                if row is None:
                    first = t.iloc[0] if len(t) else None
                    if first is not None and first["status"] in ACCESSION_STATUSES:
                        note = f"not yet: {first['status'].replace('_', ' ')} from {first['date']}"
                        out.add(iso3, year, ind.id, min(meta["levels"]), "observed", first["all_ids"], note)
                    elif first is None and iso3 not in listed[org]:
                        out.add(iso3, year, ind.id, min(meta["levels"]), "observed", SNAPSHOT_ID, not_listed_note(org))
                    continue
                note = f"{row['status']} since {row['date']}"
                if row["losers"]:
                    note += f"; other dates reported: {row['losers']}"
                out.add(iso3, year, ind.id, status_level[row["status"]], "observed", row["all_ids"], note)
        for r in t_org.itertuples():
            if r.d.year >= YEARS[0] - 1:
                out.events.append(
                    {
                        "iso3": r.iso3,
                        "date": r.date,
                        "indicator": ind.id,
                        "kind": "membership",
                        "description": f"{org}: {r.status.replace('_', ' ')}" + (f" ({r.notes})" if r.notes else ""),
                        "source_id": r.all_ids[0],
                    }
                )
    return out
