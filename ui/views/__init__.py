"""One module per page view; each has ``render(ctx: ui.context.ViewContext)``.

``dashboard.py`` routes the chosen view id (``ui.state.VIEWS``) to its module here and
imports only the module it draws.
"""

from __future__ import annotations

import importlib

#: View id (as in ``ui.state.VIEWS``) -> module under ``ui.views``.
MODULES: dict[str, str] = {
    "ranking": "ranking",
    "compare": "compare",
    "trends": "trends",
    "change": "change",
    "profile": "profile",
    "map": "geo",
    "poles": "poles",
    "robustness": "robustness",
    "scenarios": "scenarios",
    "data": "data",
    "method": "method",
    "upload": "upload",
}


def render(view: str, ctx) -> None:
    """Draw view ``view`` of the page."""
    importlib.import_module(f"ui.views.{MODULES[view]}").render(ctx)
