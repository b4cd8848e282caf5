"""Moscow-alignment index: the Streamlit page.

This file only wires widgets to pure functions: the data come from ``indicators``,
every number from ``scoring``, every figure from ``ui.charts`` and the URL state from
``ui.state``. Run it with ``make run`` (see README).
"""

from __future__ import annotations

import streamlit as st

import indicators
import scoring
from indicators.loader import data_version
from indicators.schema import PILLARS
from scoring import bundle as scoring_bundle
from ui import static_page, views
from ui.context import ViewContext
from ui.methodology import METHOD_TEXT, method_label
from ui.process import PAGE_CSS, header_basis, settled, shipped
from ui.safe import error_boundary, md, notices_markdown
from ui.state import (
    CUSTOM,
    VIEWS,
    UIState,
    preset_label,
    spec_from_state,
)
from ui.views.scenarios import edit_tuples
from ui.views.upload import USER_KEYS
from ui.widgets import shared

st.set_page_config(page_title="Moscow alignment index", page_icon="🧭", layout="wide")


# ---------------------------------------------------------------- data read once per process (ui/process.py)
panel, catalog, sources, events, model, examples, PAGE = shipped()
PRESET_UI, YEARS, DEFAULTS, METHODS = PAGE.presets, PAGE.years, PAGE.defaults, PAGE.methods
ss = st.session_state
# A user's uploaded indicator joins the model for this session only (never the shipped objects).
MODEL_KEY = "shipped"  # part of every cache key, so one session's upload never feeds another's results
if "user_catalog" in ss:
    panel, catalog, sources = ss["user_panel"], ss["user_catalog"], ss["user_sources"]
    model, MODEL_KEY = ss["user_model"], ss["user_model_key"]


# ---------------------------------------------------------------- state <-> widgets
def push_state(s: UIState) -> None:
    """Put a state into the widgets' session keys (an uploaded indicator keeps weight 1)."""
    for k in catalog:
        ss[f"w_{k}"] = 1.0
    ss["view"], ss["year"], ss["preset"] = s.view, s.year, s.preset
    ss["norm"], ss["agg"], ss["miss"], ss["cov"] = s.normalisation, s.aggregation, s.missing, s.min_coverage
    for k, v in s.weights.items():
        ss[f"w_{k}"] = v
    for k, v in s.pillar_weights.items():
        ss[f"pw_{k}"] = v
    ss["cmp"], ss["hl"] = list(s.compare), list(s.highlight)
    ss["unc"], ss["seed"], ss["floor"], ss["scn"], ss["split"] = s.uncertainty, s.seed, s.floor, s.scenario, s.split
    for k, v in s.pole_weights.items():
        ss[f"pm_{k}"] = v
    ss["dunc"] = s.data_uncertainty
    base = s.edits or (tuple(edit_tuples(examples[s.scenario].edits)) if s.scenario in examples else ())
    ss["edits"] = ss["edit_base"] = base
    ss["chg_c"], ss["chg_from"], ss["chg_to"], ss["chain"] = s.change_country, s.change_from, s.change_to, s.chain
    ss["py"] = s.poles_year
    ss["edit_ver"] = ss.get("edit_ver", 0) + 1


def pull_state() -> UIState:
    return UIState(
        view=ss["view"] or "ranking",
        year=ss["year"],
        preset=ss["preset"],
        weights={k: float(ss.get(f"w_{k}", 1.0)) for k in catalog},  # an upload joins with weight 1
        pillar_weights={p: float(ss[f"pw_{p}"]) for p in PILLARS},
        normalisation=ss["norm"],
        aggregation=ss["agg"],
        missing=ss["miss"],
        min_coverage=float(ss["cov"]),
        compare=tuple(ss["cmp"]),
        highlight=tuple(ss["hl"]),
        uncertainty=ss["unc"],
        seed=int(ss["seed"]),
        data_uncertainty=ss["dunc"],
        floor=float(ss["floor"]),
        scenario=ss["scn"] or "",
        edits=tuple(ss["edits"]),
        split=ss["split"],
        pole_weights={k: float(ss[f"pm_{k}"]) for k in DEFAULTS.pole_weights},
        change_country=ss["chg_c"],
        change_from=ss["chg_from"],
        change_to=ss["chg_to"],
        chain=bool(ss["chain"]),
        poles_year=ss.get("py"),
    )


def apply_preset() -> None:
    if ss["preset"] == CUSTOM:  # picking "custom" keeps the weights as they are
        return
    iw, pw = PRESET_UI[ss["preset"]]
    for k in catalog:
        ss[f"w_{k}"] = iw.get(k, 1.0)
    for k, v in pw.items():
        ss[f"pw_{k}"] = v


def reset_all() -> None:
    push_state(DEFAULTS)
    ss["notices"] = ()


def reset_after_error() -> None:
    """The error boundary's Reset: default settings and no uploaded data (either may be what failed)."""
    for k in USER_KEYS:
        ss.pop(k, None)
    reset_all()


# Streamlit forgets the state of a widget that a run does not draw; the view-specific widgets
# below are drawn only in their view, so keep their values alive across view switches.
for _k in (
    *("cmp", "hl", "evk", "unc", "seed", "dunc", "floor", "scn", "split", "chg_c", "chg_from", "chg_to", "chain", "py"),
    *(f"pm_{k}" for k in DEFAULTS.pole_weights),
):
    if _k in ss:
        ss[_k] = ss[_k]

if "initialised" not in ss:
    first = PAGE.parse(st.query_params.to_dict())
    push_state(first)
    ss["notices"] = first.notices
    ss["initialised"] = True


# Values a view chose for sidebar widgets (an upload, a loaded spec) are set here, before the widgets exist:
# Streamlit refuses a change to a widget's key once the widget has been drawn in the run.
for _k, _v in ss.pop("pending_widgets", {}).items():
    ss[_k] = _v


# ---------------------------------------------------------------- sidebar: every choice but the weights
# The weight sliders live in the live ranking (ui/live_ranking.py, drawn by the Ranking view): it rescores
# in the browser while a slider moves and writes the session weights (w_<indicator>, pw_<pillar>) on release.
with st.sidebar:
    st.header("Weights and method")
    st.selectbox(
        "Weight preset",
        [*PRESET_UI, CUSTOM],
        key="preset",
        on_change=apply_preset,
        format_func=preset_label,
        help="\n\n".join(f"**{preset_label(n)}**: {p.rationale}" for n, p in scoring.PRESETS.items()),
    )
    st.button("Reset all settings", on_click=reset_all, help="Back to the default preset, year and methods")
    st.caption("Move single weights in the **Ranking** view: the ranking follows while you drag.")
    st.selectbox("Year", YEARS, key="year", format_func=PAGE.year_label, help=PAGE.year_help)
    if ss.get("year") in PAGE.provisional:  # what a year after the default year lacks (default weights)
        st.caption(
            f"Provisional: some {ss['year']} scores rest partly on values imputed by the missing-data model (†). "
            f"Less than 75% of the weight sourced: {PAGE.lacks[ss['year']]}."
        )
    with st.expander("Method", expanded=False):
        st.selectbox(
            "Normalisation",
            METHODS["norm"],
            key="norm",
            format_func=method_label,
            help="How raw values become 0-100 (see Methodology).",
        )
        st.selectbox(
            "Aggregation",
            METHODS["agg"],
            key="agg",
            format_func=method_label,
            help="How indicators combine (see Methodology).",
        )
        st.selectbox(
            "Missing data",
            METHODS["miss"],
            key="miss",
            format_func=method_label,
            help="\n\n".join(f"**{method_label(k)}**: {METHOD_TEXT[k]}" for k in scoring.MISSING_POLICIES),
        )
        st.slider(
            "Minimum coverage",
            0.0,
            1.0,
            step=0.05,
            key="cov",
            help="Share of the weight that must have data for a score (coverage-threshold policy).",
        )

state = pull_state()
if ss.get("notices"):
    st.warning(notices_markdown("Some link parameters were not usable and fell back to defaults:", ss["notices"]))

try:
    spec = spec_from_state(state)
    # refuses weights that leave nothing to score (e.g. a link setting all to zero); one result per model and spec
    # for the whole process (the views only read it: ScoreResult.for_year gives each run its own year table)
    result = shared(("score", MODEL_KEY, spec.to_json()), lambda: model.score(spec))
except scoring.SpecError as e:
    st.error(f"These weights cannot be scored: {md(e, 300)}. Raise at least one weight above zero.")
    st.button("Reset", key="reset_after_spec_error", on_click=reset_all, type="primary")
    st.stop()

year = state.year
year_spec = spec.replace(years=(year,))


# ---------------------------------------------------------------- header and downloads
st.html(f"<style>{PAGE_CSS}</style>")  # narrow screens: compact header, the chart in the first screen
st.title("How closely is each post-Soviet state aligned with Moscow?")
st.caption(
    f"A transparent composite index for the {len(indicators.PANEL_COUNTRIES)} non-Russian former Soviet republics, "
    f"{indicators.YEARS[0]}–{indicators.YEARS[-1]}; 100 = closest to Moscow in the panel's range, 0 = farthest."
)
with st.expander("What the numbers rest on"):
    st.caption(
        "Move the weights in the Ranking view: the scores are recomputed from the values in the data tables. "
        + header_basis(MODEL_KEY, panel, sources)
    )
with st.sidebar:
    st.divider()
    st.download_button(
        "Download scores (CSV)",
        data=lambda: scoring.scores_csv(model.score(year_spec)),  # built on click, not on every rerun
        file_name=f"moscow_alignment_{year}.csv",
        mime="text/csv",
        on_click="ignore",
        help="Same columns as `python -m scoring`; the spec below reproduces it exactly.",
    )
    st.download_button(
        "Download spec (JSON)",
        data=year_spec.to_json,  # built on click: no media file that a later rerun could expire (a 404)
        file_name=f"moscow_alignment_spec_{year}.json",
        mime="application/json",
        on_click="ignore",
        help="Feed it back with `python -m scoring --weights spec.json`.",
    )
    st.download_button(
        "Download everything (zip)",
        data=lambda: scoring_bundle.build_bundle(model, spec, panel, sources, data_version()),
        file_name="moscow_alignment_bundle.zip",
        mime="application/zip",
        on_click="ignore",
        help="Scores for every year with readable columns and each input's status, the spec, the sources and "
        "a README explaining every column and how to cite.",
    )
    st.download_button(
        "Download standalone page (HTML)",
        data=lambda: static_page.build_html(  # built on click: one file, no server needed to read it
            model,
            panel,
            sources,
            year_spec,
            year,
            state.weights,
            state.pillar_weights,
            data_version() + ("" if MODEL_KEY == "shipped" else " + your upload"),
        ),
        file_name=static_page.file_name(year),
        mime="text/html",
        on_click="ignore",
        help="This year's live ranking as one HTML file with its data: sliders, CSV download, sources. "
        "Works offline and on any static host (see README, 'Static page').",
    )
    with st.expander("Embed it in an article"):
        st.caption("Put the standalone page on your site, then paste this where the chart should go:")
        st.code(static_page.iframe_snippet(static_page.file_name(year), year), language="html", wrap_lines=True)
for d in result.diagnostics:
    st.info(md(d))

view = st.segmented_control(
    "View", list(VIEWS), format_func=VIEWS.get, key="view", label_visibility="collapsed", required=True
)


ctx = ViewContext(
    panel=panel,
    catalog=catalog,
    sources=sources,
    events=events,
    model=model,
    model_key=MODEL_KEY,
    examples=examples,
    page=PAGE,
    state=state,
    spec=spec,
    result=result,
)
with error_boundary(reset_after_error, "view"):  # no traceback on screen: a message and Reset
    views.render(view, ctx)


settled(view)

# The URL mirrors the state last, after the views have updated it (e.g. scenario edits).
new_query = PAGE.encode(pull_state())
if new_query != st.query_params.to_dict():
    st.query_params.from_dict(new_query)
