"""Statistical audit of one year, in the manner of the JRC's COINr and the OECD/JRC Handbook.

Usage::

    python -m scoring.audit --year 2023            # CSV on stdout (one long table: section, ..., value)
    python -m scoring.audit --year 2023 --json     # one JSON object
    python -m scoring.audit --year 2013 --winsorise --sobol-n 64 --out audit.csv

Every part uses the normalised values with directions applied (100 = closest to Moscow), so a
positive correlation means two indicators point the same way:

- ``correlations``: Pearson r between indicators across the states with both values
  (pairwise), and of each indicator with its own pillar's sub-score.
- ``flags``: pairs with ``|r| >= 0.9`` (``redundant``; ``same_pillar`` says whether they share a
  pillar) and indicators whose correlation with their own pillar is negative (``negative_with_pillar``).
  A pair or indicator with fewer than :data:`MIN_PAIRS` states with values is not judged.
- ``cronbach_alpha``: per pillar with at least two indicators, over the states with every value.
- ``pca_explained``: share of variance of each principal component of the standardised indicators
  (a missing value is set to the indicator's mean, i.e. 0 after standardising).
- ``skew_kurtosis``: sample skewness and excess kurtosis of each indicator's raw values (as Excel's
  SKEW and KURT, which COINr's ``skew``/``kurt`` follow). COINr's default outlier rule flags an
  indicator when ``|skew| > 2`` and ``kurtosis > 3.5``; with ``--winsorise`` (off by default) such an
  indicator is winsorised as COINr's ``winsorise`` does (the most extreme value on the side of the skew
  takes the next value, at most 5 points) and every treated point is logged (``treatment``, and one
  line per point on stderr). COINr's fallback (a log transform when winsorising does not suffice) is
  not applied: such an indicator is reported as still outside the limits. The treatment affects the
  audit only, never the scores.
- ``sobol``: first-order and total Sobol indices of each state's rank (SALib, Saltelli/Sobol'
  sampling with grouped factors) over five uncertain inputs; see :func:`sobol_ranks`.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from scoring.aggregate import AGGREGATORS
from scoring.model import Model, min_rank
from scoring.normalise import NORMALISERS
from scoring.sensitivity import DATA_BANDS
from scoring.spec import MISSING_POLICIES, ScoringSpec, SpecError

#: |r| at or above which two indicators are flagged as redundant.
REDUNDANT_R = 0.9
#: Fewest states with both values for a correlation to be judged.
MIN_PAIRS = 5
#: COINr's default outlier rule (``qTreat``): winsorise when |skew| > SKEW_MAX and kurtosis > KURT_MAX,
#: at most WINMAX points per indicator.
SKEW_MAX, KURT_MAX, WINMAX = 2.0, 3.5, 5
#: Sobol' base sample size (a power of 2). Model runs = SOBOL_N x (2 x inputs + 2).
SOBOL_N = 128
#: Weights input: every pillar and indicator weight is multiplied by a factor uniform in this range.
WEIGHT_RANGE = (0.5, 1.5)
#: The uncertain inputs of the Sobol analysis, in output order.
SOBOL_INPUTS = ("weights", "normalisation", "aggregation", "missing_data", "data")


# --------------------------------------------------------------------------------- correlations
def year_frame(model: Model, year: int, normalisation: str = "minmax") -> pd.DataFrame:
    """States x indicators of one year: normalised values, directions applied (NaN = missing)."""
    x = model.normalised(normalisation).values[model.year_index(year)]
    return pd.DataFrame(x, index=list(model.countries), columns=list(model.indicators))


def correlations(frame: pd.DataFrame, pillar_scores: pd.DataFrame, pillar_of: dict[str, str]) -> dict:
    """Indicator x indicator r (pairwise complete) and each indicator's r with its own pillar."""
    r = frame.corr(min_periods=MIN_PAIRS)
    with_pillar = {}
    for i, p in pillar_of.items():
        both = pd.concat([frame[i], pillar_scores[p]], axis=1).dropna()
        ok = len(both) >= MIN_PAIRS and both.iloc[:, 0].std() > 0 and both.iloc[:, 1].std() > 0
        with_pillar[i] = float(both.iloc[:, 0].corr(both.iloc[:, 1])) if ok else None
    return {"indicators": _matrix(r), "with_own_pillar": with_pillar}


def _matrix(r: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    return {
        a: {b: (None if pd.isna(r.loc[a, b]) else round(float(r.loc[a, b]), 4)) for b in r.columns} for a in r.index
    }


def flags(corr: dict, pillar_of: dict[str, str]) -> list[dict]:
    """Redundant pairs (|r| >= 0.9) and indicators negatively correlated with their own pillar."""
    out = []
    ids = list(corr["indicators"])
    for k, a in enumerate(ids):
        for b in ids[k + 1 :]:
            r = corr["indicators"][a][b]
            if r is not None and abs(r) >= REDUNDANT_R:
                out.append({"flag": "redundant", "a": a, "b": b, "r": r, "same_pillar": pillar_of[a] == pillar_of[b]})
    sizes = pd.Series(pillar_of).value_counts()
    for i, r in corr["with_own_pillar"].items():
        if r is not None and r < 0 and sizes[pillar_of[i]] > 1:
            out.append({"flag": "negative_with_pillar", "indicator": i, "pillar": pillar_of[i], "r": round(r, 4)})
    return out


def cronbach_alpha(frame: pd.DataFrame, pillar_of: dict[str, str]) -> dict[str, dict]:
    """Cronbach's alpha per pillar of two or more indicators, over the states with all its values."""
    out = {}
    for p in dict.fromkeys(pillar_of.values()):
        cols = [i for i, q in pillar_of.items() if q == p]
        if len(cols) < 2:
            out[p] = {"alpha": None, "indicators": len(cols), "states": None, "note": "one indicator"}
            continue
        d = frame[cols].dropna()
        k = len(cols)
        total = d.sum(axis=1).var(ddof=1)
        if len(d) < 3 or not total > 0:
            out[p] = {"alpha": None, "indicators": k, "states": len(d), "note": "too few complete states"}
            continue
        alpha = k / (k - 1) * (1 - d.var(ddof=1).sum() / total)
        out[p] = {"alpha": round(float(alpha), 4), "indicators": k, "states": len(d), "note": ""}
    return out


def pca_explained(frame: pd.DataFrame) -> list[float]:
    """Share of variance per principal component of the standardised indicators (missing -> mean)."""
    sd = frame.std(ddof=1)
    z = ((frame - frame.mean()) / sd)[sd[sd > 0].index].fillna(0.0).to_numpy()
    if z.size == 0:
        return []
    s = np.linalg.svd(z, compute_uv=False) ** 2
    return [round(float(v), 4) for v in s / s.sum()]


# --------------------------------------------------------------------------------- outliers
def skew_kurt(x: np.ndarray) -> tuple[float | None, float | None]:
    """Sample skewness and excess kurtosis (bias-corrected, as Excel's SKEW and KURT)."""
    x = x[~np.isnan(x)]
    if len(x) < 4 or np.ptp(x) == 0:
        return None, None
    return float(stats.skew(x, bias=False)), float(stats.kurtosis(x, bias=False))


def outside_limits(skew: float | None, kurt: float | None) -> bool:
    """COINr's default rule: an indicator needs treatment when |skew| > 2 and kurtosis > 3.5."""
    return skew is not None and kurt is not None and abs(skew) > SKEW_MAX and kurt > KURT_MAX


def winsorise(x: np.ndarray, labels: Sequence[str]) -> tuple[np.ndarray, list[dict]]:
    """COINr's winsorisation: while outside the limits (at most WINMAX times), the most extreme value on
    the side of the skew takes the next value in. Returns the treated copy and one log entry per point."""
    x = np.array(x, dtype=float)
    log = []
    for _ in range(WINMAX):
        s, k = skew_kurt(x)
        if not outside_limits(s, k):
            break
        ok = ~np.isnan(x)
        if s > 0:
            i = int(np.nanargmax(x))
            new = float(np.max(x[ok & (x < x[i])]))
        else:
            i = int(np.nanargmin(x))
            new = float(np.min(x[ok & (x > x[i])]))
        log.append({"state": labels[i], "from": float(x[i]), "to": new, "side": "high" if s > 0 else "low"})
        x[i] = new
    return x, log


def skew_kurtosis(model: Model, year: int, treat: bool = False) -> tuple[dict, list[dict], pd.DataFrame]:
    """Per indicator: skewness, kurtosis, whether COINr's rule flags it, and (``treat``) after treatment.

    Returns (table, treatment log, raw year frame after any treatment)."""
    raw = pd.DataFrame(model.raw[model.year_index(year)], index=list(model.countries), columns=list(model.indicators))
    out, log = {}, []
    for i in raw.columns:
        s, k = skew_kurt(raw[i].to_numpy())
        row = {"skewness": _r(s), "kurtosis": _r(k), "outside_limits": outside_limits(s, k)}
        if treat and row["outside_limits"]:
            new, points = winsorise(raw[i].to_numpy(), list(raw.index))
            raw[i] = new
            s2, k2 = skew_kurt(new)
            row |= {"winsorised": len(points), "skewness_after": _r(s2), "kurtosis_after": _r(k2)}
            row["outside_limits_after"] = outside_limits(s2, k2)
            log += [{"indicator": i, **p} for p in points]
        out[i] = row
    return out, log, raw


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


# --------------------------------------------------------------------------------- Sobol
def sobol_indices(
    names: Sequence[str],
    groups: Sequence[str],
    bounds: Sequence[tuple[float, float]],
    func: Callable[[np.ndarray], np.ndarray],
    n: int = SOBOL_N,
    seed: int = 0,
) -> dict[str, dict[str, np.ndarray]]:
    """First-order and total Sobol indices of every output of ``func`` per group of factors (SALib).

    ``func`` maps a (runs, factors) sample to (runs, outputs). Returns group -> {"S1": (outputs,),
    "ST": (outputs,)}. An output that does not vary has indices 0."""
    from SALib.analyze import sobol as analyse
    from SALib.sample import sobol as sample

    problem = {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}
    uniq = list(dict.fromkeys(groups))
    if len(uniq) < len(names):
        problem["groups"] = list(groups)
    x = sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = np.asarray(func(x), dtype=float)
    y = y.reshape(len(x), -1)
    out = {g: {"S1": np.zeros(y.shape[1]), "ST": np.zeros(y.shape[1])} for g in uniq}
    for j in range(y.shape[1]):
        if np.ptp(y[:, j]) == 0:
            continue
        res = analyse.analyze(problem, y[:, j], calc_second_order=False, num_resamples=10, seed=seed)
        for g, s1, st in zip(uniq, res["S1"], res["ST"], strict=True):  # SALib keeps first-seen group order
            out[g]["S1"][j], out[g]["ST"][j] = s1, st
    return out


def sobol_ranks(model: Model, spec: ScoringSpec, year: int, n: int = SOBOL_N, seed: int = 0) -> dict:
    """Sobol indices of each state's rank in ``year`` over the five uncertain inputs.

    - ``weights``: every pillar and indicator weight times a factor uniform in :data:`WEIGHT_RANGE`;
    - ``normalisation``, ``aggregation``, ``missing_data``: one factor each, uniform on [0, 1) and cut
      into equal parts, one per registered method or policy (each equally likely);
    - ``data``: every estimated, imputed or carried-forward value of the year moves uniformly within its
      band (:data:`scoring.sensitivity.DATA_BANDS`, points of the 0-100 scale, as a share of the
      indicator's range in the panel, within its bounds); observed values stay put.

    Ranks are among the states with a nominal score; a state left without a score in a run (coverage
    below the threshold) takes the last rank of that run. Returns input -> iso3 -> {first_order, total}.
    """
    yi = model.year_index(year)
    nominal = model.score(spec.replace(years=(year,)))
    keep = ~np.isnan(nominal.score[0])
    pillars, inds = list(model.pillars), list(model.indicators)
    norms, aggs, policies = list(NORMALISERS), list(AGGREGATORS), list(MISSING_POLICIES)
    code = model.status_code[yi]
    band = np.zeros(code.shape)
    from indicators.schema import STATUSES

    for k, st in enumerate(STATUSES):
        band[code == k] = DATA_BANDS.get(st, 0.0)
    cells = np.argwhere(band > 0)
    span = np.nanmax(model.raw, axis=(0, 1)) - np.nanmin(model.raw, axis=(0, 1))
    lo = np.array([model.catalog[i].bounds[0] for i in inds])
    hi = np.array([model.catalog[i].bounds[1] for i in inds])

    names = [f"pw_{p}" for p in pillars] + [f"w_{i}" for i in inds] + ["normalisation", "aggregation", "missing_data"]
    groups = ["weights"] * (len(pillars) + len(inds)) + ["normalisation", "aggregation", "missing_data"]
    bounds = [WEIGHT_RANGE] * (len(pillars) + len(inds)) + [(0.0, 1.0)] * 3
    names += [f"data_{model.countries[c]}_{inds[i]}" for c, i in cells]
    groups += ["data"] * len(cells)
    bounds += [(-1.0, 1.0)] * len(cells)
    n_w = len(pillars) + len(inds)

    def pick(options: list[str], u: float) -> str:
        return options[min(int(u * len(options)), len(options) - 1)]

    def run(sample: np.ndarray) -> np.ndarray:
        out = np.empty((len(sample), len(model.countries)))
        for r, v in enumerate(sample):
            raw = model.raw.copy()
            for (c, i), u in zip(cells, v[n_w + 3 :], strict=True):
                raw[yi, c, i] = np.clip(raw[yi, c, i] + u * band[c, i] / 100.0 * span[i], lo[i], hi[i])
            m = Model(raw, model.catalog, model.countries, model.years, observed=model.observed)
            m.status_code = model.status_code
            s = spec.replace(
                years=(year,),
                pillar_weights={p: spec.pillar_weights.get(p, 1.0) * v[k] for k, p in enumerate(pillars)},
                indicator_weights={
                    i: spec.indicator_weights.get(i, 1.0) * v[len(pillars) + k] for k, i in enumerate(inds)
                },
                normalisation=pick(norms, v[n_w]),
                aggregation=pick(aggs, v[n_w + 1]),
                missing=pick(policies, v[n_w + 2]),
            )
            score = m.score(s).score[0]
            score = np.where(keep, score, np.nan)
            rank = min_rank(score[None, :])[0]
            out[r] = np.where(keep & np.isnan(rank), keep.sum(), rank)
        return out[:, keep]

    present = [g for g in SOBOL_INPUTS if g in groups]
    res = sobol_indices(names, groups, bounds, run, n=n, seed=seed)
    states = [c for c, k in zip(model.countries, keep, strict=True) if k]
    return {
        g: {
            c: {"first_order": _r(float(res[g]["S1"][j])), "total": _r(float(res[g]["ST"][j]))}
            for j, c in enumerate(states)
        }
        for g in present
    }


# --------------------------------------------------------------------------------- the audit
def statistics(model: Model, spec: ScoringSpec, year: int, winsorise_on: bool = False) -> dict:
    """Every part of the audit but the Sobol indices (cheap: the page shows it on every rerun)."""
    sk, log, treated = skew_kurtosis(model, year, treat=winsorise_on)
    m = model
    if winsorise_on and log:
        raw = model.raw.copy()
        raw[model.year_index(year)] = treated.to_numpy()
        m = Model(raw, model.catalog, model.countries, model.years, observed=model.observed)
    pillar_of = dict(zip(m.indicators, m.pillar_of, strict=True))
    frame = year_frame(m, year, spec.normalisation)
    res = m.score(spec.replace(years=(year,)))
    pillar_scores = pd.DataFrame(res.pillar_scores[0], index=list(m.countries), columns=list(m.pillars))
    corr = correlations(frame, pillar_scores, pillar_of)
    return {
        "year": year,
        "spec": json.loads(spec.to_json()),
        "correlations": corr,
        "flags": flags(corr, pillar_of),
        "cronbach_alpha": cronbach_alpha(frame, pillar_of),
        "pca_explained": pca_explained(frame),
        "skew_kurtosis": sk,
        "treatment": {"winsorise": winsorise_on, "points": log},
    }


def audit(model: Model, spec: ScoringSpec, year: int, winsorise_on: bool = False, sobol_n: int = SOBOL_N) -> dict:
    """Every part of the audit for one year (see the module docstring). The Sobol indices use the
    untreated data: winsorising is an audit view, never an input of the scores."""
    year = model.resolve_year(spec, year)
    return statistics(model, spec, year, winsorise_on) | {"sobol": sobol_ranks(model, spec, year, n=sobol_n)}


def to_long(result: dict) -> pd.DataFrame:
    """The audit as one long CSV table: section, item, other, measure, value."""
    rows = []
    for a, row in result["correlations"]["indicators"].items():
        rows += [("correlations", a, b, "r", r) for b, r in row.items()]
    rows += [("correlations", i, "own pillar", "r", r) for i, r in result["correlations"]["with_own_pillar"].items()]
    for f in result["flags"]:
        item, other = (f["a"], f["b"]) if f["flag"] == "redundant" else (f["indicator"], f["pillar"])
        rows.append(("flags", item, other, f["flag"], f["r"]))
    rows += [("cronbach_alpha", p, "", "alpha", v["alpha"]) for p, v in result["cronbach_alpha"].items()]
    rows += [("pca_explained", f"PC{k + 1}", "", "share", v) for k, v in enumerate(result["pca_explained"])]
    for i, v in result["skew_kurtosis"].items():
        rows += [("skew_kurtosis", i, "", k, x) for k, x in v.items()]
    for g, per_state in result["sobol"].items():
        for c, v in per_state.items():
            rows += [("sobol", g, c, "first_order", v["first_order"]), ("sobol", g, c, "total", v["total"])]
    return pd.DataFrame(rows, columns=["section", "item", "other", "measure", "value"])


def build_parser():
    from indicators.args import OneLineParser
    from scoring.cli import add_spec_options

    p = OneLineParser(prog="python -m scoring.audit", description="Statistical audit of one year (CSV or JSON).")
    p.add_argument("--year", type=int, help="year to audit (default: latest year with adequate coverage)")
    p.add_argument("--json", action="store_true", help="one JSON object instead of the long CSV")
    p.add_argument("--winsorise", action="store_true", help="treat outliers by COINr's default rule (logged)")
    p.add_argument("--sobol-n", type=int, default=SOBOL_N, help=f"Sobol' base sample, a power of 2 ({SOBOL_N})")
    return add_spec_options(p)


def main(argv: list[str] | None = None) -> int:
    from scoring.cli import UsageError, _load_model, fail, make_spec, write_output

    try:
        args = build_parser().parse_args(argv)
        if args.sobol_n < 2 or args.sobol_n & (args.sobol_n - 1):
            raise UsageError(f"--sobol-n must be a power of 2, got {args.sobol_n}")
        model = _load_model(args.data)
        args.all_years = False
        spec = make_spec(args, model)
        result = audit(model, spec, spec.years[0], winsorise_on=args.winsorise, sobol_n=args.sobol_n)
        for p in result["treatment"]["points"]:
            print(
                f"winsorised {p['indicator']} {p['state']}: {p['from']:g} -> {p['to']:g} ({p['side']} end)",
                file=sys.stderr,
            )
        if args.json:
            text = json.dumps(_clean(result), indent=1, ensure_ascii=False) + "\n"
        else:
            text = to_long(result).to_csv(index=False, lineterminator="\n")
        write_output(text, args.out)
        return 0
    except (UsageError, SpecError) as e:
        return fail(e)


def _clean(o):
    """JSON-safe: NaN -> null, numpy scalars -> Python."""
    if isinstance(o, dict):
        return {str(k): _clean(v) for k, v in o.items()}
    if isinstance(o, list | tuple):
        return [_clean(v) for v in o]
    if isinstance(o, np.generic):
        o = o.item()
    if isinstance(o, float) and not math.isfinite(o):
        return None
    return o


if __name__ == "__main__":
    sys.exit(main())
