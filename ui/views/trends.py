"""Trends view: every state's score by year, highlighted states with their dated events.

Honest change over time: the lines are the scores (one number everywhere); a different series that holds
the composition fixed (chain-linked, see scoring.composition) is an option, off by default. A point whose
score rests on less than 75% sourced weight (or, under the available-case policies, whose indicator set
differs from the year before) is drawn provisional (hollow marker, dashed segment; the hover says why).
"""

from __future__ import annotations

import streamlit as st

from indicators.countries import PANEL_COUNTRIES
from ui import charts
from ui.context import ViewContext
from ui.views.change import link_button, trend_series
from ui.widgets import chosen_events, events_table, plot, shared


def trend_finding(scores) -> str:
    """One sentence on the largest moves between the first and last year with scores (the chart's text
    alternative)."""
    s = scores.dropna(subset=["score"])
    if s.empty:
        return ""
    first, last = s["year"].min(), s["year"].max()
    a = s[s["year"] == first].set_index("country")["score"]
    b = s[s["year"] == last].set_index("country")["score"]
    d = (b - a).dropna().sort_values()
    if d.empty:
        return ""
    return (
        f"From {first} to {last}, {d.index[-1]} moved most toward Moscow ({d.iloc[-1]:+.1f} points) and "
        f"{d.index[0]} most away ({d.iloc[0]:+.1f})."
    )


def render(ctx: ViewContext) -> None:
    st.multiselect("Highlight", list(PANEL_COUNTRIES), format_func=PANEL_COUNTRIES.get, key="hl")
    st.toggle(
        "Show a different series: composition held fixed (chain-linked)",
        key="chain",
        help="Off (default): the scores, the same numbers as the ranking, map, CSV and command line. On: a "
        "different series in which each year-to-year move counts only the indicators both years have, equal to "
        f"the score only in {ctx.year} (the selected year). Under the default missing-data policy every "
        "indicator has a value in every year, so the two coincide.",
    )
    ev = chosen_events(ctx.events, ctx.state.highlight)
    scores, notes, title = trend_series(ctx)
    chain = ctx.state.chain
    key = ("trends", ctx.model_key, ctx.spec.to_json(), ctx.year if chain else None, chain, tuple(ctx.state.highlight))
    plot(
        shared((*key, tuple(ev.index)), lambda: charts.trend_figure(scores, ctx.state.highlight, ev, title, notes)),
        ctx,
        "trends",
    )
    st.caption(
        trend_finding(scores)
        + " Each line is a country's score under the current weights. Hollow markers and dashed segments: "
        "provisional: the score rests on less than 75% of its weight on sourced values (the rest imputed, †; "
        "under the available-case policies: the indicators differ from the year before); hover for which. "
        "Diamonds mark the years with dated events behind the data for highlighted countries, bigger for more "
        "events (hover a point for descriptions and sources; every event is in the table below)."
    )
    events_table(ev)
    c1, c2 = st.columns([2, 3], vertical_alignment="bottom")
    pick = c1.selectbox(
        "Explain a move",
        list(PANEL_COUNTRIES),
        index=list(PANEL_COUNTRIES).index(ctx.state.highlight[0]) if ctx.state.highlight else 0,
        format_func=PANEL_COUNTRIES.get,
        key="trend_explain",
    )
    link_button(pick, "trend_to_change", c2)
