"""Ties to and engagement with the West: a structural ladder plus weighted high-level events.

Indicator: ``western_engagement`` (index 0-100, direction -1: higher = farther from Moscow).

Formula, for country *c* and year *t*::

    index = 100 * (LADDER_WEIGHT * ladder(c, t) / LADDER_TOP
                   + EVENTS_WEIGHT * min(1, max(0, S(c, t)) / EVENT_CAP))

* ``ladder(c, t)`` (0-6) is the institutional status on 31 December of *t*, from the dated
  rows of ``compiled_cited/western_structural_ties.csv`` and the EU/NATO rows of
  ``compiled_cited/memberships_dated.csv`` (see :data:`LADDER`, :data:`TIE_RULES`,
  :data:`MEMBERSHIP_RULES`). A tie, once reached, stays in force unless a downgrade row
  (:data:`DOWNGRADE_RULES`) suspends it. While at least one downgrade is in force the
  country also loses one further rung (:data:`DOWNGRADE_PENALTY`), floor 0.
* ``S(c, t)`` is the sum of event weights over the trailing window ``t-2 .. t``
  (:data:`WINDOW_YEARS`) from ``compiled_cited/western_engagement_events.csv``: base
  weight by event type (:data:`EVENT_WEIGHTS`), divided by the number of panel
  countries taking part in the same regional-format meeting, negative for rows flagged
  NEGATIVE, zero for uncorroborated ANNOUNCED rows, contacts with an opposition in exile
  and the losing row of a CONFLICT pair (same event, two dates).

All constants are defined once, below; the indicator's definition and coding rule are
written from them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from indicators.builders.common import BuilderOutput, compiled_source, country_iso3, parse_date, read_compiled
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import Indicator, Source
from indicators.structure import indicator_fields
from indicators.tiers import tier_of

HAND_FACTS = Path(__file__).resolve().parent.parent / "hand" / "facts_extra.csv"

INDICATOR_ID = "western_engagement"

# ---------------------------------------------------------------------------------------------
# The ladder
# ---------------------------------------------------------------------------------------------

#: Rungs of the structural ladder (status on 31 December).
LADDER: dict[int, str] = {
    0: "no partnership in force",
    1: "basic partnership (NATO PfP, EU Eastern Partnership, EU PCA or interim trade agreement)",
    2: "enhanced agreement signed or in force (EU AA/DCFTA signed, EPCA/CEPA, NATO IPAP/ANP/SNGP, "
    "US strategic-partnership charter)",
    3: "EU Association Agreement/DCFTA in force or EU visa-free regime",
    4: "EU membership application submitted or candidate status",
    5: "EU accession negotiations opened",
    6: "member of both the EU and NATO",
}
LADDER_TOP = max(LADDER)

#: Structural-ties rows that place a country on a rung: (tie regex, status regex, family, rung).
#: A ``family`` groups the ties a downgrade can suspend. Rows matching no rule are context
#: (missions, visa facilitation, sanctions alignment, formats such as C5+1) and appear on the
#: timeline only.
TIE_RULES: tuple[tuple[str, str, str, int], ...] = (
    (r"Partnership for Peace", r"^joined$", "nato_pfp", 1),
    (r"EU Eastern Partnership", r"^participant$", "eu_eap", 1),
    (r"Partnership and Cooperation Agreement \(PCA\)", r"^in_force$", "eu_pca", 1),
    (r"Interim Agreement on trade", r"^in_force$", "eu_pca", 1),
    (r"Individual Partnership Action Plan", r"^agreed$", "nato_plan", 2),
    (r"NATO Annual National Programme|NATO-Ukraine Action Plan", r".", "nato_plan", 2),
    (
        r"Substantial NATO-Georgia Package|Enhanced Opportunities Partner|NATO-Ukraine Council",
        r"^(agreed|granted|established)$",
        "nato_plan",
        2,
    ),
    (r"Enhanced Partnership and Cooperation Agreement", r"^(signed|in_force)$", "eu_enhanced", 2),
    (
        r"^US-\w+ Charter|^US-Baltic Charter|^US-\w+ Strategic Partnership Commission Charter",
        r"^signed",
        "us_charter",
        2,
    ),
    (r"EU visa-free regime", r"^in_force$", "eu_visa_free", 3),
    (r"EU membership application", r"^submitted$", "eu_accession", 4),
    (r"EU accession negotiations", r"^opened$", "eu_accession", 5),
)

#: EU/NATO rows of memberships_dated.csv: (organisation, status, stage, family, rung). The stage
#: is read from the row's notes: 'initialled' (no rung), 'in_force' ('entry into force',
#: 'provisional application') or 'signed' (anything else).
MEMBERSHIP_RULES: tuple[tuple[str, str, str, str, int], ...] = (
    ("EU", "association_agreement", "signed", "eu_enhanced", 2),
    ("EU", "association_agreement", "in_force", "eu_aa", 3),
    ("EU", "cepa", "signed", "eu_enhanced", 2),
    ("EU", "cepa", "in_force", "eu_enhanced", 2),
    ("EU", "epca", "signed", "eu_enhanced", 2),
    ("EU", "epca", "in_force", "eu_enhanced", 2),
    ("EU", "candidate", "signed", "eu_accession", 4),
    ("EU", "member", "signed", "eu_member", 5),
    ("NATO", "member", "signed", "nato_member", 5),
)
#: Membership of both the EU and NATO lifts the country to the top rung.
BOTH_MEMBERSHIPS = ("eu_member", "nato_member")

#: Structural-ties rows that are downgrades: (tie regex, status regex, families suspended).
#: The suspended families stop counting from the row's date; the penalty applies as well.
#: Not downgrades: EU sanctions *on* Belarus (punitive measures, not a tie; their 2016 lifting is
#: not an upgrade either), the US handover of the Manas base (2014; counted as a NEGATIVE event),
#: not joining a sanctions package (alignment context).
DOWNGRADE_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"EU Eastern Partnership", r"^suspended$", ("eu_eap",)),
    (r"EU readmission agreement", r"^suspension", ()),
    (r"Partnership for Peace", r"^suspended$", ("nato_pfp",)),
    (r"EU accession process", r"^(frozen_by_EU|suspended_by_\w+)$", ("eu_accession",)),
    (r"US-Georgia Strategic Partnership", r"^suspended$", ("us_charter",)),
    (r"US Embassy in", r"^closed$", ()),
)
#: Rungs lost while at least one downgrade is in force (once, however many downgrades).
DOWNGRADE_PENALTY = 1
#: Status words that end a downgrade of the same tie (none occurs in the compiled data).
LIFT_STATUS = r"^(lifted|resumed|reinstated|restored)$"

# ---------------------------------------------------------------------------------------------
# Engagement events
# ---------------------------------------------------------------------------------------------

#: Base weight of one event by its ``event_type``.
EVENT_WEIGHTS: dict[str, float] = {
    "head_of_state_visit": 3.0,
    "summit": 2.0,
    "ministerial_visit": 2.0,
    "agreement_signed": 2.0,
    "military_exercise": 1.0,
    "aid_package": 1.0,
    "other": 1.0,
}
#: Event types whose rows, when several panel countries share date, type and partner, are one
#: regional-format meeting (C5+1, EU-Central Asia, EPC, EaP summit, Rapid Trident, Baltic surge).
REGIONAL_TYPES = ("summit", "military_exercise")
#: Visits are regional only when the row says it is one joint meeting (Obama and Pence meeting
#: the three Baltic presidents in Tallinn); otherwise same-day visits are separate stops of a tour.
JOINT_MARKER = re.compile(r"joint Baltic|Baltic presidents|same meeting covers", re.I)
#: Rows about contacts with an opposition rather than the government are not counted.
OPPOSITION_MARKER = re.compile(r"engagement with \w+ opposition", re.I)
#: An ANNOUNCED row counts only if its note reports that the event took place.
CORROBORATION_MARKER = re.compile(r"concluded|completion|confirm|corroborat", re.I)
#: Two CONFLICT rows of the same country, type and partner this close are one event.
CONFLICT_DAYS = 45
#: Years in the trailing window (t-2 .. t).
WINDOW_YEARS = 3
#: Weighted event sum that saturates the engagement term (about one head-of-state visit and one
#: ministerial visit a year over the window).
EVENT_CAP = 15.0
#: The events term is comparable across years by normalising within the year: a state's weighted
#: sum is divided by the largest sum of any state below the top rung in the same window (the most
#: engaged non-member that year gets the full term), never by less than :data:`MIN_EVENT_SCALE`.
#: The compiled event record grows from 8 rows in 2013 to 35 in 2024, so a fixed cap made the
#: whole panel drift away from Moscow by construction.
MIN_EVENT_SCALE = 3.0
#: A window with fewer counted events than this (over the states below the top rung) is a thin
#: record: its values are marked ``estimated``.
THIN_WINDOW_EVENTS = 20
#: Weights of the two terms; they sum to 1.
LADDER_WEIGHT = 0.8
EVENTS_WEIGHT = 0.2
#: First year the events file covers; windows reaching before it are truncated.
FIRST_EVENT_YEAR = 2013

EVENT_KIND: dict[str, str] = {
    "head_of_state_visit": "visit",
    "ministerial_visit": "visit",
    "summit": "summit",
    "agreement_signed": "agreement",
    "military_exercise": "exercise",
    "aid_package": "aid",
    "other": "other",
}


# ---------------------------------------------------------------------------------------------
# Small pure helpers
# ---------------------------------------------------------------------------------------------


def is_announced(notes: str) -> bool:
    """True for rows flagged ANNOUNCED (schedule or forecast written before the event)."""
    return "ANNOUNCED" in str(notes)


def is_conflict(notes: str) -> bool:
    return "CONFLICT" in str(notes)


def is_negative(notes: str) -> bool:
    """True for rows flagged NEGATIVE (Western disengagement or punitive steps)."""
    return "NEGATIVE" in str(notes)


def membership_stage(notes: str) -> str:
    """Stage of an EU agreement row of memberships_dated.csv, read from its notes.

    Only the first phrase of the notes (up to the first ';' or '(') is read, because later
    phrases recall other stages ("signature (initialled ~2019)"): 'initialled' if it says
    INITIALLED; 'in_force' for 'entry into force' or 'provisional application'; otherwise
    'signed' (signature, candidate status, membership).
    """
    n = re.split(r"[;(]", str(notes), maxsplit=1)[0].lower()
    if "initialled" in n:
        return "initialled"
    if "entry into force" in n or "provisional application" in n:
        return "in_force"
    return "signed"


MEMBERSHIP_STATUS_LABEL = {
    "association_agreement": "Association Agreement/DCFTA",
    "cepa": "CEPA",
    "epca": "EPCA",
    "candidate": "candidate status",
    "member": "membership",
}
STAGE_LABEL = {"signed": "signature", "in_force": "entry into force", "initialled": "initialled"}


def membership_label(org: str, status: str, notes: str) -> str:
    """Readable label of an EU/NATO memberships row, e.g. 'EU Association Agreement/DCFTA: entry into force'."""
    name = f"{org} {MEMBERSHIP_STATUS_LABEL.get(status, status.replace('_', ' '))}"
    if status in ("member", "candidate"):
        return name
    return f"{name}: {STAGE_LABEL[membership_stage(notes)]}"


def classify_tie(tie: str, status: str) -> tuple[str, int] | None:
    """(family, rung) for a structural-ties row that places a country on the ladder, else None."""
    for tie_re, status_re, family, rung in TIE_RULES:
        if re.search(tie_re, tie) and re.search(status_re, status):
            return family, rung
    return None


def classify_membership(org: str, status: str, notes: str) -> tuple[str, int] | None:
    """(family, rung) for an EU/NATO row of memberships_dated.csv, else None."""
    stage = membership_stage(notes)
    for o, st, sg, family, rung in MEMBERSHIP_RULES:
        if org == o and status == st and stage == sg:
            return family, rung
    return None


def classify_downgrade(tie: str, status: str) -> tuple[str, ...] | None:
    """Families a downgrade row suspends (possibly none: penalty only), or None if not a downgrade."""
    for tie_re, status_re, families in DOWNGRADE_RULES:
        if re.search(tie_re, tie) and re.search(status_re, status):
            return families
    return None


def index_value(ladder: int, event_sum: float, scale: float = EVENT_CAP) -> float:
    """100 * (LADDER_WEIGHT * ladder / LADDER_TOP + EVENTS_WEIGHT * min(1, max(0, event_sum) / scale)).

    ``scale`` is the year's normaliser (:func:`year_scales`); the default is the fixed cap.

    ``ladder`` must be a rung of :data:`LADDER`; a negative event sum counts as 0 (negative
    events can cancel positive ones but never push the ladder term down). At the top rung
    (member of both the EU and NATO) the events term is full: membership subsumes
    engagement, and the Baltic event record is thin.
    """
    if ladder not in LADDER:
        raise ValueError(f"ladder level {ladder!r} is not one of {sorted(LADDER)}")
    if ladder == LADDER_TOP:
        # Members of both the EU and NATO are inside the institutions the events term measures
        # engagement with; their (thinly recorded) visit count must not rank them below candidates.
        event_sum = scale
    v = 100.0 * (LADDER_WEIGHT * ladder / LADDER_TOP + EVENTS_WEIGHT * min(1.0, max(0.0, event_sum) / scale))
    return min(100.0, v)  # 0.8 + 0.2 can exceed 1 by a rounding ulp


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


def _corroborated(ev: pd.DataFrame, ties: pd.DataFrame | None) -> pd.Series:
    """ANNOUNCED rows confirmed by their own note or by an unflagged row of the same country and date."""
    confirmed = ev["notes"].map(lambda n: bool(CORROBORATION_MARKER.search(str(n))))
    plain = ev.loc[~ev["notes"].map(is_announced), ["iso3", "date"]]
    if ties is not None:
        plain = pd.concat([plain, ties.loc[~ties["notes"].map(is_announced), ["iso3", "date"]]])
    keys = set(map(tuple, plain.to_numpy()))
    same_day = pd.Series([(i, d) in keys for i, d in zip(ev["iso3"], ev["date"], strict=True)], index=ev.index)
    return confirmed | same_day


def _conflict_losers(ev: pd.DataFrame) -> dict:
    """Row index -> (kept index) for CONFLICT rows that duplicate another CONFLICT row.

    Same country, event type and partner, both flagged CONFLICT, dates at most
    :data:`CONFLICT_DAYS` apart: one event. The earliest date is kept (in the compiled data it
    is the majority or the official date in every pair).
    """
    losers: dict = {}
    c = ev[ev["notes"].map(is_conflict)].copy()
    c["d"] = c["date"].map(parse_date)
    for _, g in c.sort_values(["d"], kind="stable").groupby(["iso3", "event_type", "western_partner"], sort=True):
        rows = list(g.itertuples())
        for j, r in enumerate(rows):
            if r.Index in losers:
                continue
            for s in rows[j + 1 :]:
                if s.Index not in losers and (s.d - r.d).days <= CONFLICT_DAYS:
                    losers[s.Index] = r.Index
    return losers


def event_weights(ev: pd.DataFrame, ties: pd.DataFrame | None = None) -> pd.DataFrame:
    """Weight of every engagement-event row.

    Input columns: iso3, date, event_type, western_partner, description, notes (``ties``, if
    given, supplies extra dated rows that can corroborate an ANNOUNCED event). Adds:

    * ``base``: :data:`EVENT_WEIGHTS` of the type (unknown types raise ValueError);
    * ``n_regional``: number of panel countries with a row for the same regional-format meeting
      (same date, type and partner; types :data:`REGIONAL_TYPES` or rows marked as one joint
      meeting), 1 for bilateral rows;
    * ``weight``: ``base / n_regional``, negated for NEGATIVE rows, 0 when ``counted`` is False;
    * ``counted`` and ``reason`` (why a row is not counted: uncorroborated ANNOUNCED row,
      opposition contact, or conflicting duplicate of another row).

    Regional division is computed over counted rows only, so a dropped duplicate does not
    shrink its partners' weight.
    """
    ev = ev.copy()
    unknown = sorted(set(ev["event_type"]) - set(EVENT_WEIGHTS))
    if unknown:
        raise ValueError(f"event types {unknown} have no weight: add them to EVENT_WEIGHTS in {__name__}")
    ev["base"] = ev["event_type"].map(EVENT_WEIGHTS).astype(float)
    ev["counted"] = True
    ev["reason"] = ""
    ev["kept_as"] = pd.Series([None] * len(ev), index=ev.index, dtype=object)

    announced = ev["notes"].map(is_announced)
    drop = announced & ~_corroborated(ev, ties)
    ev.loc[drop, ["counted", "reason"]] = [False, "announced schedule, not corroborated"]
    opp = ev["notes"].map(lambda n: bool(OPPOSITION_MARKER.search(str(n))))
    ev.loc[opp, ["counted", "reason"]] = [False, "contact with the opposition, not the government"]
    for loser, kept in _conflict_losers(ev[ev["counted"]]).items():
        ev.loc[loser, ["counted", "reason"]] = [False, f"same event as the {ev.at[kept, 'date']} row (CONFLICT)"]
        ev.at[loser, "kept_as"] = kept

    text = ev["description"].astype(str) + " " + ev["notes"].astype(str)
    regional_ok = ev["event_type"].isin(REGIONAL_TYPES) | text.map(lambda s: bool(JOINT_MARKER.search(s)))
    pool = ev[ev["counted"] & regional_ok]
    n = pool.groupby(["date", "event_type", "western_partner"])["iso3"].transform("nunique")
    ev["n_regional"] = 1
    ev.loc[n.index, "n_regional"] = n.astype(int)
    sign = ev["notes"].map(lambda s: -1.0 if is_negative(s) else 1.0)
    ev["weight"] = (ev["base"] / ev["n_regional"] * sign).where(ev["counted"], 0.0)
    ev["year"] = ev["date"].str[:4].astype(int)
    return ev


def year_scales(sums: dict[tuple[str, int], float], levels: dict[tuple[str, int], int]) -> dict[int, float]:
    """Per year: the largest windowed event sum of a state below the top rung (floor :data:`MIN_EVENT_SCALE`)."""
    out: dict[int, float] = {}
    for (iso3, year), v in sums.items():
        if levels[(iso3, year)] < LADDER_TOP:
            out[year] = max(out.get(year, MIN_EVENT_SCALE), v)
    return {y: out.get(y, MIN_EVENT_SCALE) for y in {y for _, y in sums}}


def window_events(ev: pd.DataFrame, iso3: str, year: int) -> pd.DataFrame:
    """Counted event rows of ``iso3`` in the trailing window ``year - WINDOW_YEARS + 1 .. year``."""
    lo = year - WINDOW_YEARS + 1
    return ev[(ev["iso3"] == iso3) & ev["counted"] & ev["year"].between(lo, year)]


def top_events(w: pd.DataFrame, k: int = 3) -> pd.DataFrame:
    """The ``k`` most important events of a window: largest absolute weight, then most recent."""
    w = w.assign(absw=w["weight"].abs(), d=w["date"].map(parse_date))
    return w.sort_values(["absw", "d", "source_id"], ascending=[False, False, True], kind="stable").head(k)


# ---------------------------------------------------------------------------------------------
# Ladder
# ---------------------------------------------------------------------------------------------


def structural_facts(ties: pd.DataFrame, mem: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rung facts, downgrades) from the two structural files.

    Rung facts: iso3, date, d, family, rung, label, source_id, notes. Downgrades: iso3, date, d,
    families (tuple), label, source_id, end (date of a lifting row of the same tie or None).
    Rows flagged ANNOUNCED are left out (no compiled structural ANNOUNCED row sets a rung that
    an unflagged row does not already set).
    """
    facts, downs = [], []
    for r in ties.itertuples():
        if is_announced(r.notes):
            continue
        fam = classify_tie(r.tie, r.status)
        if fam:
            facts.append(
                dict(
                    iso3=r.iso3,
                    date=r.date,
                    family=fam[0],
                    rung=fam[1],
                    label=f"{r.tie}: {r.status.replace('_', ' ')}",
                    source_id=r.source_id,
                    notes=r.notes,
                )
            )
        sus = classify_downgrade(r.tie, r.status)
        if sus is not None:
            lift = ties[(ties["iso3"] == r.iso3) & (ties["tie"] == r.tie) & ties["status"].str.match(LIFT_STATUS)]
            lift = lift[lift["date"].map(parse_date) > parse_date(r.date)]
            downs.append(
                dict(
                    iso3=r.iso3,
                    date=r.date,
                    families=sus,
                    label=f"{r.tie}: {r.status.replace('_', ' ')}",
                    source_id=r.source_id,
                    end=min(lift["date"].map(parse_date)) if len(lift) else None,
                )
            )
    for r in mem.itertuples():
        if r.organisation not in ("EU", "NATO"):
            continue
        fam = classify_membership(r.organisation, r.status, r.notes)
        if fam:
            facts.append(
                dict(
                    iso3=r.iso3,
                    date=r.date,
                    family=fam[0],
                    rung=fam[1],
                    label=membership_label(r.organisation, r.status, r.notes),
                    source_id=r.source_id,
                    notes=r.notes,
                )
            )
    f = pd.DataFrame(facts, columns=["iso3", "date", "family", "rung", "label", "source_id", "notes"])
    f["d"] = f["date"].map(parse_date)
    g = pd.DataFrame(downs, columns=["iso3", "date", "families", "label", "source_id", "end"])
    g["d"] = g["date"].map(parse_date)
    return f, g


def ladder_at(
    facts: pd.DataFrame, downs: pd.DataFrame, iso3: str, year: int
) -> tuple[int, int, list[dict], list[dict]]:
    """Ladder level of ``iso3`` on 31 December of ``year``, with the rows that set it.

    Level = highest rung among facts dated on or before that day whose family is not suspended by a
    downgrade in force, lifted to :data:`LADDER_TOP` if both EU and NATO membership are in force,
    minus :data:`DOWNGRADE_PENALTY` if any downgrade is in force, floor 0. Returns (level, rung
    before the penalty, deciding fact rows, downgrade rows in force). Deciding rows: both membership rows at the top
    rung, else the latest unflagged (no CONFLICT) row at the highest rung (the latest row of any
    kind if all are flagged).
    """
    end = dt.date(year, 12, 31)
    dn = downs[(downs["iso3"] == iso3) & (downs["d"] <= end)]
    dn = dn.loc[[e is None or e != e or e > end for e in dn["end"]]]
    suspended = {fam for fams in dn["families"] for fam in fams}
    f = facts[(facts["iso3"] == iso3) & (facts["d"] <= end) & ~facts["family"].isin(suspended)]
    if f.empty:
        level, deciding = 0, []
    elif all((f["family"] == fam).any() for fam in BOTH_MEMBERSHIPS):
        level = LADDER_TOP
        deciding = [f[f["family"] == fam].sort_values("d", kind="stable").iloc[0].to_dict() for fam in BOTH_MEMBERSHIPS]
    else:
        level = int(f["rung"].max())
        top = f[f["rung"] == level]
        clean = top[~top["notes"].map(is_conflict)]
        pick = (clean if len(clean) else top).sort_values("d", kind="stable").iloc[-1]
        deciding = [pick.to_dict()]
    rung = level
    if len(dn):
        level = max(0, level - DOWNGRADE_PENALTY)
    down_rows = [r.to_dict() for _, r in dn.sort_values("d", kind="stable").iterrows()]
    return level, rung, deciding, down_rows


# ---------------------------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------------------------


def _ladder_text() -> str:
    return "; ".join(f"{k} = {v}" for k, v in LADDER.items())


def indicator(source_ids: tuple[str, ...]) -> Indicator:
    weights = ", ".join(f"{k} {v:g}" for k, v in EVENT_WEIGHTS.items())
    return Indicator(
        id=INDICATOR_ID,
        **indicator_fields(INDICATOR_ID),
        unit="index 0–100",
        scale="index",
        bounds=(0.0, 100.0),
        goalposts=(0.0, 100.0),
        definition=(
            f"A coding of dated facts: index = 100 × ({LADDER_WEIGHT:g} × ladder/{LADDER_TOP} + {EVENTS_WEIGHT:g} × "
            f"min(1, weighted events/{EVENT_CAP:g})). The ladder is the country's institutional tie to the EU, "
            f"NATO and the US on 31 December of the year: {_ladder_text()}. The events term counts high-level "
            f"engagement (summits, head-of-state and ministerial visits, agreements, exercises, aid) over the "
            f"{WINDOW_YEARS}-year trailing window ending in the year; members of both the EU and NATO get the full "
            f"events term. Higher = farther from Moscow."
        ),
        coding_rule=(
            "Ladder: a tie counts from its dated row (structural ties file and the EU/NATO rows of the memberships "
            "file; AA/CEPA/EPCA stage read from the notes: initialled = no rung, signature = 2, AA entry into "
            "force = 3; a year-only date counts in its year; only signed US charters count, not joint statements "
            "such as the 2018 US-Kazakhstan and US-Uzbekistan ones; ANNOUNCED structural rows are left out) and "
            "stays in force until a downgrade suspends it. Downgrades (Belarus suspending the "
            "Eastern Partnership and the readmission agreement 2021; Belarus's PfP suspension 2022; the US "
            "closing its Minsk embassy 2022; the EU freezing and Georgia suspending Georgia's accession process "
            "2024; the US suspending its strategic partnership with Georgia 2024) stop the suspended tie from "
            f"counting and, while any is in force, cost {DOWNGRADE_PENALTY} further rung (once, floor 0). EU "
            "sanctions on Belarus, the 2014 Manas handover (a NEGATIVE event) and non-alignment with sanctions "
            "packages are not downgrades; Armenia's 2025 EU-accession law is not a membership application. "
            f"Events: weight by type ({weights}); a regional-format row (summit or exercise rows of several "
            "panel countries on the same date with the same partner, or a visit marked as one joint Baltic "
            "meeting) is divided by the number of panel countries with a row for it; NEGATIVE rows subtract "
            "their weight (the events term is floored at 0, so they never raise the index and never cut into "
            "the ladder term); ANNOUNCED rows count only if their note reports the event took place or an "
            "unflagged row has the same country and date; contacts with an exiled opposition are not counted; "
            "event rows that mirror a structural change (e.g. the first visa-free day) count as events too; "
            f"two CONFLICT rows of the same country, type and partner at most {CONFLICT_DAYS} days apart are one "
            "event (earliest date kept). Sources per value: the row(s) deciding the ladder level, the two latest "
            "downgrades in force, and at most the three heaviest events of the window; the note gives the event count."
        ),
        years_note=(
            "All 14 states, 2013–2025. The ladder is defined every year from dated facts (pre-2013 baseline rows "
            f"set the 2013 starting point). Event windows for 2013 and 2014 are truncated: events are compiled "
            f"from {FIRST_EVENT_YEAR} only. Event coverage is thin in 2016–2019 (7–9 events a year) and for the "
            "Baltic states and Belarus (6–10 events each); the UK and NATO are under-represented. Because Baltic "
            "coverage is thin, an EU candidate negotiating accession with saturated engagement (Ukraine and "
            "Moldova from 2024) can score above an EU and NATO member. 2025 is "
            "partial: events to November 2025, ladder as known from pages compiled on 2026-11-23."
        ),
        source_ids=source_ids,
    )


# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------


def _sources(rows: pd.DataFrame, prefix: str) -> tuple[pd.Series, list[Source]]:
    """Source id per row and one Source per id; an id shared by rows of several years gets a span."""
    made = [compiled_source(r, prefix, r["date"][:4]) for _, r in rows.iterrows()]
    ids = pd.Series([s.source_id for s in made], index=rows.index)
    years: dict[str, set[str]] = {}
    first: dict[str, Source] = {}
    for s in made:
        years.setdefault(s.source_id, set()).add(s.figure_year)
        first.setdefault(s.source_id, s)
    out = []
    for sid, s in first.items():
        ys = sorted(years[sid])
        fy = ys[0] if len(ys) == 1 else f"{ys[0]}-{ys[-1]}"
        out.append(s.model_copy(update={"figure_year": fy}))
    return ids, out


def _timeline(facts_rows: pd.DataFrame, ev: pd.DataFrame) -> list[dict]:
    """Timeline events: every structural row dated 2013 or later, and every engagement row (losing
    CONFLICT duplicates fold into the kept row's description)."""
    out = []
    for r in facts_rows.itertuples():
        if parse_date(r.date).year < YEARS[0]:
            continue
        out.append(
            {
                "iso3": r.iso3,
                "date": r.date,
                "indicator": INDICATOR_ID,
                "kind": r.kind,
                "description": r.description,
                "source_id": r.source_id,
            }
        )
    other_dates: dict = {}
    for _, r in ev.iterrows():
        if r["kept_as"] is not None and r["kept_as"] == r["kept_as"]:
            other_dates.setdefault(r["kept_as"], []).append(r["date"])
    for i, r in ev.iterrows():
        if r["kept_as"] is not None and r["kept_as"] == r["kept_as"]:
            continue
        desc = f"{r['western_partner']}: {r['description']}"
        if i in other_dates:
            desc += f" (also reported as {', '.join(sorted(other_dates[i]))})"
        if not r["counted"]:
            desc += f" [not counted: {r['reason']}]"
        elif r["n_regional"] > 1:
            desc += f" [regional format, weight 1/{r['n_regional']}]"
        kind = "negative" if is_negative(r["notes"]) else EVENT_KIND[r["event_type"]]
        out.append(
            {
                "iso3": r["iso3"],
                "date": r["date"],
                "indicator": INDICATOR_ID,
                "kind": kind,
                "description": desc,
                "source_id": r["source_id"],
            }
        )
    return out


def fold_conflicting_dates(g: pd.DataFrame) -> pd.Series:
    """One row for a tie stage reported with several dates (at least one row flagged CONFLICT).

    Kept: a row flagged REFINES if any, else the earliest row flagged neither CONFLICT nor
    ANNOUNCED, else the earliest row. The other dates go to ``extra``.
    """
    g = g.assign(d=g["date"].map(parse_date)).sort_values(["d"], kind="stable")
    refines = g[g["notes"].str.contains("REFINES")]
    plain = g[~g["notes"].map(is_conflict) & ~g["notes"].map(is_announced)]
    keep = (refines if len(refines) else plain if len(plain) else g).iloc[0].copy()
    others = sorted(set(g["date"]) - {keep["date"]})
    keep["extra"] = f" (also reported as {', '.join(others)})" if others else ""
    return keep


def _structural_timeline_rows(ties: pd.DataFrame, mem: pd.DataFrame) -> pd.DataFrame:
    """One row per structural change (conflicting dates of one tie stage are folded into one row)."""
    rows = []
    t = ties.copy()
    t["d"] = t["date"].map(parse_date)
    for _, g in t.groupby(["iso3", "tie", "status"], sort=True):
        groups = [r for _, r in g.iterrows()]
        if g["notes"].map(is_conflict).any() and len(g) > 1:
            groups = [fold_conflicting_dates(g)]
        for r in groups:
            sus = classify_downgrade(r["tie"], r["status"])
            fam = classify_tie(r["tie"], r["status"])
            rung = f" (ladder rung {fam[1]})" if fam else ""
            extra = (r.get("extra", "") or "") + (" [announced schedule]" if is_announced(r["notes"]) else "")
            rows.append(
                dict(
                    iso3=r["iso3"],
                    date=r["date"],
                    kind="negative" if sus is not None else "tie",
                    description=f"{r['tie']}: {r['status'].replace('_', ' ')}{rung}{extra}",
                    source_id=r["source_id"],
                )
            )
    m = mem[mem["organisation"].isin(["EU", "NATO"])]
    for _, g in m.groupby(["iso3", "organisation", "status", "date"], sort=True):
        r = g.iloc[0]
        fam = classify_membership(r["organisation"], r["status"], r["notes"])
        if fam is None:
            rung = " (no ladder rung)"
        elif fam[0] in BOTH_MEMBERSHIPS:
            rung = f" (with the other membership: ladder rung {LADDER_TOP})"
        else:
            rung = f" (ladder rung {fam[1]})"
        rows.append(
            dict(
                iso3=r["iso3"],
                date=r["date"],
                kind="tie",
                description=membership_label(r["organisation"], r["status"], r["notes"]) + rung,
                source_id=r["source_id"],
            )
        )
    return pd.DataFrame(rows, columns=["iso3", "date", "kind", "description", "source_id"])


def _note(
    level: int, rung: int, deciding: list[dict], down_rows: list[dict], w: pd.DataFrame, year: int, scale: float
) -> str:
    lo = year - WINDOW_YEARS + 1
    what = "; ".join(f"{d['label']} {d['date']}" for d in deciding) or "no tie in force"
    if down_rows:
        downs = "; ".join(f"{d['label']} {d['date']}" for d in down_rows)
        parts = [
            f"ladder {level}/{LADDER_TOP} = rung {rung} ({what}) minus {DOWNGRADE_PENALTY} for downgrades "
            f"in force ({downs})"
        ]
    else:
        parts = [f"ladder {level}/{LADDER_TOP} ({what})"]
    neg = int((w["weight"] < 0).sum())
    s = float(w["weight"].sum())
    parts.append(
        f"{len(w)} events counted {lo}–{year} ({neg} negative), weighted sum {s:.2f} of the year's scale "
        f"{scale:.2f} (largest sum of a state below the top rung)"
    )
    if lo < FIRST_EVENT_YEAR:
        parts.append(f"window truncated (events compiled from {FIRST_EVENT_YEAR})")
    if year == YEARS[-1]:
        parts.append("2025 partial (events to Nov 2025)")
    return "; ".join(parts)


def hand_tie_rows(raw: Path | None = None) -> pd.DataFrame:
    """Rows of ``indicators/hand/facts_extra.csv`` whose topic is a tie of :data:`TIE_RULES` or
    :data:`DOWNGRADE_RULES` (not the bare organisations EU and NATO), shaped as structural-ties rows."""
    hand = pd.read_csv(HAND_FACTS, dtype=str, keep_default_na=False)
    patterns = [r[0] for r in TIE_RULES] + [r[0] for r in DOWNGRADE_RULES]
    is_tie = hand["topic"].map(lambda t: t not in ("EU", "NATO") and any(re.search(p, t) for p in patterns))
    out = hand[is_tie].rename(columns={"topic": "tie"}).copy()
    out["iso3"] = out["country"].map(country_iso3)
    return out.reset_index(drop=True)


def build(raw: Path) -> BuilderOutput:
    ties = read_compiled(raw, "western_structural_ties.csv")
    evr = read_compiled(raw, "western_engagement_events.csv")
    mem = read_compiled(raw, "memberships_dated.csv")
    mem = mem[mem["organisation"].isin(["EU", "NATO"])].copy()
    hand = pd.read_csv(HAND_FACTS, dtype=str, keep_default_na=False)
    hand = hand[hand["topic"].isin(["EU", "NATO"])].rename(columns={"topic": "organisation"})
    hand["iso3"] = hand["country"].map(country_iso3)
    mem = pd.concat([mem, hand[[c for c in hand.columns if c in mem.columns]]], ignore_index=True)
    # Hand rows whose topic names a tie (e.g. "NATO Partnership for Peace", dated by NATO's own pages where the
    # compiled rows rest on wiki copies) are structural-ties rows, as in the nato_alignment builder.
    ties = pd.concat([ties, hand_tie_rows(raw)], ignore_index=True)
    # A fact or event resting only on an unusable source (wiki, mirror, copy) is left out.
    ties, evr, mem = (df[df["source_url"].map(lambda u: tier_of(u) != "unusable")].copy() for df in (ties, evr, mem))

    ties["source_id"], s1 = _sources(ties, "west")
    evr["source_id"], s2 = _sources(evr, "west")
    mem["source_id"], s3 = _sources(mem, "mem")
    by_id: dict[str, Source] = {}
    for s in s1 + s2 + s3:
        prev = by_id.get(s.source_id)
        if prev is not None and prev != s:
            # the same page and quote cited by a structural row and an event row: widen the year span
            ys = sorted({*prev.figure_year.split("-"), *s.figure_year.split("-")})
            s = s.model_copy(update={"figure_year": ys[0] if len(ys) == 1 else f"{ys[0]}-{ys[-1]}"})
        by_id[s.source_id] = s

    facts, downs = structural_facts(ties, mem)
    ev = event_weights(evr, ties)

    out = BuilderOutput(indicators=[])
    ladder_ids: set[str] = set()
    cells = {}
    for iso3 in PANEL_COUNTRIES:
        for year in YEARS:
            level, rung, deciding, down_rows = ladder_at(facts, downs, iso3, year)
            cells[(iso3, year)] = (level, rung, deciding, down_rows, window_events(ev, iso3, year))
    sums = {k: float(c[4]["weight"].sum()) for k, c in cells.items()}
    levels = {k: c[0] for k, c in cells.items()}
    scales = year_scales(sums, levels)
    n_window = {y: int(sum(len(c[4]) for (i, yy), c in cells.items() if yy == y and c[0] < LADDER_TOP)) for y in YEARS}
    for (iso3, year), (level, rung, deciding, down_rows, w) in cells.items():
        value = index_value(level, sums[(iso3, year)], scales[year])
        ids = [d["source_id"] for d in deciding] + [d["source_id"] for d in down_rows[-2:]]
        ladder_ids.update(ids)
        ids += list(top_events(w)["source_id"]) if len(w) else []
        if not ids:
            continue  # no dated tie and no event on record: nothing cites a value, so it is missing
        thin = n_window[year] < THIN_WINDOW_EVENTS and level < LADDER_TOP
        # the last year's event record is partial (events to Nov 2025): its events term is estimated too
        partial = year == YEARS[-1] and level < LADDER_TOP
        note = _note(level, rung, deciding, down_rows, w, year, scales[year])
        if thin:
            note += (
                f"; thin event record: {n_window[year]} events counted in the window over the states below the "
                f"top rung (< {THIN_WINDOW_EVENTS}), so the events term is estimated"
            )
        if partial and not thin:
            note += "; partial year: the events term is estimated"
        out.add(iso3, year, INDICATOR_ID, round(value, 4), "estimated" if thin or partial else "observed", ids, note)

    out.indicators.append(indicator(tuple(sorted(ladder_ids))))
    out.events = _timeline(_structural_timeline_rows(ties, mem), ev)
    cited = {r["source_ids"] for r in out.rows}
    used = {x for s in cited for x in s.split(";")} | {e["source_id"] for e in out.events} | ladder_ids
    out.sources = [by_id[k] for k in sorted(used)]
    return out
