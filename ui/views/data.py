"""Data & sources view: the year's values with status and source, coverage, the source list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.__main__ import coverage_table
from indicators.countries import PANEL_COUNTRIES
from ui import charts
from ui.context import IP_MARK, TIER_ORDER, ViewContext
from ui.widgets import PLOT_CONFIG


def render(ctx: ViewContext) -> None:
    panel, catalog, year = ctx.panel, ctx.catalog, ctx.year
    st.subheader(f"Indicator values, {year}")
    p = panel[(panel["year"] == year) & panel["iso3"].isin(list(PANEL_COUNTRIES))].copy()
    p["country"] = p["iso3"].map(PANEL_COUNTRIES)
    p["indicator name"] = p["indicator"].map({k: v.name for k, v in catalog.items()})
    p["source"] = p["source_ids"].map(lambda s: ctx.source_links(s).split(" ")[0])
    p["source tier"] = p["source_ids"].map(ctx.value_tier)
    p["mark"] = p["source_ids"].map(lambda s: IP_MARK if ctx.interested_only(s) else "")
    n_ip = int((p["mark"] != "").sum())
    st.dataframe(
        p[["country", "indicator name", "value", "mark", "status", "source tier", "note", "source"]].sort_values(
            ["indicator name", "country"]
        ),
        hide_index=True,
        column_config={"source": st.column_config.LinkColumn("source", display_text="open source")},
    )
    st.caption(
        f"source tier = the most trustworthy tier among a value's sources (official, reference, press, "
        f"interested-party). {IP_MARK} {n_ip} value(s) this year rest only on interested-party sources: state "
        "media of Russia or of another government with a stake, cited only for that government's own statement. "
        "Values resting only on wikis, mirrors or copies are not used (they are missing)."
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
    sdf["tier"] = sdf["tier"].fillna("your upload")
    counts = sdf["tier"].value_counts()
    st.caption(
        "Each source's tier comes from its web host (indicators/hand/source_tiers.csv): "
        + " · ".join(f"{t} {int(counts.get(t, 0))}" for t in TIER_ORDER[:4] if counts.get(t, 0))
    )
    first = ["source_id", "tier", "producer", "title", "url"]
    sdf = sdf[first + [c for c in sdf.columns if c not in first]]
    st.dataframe(sdf, hide_index=True, column_config={"url": st.column_config.LinkColumn("url")})
