"""The methodology page, written for readers from the indicator catalogue and the method registries.

Indicators come from the catalogue; each method in a registry has a plain-language text here
(:data:`METHOD_TEXT`), with its formula in readable math. A method added to a registry without a
text fails the methodology test, so the page never falls back to code docstrings.
"""

from __future__ import annotations

import re

import pandas as pd

import scoring
from indicators import structure
from indicators.schema import PILLARS
from scoring import pillar_effect
from scoring.untrusted import md
from ui.state import preset_label
from ui.uploads import USER_SOURCE_PREFIX

#: Plain-language description of every normalisation, aggregation and missing-data method
#: (the code's docstrings say the same for programmers, with edge cases).
METHOD_TEXT: dict[str, str] = {
    "minmax": "Min-max over the whole panel: $v = 100 \\cdot \\frac{x - \\min}{\\max - \\min}$, with the "
    "minimum and maximum taken over every year and state, so the same raw value gets the same score in every "
    "year. An indicator whose values are all equal cannot be scaled this way and is reported.",
    "goalposts": "Fixed goalposts: $v = 100 \\cdot \\frac{x - L}{U - L}$, kept within 0–100, where $L$ and $U$ "
    "are the indicator's stated goalposts (or its natural range, e.g. 0–100 for a percentage). Scores do not "
    "depend on which states or years are in the panel.",
    "zscore": "Standard scores: $z = (x - \\bar{x}) / s$ over every year and state ($s$ the population standard "
    "deviation), limited to ±3 and mapped to $v = 50 + 50 \\cdot z / 3$: the panel mean scores 50, three "
    "standard deviations above it or more score 100.",
    "percentile": "Percentile rank: $v = 100 \\cdot \\frac{r - 1}{n - 1}$, where $r$ is the value's rank among the "
    "$n$ observed values of every year and state (ties share their average rank). The lowest value scores 0 and "
    "the highest 100.",
    "arithmetic": "Weighted arithmetic mean: $M = \\sum_i w_i v_i / \\sum_i w_i$ over the indicators with a "
    "value. Fully compensatory: a loss on one indicator is offset by an equal weighted gain on another. Each "
    "indicator's contribution $w_i v_i / \\sum w$ adds up exactly to the score.",
    "geometric": "Weighted geometric mean of shifted values: $M = \\exp\\left(\\sum_i w_i \\ln(v_i + 1) / "
    "\\sum_i w_i\\right) - 1$. The shift by 1 keeps a single 0 from zeroing the score. Less compensatory than "
    "the arithmetic mean: a low value weighs more. Contributions are each indicator's share of "
    "$\\ln(M + 1)$, scaled to add up to the score.",
    "impute": "Model imputation (the default). A missing value is filled by the missing-data model, on the 0–100 "
    "scale: between two years in which the state has a value, by the straight line between them; before the first "
    "or after the last, by the nearest year's value held (a random walk); for a state with no value of that "
    "indicator in any year, by a ridge regression on the other indicators of its pillar, fitted on the states "
    "that have it. "
    "Each filled value has an uncertainty: $\\sigma_k \\sqrt{(t-a)(b-t)/(b-a)}$ between years $a$ and $b$, "
    "$\\sigma_k \\sqrt{d}$ at $d$ years from the nearest value ($\\sigma_k$ = the typical one-year change of "
    "indicator $k$), the regression's residual error otherwise; the Monte Carlo bands draw the filled values "
    "from it (multiple imputation). Filled values are marked †, listed in Data & sources, and are their own "
    "part in What changed; no indicator is ever absent from a score.",
    "carry_forward": "Last observation carried forward: a missing value takes the state's latest earlier value of "
    "the indicator (marked †); with no earlier value the indicator is left out and the weights rescaled.",
    "renormalise": "Available-case: every state and year with any data gets a score: missing indicators are left out and the "
    "weights of the others rescaled (inside the pillar, then across pillars). Coverage, the share of the weight "
    "that had data, is shown beside every score.",
    "coverage_threshold": "As above, but a score (and rank) is withheld when coverage falls below the minimum "
    "coverage set in the sidebar.",
}


#: The decision on double counting (issue 23), with the audit's numbers (``python -m scoring.audit``; normalised
#: values with directions applied, Pearson r over the states with both values). Every pair of indicators in
#: different pillars with |r| >= 0.9 in a year 2013-2024 is named here with the reason it is kept
#: (``tests/test_redundancy.py`` checks that against the shipped data).
REDUNDANCY: list[str] = [
    "### Double counting: what the audit found and what was decided",
    "The audit (Robustness view, *Audit*) flags pairs of indicators that correlate at |r| ≥ 0.9 across the "
    "states, on the normalised values with directions applied.",
    "- **NATO ties count in one pillar only.** Alliance alignment with NATO sat in the security pillar while "
    "the Western ties indicator's institutional ladder also counts NATO partnership and membership; the two "
    "correlated at r = 0.91–0.95 in every year 2013–2024 on the data of the audit (0.95 in 2022; 0.91–0.94 in "
    "nine of the twelve years with the data shipped now), so NATO ties counted in two pillars: "
    "5% of the default weight through security and again inside Western ties' 20%. Alliance alignment with "
    "NATO now belongs to the Western ties pillar (one row of the structure table): the two NATO-laden "
    "indicators share one pillar's 20% (10% each), and the security pillar keeps CSTO standing, Russian arms "
    "and Russian bases by agreement. The validity checks still hold (tested): Belarus ranks first in 2023 and "
    "2024, and Estonia, Latvia, Lithuania and Ukraine are the four farthest from Moscow in 2023, 2024 and 2025; "
    "the Baltic states' security sub-score never exceeds Moldova's.",
    "- **Energy stays a pillar of one indicator.** Energy dependence on Russia is the channel through which "
    "Moscow has most directly pressed governments (gas cut-offs and price changes), and no other indicator "
    "measures it: its correlation with any indicator of another pillar stays below 0.9 in every year to 2022. "
    "It keeps a fifth of the default weight; the *Equal indicators* preset gives it one thirteenth.",
    "- **Kept although they correlate across pillars:**",
    "  - Share of arms imports from Russia with CIS membership (r = 0.96) and UNGA voting agreement with Russia "
    "(r = 0.98), 2013 only: arms are counted over the five years to 2013, when Russian supply still followed "
    "the post-Soviet blocs, and three states (Moldova, Kyrgyzstan, Ukraine) have no arms value that year. From "
    "2014 every such r is below 0.9.",
    "  - Energy dependence on Russia with CSTO membership (r = 0.90 in 2022, 0.97 in 2023, 0.93 in 2024) and "
    "with Russian base hosted by agreement (0.97 in 2023, 0.96 in 2024): from 2022 the states with an energy "
    "value (14 in 2022, 11 in 2023 and 2024) split into two groups, those that stopped "
    "buying Russian gas (the Baltic states, Ukraine, Moldova) and Russia's allies that host its bases and take "
    "its gas. That the region's split runs through every domain is what the index measures, not one fact "
    "counted twice: a state can leave Russian gas while staying in the CSTO, and dropping either would hide it.",
    "  - Ties to and engagement with the West with Sanctions on Russia (r = 0.92 in 2022, 2023 and 2024): EU "
    "members apply the EU's sanctions, so the Baltic states sit at the top of both, and since 2022 the "
    "states seeking EU membership (Ukraine, Moldova) also lead on sanctions. Below them the two part ways: Georgia, "
    "with Western ties close to Moldova's, applies under half of the EU's acts, and Armenia and Azerbaijan "
    "none, so sanctions stay a choice of their own.",
    "  - Remittances from Russia with Alliance alignment with NATO (r = 0.96 in 2024): over the seven states "
    "with a remittance value that year, too few to read as redundancy.",
    "- **Within a pillar** (reported, not double counting across pillars): UNGA voting agreement and the vote on "
    "the Ukraine resolutions (r = 0.90–0.95 in 2016 and 2022–2024); CSTO membership and Russian bases "
    "(r = 1.0 in 2014–2019, when every CSTO member hosted a Russian base and no other state did; they differ in "
    "2013, 2020–2023 and from 2024); CSTO membership and Russian arms (0.93–0.98, 2017–2021).",
]


_FILE = re.compile(r"(?:[\w.-]+/)*([A-Za-z]\w*)\.(csv|py|json|txt|xlsx)\b")


def readable(text: str, catalog: dict) -> str:
    """A catalogue text as readers read it: indicator ids become their names, file names the plain name of
    the table or module they hold ("indicators/hand/trade_totals.csv" -> "the trade totals table"), and code
    quotes are dropped."""
    text = _FILE.sub(
        lambda m: (
            ("the " + m.group(1).replace("_", " ") + " table") if m.group(2) == "csv" else m.group(1).replace("_", " ")
        ),
        text,
    )
    for k, ind in catalog.items():  # the name is inserted as text, never read as a regex template
        text = re.sub(rf"\b{re.escape(k)}\b", lambda _m, name=ind.name: name, text)
    return text.replace("`", "")


def source_link(src) -> str:
    """A source in Markdown: its producer linked to its URL; a source a user uploaded (``user-`` id) as inert
    text with the address written out, so nothing a user supplies becomes a link."""
    if src.source_id.startswith(USER_SOURCE_PREFIX):
        return f"{md(src.producer)} ({md(src.url)})"
    return f"[{md(src.producer)}]({src.url})"


def method_label(name: str) -> str:
    """'coverage_threshold' -> 'Coverage threshold'."""
    return name.replace("_", " ").capitalize()


def poles_markdown(poles: dict, measures: dict, sources: dict, catalog: dict | None = None) -> str:
    """The poles lens (``scoring.pulls``), written for readers from the poles catalogue."""
    out = [
        "### A second lens: between the poles",
        "The view *Between the poles* does **not** change the Moscow-alignment score. It asks a different "
        "question: when a state's ties to Moscow loosen, do they move toward the West, toward Beijing, or toward "
        "nobody? For each state and year it measures the pull of each pole on the same kinds of data (each value "
        "0–100, cited and flagged like the panel's) and places the state in a triangle.",
        "#### Poles",
    ]
    for p in poles.values():
        corner = "corner of the triangle" if p.corner else "reported, not a corner"
        out.append(readable(f"- **{p.name}** ({corner}): {p.definition} *Ties:* {p.ties}", catalog or {}))
    out.append("#### Measures")
    for m in measures.values():
        srcs = ", ".join(f"[{sources[s].producer}]({sources[s].url})" for s in m.source_ids if s in sources)
        out += [
            readable(
                f"- **{m.name}** ({m.unit}, default weight {m.weight:g}): {m.definition} "
                f"*Coding rule:* {m.coding_rule}" + (f" *Years:* {m.years_note}" if m.years_note else ""),
                catalog or {},
            ),
        ]
        if srcs:
            out[-1] += f" *Sources:* {srcs}"
    out += [
        "#### Position",
        "For each state, year and measure, the corner poles' values are divided by their sum: the measure's "
        "shares of the pull, $s_{m,p} = v_{m,p} / \\sum_q v_{m,q}$. The position is the weighted mean of those "
        "shares over the measures, $\\pi_p = \\sum_m w_m s_{m,p} / \\sum_m w_m$, so the three shares add up "
        "to 1. A pole with no value in any weighted measure is left out (the state is drawn without it, and the "
        "page says so); a measure missing one pole's value is left out for that state and year, so a gap never "
        "reads as zero; a state and year with no usable measure has no position.",
    ]
    return "\n\n".join(out)


#: Readers' names of the backtest's policies and kinds of case.
BACKTEST_LABELS = {
    "model": "missing-data model (default)",
    "available_case": "available-case (renormalise)",
    "carry_forward": "carry forward",
    "one_value": "one observed value hidden",
    "latest_year": "a state's statistics of one year hidden",
}


def backtest_markdown() -> list[str]:
    """The masking backtest that chose the missing-data model, as published in docs/backtest.json."""
    from scoring.backtest import load_published

    rows = load_published()
    out = [
        "### Missing data: the backtest behind the model",
        "The missing-data model was chosen by a masking backtest (run from the command line): every observed "
        "value of 2013–2024 is hidden in turn, and separately all of one state's statistical values of one year "
        "(as when the statistics offices have not yet published), and each policy's score for that state and "
        "year is compared with its score with nothing hidden. Error in score points (0–100); 'rank changed' is "
        "the share of cases in which the state's rank that year moved.",
    ]
    if not rows:
        return [*out, "The backtest has not been published for this data."]
    table = [
        "| what is hidden | policy | median error | mean error | 90% of errors below | rank changed | cases |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        table.append(
            f"| {BACKTEST_LABELS[r['kind']]} | {BACKTEST_LABELS[r['policy']]} | {r['median_abs_error']:.2f} | "
            f"{r['mean_abs_error']:.2f} | {r['p90_abs_error']:.2f} | {r['rank_changed_share']:.1%} | {r['cases']:,} |"
        )
    return [*out, "\n".join(table)]


def methodology_markdown(catalog: dict, sources: dict, poles: dict | None = None, measures: dict | None = None) -> str:
    out = [
        "## Methodology",
        "Each state gets a score from 0 to 100 per year: **100 = closest to Moscow** within the range the panel "
        "spans, 0 = farthest. Raw indicator values are normalised to 0–100 with their direction applied (so an "
        "indicator pointing away from Moscow is flipped), weighted inside their pillar, and the pillar scores are "
        "weighted across pillars. Every choice below can be changed in the sidebar and travels with the exported "
        "spec.",
        "### Pillars",
    ]
    out += [f"- **{p.replace('_', ' ')}**: {d}" for p, d in PILLARS.items()]
    out.append("### Indicators")
    for ind in catalog.values():
        arrow = "higher = closer to Moscow (+1)" if ind.direction == 1 else "higher = farther from Moscow (−1)"
        levels = ""
        if ind.levels:
            levels = " Levels: " + "; ".join(f"{k} = {v}" for k, v in sorted(ind.levels.items())) + "."
        srcs = ", ".join(source_link(sources[s]) for s in ind.source_ids if s in sources)
        # catalogue text is data (an upload's name, unit and definition among it): made inert with md()
        out += [
            f"#### {md(ind.name)}",
            f"*Pillar:* {ind.pillar.replace('_', ' ')} · *unit:* {md(ind.unit)} · *scale:* {ind.scale} · "
            f"*direction:* {arrow} · *bounds:* {ind.bounds[0]:g}–{ind.bounds[1]:g}"
            + (f" · *goalposts:* {ind.goalposts[0]:g}–{ind.goalposts[1]:g}" if ind.goalposts else ""),
            "",
            md(readable(ind.definition, catalog) + levels),
            "",
            f"*Coding rule:* {md(readable(ind.coding_rule, catalog))}",
        ]
        if ind.years_note:
            out += ["", f"*Years and methods:* {md(readable(ind.years_note, catalog))}"]
        if srcs:
            out += ["", f"*Main sources:* {srcs}"]
    for heading, names in (
        ("Normalisation methods", scoring.NORMALISERS),
        ("Aggregation methods", scoring.AGGREGATORS),
        ("Missing-data policies", scoring.MISSING_POLICIES),
    ):
        out.append(f"### {heading}")
        out += [f"- **{method_label(n)}**: {METHOD_TEXT[n]}" for n in names]
    out += backtest_markdown()
    out += [
        "### Change over time",
        "Why did a state move? For two years, the page splits the change in its score into parts that add up "
        "exactly to it. Let $S$ be the indicators both years have and $a_i(S)$ indicator $i$'s share of a score "
        "built on $S$. Each shared indicator gets the part $a_i(S)\\,(v_i^{later} - v_i^{earlier})$: its "
        "contribution at the later year minus at the earlier one. A part whose value was filled by the "
        "missing-data model in either year is marked **imputed †**, so a move that comes from an imputed value "
        "says so. Under the default policy every indicator has a value in every year, so nothing enters or "
        "leaves; under the available-case policies one **composition** part holds the rest: the "
        "effect of indicators that have a value in only one of the two years, including how their presence "
        "reweights the others. With the geometric mean the same split is made on $\\ln(v + 1)$ and rescaled, "
        "so the parts still add up exactly. Normalisation uses every year of the panel, so it adds no part of "
        "its own.",
        "**One number everywhere.** A state-year has one score in the ranking, trends, map, compare, the CSV, "
        "the bundle, the standalone page and the command line. Trends can instead show a **different series**, "
        "with the composition held fixed (chain-linking: each step counts only the indicators both years have, "
        "anchored on the selected year); it is off by default and labelled as such.",
        "**Default year and provisional years.** The page and the command line open on the latest year in which "
        "every state has at least 75% of the weight (default weights) on values from the data rather than the "
        "model. Later years stay selectable and are marked **provisional**, with what they lack; a trend point "
        "whose score rests on less than 75% sourced weight is drawn hollow.",
    ]
    out += REDUNDANCY
    out.append("### Weight presets")
    out += [f"- **{preset_label(k)}**: {p.rationale}" for k, p in scoring.PRESETS.items()]
    out += [
        "### Value status",
        "- **observed**: taken or computed directly from a cited source.",
        "- **estimated**: derived from a related observed measure by a stated rule (e.g. a trade share from "
        "partial-year figures; UN ideal points are no longer used for values, only as a cross-check of vote "
        "agreement, shown in that indicator's years note).",
        "- **imputed** (ⁱ, when the data were built): interpolated between two sourced years by the indicator's "
        "own rule; different from the missing-data model's fills (†), which happen when scoring.",
        "- **carried forward**: the last observed value kept for a limited number of years.",
        "Missing values are never filled silently: the missing-data policy decides whether the model fills them "
        "(marked †), the last value is carried forward, or the weights are renormalised over the indicators "
        "present.",
    ]
    if poles and measures:
        out.append(poles_markdown(poles, measures, sources, catalog))
    return "\n\n".join(out)


#: The pillar of a state's own breaks with Moscow, the years its effect is shown for, and its indicators.
RELATIONS_ID = "relations_russia"
RUPTURE = structure.indicators()[RELATIONS_ID].parent
#: The pillar the rupture indicators would otherwise join (that of the UN votes).
DIPLOMACY = structure.indicators()["unga_alignment"].parent
RUPTURE_YEARS = (2014, 2022, 2024)
RELATIONS, SANCTIONS = RELATIONS_ID, "sanctions_on_russia"


def rupture_why(model) -> str:
    """Why the rupture indicators form a pillar of their own, with the weights computed from ``model``."""
    n = len(model.pillars)
    in_diplomacy = sum(1 for p in model.pillar_of if p == DIPLOMACY) + 2
    return (
        "Why a pillar of its own: the other pillars see ties (alliances, unions, trade, pipelines, votes), so a "
        "state that had broken relations with Moscow and sanctioned it scored like a neutral state with few "
        "ties. Breaking relations and imposing sanctions are the state's own hostile choices, neither ties nor "
        f"votes. Put into diplomacy, beside its other indicators, each would carry 1/{(n - 1) * in_diplomacy} of "
        f"the default weight; as a pillar the two carry 1/{n} together, and setting the pillar's weight to 0 "
        "gives back exactly the index without them (the ranks below are computed that way). Russia's "
        "occupation of a state's territory stays Russia's conduct, shown on the timeline as events, not an "
        "indicator of the host's choices."
    )


def _ordinal(n: float) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _years(years: list[int]) -> str:
    """[2013, 2014, 2015, 2019] -> '2013–2015, 2019'."""
    out, start = [], None
    for i, y in enumerate(years):
        start = y if start is None else start
        if i + 1 == len(years) or years[i + 1] != y + 1:
            out.append(str(y) if y == start else f"{start}–{y}")
            start = None
    return ", ".join(out)


def _level(model, indicator: str, iso3: str, year: int) -> str:
    v = pillar_effect.raw_values(model, indicator).get((iso3, year))
    return "missing" if v is None else str(model.catalog[indicator].level_label(v))


def _rank_table(shift: pd.DataFrame) -> str:
    wide = shift.pivot(index="country", columns="year", values=["rank_without", "rank_with"])
    rows = ["| state | " + " | ".join(f"{y}: without → with" for y in RUPTURE_YEARS) + " |"]
    rows.append("|---|" + "---|" * len(RUPTURE_YEARS))
    order = shift[shift["year"] == RUPTURE_YEARS[-1]].sort_values("rank_with")["country"]
    for c in order:
        cells = [
            f"{int(wide.loc[c, ('rank_without', y)])} → {int(wide.loc[c, ('rank_with', y)])}" for y in RUPTURE_YEARS
        ]
        rows.append(f"| {c} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _pair_sentence(a: str, b: str, g: pd.DataFrame) -> str:
    gaps = [c for c in g.columns if c.startswith("gap_")]
    mean = g[gaps].mean().dropna().sort_values(ascending=False)
    name = {f"gap_{RUPTURE}": "this pillar"}
    why = ", ".join(
        f"{name.get(k, k.removeprefix('gap_').replace('_', ' '))} (+{v:.0f})" for k, v in mean.head(2).items() if v > 0
    )
    r = mean.get(f"gap_{RUPTURE}")
    if r is not None and r < 0:
        own = f"; this pillar puts {a} {abs(r):.0f} points farther from Moscow"
    elif r is not None and r == 0:
        own = "; this pillar scores both alike (severed relations without sanctions weigh as much as the other's level with sanctions)"
    else:
        own = ""
    return f"- {a} above {b} in {_years(sorted(g['year'].tolist()))}: {why}{own}."


def rupture_markdown(model) -> str:
    """The effect of the rupture pillar on the default ranking, computed from ``model`` (issue 25)."""
    out = ["### Breaks with Moscow: relations and sanctions", rupture_why(model)]
    shift = pillar_effect.rank_shift(model, RUPTURE, RUPTURE_YEARS)
    out += [
        "Each state's rank under the default weights (rank 1 = closest to Moscow), without this pillar and with it:",
        _rank_table(shift),
    ]
    big = shift[shift["move"].abs() >= pillar_effect.BIG_MOVE]
    if big.empty:
        top = shift.loc[shift["move"].abs().idxmax()]
        out.append(
            f"No state moves {pillar_effect.BIG_MOVE} places or more in these years; the largest move is "
            f"{abs(int(top['move']))} place(s) ({top['country']}, {int(top['year'])})."
        )
    for r in big.itertuples():
        way = "closer to Moscow" if r.move > 0 else "away from Moscow"
        out.append(
            f"- {r.country}, {r.year}: {_ordinal(r.rank_without)} → {_ordinal(r.rank_with)}, {way}; relations "
            f"{_level(model, RELATIONS, r.iso3, r.year)}, sanctions {_level(model, SANCTIONS, r.iso3, r.year)}."
        )
    severed = pillar_effect.raw_values(model, RELATIONS)
    severed = severed[severed == 0]
    every_year = pillar_effect.rank_shift(model, RUPTURE, model.years)
    for iso3, g in severed.groupby(level="iso3"):
        years = sorted(int(y) for y in g.index.get_level_values("year"))
        ranks = every_year[(every_year["iso3"] == iso3) & every_year["year"].isin(years)]
        listed = ", ".join(f"{int(r.year)}: {_ordinal(r.rank_with)}" for r in ranks.itertuples())
        out.append(
            f"**{ranks['country'].iloc[0]}** has no diplomatic relations with Russia in {_years(years)}. Its rank "
            f"among the {len(model.countries)} states under the default weights, with this pillar: {listed}."
        )
    for high in (2, 1):
        pairs = pillar_effect.ordered_against(model, RELATIONS, 0, high, model.years)
        if pairs.empty:
            continue
        label = model.catalog[RELATIONS].level_label(high).split(" (")[0]
        out.append(
            f"Each case in which a state with severed relations still ranks closer to Moscow than one with {label} "
            "relations, with the pillars where the first state is closer to Moscow by the most points on average "
            "over those years (pillar sub-scores, 0–100):"
        )
        out += [_pair_sentence(a, b, g) for (a, b), g in pairs.groupby(["country", "other_country"], sort=False)]
    return "\n\n".join(out)
