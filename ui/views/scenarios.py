"""What-if view: edit values for any state and year and compare with the baseline."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

import scoring
from indicators.countries import PANEL_COUNTRIES
from ui import charts, uploads
from ui.context import ViewContext
from ui.safe import md
from ui.widgets import new_upload, plot


def edit_tuples(edits) -> list[tuple[str, int, str, float]]:
    """Scenario edits as the (iso3, year, indicator, value) tuples kept in the session and the URL."""
    return [(e.iso3, int(e.year), e.indicator, float(e.value)) for e in edits]


def choose_scenario(examples: dict) -> None:
    """on_change of the example picker: load the chosen example's edits (or none)."""
    ss = st.session_state
    sc = examples.get(ss["scn"])
    ss["edits"] = ss["edit_base"] = tuple(edit_tuples(sc.edits)) if sc else ()
    ss["edit_ver"] += 1


def render(ctx: ViewContext) -> None:
    ss, examples, catalog, year = st.session_state, ctx.examples, ctx.catalog, ctx.year
    st.markdown(
        "Edit any value for any state and year and see the score and rank move against the baseline. "
        "Small scenarios travel in the page link."
    )
    st.selectbox(
        "Start from an example scenario",
        [""] + list(examples),
        key="scn",
        on_change=choose_scenario,
        args=(examples,),
        format_func=lambda n: examples[n].name if n in examples else "(blank scenario)",
    )
    base = examples.get(ctx.state.scenario)
    if base is not None:
        st.info(f"**{base.name}** — {base.description}\n\nSource: [{base.citation.source}]({base.citation.url})")
    upl = new_upload("…or load a scenario JSON", "scn_upload")
    if upl is not None:
        try:
            loaded = uploads.parse_scenario_upload(upl.name, upl.getvalue(), catalog)
        except uploads.UploadError as e:
            st.error(str(e))
        else:
            ss["edits"] = ss["edit_base"] = tuple(edit_tuples(loaded.edits))
            ss["edit_ver"] += 1
            base = loaded
    edits = pd.DataFrame(list(ss["edit_base"]), columns=["iso3", "year", "indicator", "value"])
    edited = st.data_editor(
        edits,
        num_rows="dynamic",
        key=f"scn_editor_{ss['edit_ver']}",
        column_config={
            "iso3": st.column_config.SelectboxColumn("country", options=list(PANEL_COUNTRIES), required=True),
            "year": st.column_config.SelectboxColumn("year", options=list(ctx.page.years), required=True),
            "indicator": st.column_config.SelectboxColumn(
                "indicator (id; names in the Methodology)", options=list(catalog), required=True
            ),
            "value": st.column_config.NumberColumn("new value (raw units)", required=True),
        },
    )
    rows = [
        (str(r["iso3"]), int(r["year"]), str(r["indicator"]), float(r["value"]))
        for r in edited.dropna().to_dict("records")
    ]
    ss["edits"] = tuple(rows)
    if not rows:
        st.caption("Add a row (country, year, indicator, new value) to start a scenario.")
        return
    try:
        scen = scoring.Scenario.from_json(
            json.dumps(
                {
                    "name": base.name if base else "Custom scenario",
                    "description": base.description if base else "Edited in the page.",
                    "citation": base.citation.model_dump(mode="json") if base and base.citation else None,
                    "edits": [dict(zip(("iso3", "year", "indicator", "value"), r, strict=True)) for r in rows],
                }
            ),
            catalog,
        )
    except scoring.ScenarioError as e:
        st.error(f"Scenario not usable: {md(e, 300)}")
        return
    delta = scoring.compare_scenario(ctx.panel, catalog, scen, ctx.year_spec, before=ctx.model)
    d = delta[delta["year"] == year]
    plot(charts.scenario_delta_figure(d, f"Scenario vs baseline, {year} (score 0–100)"), ctx, "scenario")
    st.dataframe(
        d[
            ["country", "score_before", "score_after", "score_change", "rank_before", "rank_after", "rank_change"]
        ].sort_values("rank_after"),
        hide_index=True,
        height="content",
        column_config={
            "country": st.column_config.TextColumn("Country"),
            "score_before": st.column_config.NumberColumn("Score, baseline", format="%.1f"),
            "score_after": st.column_config.NumberColumn("Score, scenario", format="%.1f"),
            "score_change": st.column_config.NumberColumn("Change (points)", format="%+.1f"),
            "rank_before": st.column_config.NumberColumn("Rank, baseline", format="%d"),
            "rank_after": st.column_config.NumberColumn("Rank, scenario", format="%d"),
            "rank_change": st.column_config.NumberColumn("Rank change", format="%+d"),
        },
    )
    st.download_button(
        "Download scenario (JSON)",
        scen.to_json,  # built on click: no media file that a later rerun could expire
        file_name="scenario.json",
        mime="application/json",
        on_click="ignore",
    )
