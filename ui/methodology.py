"""The methodology page, generated from the indicator catalogue and the method registries.

Nothing here is written by hand per indicator or per method: adding an indicator or a
method to its registry adds it to this page (a test checks that every one appears).
"""

from __future__ import annotations

import inspect

import scoring
from indicators.schema import PILLARS


def _doc(fn) -> str:
    return inspect.cleandoc(fn.__doc__ or "(no description)")


def methodology_markdown(catalog: dict, sources: dict) -> str:
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
            f"#### {ind.name} (`{ind.id}`)",
            f"*Pillar:* {ind.pillar.replace('_', ' ')} · *unit:* {ind.unit} · *scale:* {ind.scale} · "
            f"*direction:* {arrow} · *bounds:* {ind.bounds[0]:g}–{ind.bounds[1]:g}"
            + (f" · *goalposts:* {ind.goalposts[0]:g}–{ind.goalposts[1]:g}" if ind.goalposts else ""),
            "",
            ind.definition + levels,
            "",
            f"*Coding rule:* {ind.coding_rule}",
        ]
        if ind.years_note:
            out += ["", f"*Years and methods:* {ind.years_note}"]
        if srcs:
            out += ["", f"*Main sources:* {srcs}"]
    out.append("### Normalisation methods")
    for name, fn in scoring.NORMALISERS.items():
        out += [f"#### `{name}`", "```text", _doc(fn), "```"]
    out.append("### Aggregation methods")
    for name, fn in scoring.AGGREGATORS.items():
        out += [f"#### `{name}`", "```text", _doc(fn), "```"]
    out.append("### Missing-data policies")
    out += [f"- **`{k}`**: {v}" for k, v in scoring.MISSING_POLICIES.items()]
    out.append("### Weight presets")
    out += [f"- **`{k}`**: {p.rationale}" for k, p in scoring.PRESETS.items()]
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
    return "\n\n".join(out)
