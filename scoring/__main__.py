"""``python -m scoring``: see :mod:`scoring.cli`."""

from scoring.cli import main

raise SystemExit(main())
