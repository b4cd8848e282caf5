"""The poles lens: how strongly Moscow, the West, Beijing (and Ankara) pull each state.

Not an indicator of the Moscow-alignment score: a derived table, ``data/pulls.csv``, with one
value per country, year, measure and pole, and a catalogue of the poles and measures,
``data/poles.json``. Both are built after the panel (the ``ties`` measure reads the panel's
membership and Western-ladder values) by :func:`build_pulls`, called from ``indicators.build``.

Measures (every value 0-100, for every pole)
--------------------------------------------
``un_votes``
    Agreement with the pole in recorded UNGA votes, the formula of ``unga_alignment``
    (identical vote 1, one abstains 0.5, opposite 0; mean over roll calls both voted on), but
    computed per vote in every year: Voeten final-passage roll calls 2013-2019, the UN Digital
    Library regular-session votes 2020-2025. A pole with several voters (the West: the US and
    Germany for the EU) takes the mean of the agreements.
``trade``
    The pole's share of the state's goods trade (exports + imports) with the World, IMF DOTS,
    reporter side, 1992-2020 in the extract (2013-2020 used).
``arms``
    The pole's share of the state's major-arms imports (SIPRI TIV) over the five years t-4..t,
    delivered TIV split equally over delivery years, exactly like ``arms_imports_russia``.
``ties``
    Institutional ties, 0-100 (see :data:`POLES` and :data:`MEASURES` for the rule per pole).

A value that cannot be computed is not written (missing stays missing).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indicators.builders import arms as arms_builder
from indicators.builders import unga
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import PULL_COLUMNS, Pole, PullMeasure, Source

BUILD_DATE = dt.date(2026, 12, 1)

#: The EU's 27 members (composition after February 2020, held constant over all years).
EU27: tuple[str, ...] = (
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
    "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE",
)  # fmt: skip
#: The same 27 as SIPRI spells them.
EU27_SIPRI: tuple[str, ...] = (
    "Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia", "Finland",
    "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia", "Lithuania", "Luxembourg",
    "Malta", "Netherlands", "Poland", "Portugal", "Romania", "Slovakia", "Slovenia", "Spain", "Sweden",
)  # fmt: skip

# --------------------------------------------------------------------------- the poles (data)
POLES: tuple[Pole, ...] = (
    Pole(
        id="moscow",
        name="Moscow",
        corner=True,
        definition="Russia (and, for arms deliveries before 1992, the Soviet Union).",
        un_votes=("RUS",),
        trade_partners=("RUS",),
        arms_suppliers=("Russia", "Soviet Union"),
        ties=(
            "Russia-led organisations, one third each: CSTO (level/2), EAEU (level/2), CIS (level/2), "
            "from the panel's csto_membership, eaeu_membership and cis_membership."
        ),
    ),
    Pole(
        id="west",
        name="the West",
        corner=True,
        definition=(
            "The United States plus the European Union. UN votes: the EU has no vote, so Germany stands for it "
            "(EU members vote together on most resolutions; Germany is the largest), and the West's agreement is the "
            "mean of the agreement with the US and with Germany. Trade: the US plus the sum of the 27 current EU "
            "members (constant composition, the UK never counted). Arms: US plus EU-27 suppliers (the UK, Norway, "
            "Canada and other allies count in the total, not in the West)."
        ),
        un_votes=("USA", "DEU"),
        trade_partners=("USA", *EU27),
        arms_suppliers=("United States", *EU27_SIPRI),
        ties=(
            "The EU/NATO/US institutional ladder of western_engagement (0-6, 6 = member of both the EU and NATO) "
            "as 100 x rung/6; the engagement-events part of that indicator is not used."
        ),
    ),
    Pole(
        id="beijing",
        name="Beijing",
        corner=True,
        definition="The People's Republic of China (mainland; Hong Kong and Macao are separate DOTS partners, not counted).",
        un_votes=("CHN",),
        trade_partners=("CHN",),
        arms_suppliers=("China",),
        ties=(
            "China leads no alliance or economic union these states belong to; the one China-anchored organisation "
            "is the SCO (secretariat in Beijing), which fills one of the three slots used for Moscow: "
            "100 x (sco_membership/3)/3, so at most 33.3."
        ),
    ),
    Pole(
        id="ankara",
        name="Ankara",
        corner=False,
        definition=(
            "Turkey: an optional fourth pole, reported per measure but not a corner of the triangle and not part "
            "of the normalised position."
        ),
        un_votes=("TUR",),
        trade_partners=("TUR",),
        arms_suppliers=("Turkiye",),
        ties=(
            "Not coded: the only Turkey-led body, the Organization of Turkic States, has no dated membership "
            "record in the raw extracts (the 2026 snapshot gives no join dates), so ties with Ankara are missing."
        ),
    ),
)
POLE_IDS: tuple[str, ...] = tuple(p.id for p in POLES)
CORNERS: tuple[str, ...] = tuple(p.id for p in POLES if p.corner)

# --------------------------------------------------------------------------- sources
SRC_UNDL_VOTES = "undl-ga-votes-2020-2025"
SRC_DOTS = "imf-dots-2022-02"
UNDL_VOTES = Source(
    source_id=SRC_UNDL_VOTES,
    producer="United Nations Dag Hammarskjold Library (transcribed from tomasgonz/worldcountrygroups)",
    title=(
        "United Nations General Assembly Voting Data, recorded votes of regular sessions 74-80 (2020-01 to "
        "2025-12) of the 15 states, the US, China, Turkey and Germany; worldcountrygroups "
        "site/server/data/un-votes-resolutions.json"
    ),
    url="https://digitallibrary.un.org/record/4060887",
    figure_year="2020-2025",
    accessed=BUILD_DATE,
    licence="Copyright United Nations; non-commercial use with attribution",
    quote="Y yes, N no, A abstain, X non-voting; emergency special sessions (ES-11) are not included.",
)
DOTS = Source(
    source_id=SRC_DOTS,
    producer="International Monetary Fund, Direction of Trade Statistics (via SamLeBlanc/Direction-of-Trade-Map)",
    title=(
        "IMF DOTS per-country workbooks 'Exports, FOB to Partner Countries' and 'Imports, CIF from Partner "
        "Countries' (vintage ~Feb 2022; repo commit a769819)"
    ),
    url="https://data.imf.org/?sk=9D6028D4-F14A-464C-A2F2-59B2CD424B85",
    figure_year="1992-2020",
    accessed=BUILD_DATE,
    licence="IMF terms of use; repository MIT",
    quote="US Dollars, Millions. Exports FOB, imports CIF.",
)

# --------------------------------------------------------------------------- measures (data)
MEASURES: tuple[PullMeasure, ...] = (
    PullMeasure(
        id="un_votes",
        name="UN vote agreement",
        unit="% agreement",
        definition=(
            "Agreement with the pole's UN votes in a calendar year, as for unga_alignment: identical vote = 1, one "
            "abstains while the other votes yes or no = 0.5, opposite votes = 0; value = 100 x mean over roll calls "
            "where both cast yes/abstain/no."
        ),
        coding_rule=(
            "Computed per vote in every year (no ideal-point estimate): 2013-2019 Voeten final-passage roll calls "
            "(amendment and paragraph votes dropped), 2020-2025 UN Digital Library recorded votes of regular "
            "sessions (final passage only; no emergency-session votes, none January-May 2022). Absences dropped; "
            f"fewer than {unga.MIN_SHARED_VOTES} shared votes = missing. The West = mean of the agreements with "
            "the US and with Germany (for the EU). Status 'observed'."
        ),
        years_note="2013-2019 Voeten; 2020-2025 UN Digital Library (2022 from June only).",
        weight=1.0,
        source_ids=(unga.SRC_VOTES, SRC_UNDL_VOTES),
    ),
    PullMeasure(
        id="trade",
        name="Share of goods trade",
        unit="% of total goods trade",
        definition=(
            "The pole's share of the state's goods trade: 100 x (exports to + imports from the pole's partners) / "
            "(exports to + imports from the World), million USD, IMF DOTS, reporter side."
        ),
        coding_rule=(
            "Exports FOB and imports CIF summed as DOTS publishes them; the West = US + the 27 EU members; a pole "
            "whose partner rows are all empty in a year is missing, not 0; status 'observed' (reporter figures; "
            "DOTS may fill non-reporters from partner data, notably Turkmenistan: see the IMF DOTS caveats)."
        ),
        years_note="2013-2020 from DOTS (the extract ends with 2020); 2021-2025 missing.",
        weight=1.0,
        source_ids=(SRC_DOTS,),
    ),
    PullMeasure(
        id="arms",
        name="Share of arms imports",
        unit="% of arms imports (SIPRI TIV, 5-year window)",
        definition=(
            "The pole's share of the state's imports of major conventional arms over the five years t-4..t, in "
            "SIPRI trend-indicator values: 100 x TIV delivered by the pole's suppliers / TIV delivered by all."
        ),
        coding_rule=(
            "As arms_imports_russia: each deal's delivered TIV split equally across its delivery years; "
            "'unknown supplier(s)' count in the total; a state with no delivered TIV in the window has no value."
        ),
        years_note="2013-2024 from the SIPRI trade register of 13 Mar 2025; 2025 missing.",
        weight=1.0,
        source_ids=(arms_builder.SRC_SIPRI,),
    ),
    PullMeasure(
        id="ties",
        name="Institutional ties",
        unit="index 0-100",
        definition=(
            "Depth of the state's membership of organisations led by the pole, 0-100 (100 = full membership of "
            "the pole's alliance and union). Moscow: mean of CSTO/2, EAEU/2, CIS/2; the West: the EU/NATO/US "
            "ladder rung/6 of western_engagement; Beijing: (SCO/3)/3; Ankara: not coded."
        ),
        coding_rule=(
            "Read from the panel values of the same year (status on 31 December), citing their sources; the "
            "status is 'observed' only if every input is; a missing input leaves the pole's ties missing."
        ),
        years_note="2013-2025, as the membership indicators and western_engagement.",
        weight=1.0,
        source_ids=("wcg-groups-2026",),
    ),
)
MEASURE_IDS: tuple[str, ...] = tuple(m.id for m in MEASURES)


@dataclass
class PullsOutput:
    poles: list[Pole]
    measures: list[PullMeasure]
    rows: list[dict] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def add(self, iso3, year, measure, pole, value, status, source_ids, note=""):
        ids = [source_ids] if isinstance(source_ids, str) else sorted(set(source_ids))
        self.rows.append(
            {
                "iso3": iso3,
                "year": int(year),
                "measure": measure,
                "pole": pole,
                "value": float(value),
                "status": status,
                "source_ids": ";".join(ids),
                "note": note,
            }
        )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=PULL_COLUMNS)

    def catalog(self) -> dict:
        return {
            "poles": [p.model_dump(mode="json") for p in self.poles],
            "measures": [m.model_dump(mode="json") for m in self.measures],
        }


# --------------------------------------------------------------------------- UN votes
#: UNDL codes -> the vote words of the Voeten data; X (non-voting) is an absence and is dropped.
UNDL_VOTE = {"Y": "yes", "N": "no", "A": "abstain"}


def read_un_votes(raw: Path) -> pd.DataFrame:
    """Recorded votes (rcid, year, iso3, vote) of the 15 states and the reference voters, 2013-2025.

    Voeten final-passage roll calls for 2013-2019, UNDL regular-session votes from 2020 (the one
    Voeten vote of January 2020 is also in the UNDL file and is taken from there). rcid is
    ``v<id>`` or ``u<id>`` so the two numbering schemes cannot collide.
    """
    rc = unga.read_roll_calls(raw)
    rc = rc[rc["final_passage"] & rc["year"].between(YEARS[0], 2019)]
    own = unga.read_votes(raw)
    ref = pd.read_csv(raw / "unvotes_voeten" / "un_votes_references_1991plus.csv", dtype=str, keep_default_na=False)
    ref_iso = {"US": "USA", "CN": "CHN", "TR": "TUR", "DE": "DEU"}
    ref = pd.DataFrame({"rcid": ref["rcid"].astype(int), "iso3": ref["country_code"].map(ref_iso), "vote": ref["vote"]})
    if ref["iso3"].isna().any():
        raise ValueError("un_votes_references: unexpected country codes")
    v = pd.concat([own, ref], ignore_index=True).merge(rc[["rcid", "year"]], on="rcid")
    v["rcid"] = "v" + v["rcid"].astype(str)
    u = pd.read_csv(raw / "undl_votes_2020_2025" / "unga_votes_2020_2025_19countries.csv", dtype=str)
    u["year"] = u["date"].str[:4].astype(int)
    cols = [c for c in u.columns if re.fullmatch(r"[A-Z]{3}", c)]
    long = u.melt(id_vars=["undl_id", "year"], value_vars=cols, var_name="iso3", value_name="code")
    bad = sorted(set(long["code"].dropna()) - set(UNDL_VOTE) - {"X"})
    if bad:
        raise ValueError(f"undl_votes_2020_2025: unexpected vote codes {bad}")
    long = long[long["code"].isin(list(UNDL_VOTE))]
    long = pd.DataFrame(
        {"rcid": "u" + long["undl_id"], "year": long["year"], "iso3": long["iso3"], "vote": long["code"].map(UNDL_VOTE)}
    )
    return pd.concat([v[["rcid", "year", "iso3", "vote"]], long], ignore_index=True)


def un_agreement(votes: pd.DataFrame, partner: str) -> pd.DataFrame:
    """Agreement with ``partner`` per (iso3, year): columns iso3, year, agreement (0-100), n_votes.

    Over roll calls both voted on (yes/abstain/no), with :func:`unga.vote_agreement`.
    """
    ref = votes.loc[votes["iso3"] == partner, ["rcid", "vote"]].rename(columns={"vote": "ref_vote"})
    pair = votes[votes["iso3"].isin(list(PANEL_COUNTRIES))].merge(ref, on="rcid")
    pair["agree"] = [unga.vote_agreement(a, b) for a, b in zip(pair["vote"], pair["ref_vote"], strict=True)]
    out = pair.groupby(["iso3", "year"], as_index=False).agg(agreement=("agree", "mean"), n_votes=("agree", "size"))
    out["agreement"] *= 100.0
    return out


def _build_un(raw: Path, out: PullsOutput) -> None:
    votes = read_un_votes(raw)
    for pole in POLES:
        parts = [un_agreement(votes, p).assign(voter=p) for p in pole.un_votes]
        a = pd.concat(parts, ignore_index=True)
        a = a[a["n_votes"] >= unga.MIN_SHARED_VOTES]
        for (iso3, year), g in a.groupby(["iso3", "year"]):
            if len(g) < len(pole.un_votes):
                continue  # a voter of the pole has too few shared votes: missing
            src = unga.SRC_VOTES if year <= 2019 else SRC_UNDL_VOTES
            detail = "; ".join(f"{r.voter} {r.agreement:.1f}% over {r.n_votes} votes" for r in g.itertuples())
            kind = "final-passage roll calls (Voeten)" if year <= 2019 else "regular-session recorded votes (UNDL)"
            note = f"{detail}; {kind}" + ("; mean of the voters" if len(g) > 1 else "")
            out.add(iso3, year, "un_votes", pole.id, g["agreement"].mean(), "observed", src, note)


# --------------------------------------------------------------------------- arms
SIPRI_UNKNOWN = "unknown supplier(s)"


def tiv_by_supplier(raw: Path) -> pd.DataFrame:
    """Delivered TIV per (iso3, supplier, year), each deal split equally across its delivery years."""
    deals = arms_builder.read_register(raw)
    rows = []
    for r in deals.itertuples():
        n = len(r.delivery_years)
        for y in r.delivery_years:
            rows.append((r.iso3, r.supplier, y, r.tiv / n))
    t = pd.DataFrame(rows, columns=["iso3", "supplier", "year", "tiv"])
    return t.groupby(["iso3", "supplier", "year"], as_index=False)["tiv"].sum()


def _build_arms(raw: Path, out: PullsOutput) -> None:
    t = tiv_by_supplier(raw)
    w = arms_builder.WINDOW
    for iso3 in sorted(PANEL_COUNTRIES):
        ti = t[t["iso3"] == iso3]
        for year in arms_builder.ARMS_YEARS:
            win = ti[ti["year"].between(year - w + 1, year)]
            total = float(win["tiv"].sum())
            if total <= 0:
                continue
            for pole in POLES:
                part = float(win.loc[win["supplier"].isin(pole.arms_suppliers), "tiv"].sum())
                share = min(100.0, max(0.0, 100.0 * part / total))
                note = f"{pole.name} {part:.1f} of {total:.1f} TIV m delivered {year - w + 1}-{year}"
                out.add(iso3, year, "arms", pole.id, share, "observed", arms_builder.SRC_SIPRI, note)


# --------------------------------------------------------------------------- ties
LADDER_RE = re.compile(r"^ladder (\d)/6\b")


def _build_ties(panel: pd.DataFrame, out: PullsOutput) -> None:
    p = panel[panel["iso3"].isin(list(PANEL_COUNTRIES))].set_index(["iso3", "year", "indicator"])

    def get(iso3, year, ind):
        key = (iso3, year, ind)
        return p.loc[key] if key in p.index else None

    for iso3 in sorted(PANEL_COUNTRIES):
        for year in YEARS:
            rows = {k: get(iso3, year, k) for k in ("csto_membership", "eaeu_membership", "cis_membership")}
            if all(r is not None for r in rows.values()):
                v = 100.0 * sum(r["value"] / 2.0 for r in rows.values()) / 3.0
                ids = [i for r in rows.values() for i in r["source_ids"].split(";")]
                status = "observed" if all(r["status"] == "observed" for r in rows.values()) else "estimated"
                note = "; ".join(f"{k.split('_')[0].upper()} {int(r['value'])}/2" for k, r in rows.items())
                out.add(iso3, year, "ties", "moscow", v, status, ids, note + "; mean of the three")
            we = get(iso3, year, "western_engagement")
            if we is not None:
                m = LADDER_RE.match(we["note"])
                if m is None:
                    raise ValueError(f"western_engagement {iso3} {year}: note does not start with 'ladder k/6'")
                rung = int(m.group(1))
                out.add(
                    iso3,
                    year,
                    "ties",
                    "west",
                    100.0 * rung / 6.0,
                    we["status"],
                    we["source_ids"].split(";"),
                    f"EU/NATO/US ladder rung {rung}/6 (from western_engagement)",
                )
            sco = get(iso3, year, "sco_membership")
            if sco is not None:
                out.add(
                    iso3,
                    year,
                    "ties",
                    "beijing",
                    100.0 * (sco["value"] / 3.0) / 3.0,
                    sco["status"],
                    sco["source_ids"].split(";"),
                    f"SCO level {int(sco['value'])}/3, one of three slots",
                )


# --------------------------------------------------------------------------- build
def build_pulls(raw: Path, panel: pd.DataFrame) -> PullsOutput:
    """Every pull value that the raw extracts and the panel allow, with the catalogue and sources."""
    raw = Path(raw)
    out = PullsOutput(poles=list(POLES), measures=list(MEASURES), sources=[UNDL_VOTES, DOTS])
    _build_un(raw, out)
    _build_arms(raw, out)
    _build_ties(panel, out)
    df = out.frame()
    order = {k: i for i, k in enumerate(MEASURE_IDS)}
    porder = {k: i for i, k in enumerate(POLE_IDS)}
    df["_m"] = df["measure"].map(order)
    df["_p"] = df["pole"].map(porder)
    df = df.sort_values(["iso3", "year", "_m", "_p"]).drop(columns=["_m", "_p"])
    out.rows = df.to_dict("records")
    return out
