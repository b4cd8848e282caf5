"""Compare view: 2–4 states side by side (scores, pillars, trends with events, raw values)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.countries import PANEL_COUNTRIES
from indicators.schema import PILLARS
from ui import charts
from ui.context import LEGEND, ViewContext
from ui.widgets import PLOT_CONFIG, chosen_events


def render(ctx: ViewContext) -> None:
    year, result, years = ctx.year, ctx.result, ctx.page.years
    sel = st.multiselect(
        "Countries to compare (2–4)",
        list(PANEL_COUNTRIES),
        format_func=PANEL_COUNTRIES.get,
        key="cmp",
        max_selections=4,
    )
    if len(sel) < 2:
        st.info("Pick at least two countries.")
        return
    t = ctx.year_table.set_index("iso3").loc[sel].reset_index()
    cols = st.columns(len(sel))
    for c, (_, r) in zip(cols, t.iterrows(), strict=True):
        trend = result.table[result.table["iso3"] == r["iso3"]].sort_values("year")["score"]
        c.metric(
            r["country"],
            "no score" if pd.isna(r["score"]) else f"{r['score']:.1f}",
            None if pd.isna(r["rank"]) else f"rank #{int(r['rank'])} of {len(PANEL_COUNTRIES)}",
            delta_color="off",
            delta_arrow="off",
            chart_data=trend.dropna().round(1).tolist(),
            help=f"Score in {year}; the sparkline shows {years[0]}–{years[-1]}.",
        )
        c.caption(f"coverage {r['coverage'] * 100:.0f}%")
    st.plotly_chart(charts.pillar_compare_figure(t, PILLARS, year), config=PLOT_CONFIG)
    ev = chosen_events(ctx.events, sel)
    st.plotly_chart(
        charts.trend_figure(
            result.table[result.table["iso3"].isin(sel)],
            sel,
            ev,
            title="Score by year, with the dated events behind the data (◇, hover for source)",
        ),
        config=PLOT_CONFIG,
    )
    ev = ev.assign(country=lambda d: d["iso3"].map(PANEL_COUNTRIES))
    with st.expander(f"Dated events behind the data ({len(ev)})"):
        st.dataframe(
            ev[["country", "date", "kind", "description", "url"]].sort_values(["date", "country"]),
            hide_index=True,
            column_config={"url": st.column_config.LinkColumn("source", display_text="open")},
        )
    st.subheader(f"Raw values in {year}")
    tv = ctx.raw_value_table(sel, year)
    st.dataframe(
        tv,
        hide_index=True,
        column_config={
            c: st.column_config.LinkColumn(c, display_text="source") for c in tv.columns if c.startswith("source:")
        },
    )
    st.caption(LEGEND)
