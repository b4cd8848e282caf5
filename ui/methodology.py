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


def poles_markdown(poles: dict, measures: dict, sources: dict) -> str:
    """The poles lens (``scoring.pulls``), written from ``data/poles.json`` and the model's docstring."""
    import scoring.pulls

    out = [
        "### A second lens: between the poles",
        "The view *Between the poles* does **not** change the Moscow-alignment score. It asks a different "
        "question: when a state's ties to Moscow loosen, do they move toward the West, toward Beijing, or toward "
        "nobody? For each state and year it measures the pull of each pole on the same kinds of data (each value "
        "0–100, cited and flagged like the panel's, in `data/pulls.csv`) and places the state in a triangle.",
        "#### Poles",
    ]
    for p in poles.values():
        corner = "corner of the triangle" if p.corner else "reported, not a corner"
        out.append(f"- **{p.name}** (`{p.id}`, {corner}): {p.definition} *Ties:* {p.ties}")
    out.append("#### Measures")
    for m in measures.values():
        srcs = ", ".join(f"[{sources[s].producer}]({sources[s].url})" for s in m.source_ids if s in sources)
        out += [
            f"- **{m.name}** (`{m.id}`, {m.unit}, default weight {m.weight:g}): {m.definition} "
            f"*Coding rule:* {m.coding_rule}" + (f" *Years:* {m.years_note}" if m.years_note else ""),
        ]
        if srcs:
            out[-1] += f" *Sources:* {srcs}"
    out += ["#### Position", "```text", inspect.cleandoc(scoring.pulls.__doc__ or "").split("Usage::")[0], "```"]
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
    if poles and measures:
        out.append(poles_markdown(poles, measures, sources))
    return "\n\n".join(out)
