"""Data & sources view: every value with its status and source, filterable; coverage; the source list."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from indicators.__main__ import coverage_table
from indicators.countries import PANEL_COUNTRIES
from indicators.schema import STATUSES
from indicators.tiers import TIERS
from scoring.impute import HOW
from scoring.spec import FILLING_POLICIES
from ui import charts
from ui.context import IP_MARK, ViewContext, format_value
from ui.widgets import plot, shared

#: Marker a builder writes into a value's note when sources disagree by more than its tolerance.
DISAGREE = "disagree:"


def source_label(src) -> str:
    """How a reader names a source: outlet (producer), title and the year of the figure."""
    title = src.title.strip("[]")
    return (
        f"{src.producer}: {title} ({src.figure_year})" if src.producer not in title else f"{title} ({src.figure_year})"
    )


def values_table(ctx: ViewContext) -> pd.DataFrame:
    """One row per panel value with readable columns, the first source's name and link, the best tier
    among its sources, and ‡ where every source is interested-party."""
    p = ctx.panel[ctx.panel["iso3"].isin(list(PANEL_COUNTRIES))].copy()
    first = p["source_ids"].str.split(";").str[0]
    src = {k: ctx.sources[k] for k in set(first) if k in ctx.sources}

    return pd.DataFrame(
        {
            "Country": p["iso3"].map(PANEL_COUNTRIES),
            "Indicator": p["indicator"].map({k: v.name for k, v in ctx.catalog.items()}),
            "Year": p["year"],
            "Value": [format_value(ctx.catalog[i], v) for v, i in zip(p["value"], p["indicator"], strict=True)],
            "Status": p["status"].str.replace("_", " "),
            "Sources disagree": p["note"].str.contains(DISAGREE, regex=False).map({True: "yes", False: ""}),
            "Source": first.map(lambda k: source_label(src[k]) if k in src else ""),
            "Tier": p["source_ids"].map(ctx.value_tier),
            IP_MARK: p["source_ids"].map(lambda ids: IP_MARK if ctx.interested_only(ids) else ""),
            "Link": first.map(lambda k: str(src[k].url) if k in src else None),
            "Archived copy": first.map(lambda k: str(src[k].archive_url) if k in src and src[k].archive_url else None),
            "Note": p["note"],
        }
    ).sort_values(["Indicator", "Country", "Year"])


def imputed_table(ctx: ViewContext) -> pd.DataFrame:
    """One row per value the page's missing-data policy filled (marked † wherever scores are shown): country,
    indicator, year, the filled value on the 0-100 scale (100 = closest to Moscow), its standard deviation and
    how it was filled. Empty under the policies that leave missing values out."""
    m, spec = ctx.model, ctx.spec
    weighted = m.weights(spec) > 0
    gap = np.isnan(m.normalised(spec.normalisation).values) & weighted
    filled = m.values(spec)
    if spec.missing == "impute":
        imp = m.imputation(spec.normalisation)
        sd, how = imp.sd, np.vectorize(HOW.get)(imp.how)
    else:
        sd, how = np.full(filled.shape, np.nan), np.full(filled.shape, "the state's latest earlier value held")
    yi, ci, ii = np.nonzero(gap & ~np.isnan(filled))
    return pd.DataFrame(
        {
            "Country": [m.country_names[c] for c in ci],
            "Indicator": [ctx.catalog[m.indicators[i]].name for i in ii],
            "Year": [m.years[y] for y in yi],
            "Imputed value (0–100) †": filled[yi, ci, ii].round(1),
            "± (standard deviation)": sd[yi, ci, ii].round(1),
            "How": how[yi, ci, ii],
        }
    ).sort_values(["Indicator", "Country", "Year"])


def sources_table(sources: dict) -> pd.DataFrame:
    """Every source with readable column names, tier first ("your upload" for an uploaded one's)."""
    sdf = pd.DataFrame([s.model_dump(mode="json") for s in sources.values()])
    sdf["tier"] = sdf["tier"].fillna("your upload")
    first_cols = ["tier", "producer", "title", "url", "archive_url"]
    sdf = sdf[first_cols + [c for c in sdf.columns if c not in first_cols]]
    return sdf.rename(columns=lambda c: c.replace("_", " ").capitalize()).drop(columns=["Source id"], errors="ignore")


def render(ctx: ViewContext) -> None:
    panel, catalog, year = ctx.panel, ctx.catalog, ctx.year
    st.subheader("Find a value")
    t = shared(("values_table", ctx.model_key), lambda: values_table(ctx))  # filtered below into new frames
    c1, c2, c3 = st.columns(3)
    countries = c1.multiselect("Country", list(PANEL_COUNTRIES.values()), placeholder="All countries", key="dv_country")
    inds = c2.multiselect(
        "Indicator", [i.name for i in catalog.values()], placeholder="All indicators", key="dv_indicator"
    )
    years = c3.multiselect("Year", list(ctx.page.years), default=[year], placeholder="All years", key="dv_year")
    c4, c5, c6 = st.columns(3)
    statuses = c4.multiselect(
        "Status", [s.replace("_", " ") for s in STATUSES], placeholder="All statuses", key="dv_status"
    )
    tiers = sorted(x for x in t["Tier"].unique() if x)
    picked_tiers = c5.multiselect("Source tier", tiers, placeholder="All tiers", key="dv_tier") if tiers else []
    only_disagree = c6.toggle(
        "Only values where sources disagree", key="dv_disagree", help="The note names every source and its figure."
    )
    for col, chosen in (
        ("Country", countries),
        ("Indicator", inds),
        ("Year", years),
        ("Status", statuses),
        ("Tier", picked_tiers),
    ):
        if chosen:
            t = t[t[col].isin(chosen)]
    if only_disagree:
        t = t[t["Sources disagree"] == "yes"]
    n_ip = int((t[IP_MARK] != "").sum())
    st.caption(
        f"{len(t):,} values shown. Missing values have no row here: the missing-data policy handles them (the "
        "values it imputed are listed below, marked †). "
        "Tier = the most trustworthy tier among a value's sources (official, reference, press, interested-party). "
        f"{IP_MARK} {n_ip} shown value(s) rest only on interested-party sources: state media of Russia or of "
        "another government with a stake, cited only for that government's own statement. Values resting only on "
        "wikis, mirrors or copies are not used (they are missing)."
    )
    st.dataframe(
        t if tiers else t.drop(columns="Tier"),
        hide_index=True,
        height="content",
        column_config={
            "Link": st.column_config.LinkColumn("Link", display_text="open source"),
            "Archived copy": st.column_config.LinkColumn("Archived copy", display_text="archived copy"),
            "Year": st.column_config.NumberColumn("Year", format="%d"),
        },
    )
    st.subheader("Values imputed by the missing-data model †")
    imp = shared(("imputed_table", ctx.model_key, ctx.spec.to_json()), lambda: imputed_table(ctx))
    for col, chosen in (("Country", countries), ("Indicator", inds), ("Year", years)):
        if chosen:
            imp = imp[imp[col].isin(chosen)]
    if ctx.spec.missing in FILLING_POLICIES:
        st.caption(
            f"{len(imp):,} missing values filled for the scores (same filters as above), on the 0–100 scale where "
            "100 = closest to Moscow. They are not data: the status 'imputed' above is different (interpolated "
            "between sourced years when the data were built). See Methodology, 'Missing data'."
        )
        st.dataframe(imp, hide_index=True, height="content", key="dv_imputed")
    else:
        st.caption("The missing-data policy chosen in the sidebar leaves missing values out: nothing is imputed.")
    st.subheader(f"Coverage: share of the {len(PANEL_COUNTRIES)} states with an observed value")

    def coverage_figure():
        cov = coverage_table(panel, catalog) * 100
        cov.index = [catalog[i].name for i in cov.index]
        return charts.heatmap_figure(cov, "Observed coverage by indicator and year (%)", "% of states", 0, 100)

    plot(shared(("coverage", ctx.model_key), coverage_figure), ctx, "coverage")
    st.subheader("Sources")
    sdf = shared(("sources_table", ctx.model_key), lambda: sources_table(ctx.sources))
    counts = sdf["Tier"].value_counts()
    st.caption(
        "Each source's tier comes from its web host (indicators/hand/source_tiers.csv; README 'Source tiers'): "
        + " · ".join(f"{x} {int(counts.get(x, 0))}" for x in TIERS[:4] if counts.get(x, 0))
    )
    st.caption(
        "Link: the producer's page for the dataset or figure. Archived copy: where the file the build read is kept "
        "(often a public repository that republished the producer's file), for checking the exact numbers."
    )
    st.dataframe(
        sdf,
        hide_index=True,
        height="content",
        column_config={
            "Url": st.column_config.LinkColumn("Link"),
            "Archive url": st.column_config.LinkColumn("Archived copy"),
        },
    )
