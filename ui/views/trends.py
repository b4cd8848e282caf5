"""Trends view: every state's score by year, highlighted states with their dated events."""

from __future__ import annotations

import streamlit as st

from indicators.countries import PANEL_COUNTRIES
from ui import charts
from ui.context import ViewContext
from ui.widgets import PLOT_CONFIG, chosen_events, events_table


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
    ev = chosen_events(ctx.events, ctx.state.highlight)
    st.plotly_chart(charts.trend_figure(ctx.result.table, ctx.state.highlight, ev), config=PLOT_CONFIG)
    st.caption(
        trend_finding(ctx.result.table)
        + " Each line is a country's score under the current weights. Diamonds mark the years with dated events "
        "behind the data for highlighted countries, bigger for more events (hover a point for descriptions and "
        "sources; every event is in the table below)."
    )
    events_table(ev)
