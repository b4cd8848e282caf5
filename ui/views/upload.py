"""Your-data view: add an indicator of your own (this session only) or load a spec."""

from __future__ import annotations

import streamlit as st

import scoring
from indicators.schema import PILLARS
from ui import uploads
from ui.context import ViewContext
from ui.safe import md
from ui.state import WEIGHT_MAX, fit_to_sliders
from ui.widgets import new_upload

#: Session keys that hold the user's extended model (removed together).
USER_KEYS = ("user_panel", "user_catalog", "user_sources", "user_model", "user_model_key", "upload_msg")


def render(ctx: ViewContext) -> None:
    ss = st.session_state
    st.markdown(uploads.help_markdown())
    st.download_button(
        "Metadata template (JSON)",
        uploads.metadata_template,  # built on click: no media file that a later rerun could expire
        file_name="metadata.json",
        mime="application/json",
        on_click="ignore",
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
            base = (
                ss.get("user_panel", ctx.panel),
                ss.get("user_catalog", ctx.catalog),
                ss.get("user_sources", ctx.sources),
            )
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
            ss["user_model_key"] = uploads.session_model_key(s_panel, s_catalog)
            # sidebar widgets take new values at the top of the next run, before they exist (dashboard.py)
            ss["pending_widgets"] = {f"w_{ind.id}": ss.get(f"w_{ind.id}", 1.0)}
            ss["upload_msg"] = f"Added {md(ind.name)}: {uploads.describe_values(values)}"
            st.rerun()
    if ss.get("upload_msg"):
        st.success(ss["upload_msg"])
    user = [i for i in ctx.catalog.values() if uploads.is_user_indicator(i)]
    if user:
        st.write("In your model (this browser session only): " + ", ".join(md(i.name) for i in user))
        if st.button("Remove my data"):
            for k in USER_KEYS:
                ss.pop(k, None)
            st.rerun()
    st.subheader("Load a spec")
    spec_file = new_upload("Scoring spec (JSON, as downloaded from the sidebar)", "spec_up")
    if spec_file is not None:
        try:
            loaded = uploads.parse_spec_upload(spec_file.name, spec_file.getvalue(), ctx.catalog)
        except uploads.UploadError as e:
            st.error(str(e))
        else:
            # weights above the sliders' maximum are scaled like the presets (same effective weights)
            iw, fi = fit_to_sliders({k: float(loaded.indicator_weights.get(k, 1.0)) for k in ctx.catalog})
            pw, fp = fit_to_sliders({p: float(loaded.pillar_weights.get(p, 1.0)) for p in PILLARS})
            pending = {f"w_{k}": v for k, v in iw.items()} | {f"pw_{p}": v for p, v in pw.items()}
            pending |= {
                "norm": loaded.normalisation,
                "agg": loaded.aggregation,
                "miss": loaded.missing,
                "cov": loaded.min_coverage,
            }
            if loaded.years and len(loaded.years) == 1 and loaded.years[0] in ctx.page.years:
                pending["year"] = loaded.years[0]
            ss["pending_widgets"] = pending
            msg = [f"Loaded the spec from {md(spec_file.name, 60)}."]
            for what, f in (("indicator", fi), ("pillar", fp)):
                if f != 1.0:
                    msg.append(
                        f"Its {what} weights go above the sliders' maximum of {WEIGHT_MAX:g}, so all of them were "
                        f"scaled by {f:.3g} (as the presets are): the effective weights are unchanged."
                    )
            ss["spec_msg"] = " ".join(msg)
            st.rerun()
    if ss.get("spec_msg"):
        st.info(ss.pop("spec_msg"))
