"""Figures of the poles lens ("Between the poles"): pure functions of the pulls table, no Streamlit.

The triangle puts Moscow at the top (plotly ternary axis ``a``), the West bottom left (``b``) and
Beijing bottom right (``c``). A state's point is its position (``scoring.pulls.positions``); its
trail joins its positions over the years. A pole without data for a state is drawn at 0 (the
point sits on the opposite edge) and the hover says so.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.countries import PANEL_COUNTRIES
from scoring.pulls import positions

#: Ternary axis of each corner pole.
AXES: dict[str, str] = {"moscow": "a", "west": "b", "beijing": "c"}
HIGHLIGHT = "#c0392b"
OTHER = "#5d6d7e"
TRAIL = "rgba(93,109,126,0.35)"
FONT = dict(family="sans-serif", size=12)


def position_table(pulls: pd.DataFrame, weights: dict[str, float], corners=tuple(AXES)) -> pd.DataFrame:
    """Wide positions: iso3, year, one column per corner (NaN where the pole has no data), used, dropped,
    missing_poles."""
    pos = positions(pulls, weights, corners)
    if pos.empty:
        return pd.DataFrame(columns=["iso3", "year", *corners, "used", "dropped", "missing_poles"])
    wide = pos.pivot(index=["iso3", "year"], columns="pole", values="value").reindex(columns=list(corners))
    info = pos.drop_duplicates(["iso3", "year"]).set_index(["iso3", "year"])[["used", "dropped", "missing_poles"]]
    return wide.join(info).reset_index()


def _pole_name(poles: dict, pid: str) -> str:
    p = poles.get(pid)
    return p.name if p is not None else pid


def missing_note(row: pd.Series, poles: dict) -> str:
    """'' or e.g. 'no data for Beijing: drawn on the Moscow–the West edge'."""
    miss = [m for m in str(row.get("missing_poles", "") or "").split(";") if m]
    if not miss:
        return ""
    rest = [k for k in AXES if k not in miss]
    names = ", ".join(_pole_name(poles, m) for m in miss)
    where = "–".join(_pole_name(poles, k) for k in rest)
    return f"no data for {names}: drawn on the {where} edge" if len(rest) == 2 else f"no data for {names}"


def hover_text(row: pd.Series, pulls: pd.DataFrame, poles: dict, measures: dict) -> str:
    """Hover of one state-year: position, then every measure's value per pole, then what is left out."""
    iso3, year = row["iso3"], int(row["year"])
    lines = [f"<b>{PANEL_COUNTRIES.get(iso3, iso3)} {year}</b>"]
    lines.append(
        "position: " + " · ".join(f"{_pole_name(poles, k)} {row[k]:.2f}" for k in AXES if k in row and pd.notna(row[k]))
    )
    p = pulls[(pulls["iso3"] == iso3) & (pulls["year"] == year)]
    for mid, m in measures.items():
        g = p[p["measure"] == mid].set_index("pole")
        if g.empty:
            lines.append(f"{m.name}: no data")
            continue
        vals = []
        for pid in poles:
            if pid in g.index:
                mark = "" if g.loc[pid, "status"] == "observed" else "ᵉ"
                vals.append(f"{_pole_name(poles, pid)} {g.loc[pid, 'value']:.1f}{mark}")
        lines.append(f"{m.name} ({m.unit}): " + " · ".join(vals))
    dropped = [d for d in str(row.get("dropped", "") or "").split(";") if d]
    if dropped:
        lines.append("left out (a pole lacks data): " + ", ".join(measures[d].name for d in dropped if d in measures))
    note = missing_note(row, poles)
    if note:
        lines.append(f"<i>{note}</i>")
    return "<br>".join(lines)


def _coords(df: pd.DataFrame) -> dict[str, list[float]]:
    return {AXES[k]: df[k].fillna(0.0).round(4).tolist() for k in AXES}


def _ternary_layout(poles: dict, size: int = 13) -> dict:
    def axis(pid):
        return dict(
            title=dict(text=_pole_name(poles, pid), font=dict(size=size)),
            min=0,
            tickformat=".0%",
            ticks="outside",
            gridcolor="#e5e8e8",
            linecolor="#7f8c8d",
        )

    return dict(sum=1, aaxis=axis("moscow"), baxis=axis("west"), caxis=axis("beijing"), bgcolor="white")


def triangle_figure(
    pos: pd.DataFrame,
    pulls: pd.DataFrame,
    year: int,
    poles: dict,
    measures: dict,
    highlight: tuple[str, ...] = (),
) -> go.Figure:
    """The triangle: every state's position in ``year`` (one marker trace) and its path over the years.

    ``pos`` is :func:`position_table` over all years. States without a position in ``year`` are not
    drawn (the caption of the view lists them). Highlighted states (Compare's selection) are red, labelled
    in bold and their trails drawn in colour.
    """
    fig = go.Figure()
    for iso3, g in pos.sort_values("year").groupby("iso3", sort=True):
        g = g[g["year"] <= year]
        if len(g) < 2:
            continue
        hl = iso3 in highlight
        fig.add_trace(
            go.Scatterternary(
                mode="lines",
                **_coords(g),
                name=f"{PANEL_COUNTRIES.get(iso3, iso3)} {int(g['year'].min())}–{int(g['year'].max())}",
                line=dict(color=HIGHLIGHT if hl else TRAIL, width=2.5 if hl else 1.2),
                hoverinfo="skip",
                showlegend=False,
                legendgroup="trails",
            )
        )
    now = pos[pos["year"] == year].sort_values("iso3")
    hl = now["iso3"].isin(list(highlight))
    fig.add_trace(
        go.Scatterternary(
            mode="markers+text",
            **_coords(now),
            name=f"positions in {year}",
            text=[f"<b>{i}</b>" if h else i for i, h in zip(now["iso3"], hl, strict=True)],
            textposition="top center",
            textfont=dict(size=11, color=[HIGHLIGHT if h else OTHER for h in hl]),
            marker=dict(
                size=[14 if h else 9 for h in hl],
                color=[HIGHLIGHT if h else OTHER for h in hl],
                symbol=["circle" if not n else "circle-open" for n in now["missing_poles"].astype(bool)],
                line=dict(width=1.5, color="white"),
            ),
            hovertext=[hover_text(r, pulls, poles, measures) for _, r in now.iterrows()],
            hoverinfo="text",
            customdata=now["iso3"].tolist(),
            showlegend=False,
        )
    )
    fig.update_layout(
        ternary=_ternary_layout(poles),
        title=dict(text=f"Between the poles, {year}: position and path since {int(pos['year'].min())}", x=0.0),
        height=560,
        margin=dict(l=60, r=60, t=70, b=40),
        font=FONT,
        hoverlabel=dict(align="left"),
    )
    return fig


def measure_shares(pulls: pd.DataFrame, year: int, measure: str, corners=tuple(AXES)) -> pd.DataFrame:
    """One measure's shares of the pull between the corners in ``year``: iso3 and one column per corner.

    Only states with a value for every corner and a positive sum (the rule of the position)."""
    p = pulls[(pulls["year"] == year) & (pulls["measure"] == measure) & pulls["pole"].isin(corners)]
    w = p.pivot(index="iso3", columns="pole", values="value").reindex(columns=list(corners)).dropna()
    w = w[w.sum(axis=1) > 0]
    return w.div(w.sum(axis=1), axis=0).reset_index()


def measures_figure(
    pulls: pd.DataFrame, year: int, poles: dict, measures: dict, highlight: tuple[str, ...] = ()
) -> go.Figure:
    """Small multiples: one small triangle per measure with each state's shares of that measure in ``year``."""
    ids = list(measures)
    n = len(ids)
    cols = 2
    rows = (n + cols - 1) // cols
    fig = go.Figure()
    layout = {}
    gap = 0.12
    for i, mid in enumerate(ids):
        r, c = divmod(i, cols)
        key = "ternary" if i == 0 else f"ternary{i + 1}"
        x0 = c / cols + gap / 2
        x1 = (c + 1) / cols - gap / 2
        y1 = 1 - r / rows - gap
        y0 = 1 - (r + 1) / rows + gap / 2
        t = _ternary_layout(poles, size=10) | dict(domain=dict(x=[x0, x1], y=[y0, y1]))
        for ax in ("aaxis", "baxis", "caxis"):
            t[ax] = t[ax] | dict(showticklabels=False, ticks="")
        layout[key] = t
        s = measure_shares(pulls, year, mid)
        hl = s["iso3"].isin(list(highlight))
        fig.add_trace(
            go.Scatterternary(
                subplot=key,
                mode="markers",
                **_coords(s),
                marker=dict(size=[10 if h else 6 for h in hl], color=[HIGHLIGHT if h else OTHER for h in hl]),
                hovertext=[
                    f"{PANEL_COUNTRIES.get(r.iso3, r.iso3)}: "
                    + " · ".join(f"{_pole_name(poles, k)} {getattr(r, k):.2f}" for k in AXES)
                    for r in s.itertuples()
                ],
                hoverinfo="text",
                name=measures[mid].name,
                showlegend=False,
            )
        )
        missing = len(PANEL_COUNTRIES) - len(s)
        label = f"<b>{measures[mid].name}</b><br>{len(s)} states" + (f", {missing} without data" if missing else "")
        fig.add_annotation(
            text=label,
            x=(x0 + x1) / 2,
            y=y1 + gap * 0.9,
            xref="paper",
            yref="paper",
            xanchor="center",
            showarrow=False,
            font=dict(family="sans-serif", size=11),
        )
    fig.update_layout(
        **layout,
        height=300 * rows + 40,
        margin=dict(l=30, r=30, t=60, b=20),
        font=FONT,
        title=dict(text=f"Each measure's shares, {year}", x=0.0),
    )
    return fig
