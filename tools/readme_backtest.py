"""Write the published backtest (docs/backtest.json) and the default year into README.md.

Run after ``python -m scoring.golden --write`` (which rewrites docs/backtest.json)::

    python tools/readme_backtest.py

The rows go between ``<!-- backtest:start -->`` and ``<!-- backtest:end -->`` (after the header and its
rule); tests/test_impute.py checks the README against docs/backtest.json.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indicators.loader import shipped  # noqa: E402
from scoring.backtest import load_published, markdown_rows  # noqa: E402
from scoring.model import Model  # noqa: E402
from scoring.weights import spec_from_preset  # noqa: E402

README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- backtest:start -->\n(?:[^\n]*\n){2})(.*?)(\n<!-- backtest:end -->)", re.S)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    text, n = BLOCK.subn(lambda m: m.group(1) + markdown_rows(load_published()) + m.group(3), text)
    panel, catalog, _ = shipped()
    year = Model.from_panel(panel, catalog).default_year(spec_from_preset("equal", catalog))
    text = re.sub(r"(equal weights that is )\w+", rf"\g<1>{year}", text)
    text = re.sub(r"(rather than the missing-data model \()\w+", rf"\g<1>{year}", text)
    README.write_text(text, encoding="utf-8")
    print(f"README: {n} backtest block, default year {year}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
