"""What changed view: why a country's score moved between two years, part by part.

A waterfall from the earlier score to the later one with one bar per part of the change
(:mod:`scoring.diff`: each indicator whose value changed, and ``composition`` for indicators
that entered or left), then every state's change between the same years with its biggest
driver. Also the helpers the Trends and Compare views use: the cached trend series (actual
or chain-linked, with the provisional points and what entered or left) and the buttons that
open this view for a country.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

import scoring
from indicators.countries import PANEL_COUNTRIES
from scoring.composition import chain_linked, composition_table
from scoring.diff import COMPOSITION, IMPUTED, biggest_drivers, change_csv, explain_change, listed_parts
from scoring.model import DEFAULT_YEAR_COVERAGE
from scoring.spec import FILLING_POLICIES as FILLING
from ui import charts
from ui.context import ViewContext
from ui.state import change_years
from ui.widgets import plot, shared


# ---------------------------------------------------------------- cached model calls
@st.cache_resource(show_spinner=False, max_entries=32)
def explained(model_key: str, _model, spec_json: str, y0: int, y1: int) -> pd.DataFrame:
    """Every country's parts of the change from ``y0`` to ``y1`` (scoring.diff.explain_change), one frame per
    process shared by every session (read only: the views and ``scoring.diff`` derive new frames from it)."""
    return explain_change(_model, scoring.ScoringSpec.from_json(spec_json), y0, y1)


@st.cache_data(show_spinner=False, max_entries=32)
def trend_data(model_key: str, _model, spec_json: str, anchor: int, chain: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scores, notes) for charts.trend_figure: iso3, country, year, score (chain-linked to ``anchor`` when
    ``chain``), and per (iso3, year) whether the indicator set changed and a hover note naming the change."""
    spec = scoring.ScoringSpec.from_json(spec_json)
    names = {k: v.name for k, v in _model.catalog.items()}
    res = _model.score(spec)
    comp = composition_table(res)
    # under the filling policies nothing enters or leaves: a point is provisional when its score rests on
    # less than the default-year share of sourced weight, and the hover names the imputed values (†)
    filled = res.missing_indicators().ravel()
    thin = res.coverage.ravel() < DEFAULT_YEAR_COVERAGE - 1e-12
    comp = comp.assign(imputed=filled if spec.missing in FILLING else "", thin=thin & (spec.missing in FILLING))
    comp["provisional"] = comp["provisional"] | comp["thin"]
    if chain:
        c = chain_linked(_model, spec, anchor)
        scores = c.assign(actual=c["score"], score=c["chained"])
    else:
        scores = _model.score(spec).table[["iso3", "country", "year", "score"]].assign(actual=np.nan)
    merged = comp.merge(scores[["iso3", "year", "actual"]], on=["iso3", "year"], how="left")
    notes = []
    for r in merged.itertuples(index=False):
        bits = []
        if chain and not math.isnan(r.actual):
            bits.append(f"(composition held fixed; actual score {r.actual:.1f})")
        if r.imputed:
            bits.append("imputed †: " + ", ".join(names.get(i, i) for i in r.imputed.split(";")))
        if r.thin:
            bits.append("<b>provisional</b>: less than 75% of the weight rests on sourced values")
        elif r.provisional:
            bits.append("<b>provisional</b>: the indicators behind the score changed")
            if r.left:
                bits.append("left: " + ", ".join(names.get(i, i) for i in r.left.split(";")))
            if r.entered:
                bits.append("entered: " + ", ".join(names.get(i, i) for i in r.entered.split(";")))
        notes.append("".join(f"<br>{b}" for b in bits))
    return scores, merged.assign(note=notes)[["iso3", "year", "provisional", "note"]]


def trend_series(ctx: ViewContext) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """(scores, notes, title) of the trend chart under the page's 'hold the composition fixed' setting."""
    scores, notes = trend_data(ctx.model_key, ctx.model, ctx.spec.to_json(), ctx.year, ctx.state.chain)
    if ctx.state.chain:
        title = f"A different series: composition held fixed (chain-linked; equal to the score only in {ctx.year})"
    else:
        title = "Moscow-alignment score by year (0–100), actual scores"
    return scores, notes, title


# ---------------------------------------------------------------- links from other views
def _open(iso: str) -> None:
    ss = st.session_state
    ss["chg_c"], ss["chg_from"], ss["chg_to"] = iso, None, None  # years: the year before -> the selected year
    ss["view"] = "change"


def link_button(iso: str, key: str, where=st, label: str | None = None) -> None:
    """A button that opens 'What changed' for ``iso`` from the year before the selected year to that year."""
    where.button(
        label or f"What changed for {PANEL_COUNTRIES[iso]}?",
        key=key,
        on_click=_open,
        args=(iso,),
        help="Split the move between two years into its parts: each indicator that changed, and data that "
        "entered or left.",
    )


# ---------------------------------------------------------------- the view
def _fmt(v: float, unit: str = "") -> str:
    return "missing" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:g}{unit}"


def _part_rows(one: pd.DataFrame, model, y0: int, y1: int) -> pd.DataFrame:
    """label, change, hover for each listed part of one country (largest first), raw values in the hover."""
    catalog, c = model.catalog, model.countries.index(one["iso3"].iloc[0])
    rows = []
    for r in listed_parts(one).itertuples(index=False):
        if r.part == COMPOSITION:
            bits = []
            for what, ids, y in (("left", r.left, y0), ("entered", r.entered, y1)):
                for i in filter(None, ids.split(";")):
                    raw = model.raw[model.year_index(y), c, model.indicators.index(i)]
                    bits.append(f"{what}: {catalog[i].name} (value only in {y}: {_fmt(raw)} {catalog[i].unit})")
            hover = "<br>".join(bits) or "same indicators in both years"
            hover += "<br>includes the reweighting of the other indicators"
            label = "data entered/left"
        else:
            ind = catalog[r.part]
            label = ind.name + (" (imputed †)" if r.kind == IMPUTED else "")
            hover = (
                (
                    "imputed by the missing-data model in a year shown as 'missing' below<br>"
                    if r.kind == IMPUTED
                    else ""
                )
                + f"raw value: {_fmt(r.raw_from)} → {_fmt(r.raw_to)} {ind.unit}<br>"
                f"normalised 0–100: {r.norm_from:.1f} → {r.norm_to:.1f}<br>"
                f"share of the score (indicators both years have): {r.share * 100:.1f}%"
            )
        rows.append({"label": label, "change": r.change, "hover": hover})
    return pd.DataFrame(rows, columns=["label", "change", "hover"])


def every_state(df: pd.DataFrame, ctx: ViewContext, y0: int, y1: int) -> pd.DataFrame:
    """The table of every state's change from ``y0`` to ``y1``: scores, change, the imputed (or entered/left)
    part, the biggest driver and its part; largest change first."""
    drivers = biggest_drivers(df)
    if ctx.spec.missing in FILLING:  # nothing enters or leaves: show what imputed values moved instead
        side = df[df["kind"] == IMPUTED].groupby("iso3")["change"].sum().reindex(df["iso3"].unique(), fill_value=0.0)
        side_label = "of which imputed values †"
    else:
        side, side_label = df[df["kind"] == COMPOSITION].set_index("iso3")["change"], "of which data entered/left"
    imputed = df[df["kind"] == IMPUTED].groupby("iso3")["part"].agg(set)
    label = {k: v.name for k, v in ctx.catalog.items()} | {COMPOSITION: "data entered/left", "": ""}
    table = pd.DataFrame(
        {
            "country": drivers["country"],
            f"score {y0}": drivers["score_from"].round(2),
            f"score {y1}": drivers["score_to"].round(2),
            "change": drivers["change"].round(2),
            side_label: drivers["iso3"].map(side).round(2),
            "biggest driver": [
                label[d] + (" (imputed †)" if d in imputed.get(i, ()) else "")
                for i, d in zip(drivers["iso3"], drivers["driver"], strict=True)
            ],
            "driver's part": drivers["driver_change"].round(2),
            "note": drivers["reason"],
        }
    )
    order = drivers["change"].abs().fillna(-1).sort_values(ascending=False).index
    return table.loc[order]


def render(ctx: ViewContext) -> None:
    ss, years = st.session_state, ctx.page.years
    d0, d1 = change_years(ctx.state, years)
    if ss.get("chg_from") is None or ss.get("chg_to") is None:
        ss["chg_from"], ss["chg_to"] = d0, d1
    c1, c2, c3 = st.columns([2, 1, 1])
    iso = c1.selectbox("Country", list(PANEL_COUNTRIES), format_func=PANEL_COUNTRIES.get, key="chg_c")
    y0 = c2.selectbox("From", years, key="chg_from", format_func=ctx.page.year_label)
    y1 = c3.selectbox("To", years, key="chg_to", format_func=ctx.page.year_label)
    if y0 == y1:
        st.info("Pick two different years.")
        return
    df = explained(ctx.model_key, ctx.model, ctx.spec.to_json(), y0, y1)
    one = df[df["iso3"] == iso]
    total = one[one["kind"] == "total"].iloc[0]
    name = PANEL_COUNTRIES[iso]
    if total["reason"]:
        st.warning(f"{name}: {total['reason']}, so this change cannot be explained under the current settings.")
    else:
        s0, s1 = float(total["score_from"]), float(total["score_to"])
        comp = float(one[one["kind"] == COMPOSITION]["change"].iloc[0])
        imp = float(one[one["kind"] == IMPUTED]["change"].sum())
        m1, m2, m3 = st.columns(3)
        m1.metric(f"Score {y0} → {y1}", f"{s1:.1f}", f"{s1 - s0:+.2f}", delta_color="off", help=f"{y0}: {s0:.2f}")
        m2.metric("of which sourced values changed", f"{s1 - s0 - comp - imp:+.2f}", help="Sum of the indicator parts.")
        if ctx.spec.missing in FILLING:
            m3.metric(
                "of which imputed values †",
                f"{imp:+.2f}",
                help="The parts of the indicators whose value the missing-data policy filled in either year.",
            )
        else:
            m3.metric(
                "of which data entered/left",
                f"{comp:+.2f}",
                help="The composition part: indicators with a value in only one of the two years, and the "
                "reweighting of the others that this causes.",
            )
        fig = shared(
            ("change_waterfall", ctx.model_key, ctx.spec.to_json(), y0, y1, iso),
            lambda: charts.change_waterfall(_part_rows(one, ctx.model, y0, y1), s0, s1, y0, y1, name),
        )
        plot(fig, ctx, "change", key="change_waterfall")
        if comp and abs(comp) >= abs(s1 - s0 - comp):
            st.warning(
                f"Most of this move ({comp:+.2f} of {s1 - s0:+.2f} points) comes from data entering or leaving, "
                "not from any value changing."
            )
    st.caption(
        "Each indicator part is that indicator's contribution in the later year minus in the earlier year, both "
        "computed on the indicators the two years share; a part marked 'imputed †' comes from a value the "
        "missing-data model filled in either year. Under the policies that drop missing values, 'data "
        "entered/left' is the rest (indicators with a value in only one year, and the reweighting this causes). "
        "The parts add up exactly to the change (geometric mean: split in log space, rescaled by the logarithmic "
        "mean). Hover a bar for the raw values."
    )
    st.subheader(f"Every state, {y0} → {y1}")
    table = shared(("change_table", ctx.model_key, ctx.spec.to_json(), y0, y1), lambda: every_state(df, ctx, y0, y1))
    st.dataframe(table, hide_index=True, key="change_table")
    st.download_button(
        "Download the parts (CSV)",
        data=lambda: change_csv(df),
        file_name=f"moscow_alignment_change_{y0}_{y1}.csv",
        mime="text/csv",
        on_click="ignore",
        help=f"Same as `python -m scoring.diff --from {y0} --to {y1}` with the spec download.",
    )
