"""Registry of indicator builders: name -> module with ``build(raw) -> BuilderOutput``.

Each module keeps the metadata of the indicators it makes next to the code that makes
them, so there is one place to read how a number was produced.
"""

from __future__ import annotations

import importlib

#: Builder modules, in build order.
BUILDER_MODULES: tuple[str, ...] = (
    "memberships",
    "unga",
    "trade",
    "energy",
    "western",
    "arms",
    "remittances",
    "military",
    "rupture",
)


def load_builder(name: str):
    return importlib.import_module(f"indicators.builders.{name}")
