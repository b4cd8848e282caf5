"""Clients of the producers' own interfaces, one module per producer, for ``python -m indicators.fetch``.

Each module exposes ``fetch(query) -> Fetched`` (one download through the producer's well-kept client,
returned as the bytes of a raw file in the layout the builders read) and ``check(path)`` (raises
``ValueError`` when a downloaded file is not usable; the fetcher then keeps the previous snapshot).
``query`` is the ``query`` cell of ``indicators/raw_inputs.csv`` parsed into a dict.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from indicators.countries import PANEL_COUNTRIES

#: client name in ``indicators/raw_inputs.csv`` -> module of this package.
CLIENTS: dict[str, str] = {"wbgapi": "worldbank", "sdmx1": "imf", "undl": "undl", "eurostat": "estat"}


class Pinned(Exception):  # noqa: N818 - a state, not an error: the fetcher keeps the file
    """The producer now serves another release than the one a raw file is pinned to: the file is kept."""


@dataclass(frozen=True)
class Fetched:
    """One downloaded raw file: its bytes, the URL or query that produced it, and the producer's release."""

    content: bytes
    url: str
    release: str = ""
    extra: dict = field(default_factory=dict)


def parse_query(text: str) -> dict[str, str]:
    """``'db=2 series=X economy=panel+RUS'`` -> ``{'db': '2', 'series': 'X', 'economy': 'panel+RUS'}``."""
    out = {}
    for token in text.split():
        key, sep, value = token.partition("=")
        if not sep or not key or not value:
            raise ValueError(f"query token {token!r} is not key=value")
        out[key] = value
    return out


def expand_codes(text: str) -> list[str]:
    """``'panel+RUS'`` -> the 14 panel ISO3 codes then ``RUS`` (``panel`` stands for the 14, in their order)."""
    codes: list[str] = []
    for part in text.split("+"):
        codes += list(PANEL_COUNTRIES) if part == "panel" else [part]
    return codes


def client(name: str):
    """The producer module of a client named in ``indicators/raw_inputs.csv``."""
    if name not in CLIENTS:
        raise ValueError(f"unknown client {name!r} (known: {', '.join(CLIENTS)})")
    return importlib.import_module(f"indicators.producers.{CLIENTS[name]}")
