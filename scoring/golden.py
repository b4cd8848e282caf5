"""The golden file of the shipped default scores (all countries, all years).

Regenerate on purpose, after a deliberate change to the data or the model::

    python -m scoring.golden --write

which also rewrites the published masking backtest (``docs/backtest.json``, :mod:`scoring.backtest`)
that the Methodology view and the README show.

``tests/test_scoring_golden.py`` compares the current scores with it (tolerance
``TOLERANCE`` points) and is skipped while ``data/panel.csv`` does not exist.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scoring.export import scores_csv
from scoring.model import Model
from scoring.spec import ScoringSpec

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden" / "scores_default.csv"
#: Allowed absolute difference in any numeric cell (the file holds 4 decimals, so one unit of the last
#: decimal plus rounding).
TOLERANCE = 1.5e-4


def default_spec() -> ScoringSpec:
    """The spec the golden file records: all defaults, every year."""
    return ScoringSpec(years=None)


def current_csv() -> str:
    """Default scores of the shipped data as CSV text."""
    from indicators.loader import shipped

    panel, catalog, _ = shipped()
    return scores_csv(Model.from_panel(panel, catalog).score(default_spec()))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scoring.golden", description=__doc__.splitlines()[0])
    p.add_argument("--write", action="store_true", help=f"(re)write {GOLDEN.relative_to(GOLDEN.parents[2])}")
    args = p.parse_args(argv)
    text = current_csv()
    if args.write:
        from indicators.loader import shipped
        from scoring.backtest import PUBLISHED, published_text

        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
        print(f"wrote {GOLDEN} ({text.count(chr(10)) - 1} rows)")
        panel, catalog, _ = shipped()
        PUBLISHED.write_text(published_text(Model.from_panel(panel, catalog)), encoding="utf-8")
        print(f"wrote {PUBLISHED}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
