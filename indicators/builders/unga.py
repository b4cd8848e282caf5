"""UN General Assembly voting: agreement with Russia and the two key Ukraine votes.

Indicators
----------
``unga_alignment``
    Percent agreement with Russia on recorded UNGA votes, per calendar year.
    2013-2025, one formula from per-vote data (``indicators.builders.unvotes``: Voeten,
    the UN Dag Hammarskjold Library voting data 2020-2025 and a UNDL scrape 2013-2021,
    one precedence rule per roll call, overlaps checked to agree). The Bailey-Strezhnev-Voeten
    ideal points (``raw/voeten_idealpoints_2025``) are a cross-check only: the correlation
    per year between agreement and ideal-point distance to Russia goes into the years_note.
``ukraine_votes``
    The country's vote on A/RES/68/262 (27 Mar 2014, territorial integrity of Ukraine)
    and A/RES/ES-11/1 (2 Mar 2022, aggression against Ukraine), from the hand-compiled
    lists (``raw/ukraine_key_votes_handcompiled``), cross-checked against the Voeten
    data (68/262) and the UN Digital Library per-session counts (ES-11).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.builders import unvotes
from indicators.builders.common import BuilderOutput, country_iso3
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import Indicator, Source
from indicators.structure import indicator_fields

BUILD_DATE = dt.date(2026, 11, 23)

#: Voeten's recorded vote values (absences have no row).
VOETEN_VOTES = frozenset({"yes", "abstain", "no"})
#: A country-year with fewer shared (both countries voted) roll calls than this is left missing.
MIN_SHARED_VOTES = 10
#: Date the 2026-12-01 raw extracts were added and read.
ACCESSED_2026_12 = dt.date(2026, 12, 1)

SRC_VOTES = "voeten-unga-votes-unvotes"
SRC_IDEAL = "voeten-unga-idealpoints-2025-07"
#: The two key votes, one source each (the UN Digital Library record first, the transcription read as archive).
SRC_KEYVOTES = "undl-vote-a-res-68-262"
SRC_KEYVOTES_ES11 = "undl-vote-a-res-es-11-1"
SRC_UNDL = "undl-ga-voting-2026-02"
SRC_UNDL_VOTES = "undl-ga-votes-2020-2025"
SRC_SCRAPE = "undl-ga-votes-scrape-2013-2021"

SOURCES: dict[str, Source] = {
    SRC_VOTES: Source(
        source_id=SRC_VOTES,
        producer="Erik Voeten, Anton Strezhnev, Michael Bailey",
        title=(
            "United Nations General Assembly Voting Data (Harvard Dataverse hdl:1902.1/12379), "
            "as packaged in the R package unvotes (dgrtwo/unvotes, commit 7eb7034); sessions 46-74"
        ),
        url="https://hdl.handle.net/1902.1/12379",
        archive_url="https://github.com/dgrtwo/unvotes/tree/7eb7034",
        figure_year="1991-2020",
        accessed=BUILD_DATE,
        licence="Dataverse data dedicated to the public domain (CC0); unvotes package MIT",
        quote="Roll-call votes (yes/abstain/no) of UN member states; absences are not recorded.",
    ),
    SRC_IDEAL: Source(
        source_id=SRC_IDEAL,
        producer="Michael Bailey, Anton Strezhnev, Erik Voeten",
        title=(
            "United Nations General Assembly Ideal Points, version July 28 2025 (IdealpointsJuly2025.dta), "
            "UN General Assembly Voting Data dataverse; method Bailey, Strezhnev & Voeten (2017), JCR 61(2)"
        ),
        url="https://hdl.handle.net/1902.1/12379",
        figure_year="1946-2024",
        accessed=BUILD_DATE,
        licence="none stated in the mirror repo; Voeten's Dataverse files are normally CC0 (cite the authors)",
        quote="idealpointfp: ideal point from final-passage votes only, by calendar year of the votes.",
    ),
    SRC_KEYVOTES: Source(
        source_id=SRC_KEYVOTES,
        producer="United Nations General Assembly (recorded vote, UN Digital Library)",
        title=(
            "Voting record of A/RES/68/262 'Territorial integrity of Ukraine' (27 Mar 2014), vote of each member "
            "state; as transcribed from the official record A/68/PV.80 by Haruki Kinoshita (ukraine-viz)"
        ),
        url="https://digitallibrary.un.org/record/767565",
        archive_url="https://github.com/HarukiKinoshita/ukraine-viz/blob/c2270e0/src/voting.js",
        figure_year="2014",
        accessed=BUILD_DATE,
        licence="UN official records; the transcription states no licence",
        quote="68/262: 100 yes, 11 no, 58 abstain, 24 absent",
    ),
    SRC_KEYVOTES_ES11: Source(
        source_id=SRC_KEYVOTES_ES11,
        producer="United Nations General Assembly (recorded vote, UN Digital Library)",
        title=(
            "Voting record of A/RES/ES-11/1 'Aggression against Ukraine' (2 Mar 2022), vote of each member state; "
            "as transcribed from the official record A/ES-11/PV.5 by Haruki Kinoshita (ukraine-viz)"
        ),
        url="https://digitallibrary.un.org/record/3959039",
        archive_url="https://github.com/HarukiKinoshita/ukraine-viz/blob/c2270e0/src/voting.js",
        figure_year="2022",
        accessed=BUILD_DATE,
        licence="UN official records; the transcription states no licence",
        quote="ES-11/1: 141 yes, 5 no, 35 abstain, 12 absent",
    ),
    SRC_UNDL: Source(
        source_id=SRC_UNDL,
        producer="United Nations Dag Hammarskjold Library (aggregated by tomasgonz/worldcountrygroups)",
        title=(
            "United Nations General Assembly Voting Data (version 6 Feb 2026), per-session Y/N/A/non-voting "
            "counts; ES-11 = session 11emsp"
        ),
        url="https://digitallibrary.un.org/record/4060887",
        archive_url="https://github.com/tomasgonz/worldcountrygroups",
        figure_year="2022-2025",
        accessed=BUILD_DATE,
        licence="Copyright United Nations; non-commercial use with attribution",
        quote="11emsp: 9 recorded votes of the 11th emergency special session (Ukraine), 2022-2025.",
    ),
    SRC_UNDL_VOTES: Source(
        source_id=SRC_UNDL_VOTES,
        producer="United Nations Dag Hammarskjold Library",
        title=(
            "United Nations General Assembly Voting Data: votes of 19 member states on every resolution adopted by "
            "a recorded vote at the regular sessions, 2020-01-14 to 2025-12-18 (transcribed from the UN votes table "
            "of the public worldcountrygroups repository by Tomas Gonzalez)"
        ),
        url="https://digitallibrary.un.org/record/4060887",
        archive_url="https://github.com/tomasgonz/worldcountrygroups",
        figure_year="2020-2025",
        accessed=ACCESSED_2026_12,
        licence="Copyright United Nations; non-commercial use with attribution",
        quote="Member-state votes (Y, N, A, non-voting) on resolutions adopted by a recorded vote.",
    ),
    SRC_SCRAPE: Source(
        source_id=SRC_SCRAPE,
        producer="United Nations Dag Hammarskjold Library (UN Digital Library voting records; third-party scrape)",
        title=(
            "UN Digital Library 'Voting Data' records, General Assembly resolutions 2013-2021 (scrape 'UN DATA.csv' "
            "of 2022-01-29, via navyanawal0310/un-votes-intelligence-platform commit b1a33e9)"
        ),
        url="https://digitallibrary.un.org/search?cc=Voting+Data",
        archive_url="https://github.com/navyanawal0310/un-votes-intelligence-platform/tree/b1a33e9",
        figure_year="2013-2021",
        accessed=ACCESSED_2026_12,
        licence="Copyright United Nations; non-commercial use with attribution",
        quote="One record per resolution with each member state's vote: Y, N, A or non-voting.",
    ),
}

UNGA_ALIGNMENT = Indicator(
    id="unga_alignment",
    **indicator_fields("unga_alignment"),
    unit="% agreement with Russia",
    scale="percent",
    bounds=(0.0, 100.0),
    goalposts=(0.0, 100.0),
    definition=(
        "Share of the recorded UN General Assembly votes of a calendar year on which the country voted like "
        "Russia, over final-passage votes on resolutions adopted by a recorded vote at the regular sessions: "
        "identical vote (yes/yes, no/no, abstain/abstain) = 1, one abstains while the other votes yes or no = 0.5, "
        "yes against no = 0; value = 100 x mean over the roll calls on which both cast a vote. Abstaining is a "
        "vote (half-way between yes and no); being absent or not voting is not: such a roll call does not count "
        "for that country. Emergency special sessions (ES-10 Palestine; ES-11 Ukraine, 2022-2025) are not "
        "counted in any year; the votes on Ukraine are the separate indicator ukraine_votes."
    ),
    coding_rule=(
        "One formula for every year 2013-2025 (indicators.builders.unvotes.agreement). Votes on amendments or "
        "separate paragraphs, failed drafts and emergency-session votes are out of scope. Precedence between the "
        "three per-vote sources, per roll call: each roll call is taken whole from the first source that has it: "
        "(1) UN Dag Hammarskjold Library voting data 2020-2025 (transcribed), (2) Voeten's roll calls (to "
        "2020-01-14), (3) a scrape of the same UN Digital Library records 2013-2021 (fills adopted resolutions "
        "the other two lack). Where two sources have the same roll call they must agree country by country (the "
        "build fails otherwise; 0 mismatches on the shipped files). "
        f"A country-year with fewer than {MIN_SHARED_VOTES} roll calls voted on by both is left missing (none "
        "is). The 9 recorded ES-11 votes of 2022-2025 (UNDL per-session counts; Russia voted no on each) are "
        "excluded because the 2020-2025 source has no emergency-session record: adding k such votes to n regular "
        "ones could move a year's value by at most 100 x k / (n + k) points (k <= 9: at most about 10 points in "
        "a year of about 85 regular votes such as 2022). The 2020-2025 source has no votes from January to May "
        "2022. "
        "Ideal points (Bailey-Strezhnev-Voeten, July 2025) are a cross-check only, never a value."
    ),
    years_note="",  # filled in build() with the source counts and the ideal-point correlations
    source_ids=(SRC_VOTES, SRC_UNDL_VOTES, SRC_SCRAPE, SRC_IDEAL),  # ideal points: the cross-check in years_note
)

#: Ordinal coding of the key Ukraine votes.
UKRAINE_LEVELS: dict[int, str] = {
    0: "voted yes (for Ukraine's territorial integrity)",
    1: "abstained or absent",
    2: "voted no (with Russia)",
}
#: vote_list in the hand-compiled file -> level.
VOTE_LIST_LEVEL: dict[str, int] = {"approve": 0, "abstain": 1, "absent": 1, "against": 2}

#: The two key votes: code in the raw file -> (symbol, date, title, totals, years it codes).
KEY_VOTES: dict[str, dict] = {
    "68/262": {
        "symbol": "A/RES/68/262",
        "date": "2014-03-27",
        "title": "Territorial integrity of Ukraine",
        "totals": "100 yes, 11 no, 58 abstentions",
        "years": tuple(range(2014, 2022)),
    },
    "ES-11/1": {
        "symbol": "A/RES/ES-11/1",
        "date": "2022-03-02",
        "title": "Aggression against Ukraine",
        "totals": "141 yes, 5 no, 35 abstentions",
        "years": tuple(range(2022, 2026)),
    },
}

UKRAINE_VOTES = Indicator(
    id="ukraine_votes",
    **indicator_fields("ukraine_votes"),
    unit="ordinal level (0 yes, 1 abstain/absent, 2 no)",
    scale="ordinal",
    levels=UKRAINE_LEVELS,
    bounds=(0.0, 2.0),
    definition=(
        "How the country voted on the two landmark UN General Assembly resolutions on Ukraine: A/RES/68/262 "
        "'Territorial integrity of Ukraine' (27 March 2014, after the annexation of Crimea) and A/RES/ES-11/1 "
        "'Aggression against Ukraine' (2 March 2022): 0 = yes, 1 = abstained or absent, 2 = no (with Russia)."
    ),
    coding_rule=(
        "Value in year t = the country's vote in the most recent of the two votes held on or before t: "
        "2014-2021 from 68/262, 2022-2025 from ES-11/1; 2013 is missing (no vote yet). The vote years 2014 and "
        "2022 are 'observed', the years in between 'carried_forward'. Absence (not voting) is coded like an "
        "abstention (level 1): both withhold support without siding with Russia; the note says which it was. "
        "Later ES-11 votes (e.g. February 2025) are not used."
    ),
    years_note=(
        "2014-2021: A/RES/68/262 (hand-compiled list, checked against the Voeten roll call R/68/262); "
        "2022-2025: A/RES/ES-11/1 (hand-compiled list, checked against the UN Digital Library ES-11 session "
        "counts). 2013: missing."
    ),
    source_ids=(SRC_KEYVOTES, SRC_KEYVOTES_ES11, SRC_VOTES, SRC_UNDL),
)


# --------------------------------------------------------------------------- Voeten roll calls (key votes)


def read_roll_calls(raw: Path) -> pd.DataFrame:
    """Roll calls (rcid, date, year, unres, final_passage) from ``unvotes_voeten``.

    final_passage is False for votes on amendments (``amend == 1``) or paragraphs (``para == 1``).
    """
    rc = pd.read_csv(raw / "unvotes_voeten" / "un_roll_calls_1991plus.csv", dtype={"unres": str, "date": str})
    rc["year"] = rc["date"].str[:4].astype(int)
    rc["final_passage"] = (rc["amend"].fillna(0) != 1) & (rc["para"].fillna(0) != 1)
    return rc[["rcid", "date", "year", "unres", "final_passage"]]


def read_votes(raw: Path) -> pd.DataFrame:
    """Recorded votes (rcid, iso3, vote) of the 15 countries from ``unvotes_voeten``."""
    v = pd.read_csv(raw / "unvotes_voeten" / "un_votes_15countries_1991plus.csv", dtype=str, keep_default_na=False)
    v["rcid"] = v["rcid"].astype(int)
    v["iso3"] = v["country"].map(country_iso3)
    bad = sorted(set(v["vote"]) - VOETEN_VOTES)
    if bad:
        raise ValueError(f"unvotes_voeten: unexpected vote values {bad}; expected {sorted(VOETEN_VOTES)}")
    return v[["rcid", "iso3", "vote"]]


def idealpoint_distance(raw: Path, ref: str = "RUS") -> pd.DataFrame:
    """|idealpointfp(country) - idealpointfp(ref)| per (iso3, year); columns iso3, year, distance.

    Country-years without an ideal point (for the country or for ``ref``) are absent.
    """
    ip = pd.read_csv(raw / "voeten_idealpoints_2025" / "IdealpointsJuly2025_15countries.csv")
    ip["year"] = ip["year"].astype(int)
    ip = ip.dropna(subset=["idealpointfp"])
    refp = ip.loc[ip["iso3c"] == ref, ["year", "idealpointfp"]].rename(columns={"idealpointfp": "ref"})
    d = ip[ip["iso3c"] != ref].merge(refp, on="year")
    d["distance"] = (d["idealpointfp"] - d["ref"]).abs()
    return d.rename(columns={"iso3c": "iso3"})[["iso3", "year", "distance"]].sort_values(["iso3", "year"])


def idealpoint_correlation(agr: pd.DataFrame, dist: pd.DataFrame) -> pd.DataFrame:
    """Cross-check: Pearson r per year, across the panel states, between agreement and ideal-point distance.

    Columns year, n (states with both), r. A strongly negative r means the two measures rank the states
    alike (the farther a state's ideal point from Russia's, the less it votes like Russia).
    """
    m = agr.merge(dist, on=["iso3", "year"])
    m = m[m["iso3"].isin(list(PANEL_COUNTRIES))]
    rows = [
        {"year": int(y), "n": len(g), "r": float(np.corrcoef(g["agreement"], g["distance"])[0, 1])}
        for y, g in m.groupby("year")
        if len(g) >= 3
    ]
    return pd.DataFrame(rows, columns=["year", "n", "r"])


# --------------------------------------------------------------------------- ukraine votes


def read_key_votes(raw: Path) -> pd.DataFrame:
    """Hand-compiled key votes: code, iso3, vote_list, level."""
    k = pd.read_csv(
        raw / "ukraine_key_votes_handcompiled" / "ukraine_key_votes_15countries.csv", dtype=str, keep_default_na=False
    )
    k["iso3"] = k["country"].map(country_iso3)
    bad = sorted(set(k["vote_list"]) - set(VOTE_LIST_LEVEL))
    if bad:
        raise ValueError(f"ukraine_key_votes: unknown vote_list values {bad}; expected {sorted(VOTE_LIST_LEVEL)}")
    unknown = sorted(set(k["code"]) - set(KEY_VOTES))
    if unknown:
        raise ValueError(f"ukraine_key_votes: unknown resolution codes {unknown}; expected {sorted(KEY_VOTES)}")
    k["level"] = k["vote_list"].map(VOTE_LIST_LEVEL)
    return k[["code", "iso3", "vote_list", "level"]]


def check_68_262(key: pd.DataFrame, votes: pd.DataFrame, roll_calls: pd.DataFrame) -> None:
    """Raise ValueError if the hand list for 68/262 disagrees with the Voeten roll call R/68/262.

    Voeten yes/no/abstain map to approve/against/abstain; a country with no row is 'absent'.
    """
    rcids = roll_calls.loc[roll_calls["unres"] == "R/68/262", "rcid"].tolist()
    if len(rcids) != 1:
        raise ValueError(f"unvotes_voeten: expected one roll call R/68/262, found {len(rcids)}")
    vv = votes[votes["rcid"] == rcids[0]].set_index("iso3")["vote"]
    to_list = {"yes": "approve", "no": "against", "abstain": "abstain"}
    for r in key[key["code"] == "68/262"].itertuples():
        expected = to_list[vv[r.iso3]] if r.iso3 in vv.index else "absent"
        if r.vote_list != expected:
            raise ValueError(f"68/262 {r.iso3}: hand list says {r.vote_list}, Voeten roll call says {expected}")


def read_es11_counts(raw: Path) -> pd.DataFrame:
    """UNDL per-session counts for ES-11 (session '11emsp'), indexed by iso3."""
    s = pd.read_csv(
        raw / "undl_vote_session_summary" / "un_votes_summary_by_session_15countries.csv", dtype={"session": str}
    )
    return s[s["session"] == "11emsp"].set_index("ms_code")[["yes", "no", "abstain", "non_voting", "total"]]


def check_es11(key: pd.DataFrame, es11: pd.DataFrame) -> None:
    """Raise ValueError if an ES-11/1 vote is impossible given the ES-11 session counts.

    The counts cover all ES-11 recorded votes, so the check is only that the session has at least
    one vote of the listed kind (approve -> yes, against -> no, abstain -> abstain, absent -> non_voting).
    """
    col = {"approve": "yes", "against": "no", "abstain": "abstain", "absent": "non_voting"}
    for r in key[key["code"] == "ES-11/1"].itertuples():
        if r.iso3 not in es11.index:
            raise ValueError(f"undl_vote_session_summary: no 11emsp row for {r.iso3}")
        if es11.loc[r.iso3, col[r.vote_list]] < 1:
            raise ValueError(f"ES-11/1 {r.iso3}: hand list says {r.vote_list} but ES-11 has no {col[r.vote_list]} vote")


def vote_phrase(vote_list: str) -> str:
    return {
        "approve": "voted yes",
        "against": "voted no",
        "abstain": "abstained",
        "absent": "was absent (did not vote)",
    }[vote_list]


# --------------------------------------------------------------------------- build


#: Labels and source ids of the per-vote sources (indicators.builders.unvotes.SOURCE_ORDER).
SOURCE_LABEL: dict[str, str] = {
    "undl_2020_2025": "UNDL voting data 2020-2025",
    "voeten": "Voeten",
    "undl_scrape": "UNDL scrape",
}
SOURCE_ID: dict[str, str] = {"undl_2020_2025": SRC_UNDL_VOTES, "voeten": SRC_VOTES, "undl_scrape": SRC_SCRAPE}


def check_sources_agree(sources: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Compare overlapping vote sources; raise ValueError listing the first mismatches if any.

    Returns the comparison (one row per roll call and country present in two sources).
    """
    cmp = unvotes.compare_sources(sources)
    bad = cmp[~cmp["agree"]]
    if len(bad):
        raise ValueError(f"UN vote sources disagree on {len(bad)} country-votes, e.g.\n{bad.head(10).to_string()}")
    return cmp


def _build_alignment(raw: Path, out: BuilderOutput) -> Indicator:
    sources = unvotes.read_sources(raw)
    cmp = check_sources_agree(sources)
    votes = unvotes.load_votes(raw)
    agr = unvotes.agreement(votes)
    agr = agr[agr["iso3"].isin(list(PANEL_COUNTRIES)) & agr["year"].isin(YEARS)]
    # n of shared roll calls per source (same formula on each source's roll calls) for the note
    per_src = {s: unvotes.agreement(votes[votes["source"] == s]) for s in unvotes.SOURCE_ORDER}
    per_src = {s: d.set_index(["iso3", "year"])["n_votes"] for s, d in per_src.items()}
    for r in agr.itertuples():
        if r.n_votes < MIN_SHARED_VOTES:
            continue
        parts = [
            f"{int(per_src[s][(r.iso3, r.year)])} {SOURCE_LABEL[s]}"
            for s in unvotes.SOURCE_ORDER
            if (r.iso3, r.year) in per_src[s].index
        ]
        ids = [SOURCE_ID[s] for s in unvotes.SOURCE_ORDER if (r.iso3, r.year) in per_src[s].index]
        note = f"{r.n_votes} final-passage roll calls voted on by both ({', '.join(parts)})"
        out.add(r.iso3, r.year, UNGA_ALIGNMENT.id, r.agreement, "observed", ids, note)

    corr = idealpoint_correlation(agr, idealpoint_distance(raw))
    rc_years = votes.drop_duplicates("rcid").groupby(["year", "source"]).size()
    n_cmp = cmp.groupby(["source_a", "source_b"]).size()
    overlap = "; ".join(f"{a} vs {b}: {n} country-votes" for (a, b), n in n_cmp.items())
    counts = ", ".join(
        f"{y}: {int(rc_years[y].sum())}"
        + (f" ({int(rc_years[y].get('undl_scrape', 0))} from the scrape)" if "undl_scrape" in rc_years[y] else "")
        for y in sorted({y for y, _ in rc_years.index})
    )

    def us_no_ru_yes(year: int) -> tuple[int, int]:
        w = votes[votes["year"] == year].pivot(index="rcid", columns="iso3", values="vote")
        return int(((w["USA"] == "N") & (w["RUS"] == "Y")).sum()), len(w)

    (k25, n25), (k24, n24) = us_no_ru_yes(2025), us_no_ru_yes(2024)
    r_text = ", ".join(f"{int(c.year)} {c.r:+.2f}" for c in corr.itertuples())
    years_note = (
        "2013-2019: Voeten roll calls plus the adopted resolutions only the UN Digital Library scrape has; "
        "2020-2025: UN Dag Hammarskjold Library voting data 2020-2025. Roll calls per year: "
        f"{counts}. Overlapping sources agree on every vote ({overlap}; 0 mismatches). "
        "Cross-check with the Bailey-Strezhnev-Voeten ideal points (July 2025, to 2024), not used for values: "
        "Pearson r across the 14 states between agreement and the distance of the state's ideal point from "
        f"Russia's: {r_text}. 2025 has no ideal point yet. 2025 is not comparable in level with earlier years: "
        f"it has {n25} roll calls (2024: {n24}), {k25} of them with the United States voting no and Russia yes "
        f"(2024: {k24}), and nearly every state's agreement with Russia rises; compare states within 2025 rather "
        "than 2025 with 2024."
    )
    return UNGA_ALIGNMENT.model_copy(update={"years_note": years_note})


def _build_ukraine(raw: Path, out: BuilderOutput, votes: pd.DataFrame, roll_calls: pd.DataFrame) -> None:
    key = read_key_votes(raw)
    check_68_262(key, votes, roll_calls)
    es11 = read_es11_counts(raw)
    check_es11(key, es11)
    key = key[key["iso3"].isin(PANEL_COUNTRIES)].sort_values(["code", "iso3"])
    for r in key.itertuples():
        kv = KEY_VOTES[r.code]
        vote_year = int(kv["date"][:4])
        key_src = SRC_KEYVOTES if r.code == "68/262" else SRC_KEYVOTES_ES11
        ids = [key_src, SRC_VOTES] if r.code == "68/262" else [key_src, SRC_UNDL]
        base = f"{vote_phrase(r.vote_list)} on {kv['symbol']} ({kv['date']})"
        if r.code == "ES-11/1":
            c = es11.loc[r.iso3]
            base += (
                f"; all {c['total']} ES-11 recorded votes 2022-2025 (UNDL): {c['yes']} yes, {c['no']} no, "
                f"{c['abstain']} abstain, {c['non_voting']} not voting"
            )
        for year in kv["years"]:
            status = "observed" if year == vote_year else "carried_forward"
            out.add(r.iso3, year, UKRAINE_VOTES.id, r.level, status, ids, base)
        out.events.append(
            {
                "iso3": r.iso3,
                "date": kv["date"],
                "indicator": UKRAINE_VOTES.id,
                "kind": "un_vote",
                "description": (
                    f"{PANEL_COUNTRIES[r.iso3]} {vote_phrase(r.vote_list)} on {kv['symbol']} "
                    f"'{kv['title']}' (adopted {kv['totals']})"
                ),
                "source_id": key_src,
            }
        )


def build(raw: Path) -> BuilderOutput:
    """Build ``unga_alignment`` and ``ukraine_votes`` from the raw folder."""
    raw = Path(raw)
    votes = read_votes(raw)
    roll_calls = read_roll_calls(raw)
    out = BuilderOutput(indicators=[], sources=list(SOURCES.values()))
    alignment = _build_alignment(raw, out)
    _build_ukraine(raw, out, votes, roll_calls)
    out.indicators = [alignment, UKRAINE_VOTES]
    return out
