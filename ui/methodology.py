"""The methodology page, written for readers from the indicator catalogue and the method registries.

Indicators come from the catalogue; each method in a registry has a plain-language text here
(:data:`METHOD_TEXT`), with its formula in readable math. A method added to a registry without a
text fails the methodology test, so the page never falls back to code docstrings.
"""

from __future__ import annotations

import re

import scoring
from indicators.schema import PILLARS
from ui.state import preset_label

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
    "renormalise": "Every state and year with any data gets a score: missing indicators are left out and the "
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
    "correlated at r = 0.91–0.95 in every year 2013–2024 (0.95 in 2022), so NATO ties counted in two pillars: "
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
    "  - Energy dependence on Russia with CSTO membership (r = 0.96 in 2023, 0.92 in 2024), with Russian base "
    "hosted by agreement (0.96 in 2023 and 2024) and with Trade share with Russia (0.92 in 2023): "
    "after 2022 only 10–11 states have an energy value, and they split into two groups, those that stopped "
    "buying Russian gas (the Baltic states, Ukraine, Moldova) and Russia's allies that host its bases and take "
    "its gas. That the region's split runs through every domain is what the index measures, not one fact "
    "counted twice: a state can leave Russian gas while staying in the CSTO, and dropping either would hide it.",
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
    for k, ind in catalog.items():
        text = re.sub(rf"\b{re.escape(k)}\b", ind.name, text)
    return text.replace("`", "")


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
        srcs = ", ".join(f"[{sources[s].producer}]({sources[s].url})" for s in ind.source_ids if s in sources)
        out += [
            f"#### {ind.name}",
            f"*Pillar:* {ind.pillar.replace('_', ' ')} · *unit:* {ind.unit} · *scale:* {ind.scale} · "
            f"*direction:* {arrow} · *bounds:* {ind.bounds[0]:g}–{ind.bounds[1]:g}"
            + (f" · *goalposts:* {ind.goalposts[0]:g}–{ind.goalposts[1]:g}" if ind.goalposts else ""),
            "",
            readable(ind.definition, catalog) + levels,
            "",
            f"*Coding rule:* {readable(ind.coding_rule, catalog)}",
        ]
        if ind.years_note:
            out += ["", f"*Years and methods:* {readable(ind.years_note, catalog)}"]
        if srcs:
            out += ["", f"*Main sources:* {srcs}"]
    for heading, names in (
        ("Normalisation methods", scoring.NORMALISERS),
        ("Aggregation methods", scoring.AGGREGATORS),
        ("Missing-data policies", scoring.MISSING_POLICIES),
    ):
        out.append(f"### {heading}")
        out += [f"- **{method_label(n)}**: {METHOD_TEXT[n]}" for n in names]
    out += [
        "### Change over time",
        "Why did a state move? For two years, the page splits the change in its score into parts that add up "
        "exactly to it. Let $S$ be the indicators both years have and $a_i(S)$ indicator $i$'s share of a score "
        "built on $S$. Each shared indicator gets the part $a_i(S)\\,(v_i^{later} - v_i^{earlier})$: its "
        "contribution at the later year minus at the earlier one. One **composition** part holds the rest: the "
        "effect of indicators that have a value in only one of the two years, including how their presence "
        "reweights the others. With the geometric mean the same split is made on $\\ln(v + 1)$ and rescaled, "
        "so the parts still add up exactly. Normalisation uses every year of the panel, so it adds no part of "
        "its own.",
        "A year whose set of indicators differs from the year before is **provisional** for that state: the "
        "trend chart draws it hollow, with a dashed segment, and names what entered or left. By default the "
        "trends **hold the composition fixed** (chain-linking): each year-to-year step counts only the "
        "indicators both years have, and the line is anchored on the actual score of the selected year, so no "
        "line jumps because data appeared or disappeared. A year is marked provisional in the year picker when "
        "more than half of the states have less than full coverage.",
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
        "- **imputed**: interpolated between two observed years.",
        "- **carried forward**: the last observed value kept for a limited number of years.",
        "Missing values are never filled silently: the missing-data policy decides whether weights are "
        "renormalised over the indicators present or the score is withheld below the coverage threshold.",
    ]
    if poles and measures:
        out.append(poles_markdown(poles, measures, sources, catalog))
    return "\n\n".join(out)
