"""``python -m scoring.bench``: median timings of the model's hot paths.

Uses the shipped panel when ``data/panel.csv`` exists, else (or with ``--synthetic``) a
random panel of the same shape (14 countries x 13 years x 12 indicators). Targets (2 cores):
whole panel with one spec < 5 ms; 10,000 Monte Carlo draws with rank intervals < 250 ms;
5,000 draws < 300 ms; reachable ranks of all 14 countries < 2 s (this target used to be a
timed unit test; it is measured here only). ``--strict`` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import PILLARS, Indicator
from scoring.effective_weights import effective_weights
from scoring.model import Model
from scoring.reachable import reachable_ranks
from scoring.sensitivity import leave_one_out, monte_carlo
from scoring.spec import ScoringSpec


def synthetic_model(n_indicators: int = 12, seed: int = 0) -> Model:
    """A random model with the shape of the real one (about 15% missing)."""
    rng = np.random.default_rng(seed)
    pillars = list(PILLARS)
    cat = {}
    for k in range(n_indicators):
        cat[f"ind_{k}"] = Indicator(
            id=f"ind_{k}",
            name=f"Indicator {k}",
            pillar=pillars[k % len(pillars)],
            unit="%",
            direction=1 if k % 3 else -1,
            scale="percent",
            bounds=(0.0, 100.0),
            definition="Synthetic benchmark indicator with random values inside its bounds only.",
            coding_rule="Random uniform values for timing runs.",
            source_ids=("bench",),
        )
    cube = rng.uniform(0, 100, size=(len(YEARS), len(PANEL_COUNTRIES), n_indicators))
    cube[rng.random(cube.shape) < 0.15] = np.nan
    return Model(cube, cat, tuple(PANEL_COUNTRIES), YEARS)


def timeit(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` in milliseconds over ``repeat`` runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def run(model: Model, repeat: int = 25) -> pd.DataFrame:
    spec = ScoringSpec()
    year = model.default_year(spec)
    model.normalised(spec.normalisation)  # precomputed once, as in the app
    weights = [
        spec.replace(indicator_weights={i: float(k % 4 + 1) for k, i in enumerate(model.indicators)}),
        spec,
    ]
    flip = iter(range(10**9))

    def score_only():
        return model.score(weights[next(flip) % 2])

    rows = [
        ("score whole panel, one spec (arrays)", timeit(score_only, repeat), 5.0),
        ("score whole panel + result table", timeit(lambda: score_only().table, repeat), None),
        ("normalise cube from scratch (4 methods)", timeit(lambda: _fresh_normalise(model), max(5, repeat // 5)), None),
        (
            "Monte Carlo 10,000 draws, one year",
            timeit(lambda: monte_carlo(model, spec, 10_000, 50.0, 1, year=year), max(5, repeat // 3)),
            250.0,
        ),
        (
            "Monte Carlo 5,000 draws (issue 5 bands)",
            timeit(lambda: monte_carlo(model, spec, 5_000, 50.0, 1, year=year), max(5, repeat // 3)),
            300.0,
        ),
        (
            "Monte Carlo 10,000 draws, methods varied",
            timeit(lambda: monte_carlo(model, spec, 10_000, 50.0, 1, True, year), max(5, repeat // 3)),
            None,
        ),
        (
            "leave-one-indicator-out, one year",
            timeit(lambda: leave_one_out(model, spec, year), max(5, repeat // 3)),
            None,
        ),
        ("reachable ranks, all 14 countries", timeit(lambda: reachable_ranks(model, spec, 0.02, year), 3), 2000.0),
        (
            "effective weights, one year",
            timeit(lambda: effective_weights(model, spec, year), max(5, repeat // 3)),
            None,
        ),
    ]
    return pd.DataFrame(rows, columns=["task", "median_ms", "target_ms"])


def _fresh_normalise(model: Model) -> None:
    m = Model(model.raw, model.catalog, model.countries, model.years)
    for method in ("minmax", "goalposts", "zscore", "percentile"):
        m.normalised(method)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scoring.bench", description="Median timings of the scoring model.")
    p.add_argument("--synthetic", action="store_true", help="time a random panel even if data/panel.csv exists")
    p.add_argument("--repeat", type=int, default=25, help="runs per task (default 25; fewer for slow tasks)")
    p.add_argument("--strict", action="store_true", help="exit 1 if any task misses its target")
    args = p.parse_args(argv)
    from indicators.loader import DATA_DIR

    if args.synthetic or not (DATA_DIR / "panel.csv").exists():
        model, what = synthetic_model(), "synthetic panel"
    else:
        from indicators.loader import shipped

        panel, catalog, _ = shipped()
        model, what = Model.from_panel(panel, catalog), "shipped panel"
    print(f"{what}: {len(model.years)} years x {len(model.countries)} countries x {len(model.indicators)} indicators")
    df = run(model, args.repeat)
    for r in df.itertuples():
        target = (
            ""
            if pd.isna(r.target_ms)
            else f"  (target < {r.target_ms:g} ms: {'ok' if r.median_ms < r.target_ms else 'SLOW'})"
        )
        print(f"{r.task:<45} {r.median_ms:9.2f} ms{target}")
    slow = df[df["target_ms"].notna() & (df["median_ms"] >= df["target_ms"])]
    return 1 if args.strict and len(slow) else 0


if __name__ == "__main__":
    raise SystemExit(main())
