"""The countries of the panel: thin accessors over ``data/countries.csv`` (see :mod:`indicators.structure`)."""

from __future__ import annotations

from indicators.structure import load_countries

_ROWS = load_countries()

#: The scored states (ISO 3166-1 alpha-3 -> name), in table order.
PANEL_COUNTRIES: dict[str, str] = {c.iso3: c.name for c in _ROWS if c.role == "panel"}

#: Russia appears only as a reference point (e.g. its UN ideal point); it is never scored.
REFERENCE_COUNTRIES: dict[str, str] = {c.iso3: c.name for c in _ROWS if c.role == "reference"}

ALL_COUNTRIES: dict[str, str] = {**PANEL_COUNTRIES, **REFERENCE_COUNTRIES}

#: ISO 3166-1 alpha-2 -> alpha-3 (some raw sources use two-letter codes).
ISO2_TO_ISO3: dict[str, str] = {c.iso2: c.iso3 for c in _ROWS}

#: One colour per state in every view (ranking, compare bars, trend lines, map markers).
COUNTRY_COLOURS: dict[str, str] = {c.iso3: c.colour for c in _ROWS if c.role == "panel"}

#: Capitals (longitude, latitude): where the map puts each state's labelled marker.
CAPITALS: dict[str, tuple[float, float]] = {c.iso3: (c.capital_lon, c.capital_lat) for c in _ROWS if c.role == "panel"}

#: Years the shipped panel covers. 2025 is included where sources reach it.
FIRST_YEAR = 2013
LAST_YEAR = 2025
YEARS: tuple[int, ...] = tuple(range(FIRST_YEAR, LAST_YEAR + 1))

_NAME_TO_ISO3 = {name.lower(): iso for iso, name in ALL_COUNTRIES.items()} | {
    a.lower(): c.iso3 for c in _ROWS for a in c.aliases
}


def iso3_from_name(name: str) -> str | None:
    """ISO3 code for a country name as spelled in our sources, or None if unknown."""
    return _NAME_TO_ISO3.get(str(name).strip().lower())
