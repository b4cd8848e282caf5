"""Trends view: every state's score by year, highlighted states with their dated events."""

from __future__ import annotations

import streamlit as st

from indicators.countries import PANEL_COUNTRIES
from ui import charts
from ui.context import ViewContext
from ui.widgets import PLOT_CONFIG, chosen_events


def render(ctx: ViewContext) -> None:
    st.multiselect("Highlight", list(PANEL_COUNTRIES), format_func=PANEL_COUNTRIES.get, key="hl")
    ev = chosen_events(ctx.events, ctx.state.highlight)
    st.plotly_chart(charts.trend_figure(ctx.result.table, ctx.state.highlight, ev), config=PLOT_CONFIG)
    st.caption(
        "Each line is a country's score under the current weights. Diamonds mark the years with dated events "
        "behind the data for highlighted countries, bigger for more events (hover for descriptions and sources)."
    )
