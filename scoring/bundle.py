"""``python -m scoring.bundle``: a download bundle a reader can publish from.

Examples::

    python -m scoring.bundle --out alignment.zip
    python -m scoring.bundle --out alignment.zip --weights spec.json --preset security_first

The zip holds:

- ``scores.csv``: every panel year, one row per state, readable column names; for each
  indicator its raw value and how that value came about (observed, estimated, imputed,
  carried forward or missing).
- ``spec.json``: the exact spec (feed it back with ``python -m scoring --weights spec.json``).
- ``sources.csv``: every source, with its tier where the data has one.
- ``README.md``: the column dictionary (generated from the same table that writes the CSV
  header, so the two cannot drift), the method in brief, how to cite, and the data version.

The options are those of ``python -m scoring`` (``--weights``, ``--preset``, ``--normalise``,
``--aggregate``, ``--missing``, ``--min-coverage``, ``--data``) minus the year choice: a bundle
always covers every year. Bad input exits with status 2 and one line on stderr, like the
main CLI. The ``python -m scoring`` CSV itself is unchanged.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from indicators import structure
from indicators.countries import PANEL_COUNTRIES
from indicators.schema import PILLARS
from scoring.cli import UsageError, _load_model, _write_atomic, build_parser, fail, make_spec
from scoring.export import _num, _quote, safe_text
from scoring.model import Model, ScoreResult
from scoring.spec import SpecError
from scoring.untrusted import md

STATUS_WORDS = {
    "observed": "observed",
    "estimated": "estimated",
    "imputed": "imputed",
    "carried_forward": "carried forward",
}
#: Status word of a value the missing-data policy filled (no raw value: the fill is on the 0-100 scale).
FILLED_WORD = "missing, imputed by the model †"


pillar_label = structure.pillar_name


def subscore_column(p: str) -> str:
    """A pillar's column in ``scores.csv``, named for its direction (issue 22: the old "Western ties
    sub-score" read 100 for the weakest Western ties, undocumented)."""
    return f"{pillar_label(p)} pillar score (100 = closest to Moscow)"


def columns(catalog: dict) -> list[tuple[str, str]]:
    """(column name, meaning) of ``scores.csv``, in order: the one source of the header and the dictionary."""
    cols = [
        ("Country", "Name of the state."),
        ("ISO3", "ISO 3166-1 alpha-3 code of the state."),
        ("Year", "Year the score describes (values as of 31 December)."),
        ("Score", "Alignment with Moscow, 0-100, one decimal: 100 = closest to Moscow in the panel's range."),
        (
            "Rank",
            f"Rank among the {len(PANEL_COUNTRIES)} states that year; 1 = closest to Moscow. Empty when there is no score.",
        ),
        ("Coverage (%)", "Share of the total weight carried by indicators with a sourced value, whole per cent."),
    ]
    for p, desc in PILLARS.items():
        ind_here = [i for i in catalog.values() if i.pillar == p]
        if ind_here:
            away = [i.name for i in ind_here if i.direction != 1]
            turned = (
                f" Inputs that rise away from Moscow count reversed here: a high {', '.join(away)} gives a low "
                "pillar score."
                if away
                else ""
            )
            cols.append(
                (
                    subscore_column(p),
                    f"The {pillar_label(p).lower()} pillar ({desc}) scored like the Score: 0-100, one decimal, "
                    f"100 = closest to Moscow.{turned}",
                )
            )
    for ind in catalog.values():
        way = "higher = closer to Moscow" if ind.direction == 1 else "higher = farther from Moscow"
        cols.append((f"{ind.name} ({ind.unit})", f"Raw value of this input, in {ind.unit}; {way}. Empty = missing."))
        cols.append(
            (
                f"{ind.name}: status",
                "How the value came about: observed, estimated, imputed (interpolated at build time), carried "
                f"forward, or missing; '{FILLED_WORD}' when the missing-data policy filled it for the score.",
            )
        )
    return cols


def _one_decimal(s: pd.Series) -> pd.Series:
    """Scores as readers read them: text with exactly one decimal, empty when missing."""
    return s.map(lambda v: "" if pd.isna(v) else f"{v:.1f}")


def scores_frame(result: ScoreResult, panel: pd.DataFrame, catalog: dict) -> pd.DataFrame:
    """The bundle's score table: every scored year, readable columns (see :func:`columns`)."""
    t = result.table
    out = pd.DataFrame(
        {
            "Country": t["country"],
            "ISO3": t["iso3"],
            "Year": t["year"],
            "Score": _one_decimal(t["score"]),
            "Rank": t["rank"],
            "Coverage (%)": (t["coverage"] * 100).round(0),
        }
    )
    for p in PILLARS:
        if f"pillar_{p}" in t and any(i.pillar == p for i in catalog.values()):
            out[subscore_column(p)] = _one_decimal(t[f"pillar_{p}"])
    p = panel.set_index(["iso3", "year", "indicator"])
    keys = list(zip(t["iso3"], t["year"], strict=True))
    for ind in catalog.values():
        idx = pd.MultiIndex.from_tuples([(i, y, ind.id) for i, y in keys], names=["iso3", "year", "indicator"])
        rows = p.reindex(idx)
        out[f"{ind.name} ({ind.unit})"] = rows["value"].to_numpy()
        k = result.indicators.index(ind.id)
        filled = result.imputed[..., k].ravel()
        words = rows["status"].map(STATUS_WORDS).to_numpy()
        out[f"{ind.name}: status"] = [
            w if isinstance(w, str) else FILLED_WORD if f else "missing" for w, f in zip(words, filled, strict=True)
        ]
    out = out.sort_values(["Year", "ISO3"]).reset_index(drop=True)
    return out[[c for c, _ in columns(catalog)]]


def frame_csv(df: pd.DataFrame) -> str:
    """CSV text with the export's conventions: plain decimals, integers as integers, empty = missing."""
    lines = [",".join(_quote(safe_text(c)) for c in df.columns)]
    for row in df.itertuples(index=False):
        cells = []
        for v in row:
            if isinstance(v, str):
                cells.append(_quote(safe_text(v)))
            elif v is None or v is pd.NA or (isinstance(v, float) and v != v):
                cells.append("")
            elif float(v) == int(float(v)) and abs(float(v)) < 1e15:
                cells.append(str(int(float(v))))
            else:
                cells.append(_num(v, 4).rstrip("0").rstrip("."))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def readme(catalog: dict, spec_json: str, version: str, years: tuple[int, ...]) -> str:
    """The bundle's README: column dictionary, method in brief, how to cite, data version."""
    # column names carry indicator names and units, which an upload supplies: inert in Markdown (md)
    dictionary = "\n".join(f"| {md(c)} | {md(m)} |" for c, m in columns(catalog))
    return f"""# Moscow-alignment index: download bundle

Scores of the {len(PANEL_COUNTRIES)} non-Russian former Soviet republics, {years[0]}-{years[-1]}, for the spec in `spec.json`.
Data version: `{version}` (the first 12 hex digits of the SHA-256 of the data manifest; any change to any
input table changes it).

## Files
- `scores.csv`: one row per state and year.
- `spec.json`: the weights and methods used. `python -m scoring --weights spec.json --all-years`
  reproduces the scores with full precision.
- `sources.csv`: every source behind the values, with producer, title, address (`url`: the producer's page
  for the dataset or figure), the archived copy the figures were read from where that is elsewhere
  (`archive_url`), the year of the figure, the date it was read and, where present, its tier.

## Columns of scores.csv
| column | meaning |
|---|---|
{dictionary}

## Which way the numbers read
Every score in `scores.csv` reads the same way: the Score and each "pillar score (100 = closest to Moscow)"
are 0-100 with 100 = closest to Moscow in the panel's range and 0 = farthest. The raw input columns are
named for what they measure, in their own unit; the column dictionary says for each whether a higher
value is closer to Moscow or farther from it (for example, a high "Ties to and engagement with the West"
gives a low Western ties pillar score).

## The method in brief
Each input is put on a 0-100 scale where 100 is the end closest to Moscow, using the normalisation
named in `spec.json`. Inputs are weighted within their pillar and the pillars are weighted against each
other. A missing input is handled by the missing-data policy in `spec.json`: by default (`impute`) the
missing-data model fills it on the 0-100 scale from the state's own other years, else from the other
states and inputs, and its status says '{FILLED_WORD}'; the other policies carry the last value forward
or renormalise the weights over the inputs that have a value. The score is the weighted mean
(arithmetic or geometric, as named in the spec). Values that are estimated, imputed or carried forward
are marked in the status columns; missing raw values are left empty, never filled with zero.

## How to cite
Moscow-alignment index, data version {version}, spec as in `spec.json`. Cite the producers in
`sources.csv` for any single figure.
"""


def build_bundle(model: Model, spec, panel: pd.DataFrame, sources: dict, version: str) -> bytes:
    """The zip file (bytes) for ``spec`` scored on every panel year of ``model``."""
    spec = spec.replace(years=None)
    result = model.score(spec)
    scores = frame_csv(scores_frame(result, panel, model.catalog))
    src = pd.DataFrame([s.model_dump(mode="json") for s in sources.values()])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (
            ("scores.csv", scores),
            ("spec.json", spec.to_json()),
            ("sources.csv", frame_csv(src)),
            ("README.md", readme(model.catalog, spec.to_json(), version, tuple(result.years))),
        ):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed stamp: same input, same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    from indicators.loader import DATA_DIR, data_version, load_panel, load_sources

    parser = build_parser()
    parser.prog = "python -m scoring.bundle"
    parser.description = "Write a zip of every year's scores, the spec, the sources and a README."
    try:
        args = parser.parse_args(argv)
        if args.year is not None or args.all_years:
            raise UsageError("a bundle always covers every year; drop --year/--all-years")
        if not args.out:
            raise UsageError("give --out FILE.zip")
        model = _load_model(args.data)
        spec = make_spec(args, model)
        d = Path(args.data) if args.data else DATA_DIR
        data = build_bundle(model, spec, load_panel(d), load_sources(d), data_version(d))
        _write_atomic(args.out, data)
        return 0
    except (UsageError, SpecError) as e:
        return fail(e)


if __name__ == "__main__":
    raise SystemExit(main())
