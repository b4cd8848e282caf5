"""Moscow-alignment index: the Streamlit page.

This file only wires widgets to pure functions: the data come from ``indicators``,
every number from ``scoring``, every figure from ``ui.charts`` and the URL state from
``ui.state``. Run it with ``make run`` (see README).
"""

from __future__ import annotations

import streamlit as st

import indicators
import scoring
from indicators.schema import PILLARS
from ui import views
from ui.context import ViewContext
from ui.state import VIEWS, WEIGHT_MAX, WEIGHT_STEP, PageConfig, UIState, slug, spec_from_state
from ui.views.scenarios import edit_tuples

st.set_page_config(page_title="Moscow alignment index", page_icon="🧭", layout="wide")


# ---------------------------------------------------------------- cached data
@st.cache_resource(show_spinner=False)
def shipped():
    """Panel, catalogue, sources, events, the precomputed model and example scenarios (read once)."""
    panel, catalog, sources = indicators.shipped()
    events = indicators.load_events()
    src_url = {k: str(s.url) for k, s in sources.items()}
    events = events.assign(url=events["source_id"].map(src_url))
    model = scoring.Model.from_panel(panel, catalog)
    examples = {slug(sc.name): sc for sc in scoring.load_example_scenarios(catalog).values()}
    return panel, catalog, sources, events, model, examples, PageConfig.build(catalog, model, examples)


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
    ss["unc"], ss["seed"], ss["floor"], ss["scn"] = s.uncertainty, s.seed, s.floor, s.scenario
    base = s.edits or (tuple(edit_tuples(examples[s.scenario].edits)) if s.scenario in examples else ())
    ss["edits"] = ss["edit_base"] = base
    ss["edit_ver"] = ss.get("edit_ver", 0) + 1


def pull_state() -> UIState:
    return UIState(
        view=ss["view"] or "ranking",
        year=ss["year"],
        preset=ss["preset"],
        weights={k: float(ss[f"w_{k}"]) for k in catalog},
        pillar_weights={p: float(ss[f"pw_{p}"]) for p in PILLARS},
        normalisation=ss["norm"],
        aggregation=ss["agg"],
        missing=ss["miss"],
        min_coverage=float(ss["cov"]),
        compare=tuple(ss["cmp"]),
        highlight=tuple(ss["hl"]),
        uncertainty=ss["unc"],
        seed=int(ss["seed"]),
        floor=float(ss["floor"]),
        scenario=ss["scn"] or "",
        edits=tuple(ss["edits"]),
    )


def apply_preset() -> None:
    iw, pw = PRESET_UI[ss["preset"]]
    for k in catalog:
        ss[f"w_{k}"] = iw.get(k, 1.0)
    for k, v in pw.items():
        ss[f"pw_{k}"] = v


def reset_all() -> None:
    push_state(DEFAULTS)
    ss["notices"] = ()


# Streamlit forgets the state of a widget that a run does not draw; the view-specific widgets
# below are drawn only in their view, so keep their values alive across view switches.
for _k in ("cmp", "hl", "evk", "unc", "seed", "floor", "scn", "split"):
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


# ---------------------------------------------------------------- sidebar: every choice
def indicator_help(ind) -> str:
    arrow = "higher = closer to Moscow" if ind.direction == 1 else "higher = farther from Moscow"
    return f"{ind.definition}\n\nDirection: {arrow}. Unit: {ind.unit}."


with st.sidebar:
    st.header("Weights and method")
    st.selectbox(
        "Weight preset",
        list(PRESET_UI),
        key="preset",
        on_change=apply_preset,
        help="\n\n".join(f"**{n}**: {p.rationale}" for n, p in scoring.PRESETS.items()),
    )
    st.button("Reset all settings", on_click=reset_all, help="Back to the default preset, year and methods")
    st.selectbox("Year", YEARS, key="year", help="Scores are computed for every year; the ranking shows this one.")
    with st.expander("Pillar weights", expanded=False):
        for p, desc in PILLARS.items():
            st.slider(p.replace("_", " ").capitalize(), 0.0, WEIGHT_MAX, step=WEIGHT_STEP, key=f"pw_{p}", help=desc)
    for p, desc in PILLARS.items():
        inds = [i for i in catalog.values() if i.pillar == p]
        if not inds:
            continue
        with st.expander(f"{p.replace('_', ' ').capitalize()} indicators", expanded=p == "security"):
            st.caption(desc)
            for ind in inds:
                arrow = "↑" if ind.direction == 1 else "↓"
                st.slider(
                    f"{arrow} {ind.name}",
                    0.0,
                    WEIGHT_MAX,
                    step=WEIGHT_STEP,
                    key=f"w_{ind.id}",
                    help=indicator_help(ind),
                )
    with st.expander("Method", expanded=False):
        st.selectbox(
            "Normalisation", METHODS["norm"], key="norm", help="How raw values become 0-100 (see Methodology)."
        )
        st.selectbox("Aggregation", METHODS["agg"], key="agg", help="How indicators combine (see Methodology).")
        st.selectbox(
            "Missing data",
            METHODS["miss"],
            key="miss",
            help="\n\n".join(f"**{k}**: {v}" for k, v in scoring.MISSING_POLICIES.items()),
        )
        st.slider(
            "Minimum coverage",
            0.0,
            1.0,
            step=0.05,
            key="cov",
            help="Share of the weight that must have data for a score (coverage-threshold policy).",
        )
    st.caption("↑ higher value = closer to Moscow · ↓ higher value = farther from Moscow")

state = pull_state()
if ss.get("notices"):
    st.warning("Some link parameters were not usable and fell back to defaults:\n\n- " + "\n- ".join(ss["notices"]))

try:
    spec = spec_from_state(state)
except scoring.SpecError as e:
    st.error(f"These weights cannot be scored: {e}. Raise at least one weight above zero.")
    st.stop()

result = model.score(spec)
year = state.year
year_spec = spec.replace(years=(year,))

# ---------------------------------------------------------------- header and downloads
st.title("How closely is each post-Soviet state aligned with Moscow?")
st.caption(
    "A transparent composite index for the 14 non-Russian former Soviet republics, 2013–2025. "
    "Slide the weights on the left; every number below is recomputed from cited data. "
    "100 = closest to Moscow in the panel's range, 0 = farthest."
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
        data=year_spec.to_json(),
        file_name=f"moscow_alignment_spec_{year}.json",
        mime="application/json",
        on_click="ignore",
        help="Feed it back with `python -m scoring --weights spec.json`.",
    )
for d in result.diagnostics:
    st.info(d)

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
views.render(view, ctx)

# The URL mirrors the state last, after the views have updated it (e.g. scenario edits).
new_query = PAGE.encode(pull_state())
if new_query != st.query_params.to_dict():
    st.query_params.from_dict(new_query)
