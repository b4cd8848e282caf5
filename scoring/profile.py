"""A profile per state: its score and rank over the years, and its biggest moves explained in words.

No Streamlit here: the page's Profile view (``ui/views/profile.py``) shows what :func:`history` and
:func:`biggest_moves` return, and ``tests/test_profile.py`` recomputes every number of every sentence
from the model and the panel.

A *move* is the change of a state's score from one year to the next (both years scored). The biggest
moves are the ``n`` largest in absolute size. Each is explained by its main part from
:func:`scoring.diff.explain_change` — the indicator (or the data entering or leaving, ``composition``)
whose part is largest among those pointing the same way as the move — and told in one sentence, e.g.
"Armenia fell from 2nd (2021) to 5th (2022) closest to Moscow, its score falling from 61.2 to 52.3 points,
mostly because its share of arms imports from Russia fell from 82.9% to 32.4% (SIPRI; −4.9 of −8.9
points)." Every number in it comes from the model (scores, ranks, the part) or the panel (raw values,
their source).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from scoring.diff import COMPOSITION, TOTAL, explain_change
from scoring.model import Model
from scoring.spec import ScoringSpec


@dataclass(frozen=True)
class Move:
    iso3: str
    country: str
    year_from: int
    year_to: int
    score_from: float
    score_to: float
    rank_from: int
    rank_to: int
    #: Indicator id, or ``composition`` (data entering or leaving).
    driver: str
    #: The driver's part of the change, in score points.
    driver_change: float
    #: Raw values of the driver indicator in the two years (NaN for ``composition``).
    value_from: float
    value_to: float
    #: Producers of the sources of the later value (``; ``-joined), or the indicators that entered/left.
    source: str
    sentence: str

    @property
    def change(self) -> float:
        return self.score_to - self.score_from


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def value_text(ind, v: float) -> str:
    """A raw value as the sentence writes it: a level with its label, a percentage with %, else the unit."""
    label = ind.level_label(v)
    if label:
        return f"{v:.0f} ({label})"
    if ind.unit.startswith("%"):
        return f"{v:.1f}%"
    return f"{v:.1f} ({ind.unit})"


#: First words that keep their capital inside a sentence.
PROPER = ("Russia", "Russian", "Western", "West")


def _its(name: str) -> str:
    """'Share of arms imports from Russia' -> 'its share of arms imports from Russia' (acronyms and names kept)."""
    first = name.split(" ", 1)[0]
    keep = first in PROPER or (len(first) > 1 and not first[1].islower())
    return f"its {name if keep else name[:1].lower() + name[1:]}"


def history(model: Model, spec: ScoringSpec, iso3: str) -> pd.DataFrame:
    """Year, score, rank and pillar sub-scores of one state, every panel year."""
    t = model.score(spec.replace(years=None)).table
    return t[t["iso3"] == iso3].sort_values("year").reset_index(drop=True)


def _producers(panel: pd.DataFrame, sources: dict, iso3: str, year: int, indicator: str) -> str:
    row = panel[(panel["iso3"] == iso3) & (panel["year"] == year) & (panel["indicator"] == indicator)]
    if row.empty:
        return ""
    names = []
    for sid in str(row["source_ids"].iloc[0]).split(";"):
        s = sources.get(sid)
        if s is not None and s.producer not in names:
            names.append(s.producer)
    return "; ".join(names)


def _sentence(m: dict, ind, catalog: dict) -> str:
    name, y0, y1 = m["country"], m["year_from"], m["year_to"]
    s0, s1, r0, r1 = m["score_from"], m["score_to"], m["rank_from"], m["rank_to"]
    way = "falling" if s1 < s0 else "rising"
    if r1 != r0:
        head = (
            f"{name} {'fell' if r1 > r0 else 'rose'} from {ordinal(r0)} ({y0}) to {ordinal(r1)} ({y1}) closest to "
            f"Moscow, its score {way} from {s0:.1f} to {s1:.1f} points"
        )
    else:
        head = f"{name} stayed {ordinal(r0)} closest to Moscow ({y0} and {y1}), its score {way} from {s0:.1f} to {s1:.1f} points"
    part = f"{m['driver_change']:+.1f} of {s1 - s0:+.1f} points".replace("-", "−")
    if m["driver"] == COMPOSITION:
        bits = []
        if m["left"]:
            bits.append(f"no value for {', '.join(catalog[k].name for k in m['left'].split(';'))} in {y1}")
        if m["entered"]:
            bits.append(
                f"a value for {', '.join(catalog[k].name for k in m['entered'].split(';'))} in {y1}, none in {y0}"
            )
        what = " and ".join(bits) or "a different set of indicators with data"
        return f"{head}, mostly because the data behind it changed: {what} ({part})."
    v0, v1 = m["value_from"], m["value_to"]
    gaps = [str(y) for y, v in ((y0, v0), (y1, v1)) if math.isnan(v)]
    if gaps:  # the part of an imputed value (scoring.diff, kind "imputed"): no published figure to quote
        return f"{head}, mostly because of {ind.name}, imputed † for {' and '.join(gaps)} (no sourced value; {part})."
    verb = "rose" if v1 > v0 else "fell"
    src = f"{m['source']}; " if m["source"] else ""
    return f"{head}, mostly because {_its(ind.name)} {verb} from {value_text(ind, v0)} to {value_text(ind, v1)} ({src}{part})."


def biggest_moves(
    model: Model, spec: ScoringSpec, panel: pd.DataFrame, sources: dict, iso3: str, n: int = 3
) -> list[Move]:
    """The ``n`` largest year-to-year moves of ``iso3``'s score (largest first), each with its sentence."""
    h = history(model, spec, iso3)
    steps = []
    for (y0, s0, r0), (y1, s1, r1) in zip(
        h[["year", "score", "rank"]].itertuples(index=False),
        h[["year", "score", "rank"]].iloc[1:].itertuples(index=False),
        strict=False,
    ):
        if not (math.isnan(s0) or math.isnan(s1)) and s1 != s0:
            steps.append((abs(s1 - s0), int(y0), int(y1), float(s0), float(s1), int(r0), int(r1)))
    steps.sort(key=lambda t: (-t[0], t[1]))
    out = []
    for _, y0, y1, s0, s1, r0, r1 in steps[:n]:
        d = explain_change(model, spec, y0, y1, [iso3])
        parts = d[(d["kind"] != TOTAL) & d["change"].notna() & (d["change"] != 0)]
        same = parts[(parts["change"] > 0) == (s1 > s0)]
        top = (same if len(same) else parts).assign(a=lambda t: t["change"].abs()).sort_values(["a", "part"])
        top = top.iloc[-1] if len(top) else None
        driver = "" if top is None else str(top["part"])
        m = {
            "iso3": iso3,
            "country": str(h["country"].iloc[0]),
            "year_from": y0,
            "year_to": y1,
            "score_from": s0,
            "score_to": s1,
            "rank_from": r0,
            "rank_to": r1,
            "driver": driver,
            "driver_change": float("nan") if top is None else float(top["change"]),
            "value_from": float("nan") if top is None else float(top["raw_from"]),
            "value_to": float("nan") if top is None else float(top["raw_to"]),
            "entered": "" if top is None else str(top["entered"]),
            "left": "" if top is None else str(top["left"]),
        }
        ind = model.catalog.get(driver)
        m["source"] = _producers(panel, sources, iso3, y1, driver) if ind is not None else ""
        sentence = _sentence(m, ind, model.catalog) if driver else ""
        out.append(Move(**{k: v for k, v in m.items() if k not in ("entered", "left")}, sentence=sentence))
    return out
