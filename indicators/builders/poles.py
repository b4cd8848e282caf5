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
    computed per vote in every year (``unvotes.load_votes``): Voeten final-passage roll calls
    2013-2019, the UN Digital Library regular-session votes 2020-2025. A pole with several voters (the West: the US and
    Germany for the EU) takes the mean of the agreements.
``trade``
    The pole's share of the state's goods trade (exports + imports) with the World, IMF DOTS,
    reporter side (``dots.read_dots``), 1992-2020 in the extract (2013-2020 used).
``arms``
    The pole's share of the state's major-arms imports (SIPRI TIV) over the five years t-4..t,
    delivered TIV split equally over delivery years, like ``arms_imports_russia``
    (``arms.supplier_tiv``); the window ending 2025 from SIPRI's bilateral per-year table.
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
from indicators.builders import dots, trade_bulk, unga, unvotes
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import PULL_COLUMNS, Pole, PullMeasure, Source

BUILD_DATE = dt.date(2026, 12, 1)

#: The EU's 27 members (composition after February 2020, held constant over all years).
EU27: tuple[str, ...] = (
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
    "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE",
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
        arms_suppliers=("RUS", "SUN"),
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
        arms_suppliers=("USA", *EU27),
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
        arms_suppliers=("CHN",),
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
        arms_suppliers=("TUR",),
        ties=(
            "Not coded: the only Turkey-led body, the Organization of Turkic States, has no dated membership "
            "record in the raw extracts (the 2026 snapshot gives no join dates), so ties with Ankara are missing."
        ),
    ),
)
POLE_IDS: tuple[str, ...] = tuple(p.id for p in POLES)
CORNERS: tuple[str, ...] = tuple(p.id for p in POLES if p.corner)

# --------------------------------------------------------------------------- sources
# Vote and arms sources are the indicator builders' own (one definition per source).
SRC_UNDL_VOTES = unga.SRC_UNDL_VOTES
SRC_UNDL_SCRAPE = unga.SRC_SCRAPE
SRC_SIPRI_BILATERAL = arms_builder.SRC_SIPRI_BILATERAL
#: The IMF DOTS source as the trade builder defines it.
DOTS = trade_bulk.SOURCES["imf_dots"]
SRC_DOTS = DOTS.source_id

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
            "Computed per vote in every year (no ideal-point estimate) from indicators.builders.unvotes: final-passage "
            "votes on resolutions adopted by a recorded vote at regular sessions; 2013-2019 Voeten (plus 32 "
            "resolutions only the UN Digital Library scrape has, which carry no US/Chinese/Turkish/German vote and "
            "so count only toward Moscow), 2020-2025 UN Digital Library (none January-May 2022; emergency special "
            "sessions such as ES-11 are excluded in every year). Absences dropped; "
            f"fewer than {unga.MIN_SHARED_VOTES} shared votes = missing. The West = mean of the agreements with "
            "the US and with Germany (for the EU). Status 'observed'."
        ),
        years_note="2013-2019 Voeten (+ scrape); 2020-2025 UN Digital Library (2022 from June only).",
        weight=1.0,
        source_ids=(unga.SRC_VOTES, SRC_UNDL_VOTES, SRC_UNDL_SCRAPE),
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
            "but 'estimated' where a cell carries the IMF 'e' flag, for Turkmenistan in every year and Uzbekistan "
            "2013-2015, whose DOTS figures the extract's provenance marks as probably IMF estimates from partner data)."
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
            "'unknown supplier(s)' count in the total; a state with no delivered TIV in the window has no value. "
            "Windows ending 2013-2024 come from the SIPRI trade register (status 'observed'); the window 2021-2025 "
            "comes wholly from SIPRI's bilateral per-year table (records of >= 3 TIV only, 2025 first estimates; "
            "status 'estimated'), so one source covers each window."
        ),
        years_note="2013-2024 from the SIPRI trade register of 13 Mar 2025; 2025 from the bilateral TIV table.",
        weight=1.0,
        source_ids=(arms_builder.SRC_SIPRI, SRC_SIPRI_BILATERAL),
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
#: ``unvotes.load_votes`` source name -> our source id.
VOTE_SOURCE_IDS: dict[str, str] = unga.SOURCE_ID


def un_agreement(votes: pd.DataFrame, partner: str) -> pd.DataFrame:
    """Agreement of the panel states with ``partner`` per year (``unvotes.agreement``), with the sources of the
    roll calls both voted on: columns iso3, year, agreement, n_votes, sources (';'-joined source names)."""
    a = unvotes.agreement(votes, partner)
    a = a[a["iso3"].isin(list(PANEL_COUNTRIES))]
    rc = votes.loc[votes["iso3"] == partner, ["rcid"]]
    both = votes[votes["iso3"].isin(list(PANEL_COUNTRIES))].merge(rc, on="rcid")
    src = both.groupby(["iso3", "year"])["source"].agg(lambda x: ";".join(sorted(set(x)))).rename("sources")
    return a.merge(src.reset_index(), on=["iso3", "year"], how="left")


def _build_un(raw: Path, out: PullsOutput) -> None:
    votes = unvotes.load_votes(raw)
    votes = votes[votes["year"].isin(YEARS)]
    for pole in POLES:
        parts = [un_agreement(votes, p).assign(voter=p) for p in pole.un_votes]
        a = pd.concat(parts, ignore_index=True)
        a = a[a["n_votes"] >= unga.MIN_SHARED_VOTES]
        for (iso3, year), g in a.groupby(["iso3", "year"]):
            if len(g) < len(pole.un_votes):
                continue  # a voter of the pole has too few shared votes: missing
            names = sorted({n for x in g["sources"] for n in x.split(";")})
            detail = "; ".join(f"{r.voter} {r.agreement:.1f}% over {r.n_votes} votes" for r in g.itertuples())
            note = f"{detail}; final-passage recorded votes, regular sessions ({', '.join(names)})"
            if len(g) > 1:
                note += "; mean of the voters"
            ids = [VOTE_SOURCE_IDS[n] for n in names]
            out.add(iso3, year, "un_votes", pole.id, g["agreement"].mean(), "observed", ids, note)


# --------------------------------------------------------------------------- trade
#: Reporters whose DOTS figures the PROVENANCE says may be IMF estimates from partner data
#: (None = every year): their shares are 'estimated'.
DOTS_PARTNER_DERIVED: dict[str, tuple[int, ...] | None] = {"TKM": None, "UZB": (2012, 2013, 2014, 2015)}
TRADE_YEARS: tuple[int, ...] = tuple(y for y in YEARS if y <= 2020)


def trade_shares(dots: pd.DataFrame) -> pd.DataFrame:
    """Each pole's share of each state's goods trade (exports + imports) per year.

    Columns iso3, year, pole, share (0-100), pole_usd, world_usd, n_partners, estimate (any IMF 'e' cell).
    World needs both flows; a pole with no reported cell in the year is absent (missing, not 0).
    """
    d = dots[dots["year"].isin(TRADE_YEARS)]
    world = (
        d[d["partner"] == "WLD"]
        .groupby(["iso3", "year"])
        .agg(world_usd=("usd", "sum"), n_flows=("flow", "nunique"), w_est=("imf_estimate", "any"))
    )
    world = world[world["n_flows"] == 2]
    rows = []
    for pole in POLES:
        g = d[d["partner"].isin(pole.trade_partners)].groupby(["iso3", "year"])
        t = g.agg(pole_usd=("usd", "sum"), n_partners=("partner", "nunique"), p_est=("imf_estimate", "any"))
        t = t.join(world, how="inner")
        t["share"] = (100.0 * t["pole_usd"] / t["world_usd"]).clip(0.0, 100.0)
        t["estimate"] = t["p_est"] | t["w_est"]
        rows.append(t.reset_index().assign(pole=pole.id))
    cols = ["iso3", "year", "pole", "share", "pole_usd", "world_usd", "n_partners", "estimate"]
    return pd.concat(rows, ignore_index=True)[cols]


def _build_trade(raw: Path, out: PullsOutput) -> None:
    t = trade_shares(dots.read_dots(raw))
    for r in t.itertuples():
        derived = r.iso3 in DOTS_PARTNER_DERIVED and (
            DOTS_PARTNER_DERIVED[r.iso3] is None or r.year in DOTS_PARTNER_DERIVED[r.iso3]
        )
        status = "estimated" if (r.estimate or derived) else "observed"
        note = (
            f"{r.pole_usd / 1e6:,.1f} of {r.world_usd / 1e6:,.1f} million USD (exports FOB + imports CIF), "
            f"{r.n_partners} partner(s) reporting"
        )
        if r.estimate:
            note += "; includes IMF estimate cells ('e')"
        if derived:
            note += "; DOTS figures possibly estimated by the IMF from partner data (PROVENANCE caveat)"
        out.add(r.iso3, r.year, "trade", r.pole, r.share, status, SRC_DOTS, note)


# --------------------------------------------------------------------------- arms
#: Window ending 2025: SIPRI's bilateral per-year table for the whole window (one source per window).
BILATERAL_WINDOW_END = 2025


def arms_shares(tiv: pd.DataFrame, year: int, window: int = arms_builder.WINDOW) -> pd.DataFrame:
    """Each pole's share of each state's arms imports over year-window+1..year.

    ``tiv`` has columns recipient, supplier, year, tiv. Returns iso3, pole, share (0-100), pole_tiv,
    total_tiv; a state with no delivered TIV in the window is absent.
    """
    w = tiv[tiv["year"].between(year - window + 1, year) & tiv["recipient"].isin(list(PANEL_COUNTRIES))]
    total = w.groupby("recipient")["tiv"].sum()
    total = total[total > 0]
    rows = []
    for pole in POLES:
        part = w[w["supplier"].isin(pole.arms_suppliers)].groupby("recipient")["tiv"].sum()
        part = part.reindex(total.index, fill_value=0.0)
        for iso3 in total.index:
            share = min(100.0, max(0.0, 100.0 * part[iso3] / total[iso3]))
            rows.append((iso3, pole.id, share, float(part[iso3]), float(total[iso3])))
    return pd.DataFrame(rows, columns=["iso3", "pole", "share", "pole_tiv", "total_tiv"])


def _build_arms(raw: Path, out: PullsOutput) -> None:
    w = arms_builder.WINDOW
    register = arms_builder.supplier_tiv(raw)
    bilateral = arms_builder.supplier_tiv(raw, bilateral_from=BILATERAL_WINDOW_END - w + 1)
    names = {p.id: p.name for p in POLES}
    for year in (*arms_builder.ARMS_YEARS, BILATERAL_WINDOW_END):
        late = year == BILATERAL_WINDOW_END
        s = arms_shares(bilateral if late else register, year)
        for r in s.sort_values(["iso3"]).itertuples():
            note = f"{names[r.pole]} {r.pole_tiv:.1f} of {r.total_tiv:.1f} TIV m delivered {year - w + 1}-{year}"
            if late:
                note += " (SIPRI bilateral per-year table, records >= 3 TIV only; 2025 figures are first estimates)"
            src = SRC_SIPRI_BILATERAL if late else arms_builder.SRC_SIPRI
            out.add(r.iso3, year, "arms", r.pole, r.share, "estimated" if late else "observed", src, note)


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
    out = PullsOutput(poles=list(POLES), measures=list(MEASURES), sources=[DOTS])
    _build_un(raw, out)
    _build_trade(raw, out)
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
