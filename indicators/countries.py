"""The countries of the panel: one source of truth for codes and names."""

from __future__ import annotations

#: The 14 non-Russian former Soviet republics scored by the model (ISO 3166-1 alpha-3).
PANEL_COUNTRIES: dict[str, str] = {
    "ARM": "Armenia",
    "AZE": "Azerbaijan",
    "BLR": "Belarus",
    "EST": "Estonia",
    "GEO": "Georgia",
    "KAZ": "Kazakhstan",
    "KGZ": "Kyrgyzstan",
    "LTU": "Lithuania",
    "LVA": "Latvia",
    "MDA": "Moldova",
    "TJK": "Tajikistan",
    "TKM": "Turkmenistan",
    "UKR": "Ukraine",
    "UZB": "Uzbekistan",
}

#: Russia appears only as a reference point (e.g. its UN ideal point); it is never scored.
REFERENCE_COUNTRIES: dict[str, str] = {"RUS": "Russia"}

ALL_COUNTRIES: dict[str, str] = {**PANEL_COUNTRIES, **REFERENCE_COUNTRIES}

#: Years the shipped panel covers. 2025 is included where sources reach it.
FIRST_YEAR = 2013
LAST_YEAR = 2025
YEARS: tuple[int, ...] = tuple(range(FIRST_YEAR, LAST_YEAR + 1))

# Spellings used by the raw sources, mapped to ISO3.
_ALIASES = {
    "Kyrgyz Republic": "KGZ",
    "Russian Federation": "RUS",
    "Republic of Moldova": "MDA",
    "Moldova, Republic of": "MDA",
}
_NAME_TO_ISO3 = {name.lower(): iso for iso, name in ALL_COUNTRIES.items()} | {k.lower(): v for k, v in _ALIASES.items()}


def iso3_from_name(name: str) -> str | None:
    """ISO3 code for a country name as spelled in our sources, or None if unknown."""
    return _NAME_TO_ISO3.get(str(name).strip().lower())
