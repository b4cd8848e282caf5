"""Streamlit pieces shared by several views: cached robustness tables and small widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

import scoring
from scoring.sensitivity import DATA_BANDS
from ui import charts
from ui.state import DATA_UNC, UNCERTAINTY

PLOT_CONFIG = {"topojsonURL": charts.TOPOJSON_URL, "displaylogo": False}


@st.cache_resource(show_spinner=False, max_entries=128)
def shared(key: tuple, _build: Callable[[], Any]) -> Any:
    """What ``_build()`` returns, built once per process and shared by every session (issue 22: a new reader
    costs little). For the views' finished figures and tables, which take 0.1-0.7 s to build and which the page
    only reads. ``key`` names the object and every input ``_build`` reads (the model key first, so an upload
    never feeds another session); ``_build`` itself is not part of the key."""
    return _build()


def plot(fig, ctx, name: str, *, year: int | None = None, subtitle: str | None = None, **kw) -> None:
    """A plotly chart with its PNG and SVG download (ui/chart_image.py): the image carries the chart's title, a
    subtitle with the year and the weights (``ctx.chart_subtitle`` unless given), the source line with the data
    version, and the date."""
    from ui.chart_image import chart_image
    from ui.live_ranking import source_line

    filename = f"moscow_alignment_{name}_{year or ctx.year}"
    config = PLOT_CONFIG | {"toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2}}
    st.plotly_chart(fig, config=config, **kw)
    title = fig.layout.title.text or ""
    chart_image(f"img_{name}", title, subtitle or ctx.chart_subtitle, source_line(ctx.version), filename)


MC_DRAWS = 1000


@st.cache_data(show_spinner=False, max_entries=64)
def mc_bands(
    model_key: str, _model, spec_json: str, y: int, unc: str, seed: int, dunc: str = "off"
) -> pd.DataFrame | None:
    """Monte Carlo rank/score bands (cached per model, spec, year, strength, seed and data-uncertainty switch)."""
    if unc == "off" and dunc == "off":
        return None
    s = scoring.ScoringSpec.from_json(spec_json)
    mc = scoring.monte_carlo(
        _model,
        s,
        draws=MC_DRAWS,
        concentration=UNCERTAINTY[unc],
        seed=seed,
        year=y,
        data_uncertainty=dunc != "off",
        vary_policy=dunc == "policy",
    )
    t = mc.table.set_index("iso3")
    return t.rename(
        columns={"rank_p05": "rank_lo", "rank_p95": "rank_hi", "score_p05": "score_lo", "score_p95": "score_hi"}
    )


@st.cache_data(show_spinner=False, max_entries=32)
def reach_table(model_key: str, _model, spec_json: str, y: int, floor: float) -> tuple[pd.DataFrame, str]:
    """Best and worst reachable ranks (cached per model, spec, year and floor), with the method note."""
    r = scoring.reachable_ranks(_model, scoring.ScoringSpec.from_json(spec_json), floor=floor / 100, year=y)
    return r.table.set_index("iso3").rename(columns={"best_rank": "best", "worst_rank": "worst"}), r.note


@st.cache_data(show_spinner=False, max_entries=16)
def audit_statistics(model_key: str, _model, spec_json: str, y: int, winsorise: bool) -> dict:
    """The audit's statistics (correlations, flags, alpha, PCA, skewness) for one year (cached)."""
    from scoring import audit

    return audit.statistics(_model, scoring.ScoringSpec.from_json(spec_json), y, winsorise_on=winsorise)


@st.cache_data(show_spinner=False, max_entries=8)
def audit_sobol(model_key: str, _model, spec_json: str, y: int) -> dict:
    """Sobol indices of every state's rank for one year (cached: seconds to compute)."""
    from scoring import audit

    return audit.sobol_ranks(_model, scoring.ScoringSpec.from_json(spec_json), y)


def uncertainty_controls(c_unc, c_seed, label: str) -> None:
    """The Monte Carlo strength and seed widgets (shared by the ranking and robustness views)."""
    c_unc.selectbox(
        label,
        list(UNCERTAINTY),
        key="unc",
        help="Monte Carlo: weights are redrawn around yours (Dirichlet); 'off' gives zero-width bands, 'high' "
        "perturbs most.",
    )
    c_seed.number_input("Seed", 0, 99999, key="seed", help="Same seed, same bands: shared links reproduce them.")
    c_unc.selectbox(
        "Also vary estimated values",
        DATA_UNC,
        key="dunc",
        format_func=DUNC_LABELS.get,
        help="On: every draw also moves each estimated, interpolated or carried-forward value within a band "
        f"({band_text()} points of the 0-100 scale), so the bands show how much a rank rests on estimates. "
        "'On, and the missing-data policy': every draw also picks the model, carry-forward or available-case "
        "at random. Values imputed by the missing-data model are always drawn from its uncertainty.",
    )


def band_text() -> str:
    return ", ".join(f"{k.replace('_', ' ')} ±{v:g}" for k, v in DATA_BANDS.items())


#: Labels of the data-uncertainty choices.
DUNC_LABELS = {"off": "off", "on": "on", "policy": "on, and the missing-data policy"}


def bands_caption(unc: str, dunc: str, seed: int, missing: str = "impute") -> str:
    """Which perturbations the bands include (the caption says which is on)."""
    w = "weights fixed" if unc == "off" else f"weights redrawn (strength '{unc}')"
    d = f"estimated values varied ({band_text()} points)" if dunc != "off" else "data values held fixed"
    if dunc == "policy":
        d += "; missing-data policy drawn at random (model, carry forward, available-case)"
    if missing == "impute" or dunc == "policy":
        d += "; values imputed by the model (†) drawn from its uncertainty"
    return f"Bands: {w}; {d}; seed {seed}."


def new_upload(label: str, key: str):
    """A JSON file uploader that returns the file only on the run it first arrives (then None)."""
    ss = st.session_state
    f = st.file_uploader(label, type=["json"], key=key)
    if f is None or ss.get(f"{key}_id") == f.file_id:
        return None
    ss[f"{key}_id"] = f.file_id
    return f


def chosen_events(events: pd.DataFrame, countries) -> pd.DataFrame:
    """The events of ``countries`` whose kind is picked in the 'Events shown' pills (all by default)."""
    ev = events[events["iso3"].isin(countries)]
    kinds = sorted(events["kind"].unique())
    st.session_state.setdefault("evk", kinds)
    picked = st.pills("Events shown", kinds, selection_mode="multi", key="evk", help="Event kinds drawn on the lines.")
    return ev[ev["kind"].isin(picked)]


def events_table(ev: pd.DataFrame) -> None:
    """Every event drawn on a trend chart, with its source link (the table the hovers point to)."""
    from indicators.countries import PANEL_COUNTRIES

    ev = ev.assign(country=ev["iso3"].map(PANEL_COUNTRIES))
    with st.expander(f"Dated events behind the data ({len(ev)})"):
        st.dataframe(
            ev[["country", "date", "kind", "description", "url"]].sort_values(["date", "country"]),
            hide_index=True,
            height="content",
            column_config={"url": st.column_config.LinkColumn("source", display_text="open")},
        )
