"""Explain a change in score between two years: parts that add up exactly to it.

For one spec, one country and two years ``a`` (from) and ``b`` (to), let ``S_a`` and
``S_b`` be the weighted indicators with a value in each year and ``S = S_a ∩ S_b`` the
indicators both years share. Every score is a hierarchical weighted mean (see
:func:`scoring.aggregate.aggregate`); in the method's transformed space
(``g(x) = x`` for the arithmetic mean, ``g(x) = ln(x + 1)`` for the geometric mean) it is
linear::

    T(X, x) = sum_{i in X} a_i(X) g(x_i)
    a_i(X)  = W_p / sum_{q with data in X} W_q  *  w_i / sum_{j in p ∩ X} w_j     (i in pillar p)

with ``w`` the effective weights and ``W_p`` the sum of the effective weights of pillar
``p``: ``a_i(X)`` is the share of indicator ``i`` in a score that uses the set ``X``
(missing indicators dropped, weights renormalised inside the pillar, then across pillars).
The change ``T(S_b, x_b) - T(S_a, x_a)`` splits exactly into

* one part per shared indicator ``i in S``: ``a_i(S) * (g(x_b,i) - g(x_a,i))`` — its
  contribution at the later year minus at the earlier year, both on the shared set ``S``
  (zero when its value did not change);
* ``composition = [T(S_b, x_b) - T(S, x_b)] - [T(S_a, x_a) - T(S, x_a)]`` — what the
  indicators present in only one of the two years add at the later year minus what they
  added at the earlier year, including the reweighting of all the others that their
  entering or leaving causes. With ``S`` empty it is the whole change.

The parts sum to ``T(S_b, x_b) - T(S_a, x_a)`` by construction (the ``T(S, .)`` terms
cancel).

* Arithmetic mean: ``T`` is the score, so the parts are in score points and add up
  exactly to ``score_b - score_a``.
* Geometric mean: the score is ``exp(T) - 1``. The parts are computed in log space as
  above and rescaled by the logarithmic mean ``L = (s_b - s_a) / (ln(s_b + 1) - ln(s_a + 1))``
  of ``s_a + 1`` and ``s_b + 1`` (``L = s + 1`` when the two are equal). Since
  ``exp(T_b) - exp(T_a) = L * (T_b - T_a)``, the rescaled parts still add up exactly to
  ``score_b - score_a``, an unchanged indicator still gets 0, and the split is the
  log-mean Divisia split used for index decompositions (no residual, no order effect).

**Imputed values.** The values are those the score uses (:meth:`scoring.model.Model.values`):
under the default policy ``impute`` every missing value is filled by the missing-data model,
so every weighted indicator is in both years, ``S`` is the whole set and ``composition`` is 0:
no data enter or leave. An indicator whose value is filled by the policy in either year is its
own kind of part, ``imputed`` (written ``imputed:<id>`` in the CSV), so a move that comes from
an imputed value says so.

Normalisation is done once over every year and country of the panel
(:mod:`scoring.normalise`), never over the two years compared, so a normalised value does
not depend on the year pair and there is no normalisation part. The scores compared are
those of :meth:`scoring.model.Model.score` for the spec; when either score is missing
(no data, or coverage below the threshold of policy ``coverage_threshold``) the change
and its parts are missing (NaN) and ``reason`` says why.

Command line::

    python -m scoring.diff --from 2023 --to 2024                        # every state, CSV on stdout
    python -m scoring.diff --from 2023 --to 2024 --country ARM --weights spec.json --out arm.csv

writes the long CSV ``iso3,country,from,to,part,change`` (``part``: an indicator id whose
value changed, ``imputed:<id>`` for one whose value is imputed in either year, ``composition``
(only under the policies that drop missing values), or ``total``; parts before ``total``,
largest first).
Bad input exits with status 2 and a one-line message, like ``python -m scoring``.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from scoring.aggregate import AGGREGATORS, GEO_SHIFT
from scoring.export import _num, _quote, safe_text
from scoring.model import Model
from scoring.spec import ScoringSpec, SpecError

COMPOSITION = "composition"
TOTAL = "total"
#: Kind of a part whose indicator value is filled by the missing-data policy in either year.
IMPUTED = "imputed"
#: Columns of :func:`explain_change`'s table.
COLUMNS = [
    "iso3",
    "country",
    "from",
    "to",
    "part",
    "kind",
    "change",
    "changed",
    "raw_from",
    "raw_to",
    "norm_from",
    "norm_to",
    "share",
    "score_from",
    "score_to",
    "entered",
    "left",
    "reason",
]


def indicator_shares(w: np.ndarray, membership: np.ndarray, present: np.ndarray) -> np.ndarray:
    """``a_i(X)`` for each row of ``present`` (..., I): each indicator's share of a score using set ``X``.

    ``w``: effective weights (I,); ``membership``: (I, P) 0/1. Shares are 0 outside ``X`` and
    sum to 1 over ``X`` when ``X`` holds any positive weight (else all 0). Same weights as
    :func:`scoring.aggregate.aggregate`.
    """
    w = np.asarray(w, dtype=float)
    wp = np.where(present, w, 0.0)
    den = wp @ membership  # (..., P) weight present in each pillar
    pillar_w = w @ membership  # (P,)
    has = den > 0
    pw = np.where(has, pillar_w, 0.0)
    tot = pw.sum(axis=-1, keepdims=True)
    pillar_share = pw / np.where(tot > 0, tot, 1.0)  # (..., P)
    den_i = den @ membership.T  # (..., I) weight present in the indicator's pillar
    # ratios of like quantities first, so a tiny (even subnormal) weight cannot overflow
    within = np.where(den_i > 0, wp / np.where(den_i > 0, den_i, 1.0), 0.0)
    return within * (pillar_share @ membership.T)


def _logmean(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Logarithmic mean of positive ``u`` and ``v``: ``(u - v) / (ln u - ln v)``, ``u`` when equal."""
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.log(u) - np.log(v)
        close = np.abs(d) < 1e-12
        return np.where(close, (u + v) / 2, (u - v) / np.where(close, 1.0, d))


def decompose(model: Model, spec: ScoringSpec, year_from: int, year_to: int, scores=None) -> dict[str, np.ndarray]:
    """The parts of every country's change from ``year_from`` to ``year_to`` (formula: module docstring).

    Returns arrays over the model's countries: ``indicator`` (C, I) the per-indicator parts
    (0 outside the shared set), ``composition`` (C,), ``total`` (C,) = score_to - score_from,
    ``score_from``/``score_to`` (C,), ``share`` (C, I) = ``a_i(S)``, ``present_from``/``present_to``
    (C, I) and ``norm_from``/``norm_to`` (C, I). Parts are NaN where either score is missing.
    ``scores``: optional (Y, C) scores of ``model.score(spec)`` for all years, to skip rescoring.
    """
    if int(year_from) == int(year_to):
        raise SpecError(f"--from and --to are both {year_from}; give two different years")
    i0, i1 = model.year_index(year_from), model.year_index(year_to)
    if scores is None:
        scores = model.score(spec.replace(years=None)).score
    s0, s1 = scores[i0], scores[i1]
    w = model.weights(spec)
    x = model.values(spec)
    x0, x1 = x[i0], x[i1]
    src = ~np.isnan(model.normalised(spec.normalisation).values)
    p0 = ~np.isnan(x0) & (w > 0)
    p1 = ~np.isnan(x1) & (w > 0)
    shared = p0 & p1
    g = AGGREGATORS[spec.aggregation].forward
    t0 = np.where(p0, g(np.where(p0, x0, 0.0)), 0.0)
    t1 = np.where(p1, g(np.where(p1, x1, 0.0)), 0.0)
    m = model.membership
    a0, a1, a_s = (indicator_shares(w, m, p) for p in (p0, p1, shared))
    big0, big1 = (a0 * t0).sum(-1), (a1 * t1).sum(-1)
    in_s0, in_s1 = (a_s * t0).sum(-1), (a_s * t1).sum(-1)
    ind = a_s * (t1 - t0)
    comp = (big1 - in_s1) - (big0 - in_s0)
    if spec.aggregation == "arithmetic":
        scale = np.ones_like(s0)
    else:
        scale = _logmean(s1 + GEO_SHIFT, s0 + GEO_SHIFT)
    ok = ~np.isnan(s0) & ~np.isnan(s1)
    nan = np.nan
    return {
        "indicator": np.where(ok[:, None], ind * scale[:, None], nan),
        "composition": np.where(ok, comp * scale, nan),
        "total": s1 - s0,
        "score_from": s0,
        "score_to": s1,
        "share": a_s,
        "present_from": p0,
        "present_to": p1,
        "norm_from": x0,
        "norm_to": x1,
        "imputed": ~(src[i0] & src[i1]) & shared,
    }


def _reason(s0: float, s1: float, y0: int, y1: int, spec: ScoringSpec) -> str:
    gone = [str(y) for s, y in ((s0, y0), (s1, y1)) if np.isnan(s)]
    if not gone:
        return ""
    why = (
        f"coverage below {spec.min_coverage:.0%} or no data"
        if spec.missing == "coverage_threshold"
        else "no data on any weighted indicator"
    )
    return f"no score in {' and '.join(gone)} ({why})"


def explain_change(
    model: Model, spec: ScoringSpec, year_from: int, year_to: int, countries: list[str] | None = None
) -> pd.DataFrame:
    """Long table of the parts of each country's change (columns :data:`COLUMNS`).

    Per country: one ``kind="indicator"`` row per shared weighted indicator (``changed`` says
    whether its raw value differs; unchanged ones have change 0) — ``kind="imputed"`` when its
    value is filled by the missing-data policy in either year (``changed``: the normalised value
    used differs; ``raw_from``/``raw_to`` are NaN where imputed) —, one ``composition`` row
    (``entered``/``left`` list the indicators with a value only in the later/earlier year,
    ``;``-separated), and one ``total`` row. Indicator and composition rows sum to ``total``.
    ``countries``: ISO3 codes to keep (default: all; SpecError for an unknown one).
    """
    d = decompose(model, spec, year_from, year_to)
    keep = list(model.countries) if countries is None else [c.upper() for c in countries]
    unknown = [c for c in keep if c not in model.countries]
    if unknown:
        raise SpecError(f"unknown country {unknown[0]!r}; choose one of: {', '.join(model.countries)}")
    i0, i1 = model.year_index(year_from), model.year_index(year_to)
    raw0, raw1 = model.raw[i0], model.raw[i1]
    ids = np.array(model.indicators, dtype=object)
    rows = []
    for c in (model.countries.index(k) for k in keep):
        base = {
            "iso3": model.countries[c],
            "country": model.country_names[c],
            "from": int(year_from),
            "to": int(year_to),
            "score_from": d["score_from"][c],
            "score_to": d["score_to"][c],
            "reason": _reason(d["score_from"][c], d["score_to"][c], year_from, year_to, spec),
        }
        p0, p1 = d["present_from"][c], d["present_to"][c]
        for k in np.flatnonzero(p0 & p1):
            imp = bool(d["imputed"][c, k])
            rows.append(
                base
                | {
                    "part": model.indicators[k],
                    "kind": IMPUTED if imp else "indicator",
                    "change": d["indicator"][c, k],
                    "changed": bool(d["norm_from"][c, k] != d["norm_to"][c, k])
                    if imp
                    else bool(raw0[c, k] != raw1[c, k]),
                    "raw_from": raw0[c, k],
                    "raw_to": raw1[c, k],
                    "norm_from": d["norm_from"][c, k],
                    "norm_to": d["norm_to"][c, k],
                    "share": d["share"][c, k],
                }
            )
        rows.append(
            base
            | {
                "part": COMPOSITION,
                "kind": COMPOSITION,
                "change": d["composition"][c],
                "changed": bool((p0 != p1).any()),
                "entered": ";".join(ids[p1 & ~p0]),
                "left": ";".join(ids[p0 & ~p1]),
            }
        )
        rows.append(base | {"part": TOTAL, "kind": TOTAL, "change": d["total"][c], "changed": True})
    df = pd.DataFrame(rows)
    for col in COLUMNS:
        if col not in df:
            df[col] = np.nan
    df["entered"] = df["entered"].fillna("")
    df["left"] = df["left"].fillna("")
    return df[COLUMNS]


def listed_parts(df: pd.DataFrame) -> pd.DataFrame:
    """The parts worth showing: indicators whose value changed, plus ``composition`` when the set changed
    or the composition part is not 0; sorted largest (absolute) first, ties by name. No ``total`` rows."""
    keep = df["kind"].isin(["indicator", IMPUTED]) & df["changed"]
    keep |= (df["kind"] == COMPOSITION) & (df["changed"] | (df["change"].fillna(0) != 0))
    out = df[keep].assign(_abs=lambda t: t["change"].abs())
    out = out.sort_values(["iso3", "_abs", "part"], ascending=[True, False, True], na_position="last")
    return out.drop(columns="_abs").reset_index(drop=True)


def biggest_drivers(df: pd.DataFrame) -> pd.DataFrame:
    """One row per country: iso3, country, score_from, score_to, change, driver (the part with the largest
    absolute change), driver_change, reason. ``driver`` is empty when nothing moved or a score is missing."""
    parts = listed_parts(df)
    rows = []
    for iso, g in df.groupby("iso3", sort=False):
        tot = g[g["kind"] == TOTAL].iloc[0]
        p = parts[(parts["iso3"] == iso) & parts["change"].notna() & (parts["change"] != 0)]
        top = p.iloc[0] if len(p) else None
        rows.append(
            {
                "iso3": iso,
                "country": tot["country"],
                "score_from": tot["score_from"],
                "score_to": tot["score_to"],
                "change": tot["change"],
                "driver": "" if top is None else top["part"],
                "driver_change": np.nan if top is None else top["change"],
                "reason": tot["reason"],
            }
        )
    return pd.DataFrame(rows)


def change_csv(df: pd.DataFrame) -> str:
    """The long CSV ``iso3,country,from,to,part,change``: per country the listed parts (largest first),
    then ``total``. Changes with 4 decimals; a change that cannot be computed (a score is missing) is an
    empty cell, and such a country has only its ``total`` row."""
    parts = listed_parts(df)
    lines = ["iso3,country,from,to,part,change"]
    for iso, g in df.groupby("iso3", sort=False):
        tot = g[g["kind"] == TOTAL].iloc[0].to_dict()
        rows = [] if np.isnan(tot["change"]) else parts[parts["iso3"] == iso].to_dict("records")
        for r in [*rows, tot]:
            text = [_quote(safe_text(r[k])) for k in ("iso3", "country")]
            part = f"{IMPUTED}:{r['part']}" if r["kind"] == IMPUTED else r["part"]
            nums = [str(int(r["from"])), str(int(r["to"])), _quote(safe_text(part)), _num(r["change"])]
            lines.append(",".join(text + nums))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- command line
def build_parser() -> argparse.ArgumentParser:
    """Options: the years and country, then the spec options of ``python -m scoring`` (same precedence)."""
    from scoring.cli import OneLineParser, add_spec_options

    p = OneLineParser(
        prog="python -m scoring.diff",
        description="Explain each country's score change between two years: parts that add up to it (CSV).",
    )
    p.add_argument("--from", dest="year_from", type=int, required=True, metavar="YEAR", help="earlier year")
    p.add_argument("--to", dest="year_to", type=int, required=True, metavar="YEAR", help="later year")
    p.add_argument("--country", metavar="ISO3", help="one country (default: all 14)")
    return add_spec_options(p)


def main(argv: list[str] | None = None) -> int:
    from scoring.cli import UsageError, _load_model, fail, make_spec, write_output

    try:
        args = build_parser().parse_args(argv)
        model = _load_model(args.data)
        if args.country is not None and args.country.upper() not in model.countries:
            raise UsageError(f"unknown country {args.country!r}; choose one of: {', '.join(model.countries)}")
        for y in (args.year_from, args.year_to):
            model.year_index(y)
        if args.year_from == args.year_to:
            raise UsageError(f"--from and --to are both {args.year_from}; give two different years")
        args.all_years, args.year = True, None
        spec = make_spec(args, model)
        df = explain_change(model, spec, args.year_from, args.year_to, None if args.country is None else [args.country])
        write_output(change_csv(df), args.out)
        return 0
    except (UsageError, SpecError) as e:
        return fail(e)


if __name__ == "__main__":
    raise SystemExit(main())
