"""Masking backtest of the missing-data policies: hide values we have and see how far each policy lands.

Two kinds of case, on the normalised cube of the spec (default preset unless options say otherwise):

* **one value** — every *observed* value (status ``observed``) of 2013-2024 is hidden in turn;
* **latest year** — for every state and every year 2014-2024, all of that state's statistical
  values of the year (indicators whose scale is not binary or ordinal: trade, energy,
  remittances, arms, UN votes, the Western index) are hidden at once, as when the
  statistics offices have not yet published.

For each case and each policy the state's score in that year is computed with the value(s)
hidden and compared with its score under the same policy with nothing hidden:
``error = |score_hidden - score_full|``; ``rank_changed`` = the state's rank in that year
differs. Policies: ``model`` (:mod:`scoring.impute`, the model re-fitted on the masked cube),
``available_case`` (drop and renormalise, policy ``renormalise``) and ``carry_forward``.
The normalisation is not re-fitted (the masked value still counts in min and max), so the
comparison isolates the missing-data policy.

Command line::

    python -m scoring.backtest            # table per kind of case and policy
    python -m scoring.backtest --json     # {"model": {"median_abs_error": x, "rank_changed_share": y,
                                          #   "cases": n}, "available_case": {...}, "carry_forward": {...}}

``--json`` reports the one-value cases (each observed value of 2013-2024 hidden in turn);
the spec options of ``python -m scoring`` (``--preset``, ``--weights``, ...) apply.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.aggregate import aggregate
from scoring.impute import carry_forward, impute
from scoring.model import Model, min_rank
from scoring.spec import ScoringSpec, SpecError

#: Policy names of the backtest -> the spec's missing-data policy they stand for.
POLICIES: dict[str, str] = {"model": "impute", "available_case": "renormalise", "carry_forward": "carry_forward"}
#: Years whose observed values are hidden (the last panel year has too few to test against).
FIRST_YEAR, LAST_YEAR = 2013, 2024
KINDS = ("one_value", "latest_year")
#: The published backtest of the shipped data (default spec), read by the Methodology view and the README;
#: written by ``python -m scoring.golden --write`` and checked against a fresh run by the golden tests.
PUBLISHED = Path(__file__).resolve().parent.parent / "docs" / "backtest.json"


def _fill(policy: str, x: np.ndarray, groups: tuple) -> np.ndarray:
    if policy == "model":
        return impute(x, groups).mean
    if policy == "carry_forward":
        return carry_forward(x)
    return x


def _cases(model: Model, kind: str) -> list[tuple[int, int, np.ndarray]]:
    """(year index, country index, (C, I) mask of the cells hidden in that year) for each case."""
    ys = [k for k, y in enumerate(model.years) if FIRST_YEAR <= y <= LAST_YEAR]
    present = ~np.isnan(model.raw)
    out = []
    if kind == "one_value":
        obs = model.observed & present
        for yi in ys:
            for ci, ii in zip(*np.nonzero(obs[yi]), strict=True):
                m = np.zeros(model.raw.shape[1:], dtype=bool)
                m[ci, ii] = True
                out.append((yi, int(ci), m))
        return out
    stat = np.array([model.catalog[i].scale not in ("binary", "ordinal") for i in model.indicators])
    for yi in ys:
        if yi == 0:
            continue
        for ci in range(len(model.countries)):
            m = np.zeros(model.raw.shape[1:], dtype=bool)
            m[ci] = present[yi, ci] & stat
            if m.any():
                out.append((yi, ci, m))
    return out


def run(model: Model, spec: ScoringSpec) -> pd.DataFrame:
    """One row per case and policy: kind, policy, year, iso3, hidden (cells), error, rank_changed."""
    w = model.weights(spec)
    base = model.normalised(spec.normalisation).values
    rows = []
    for policy in POLICIES:
        full = _fill(policy, base, model.pillar_of)
        full_scores = aggregate(full, w, model.membership, spec.aggregation, details=False).score  # (Y, C)
        for kind in KINDS:
            for yi, ci, mask in _cases(model, kind):
                hide = mask & ~np.isnan(base[yi])
                if not hide.any():
                    continue  # nothing to hide (an indicator treated as missing, e.g. zero range)
                x = base.copy()
                x[yi][hide] = np.nan
                filled = _fill(policy, x, model.pillar_of)
                s = aggregate(filled[yi], w, model.membership, spec.aggregation, details=False).score
                r_full, r_new = min_rank(full_scores[yi]), min_rank(s)
                err = abs(s[ci] - full_scores[yi, ci])
                rows.append(
                    {
                        "kind": kind,
                        "policy": policy,
                        "year": model.years[yi],
                        "iso3": model.countries[ci],
                        "hidden": int(mask.sum()),
                        "error": err,
                        "rank_changed": bool(r_full[ci] != r_new[ci]) if not np.isnan(s[ci]) else True,
                    }
                )
    return pd.DataFrame(rows)


def summary(cases: pd.DataFrame, kind: str = "one_value") -> dict[str, dict]:
    """``{policy: {"median_abs_error", "rank_changed_share", "cases"}}`` over the cases of ``kind``."""
    out = {}
    for policy in POLICIES:
        c = cases[(cases["kind"] == kind) & (cases["policy"] == policy)]
        out[policy] = {
            "median_abs_error": round(float(np.nanmedian(c["error"])), 4) if len(c) else None,
            "rank_changed_share": round(float(c["rank_changed"].mean()), 4) if len(c) else None,
            "cases": len(c),
        }
    return out


def table(cases: pd.DataFrame) -> list[dict]:
    """Rows of the published table: kind, policy, median, mean and 90th-percentile |error|, rank-change share, cases."""
    rows = []
    for kind in KINDS:
        for policy in POLICIES:
            c = cases[(cases["kind"] == kind) & (cases["policy"] == policy)]
            rows.append(
                {
                    "kind": kind,
                    "policy": policy,
                    "median_abs_error": round(float(np.nanmedian(c["error"])), 4),
                    "mean_abs_error": round(float(np.nanmean(c["error"])), 4),
                    "p90_abs_error": round(float(np.nanquantile(c["error"], 0.9)), 4),
                    "rank_changed_share": round(float(c["rank_changed"].mean()), 4),
                    "cases": len(c),
                }
            )
    return rows


def published_text(model: Model, cases: pd.DataFrame | None = None) -> str:
    """JSON text of :data:`PUBLISHED`: the table of :func:`table` for the default spec (``cases``: its
    :func:`run`, if already computed)."""
    return json.dumps(table(run(model, ScoringSpec()) if cases is None else cases), indent=1) + "\n"


def load_published() -> list[dict]:
    """The published backtest table (empty when the file has not been written)."""
    return json.loads(PUBLISHED.read_text(encoding="utf-8")) if PUBLISHED.exists() else []


def markdown_rows(rows: list[dict]) -> str:
    """The README's table rows (between ``<!-- backtest:start -->`` and ``<!-- backtest:end -->``) for the
    rows of :func:`table` / :func:`load_published`."""
    return "\n".join(
        f"| {r['kind'].replace('_', ' ')} | {r['policy'].replace('_', '-')} | {r['median_abs_error']:.2f} | "
        f"{r['mean_abs_error']:.2f} | {r['p90_abs_error']:.2f} | {r['rank_changed_share']:.1%} | {r['cases']:,} |"
        for r in rows
    )


def table_text(cases: pd.DataFrame) -> str:
    """The printed table: per kind of case and policy, median and 90th percentile error, rank changes, cases."""
    lines = ["cases        policy          median |error|  mean |error|  p90 |error|  rank changed  cases"]
    for kind in KINDS:
        for policy in POLICIES:
            c = cases[(cases["kind"] == kind) & (cases["policy"] == policy)]
            lines.append(
                f"{kind:<12} {policy:<15} {np.nanmedian(c['error']):>14.3f} {np.nanmean(c['error']):>13.3f}"
                f" {np.nanquantile(c['error'], 0.9):>12.3f}"
                f" {c['rank_changed'].mean():>12.1%} {len(c):>6}"
            )
    return "\n".join(lines) + "\n"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        from scoring.cli import UsageError

        raise UsageError(f"{message} (see python -m scoring.backtest --help)")


def build_parser() -> argparse.ArgumentParser:
    from scoring.cli import add_spec_options

    p = _Parser(prog="python -m scoring.backtest", description="Masking backtest of the missing-data policies.")
    p.add_argument("--json", action="store_true", help="print the one-value summary as JSON")
    p.add_argument("--markdown", action="store_true", help="print the README's table rows (both kinds of case)")
    return add_spec_options(p)


def main(argv: list[str] | None = None) -> int:
    from scoring.cli import UsageError, _load_model, make_spec, write_output

    try:
        args = build_parser().parse_args(argv)
        model = _load_model(args.data)
        args.all_years, args.year = True, None
        spec = make_spec(args, model)
        cases = run(model, spec)
        if args.json:
            text = json.dumps(summary(cases), indent=2) + "\n"
        elif args.markdown:
            text = markdown_rows(table(cases)) + "\n"
        else:
            text = table_text(cases)
        write_output(text, args.out)
        return 0
    except (UsageError, SpecError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
