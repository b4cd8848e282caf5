"""Indicator tables: loading, validation, sources.

Public API::

    load_panel()    -> pandas.DataFrame (long: iso3, year, indicator, value, status, source_ids, note)
    load_catalog()  -> dict[str, Indicator]
    load_sources()  -> dict[str, Source]
    load_events()   -> pandas.DataFrame of dated events behind the data
    load_poles()    -> (poles, pull measures) of the poles lens (data/poles.json)
    load_pulls()    -> pandas.DataFrame (long: iso3, year, measure, pole, value, status, source_ids, note)
"""

from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.loader import (
    DataError,
    load_catalog,
    load_events,
    load_panel,
    load_poles,
    load_pulls,
    load_sources,
    shipped,
)
from indicators.schema import PILLARS, Indicator, Source

__all__ = [
    "PANEL_COUNTRIES",
    "PILLARS",
    "YEARS",
    "DataError",
    "Indicator",
    "Source",
    "load_catalog",
    "load_events",
    "load_panel",
    "load_poles",
    "load_pulls",
    "load_sources",
    "shipped",
]
