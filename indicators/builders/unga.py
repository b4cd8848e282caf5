"""UN General Assembly voting: agreement with Russia and the two key Ukraine votes.

Indicators
----------
``unga_alignment``
    Percent agreement with Russia on recorded UNGA votes, per calendar year.
    2013-2019 are computed from the per-vote Voeten data (``raw/unvotes_voeten``);
    2020-2024 are estimated from the Bailey-Strezhnev-Voeten ideal points
    (``raw/voeten_idealpoints_2025``) through a linear fit of agreement on ideal-point
    distance to Russia over the overlapping years 2013-2019.
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

from indicators.builders.common import BuilderOutput, country_iso3
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import Indicator, Source

BUILD_DATE = dt.date(2026, 11, 23)

#: Score of each recorded vote on a -1..1 line; agreement = 1 - |a - b| / 2.
VOTE_POSITION: dict[str, int] = {"yes": 1, "abstain": 0, "no": -1}
#: A country-year with fewer shared (both countries voted) roll calls than this is left missing.
MIN_SHARED_VOTES = 10
#: Calendar years taken from the per-vote data (2020 has a single January vote: not used).
PER_VOTE_YEARS: tuple[int, ...] = tuple(range(2013, 2020))
#: Calendar years estimated from ideal points (the ideal points end with 2024).
IDEAL_POINT_YEARS: tuple[int, ...] = tuple(range(2020, 2025))
#: Years over which agreement is regressed on ideal-point distance.
FIT_YEARS: tuple[int, ...] = PER_VOTE_YEARS

SRC_VOTES = "voeten-unga-votes-unvotes"
SRC_IDEAL = "voeten-unga-idealpoints-2025-07"
SRC_KEYVOTES = "ukraine-viz-key-votes"
SRC_UNDL = "undl-ga-voting-2026-02"

SOURCES: dict[str, Source] = {
    SRC_VOTES: Source(
        source_id=SRC_VOTES,
        producer="Erik Voeten, Anton Strezhnev, Michael Bailey",
        title=(
            "United Nations General Assembly Voting Data (Harvard Dataverse hdl:1902.1/12379), "
            "as packaged in the R package unvotes (dgrtwo/unvotes, commit 7eb7034); sessions 46-74"
        ),
        url="https://hdl.handle.net/1902.1/12379",
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
        producer="Haruki Kinoshita (transcription of UN GA records A/68/PV.80 and A/ES-11/PV.5)",
        title=(
            "Vote lists for A/RES/68/262 (27 Mar 2014) and A/RES/ES-11/1 (2 Mar 2022), "
            "HarukiKinoshita/ukraine-viz src/voting.js, commit c2270e0"
        ),
        url="https://github.com/HarukiKinoshita/ukraine-viz",
        figure_year="2014; 2022",
        accessed=BUILD_DATE,
        licence="no licence stated; facts from UN official records",
        quote="68/262: 100 yes, 11 no, 58 abstain, 24 absent; ES-11/1: 141 yes, 5 no, 35 abstain, 12 absent.",
    ),
    SRC_UNDL: Source(
        source_id=SRC_UNDL,
        producer="United Nations Dag Hammarskjold Library (aggregated by tomasgonz/worldcountrygroups)",
        title=(
            "United Nations General Assembly Voting Data (version 6 Feb 2026), per-session Y/N/A/non-voting "
            "counts; ES-11 = session 11emsp"
        ),
        url="https://digitallibrary.un.org/record/4060887",
        figure_year="2022-2025",
        accessed=BUILD_DATE,
        licence="Copyright United Nations; non-commercial use with attribution",
        quote="11emsp: 9 recorded votes of the 11th emergency special session (Ukraine), 2022-2025.",
    ),
}

UNGA_ALIGNMENT = Indicator(
    id="unga_alignment",
    name="UNGA voting agreement with Russia",
    pillar="diplomacy",
    unit="% agreement with Russia",
    direction=1,
    scale="percent",
    bounds=(0.0, 100.0),
    goalposts=(0.0, 100.0),
    definition=(
        "Share of recorded UN General Assembly votes in a calendar year on which the country voted like Russia: "
        "identical vote = 1, one abstains while the other votes yes or no = 0.5, opposite votes = 0; "
        "value = 100 x mean over roll calls where both cast yes/abstain/no."
    ),
    coding_rule=(
        "Per-vote years (2013-2019): final-passage roll calls only (votes on amendments or separate paragraphs "
        "are dropped, matching the final-passage ideal points used for 2020-2024); absences are dropped; "
        f"a country-year with fewer than {MIN_SHARED_VOTES} shared votes is left missing (none is). "
        "2020 has a single January vote in the per-vote data and is not computed from it. "
        "Estimated years (2020-2024): d = |idealpointfp(country) - idealpointfp(RUS)| per year, "
        "agreement = alpha + beta x d + offset(country), with alpha, beta fitted by least squares on all "
        "country-years 2013-2019 that have both measures (pooled) and offset = the country's mean residual of "
        "that fit over 2013-2019 (keeps each country's level continuous across the change of method); "
        "clipped to [0, 100]; status 'estimated'. A country with no overlapping year would be left missing. "
        "No value for 2025 (no source)."
    ),
    years_note="",  # filled in build() with the fitted coefficients
    source_ids=(SRC_VOTES, SRC_IDEAL),
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
    name="Vote on the key UNGA Ukraine resolutions",
    pillar="diplomacy",
    unit="ordinal level (0 yes, 1 abstain/absent, 2 no)",
    direction=1,
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
    source_ids=(SRC_KEYVOTES, SRC_VOTES, SRC_UNDL),
)


# --------------------------------------------------------------------------- agreement


def vote_agreement(a: str, b: str) -> float:
    """Agreement between two recorded votes: ``1 - |pos(a) - pos(b)| / 2``.

    pos(yes) = 1, pos(abstain) = 0, pos(no) = -1, so identical votes give 1, yes/abstain or
    no/abstain give 0.5, yes/no gives 0. Any other vote (e.g. absent) raises ValueError: absences
    must be dropped before calling.
    """
    try:
        pa, pb = VOTE_POSITION[a], VOTE_POSITION[b]
    except KeyError as e:
        raise ValueError(f"vote {e.args[0]!r} is not one of {sorted(VOTE_POSITION)}; drop absences first") from None
    return 1.0 - abs(pa - pb) / 2.0


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
    bad = sorted(set(v["vote"]) - set(VOTE_POSITION))
    if bad:
        raise ValueError(f"unvotes_voeten: unexpected vote values {bad}; expected {sorted(VOTE_POSITION)}")
    return v[["rcid", "iso3", "vote"]]


def agreement_by_year(votes: pd.DataFrame, roll_calls: pd.DataFrame, ref: str = "RUS") -> pd.DataFrame:
    """Agreement with ``ref`` per (iso3, year) over final-passage roll calls both countries voted on.

    Returns columns iso3, year, agreement (0-100), n_votes (shared roll calls). Roll calls where
    either country has no recorded vote (absent) are dropped. A country-year with no shared vote
    does not appear.
    """
    fp = roll_calls.loc[roll_calls["final_passage"], ["rcid", "year"]]
    v = votes.merge(fp, on="rcid")
    ref_votes = v.loc[v["iso3"] == ref, ["rcid", "vote"]].rename(columns={"vote": "ref_vote"})
    pair = v[v["iso3"] != ref].merge(ref_votes, on="rcid")
    pair["agree"] = [vote_agreement(a, b) for a, b in zip(pair["vote"], pair["ref_vote"], strict=True)]
    out = pair.groupby(["iso3", "year"], as_index=False).agg(agreement=("agree", "mean"), n_votes=("agree", "size"))
    out["agreement"] *= 100.0
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


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


def fit_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Least-squares fit y = alpha + beta * x; returns (alpha, beta, R^2).

    Raises ValueError with fewer than 3 points or when x has zero variance (slope undefined).
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 3 or np.ptp(x) == 0:
        raise ValueError(f"cannot fit a line to {len(x)} points with x range {np.ptp(x) if len(x) else 0}")
    beta, alpha = np.polyfit(x, y, 1)
    resid = y - (alpha + beta * x)
    r2 = 1.0 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
    return float(alpha), float(beta), r2


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


def country_offsets(fit: pd.DataFrame, alpha: float, beta: float) -> dict[str, float]:
    """Mean residual per country of the pooled fit: mean(agreement - (alpha + beta * distance)).

    Added to a country's estimates so that its estimated years continue the level of its
    observed years instead of jumping to the pooled line (persistent country residuals reach
    about +-9 points). A country with no overlapping year gets no entry.
    """
    resid = fit["agreement"] - (alpha + beta * fit["distance"])
    return {k: float(v) for k, v in resid.groupby(fit["iso3"]).mean().items()}


def _build_alignment(raw: Path, out: BuilderOutput, votes: pd.DataFrame, roll_calls: pd.DataFrame) -> Indicator:
    agr = agreement_by_year(votes, roll_calls)
    agr = agr[agr["iso3"].isin(PANEL_COUNTRIES)]
    dist = idealpoint_distance(raw)
    dist = dist[dist["iso3"].isin(PANEL_COUNTRIES)]
    fit = agr[agr["year"].isin(FIT_YEARS) & (agr["n_votes"] >= MIN_SHARED_VOTES)].merge(dist, on=["iso3", "year"])
    alpha, beta, r2 = fit_line(fit["distance"].to_numpy(), fit["agreement"].to_numpy())
    offsets = country_offsets(fit, alpha, beta)
    fitted = fit["distance"].map(lambda x: alpha + beta * x) + fit["iso3"].map(offsets)
    resid = fit["agreement"] - fitted
    r2_off = 1.0 - float((resid**2).sum()) / float(((fit["agreement"] - fit["agreement"].mean()) ** 2).sum())
    coef = (
        f"pooled fit on 2013-2019 alpha = {alpha:.2f}, beta = {beta:.2f} per unit of distance, "
        f"R^2 = {r2:.2f} (n = {len(fit)}); with country offsets R^2 = {r2_off:.2f}"
    )

    for r in agr[agr["year"].isin(PER_VOTE_YEARS)].itertuples():
        if r.n_votes < MIN_SHARED_VOTES or r.year not in YEARS:
            continue
        out.add(
            r.iso3,
            r.year,
            UNGA_ALIGNMENT.id,
            r.agreement,
            "observed",
            SRC_VOTES,
            f"{r.n_votes} final-passage roll calls voted on by both",
        )
    for r in dist[dist["year"].isin(IDEAL_POINT_YEARS)].itertuples():
        if r.iso3 not in offsets:
            continue  # no overlapping year to calibrate on: left missing
        value = float(np.clip(alpha + beta * r.distance + offsets[r.iso3], 0.0, 100.0))
        out.add(
            r.iso3,
            r.year,
            UNGA_ALIGNMENT.id,
            value,
            "estimated",
            SRC_IDEAL,
            f"from ideal-point distance to Russia d = {r.distance:.3f}, country offset {offsets[r.iso3]:+.2f}; {coef}",
        )
    years_note = (
        "2013-2019: computed from the per-vote Voeten data (final-passage votes). 2020-2024: estimated from the "
        "July 2025 ideal points as alpha + beta x distance + country offset (the country's mean residual "
        f"2013-2019); {coef}. 2025: missing (no ideal points or votes yet)."
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
        ids = [SRC_KEYVOTES, SRC_VOTES] if r.code == "68/262" else [SRC_KEYVOTES, SRC_UNDL]
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
                "source_id": SRC_KEYVOTES,
            }
        )


def build(raw: Path) -> BuilderOutput:
    """Build ``unga_alignment`` and ``ukraine_votes`` from the raw folder."""
    raw = Path(raw)
    votes = read_votes(raw)
    roll_calls = read_roll_calls(raw)
    out = BuilderOutput(indicators=[], sources=list(SOURCES.values()))
    alignment = _build_alignment(raw, out, votes, roll_calls)
    _build_ukraine(raw, out, votes, roll_calls)
    out.indicators = [alignment, UKRAINE_VOTES]
    return out
