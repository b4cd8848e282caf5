"""Data & sources view: the year's values with status and source, coverage, the source list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.__main__ import coverage_table
from indicators.countries import PANEL_COUNTRIES
from ui import charts
from ui.context import ViewContext
from ui.widgets import PLOT_CONFIG


def render(ctx: ViewContext) -> None:
    panel, catalog, year = ctx.panel, ctx.catalog, ctx.year
    st.subheader(f"Indicator values, {year}")
    p = panel[(panel["year"] == year) & panel["iso3"].isin(list(PANEL_COUNTRIES))].copy()
    p["country"] = p["iso3"].map(PANEL_COUNTRIES)
    p["indicator name"] = p["indicator"].map({k: v.name for k, v in catalog.items()})
    p["source"] = p["source_ids"].map(lambda s: ctx.source_links(s).split(" ")[0])
    st.dataframe(
        p[["country", "indicator name", "value", "status", "note", "source"]].sort_values(
            ["indicator name", "country"]
        ),
        hide_index=True,
        column_config={"source": st.column_config.LinkColumn("source", display_text="open source")},
    )
    st.subheader("Coverage: share of the 14 states with an observed value")
    cov = coverage_table(panel, catalog) * 100
    cov.index = [catalog[i].name for i in cov.index]
    st.plotly_chart(
        charts.heatmap_figure(cov, "Observed coverage by indicator and year (%)", "% of states", 0, 100),
        config=PLOT_CONFIG,
    )
    st.subheader("Sources")
    sdf = pd.DataFrame([s.model_dump(mode="json") for s in ctx.sources.values()])
    st.dataframe(sdf, hide_index=True, column_config={"url": st.column_config.LinkColumn("url")})
