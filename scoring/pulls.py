"""The poles lens: where each state sits between Moscow, the West and Beijing.

A second lens beside the Moscow-alignment score, which it does not change. It reads
``data/pulls.csv`` (one value 0-100 per country, year, measure and pole; built by
``indicators.builders.poles``) and turns the measures into a **position**: for each
country-year and each measure, the corner poles' values are divided by their sum (the
measure's shares of the pull); the position is the weighted mean of those shares over the
measures, so it sums to 1 over the poles.

Missing data, explicitly:

* a pole with no value in any weighted measure is left out of the position (the others
  still sum to 1) and reported in ``missing_poles``; the view draws the state without it
  and says so;
* a measure that lacks a value for one of the poles that do have data is left out of that
  country-year's position (``dropped``), so a gap never reads as a zero;
* a measure whose corner values sum to 0 carries no pull and is left out as well;
* a country-year with no usable measure has no position.

Usage::

    python -m scoring.pulls --year 2023 --out poles.csv
    python -m scoring.pulls --year 2023 --weights un_votes:2,trade:1   # or --weights FILE.json
    python -m scoring.pulls --all-years

writes ``iso3,country,year,measure,pole,value``: every measure value (0-100, every pole,
Ankara included) and the ``position`` rows (shares 0-1 of the corner poles). Bad input exits
with status 2 and a one-line message; nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indicators.args import one_line
from indicators.countries import PANEL_COUNTRIES
from scoring.export import safe_text
from scoring.untrusted import UntrustedInputError, check_number, load_json

POSITION = "position"
OUT_COLUMNS = ["iso3", "country", "year", "measure", "pole", "value"]


class PullsError(ValueError):
    """Bad weights, year or data for the poles lens; the message says what to fix."""


@dataclass(frozen=True)
class PullsModel:
    """The pulls table with its catalogue: what :func:`positions` needs."""

    pulls: pd.DataFrame
    poles: dict
    measures: dict

    @classmethod
    def shipped(cls, data_dir: Path | str | None = None) -> PullsModel:
        from indicators.loader import load_poles, load_pulls

        poles, measures = load_poles(data_dir)
        return cls(load_pulls(data_dir), poles, measures)

    @property
    def corners(self) -> tuple[str, ...]:
        return tuple(k for k, p in self.poles.items() if p.corner)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.pulls["year"])))

    def default_weights(self) -> dict[str, float]:
        return {k: float(m.weight) for k, m in self.measures.items()}

    def check_weights(self, weights: dict | None) -> dict[str, float]:
        """Full weights (defaults for ids not given); PullsError on unknown ids, bad numbers, all zero."""
        out = self.default_weights()
        for k, v in (weights or {}).items():
            if k not in out:
                raise PullsError(f"unknown measure {one_line(repr(k), 40)}; choose from: {', '.join(out)}")
            try:
                ok = not isinstance(v, bool) and isinstance(v, int | float) and check_number(v) >= 0
            except UntrustedInputError:
                ok = False
            if not ok:
                raise PullsError(f"weight of {k} must be a finite number >= 0, got {one_line(repr(v), 40)}")
            out[k] = float(v)
        if not any(v > 0 for v in out.values()):
            raise PullsError("all measure weights are zero; give at least one a positive weight")
        return out

    def check_year(self, year: int) -> int:
        if year not in self.years:
            raise PullsError(f"year {year} is not in the pulls table ({self.years[0]}-{self.years[-1]})")
        return year

    def default_year(self) -> int:
        """The latest year in which every panel state has a position resting on more than half of the
        default weight (2025 with the shipped data: UN votes, arms from the bilateral table, ties)."""
        w = self.default_weights()
        pos = positions(self.pulls, w, self.corners).drop_duplicates(["iso3", "year"])
        share = pos["used"].map(lambda u: sum(w[m] for m in u.split(";")) / sum(w.values()))
        ok = pos[share > 0.5].groupby("year")["iso3"].nunique()
        ok = ok[ok >= len(PANEL_COUNTRIES)]
        return int(ok.index.max()) if len(ok) else int(pos["year"].max())


def positions(
    pulls: pd.DataFrame, weights: dict[str, float], corners: tuple[str, ...] = ("moscow", "west", "beijing")
) -> pd.DataFrame:
    """Positions between the ``corners``: iso3, year, pole, value (shares summing to 1), used, dropped, missing_poles.

    ``used`` / ``dropped`` are ';'-joined measure ids; ``missing_poles`` the corners without data
    (no row is written for them). Rules: see the module docstring.
    """
    w = {k: v for k, v in weights.items() if v > 0}
    p = pulls[pulls["pole"].isin(corners) & pulls["measure"].isin(list(w))]
    rows = []
    for (iso3, year), g in p.groupby(["iso3", "year"], sort=True):
        by_m = {m: dict(zip(gm["pole"], gm["value"], strict=True)) for m, gm in g.groupby("measure", sort=False)}
        have = [c for c in corners if any(c in v for v in by_m.values())]
        missing = [c for c in corners if c not in have]
        used, dropped = [], []
        acc = dict.fromkeys(have, 0.0)
        for m in w:
            vals = by_m.get(m)
            if vals is None:
                continue
            total = sum(vals.get(c, 0.0) for c in have)
            if any(c not in vals for c in have) or total <= 0:
                dropped.append(m)
                continue
            used.append(m)
            for c in have:
                acc[c] += w[m] * vals[c] / total
        if not used:
            continue
        wsum = sum(w[m] for m in used)
        for c in have:
            rows.append(
                {
                    "iso3": iso3,
                    "year": int(year),
                    "pole": c,
                    "value": acc[c] / wsum,
                    "used": ";".join(used),
                    "dropped": ";".join(dropped),
                    "missing_poles": ";".join(missing),
                }
            )
    return pd.DataFrame(rows, columns=["iso3", "year", "pole", "value", "used", "dropped", "missing_poles"])


def pulls_table(model: PullsModel, weights: dict[str, float], years: tuple[int, ...] | None) -> pd.DataFrame:
    """The output table ``iso3,country,year,measure,pole,value`` for the given years (None = all)."""
    pulls = model.pulls if years is None else model.pulls[model.pulls["year"].isin(years)]
    pos = positions(pulls, weights, model.corners).assign(measure=POSITION)
    m = pulls[["iso3", "year", "measure", "pole", "value"]]
    out = pd.concat([m, pos[["iso3", "year", "measure", "pole", "value"]]], ignore_index=True)
    out = out[out["iso3"].isin(list(PANEL_COUNTRIES))]
    out["country"] = out["iso3"].map(PANEL_COUNTRIES)
    morder = {k: i for i, k in enumerate([*model.measures, POSITION])}
    porder = {k: i for i, k in enumerate(model.poles)}
    out = out.assign(_m=out["measure"].map(morder), _p=out["pole"].map(porder))
    out = out.sort_values(["year", "iso3", "_m", "_p"]).drop(columns=["_m", "_p"])
    return out[OUT_COLUMNS].reset_index(drop=True)


def pulls_csv(table: pd.DataFrame) -> str:
    """CSV text of :func:`pulls_table`: measures 0-100 and positions 0-1 with 4 decimals, ``\\n`` endings.

    The one writer, shared by the CLI and the page's download (same bytes for the same input).
    """
    lines = [",".join(OUT_COLUMNS)]
    for r in table.itertuples(index=False):
        lines.append(
            ",".join(
                [safe_text(r.iso3), _q(safe_text(r.country)), str(int(r.year)), r.measure, r.pole, f"{r.value:.4f}"]
            )
        )
    return "\n".join(lines) + "\n"


def _q(s: str) -> str:
    return f'"{s}"' if any(c in s for c in ',"\n') else s


# --------------------------------------------------------------------------- CLI
def build_parser() -> argparse.ArgumentParser:
    from scoring.cli import OneLineParser

    p = OneLineParser(
        prog="python -m scoring.pulls", description="Write each state's pull by pole and its position as CSV."
    )
    p.add_argument(
        "--year", type=int, help="year (default: latest year where every state's position rests on > half the weight)"
    )
    p.add_argument("--all-years", action="store_true", help="every year of the pulls table")
    p.add_argument("--weights", metavar="FILE.json|id:w,...", help="measure weights: a JSON object or id:weight pairs")
    p.add_argument("--out", metavar="FILE", help="write the CSV here (default: stdout)")
    p.add_argument("--data", metavar="DIR", help="data directory (default: the shipped data/)")
    return p


def read_weights(arg: str) -> dict:
    """Weights from a JSON file ({"un_votes": 2, ...}) or from ``id:weight`` pairs."""
    path = Path(arg)
    if path.suffix.lower() == ".json" or path.is_file():
        from scoring.cli import read_input

        try:
            data = load_json(read_input(arg))
        except UntrustedInputError as e:
            raise PullsError(
                f"--weights file {arg} is {e}" if str(e).startswith("not ") else f"--weights file {arg}: {e}"
            ) from None
        if not isinstance(data, dict) or not data:
            raise PullsError(f"--weights file {arg} must be a JSON object: measure id -> weight")
        return data
    out = {}
    for item in filter(None, arg.split(",")):
        key, sep, val = item.partition(":")
        try:
            out[key.strip()] = float(val) if sep else None
        except ValueError:
            raise PullsError(f"weight of {key.strip()} must be a number >= 0, got {val!r}") from None
        if out[key.strip()] is None:
            raise PullsError(f"--weights {item!r}: write id:weight, e.g. un_votes:2")
    if not out:
        raise PullsError("--weights is empty")
    return out


def main(argv: list[str] | None = None) -> int:
    from scoring.cli import UsageError, fail, write_output

    try:
        a = build_parser().parse_args(argv)
        if a.all_years and a.year is not None:
            raise PullsError("give either --year or --all-years, not both")
        from indicators.loader import DATA_DIR, DataError

        d = Path(a.data) if a.data else DATA_DIR
        if not (d / "pulls.csv").exists():
            raise PullsError(f"no pulls.csv in {d}; build the data first with: python -m indicators.build --raw RAW")
        try:
            model = PullsModel.shipped(d)
        except DataError as e:
            raise PullsError(f"the data in {d} failed validation: {e}") from None
        weights = model.check_weights(read_weights(a.weights) if a.weights else None)
        years = None if a.all_years else (model.check_year(a.year) if a.year is not None else model.default_year(),)
        write_output(pulls_csv(pulls_table(model, weights, years)), a.out)
        return 0
    except (PullsError, UsageError) as e:
        return fail(e)


if __name__ == "__main__":
    sys.exit(main())
