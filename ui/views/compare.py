"""Compare view: 2–4 states side by side (scores, pillars, trends with events, raw values)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.countries import PANEL_COUNTRIES
from indicators.schema import PILLARS
from ui import charts
from ui.context import LEGEND, ViewContext
from ui.views.change import link_button, trend_series
from ui.widgets import chosen_events, events_table, plot, shared


def render(ctx: ViewContext) -> None:
    year, years = ctx.year, ctx.page.years
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
        c.metric(
            r["country"],
            "no score" if pd.isna(r["score"]) else f"{r['score']:.1f}",
            None if pd.isna(r["rank"]) else f"rank #{int(r['rank'])} of {len(PANEL_COUNTRIES)}",
            delta_color="off",
            delta_arrow="off",
            help=f"Score in {year}; the chart below shows {years[0]}–{years[-1]} on one shared axis.",
        )
        c.caption(
            f"coverage {r['coverage'] * 100:.0f}% · observed {r.get('coverage_observed', r['coverage']) * 100:.0f}%",
            help="Share of the weight with a value, and with an observed value (not estimated, imputed or carried).",
        )
        link_button(r["iso3"], f"cmp_to_change_{r['iso3']}", c, "What changed?")
    key = (ctx.model_key, ctx.year_spec.to_json(), tuple(sel))
    plot(
        shared(("compare_pillars", *key), lambda: charts.pillar_compare_figure(t, PILLARS, year)),
        ctx,
        "compare_pillars",
    )
    ev = chosen_events(ctx.events, sel)
    scores, notes, title = trend_series(ctx)
    title = f"{title}, with the dated events behind the data (◇, hover for source; ○ provisional)"
    chain = ctx.state.chain
    trend_key = (
        "compare",
        ctx.model_key,
        ctx.spec.to_json(),
        ctx.year if chain else None,
        chain,
        tuple(sel),
        tuple(ev.index),
    )
    fig = shared(
        trend_key, lambda: charts.trend_figure(scores[scores["iso3"].isin(sel)], sel, ev, title=title, notes=notes)
    )
    plot(fig, ctx, "compare_trends")
    events_table(ev)
    st.subheader(f"Raw values in {year}")
    tv = shared(("raw_values", *key), lambda: ctx.raw_value_table(sel, year))
    st.dataframe(
        tv,
        hide_index=True,
        height="content",
        column_config={
            c: st.column_config.LinkColumn(c, display_text="source") for c in tv.columns if c.startswith("source:")
        },
    )
    st.caption(LEGEND)
