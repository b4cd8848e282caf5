"""Pydantic models for indicator metadata, sources and the long value table.

Everything in ``data/`` is validated against these models when it is loaded, so a
table that does not say where its numbers come from cannot reach the model.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from indicators import structure

Scale = Literal["binary", "ordinal", "percent", "ratio", "index"]
#: How a value came about. Anything but ``observed`` is marked in the UI.
Status = Literal["observed", "estimated", "imputed", "carried_forward"]
STATUSES: tuple[str, ...] = ("observed", "estimated", "imputed", "carried_forward")
#: How far a source can be trusted for the figure it supports (see README "Source tiers").
Tier = Literal["official", "reference", "press", "interested-party", "unusable"]
TIERS: tuple[str, ...] = ("official", "reference", "press", "interested-party", "unusable")
#: Written into the note of a value whose every source is ``interested-party``; the loader checks it.
INTERESTED_PARTY_MARK = "[interested-party sources only]"

#: Pillars in display order, with a one-line description (declared in ``data/structure.csv``).
PILLARS: dict[str, str] = {k: n.description for k, n in structure.pillars().items()}
#: A pillar id (checked against the declared pillars where an indicator is validated).
Pillar = str

#: Columns of ``data/panel.csv``, in order.
PANEL_COLUMNS = ["iso3", "year", "indicator", "value", "status", "source_ids", "note"]
#: Columns of ``data/sources.csv``, in order.
SOURCE_COLUMNS = [
    "source_id",
    "producer",
    "title",
    "url",
    "archive_url",
    "figure_year",
    "accessed",
    "licence",
    "quote",
    "tier",
]
#: Columns of ``data/events.csv``, in order.
EVENT_COLUMNS = ["iso3", "date", "indicator", "kind", "description", "source_id"]


class Source(BaseModel):
    """Where a number comes from: enough for a reader to find it again."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source_id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    producer: str = Field(min_length=2)
    title: str = Field(min_length=2)
    #: The producer's own page for the dataset or figure: the link shown first.
    url: HttpUrl
    #: Where the copy that was actually read is kept (e.g. a file in a public repository), shown as
    #: "archived copy"; empty when the producer's page is what was read.
    archive_url: HttpUrl | None = None
    figure_year: str = Field(
        min_length=4, description="Year (or span) the figures refer to, e.g. '2019' or '1991-2019'"
    )
    accessed: dt.date
    licence: str = ""
    quote: str = ""
    #: Assigned at build time from ``indicators/hand/source_tiers.csv`` (by the URL's host); the
    #: loader requires it. Builders create sources without it.
    tier: Tier | None = None


class Indicator(BaseModel):
    """Metadata for one indicator: what it measures, which way it points, how it is coded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    pillar: Pillar
    unit: str
    direction: Literal[1, -1] = Field(description="+1: a higher value means closer to Moscow; -1: farther")
    scale: Scale
    levels: dict[int, str] | None = Field(default=None, description="Labels of binary/ordinal levels")
    bounds: tuple[float, float] = Field(description="Natural range of the values; values outside are errors")
    goalposts: tuple[float, float] | None = Field(
        default=None, description="Fixed normalisation range (lower, upper) where one is meaningful"
    )
    definition: str = Field(min_length=40)
    coding_rule: str = Field(min_length=20)
    years_note: str = Field(default="", description="Which source/method is used for which years")
    source_ids: tuple[str, ...] = Field(min_length=1)

    @field_validator("pillar")
    @classmethod
    def _declared_pillar(cls, v):
        if v not in PILLARS:
            raise ValueError(f"pillar {v!r} is not declared in data/structure.csv (pillars: {', '.join(PILLARS)})")
        return v

    @field_validator("bounds", "goalposts")
    @classmethod
    def _ordered(cls, v):
        if v is not None and not v[0] < v[1]:
            raise ValueError(f"lower bound {v[0]} must be below upper bound {v[1]}")
        return v

    @model_validator(mode="after")
    def _levels_match_scale(self):
        if self.scale in ("binary", "ordinal"):
            if not self.levels:
                raise ValueError(f"{self.id}: a {self.scale} indicator needs level labels")
            if self.scale == "binary" and set(self.levels) != {0, 1}:
                raise ValueError(f"{self.id}: binary levels must be exactly 0 and 1")
            lo, hi = min(self.levels), max(self.levels)
            if (lo, hi) != tuple(self.bounds):
                raise ValueError(f"{self.id}: bounds {self.bounds} must span the levels {lo}..{hi}")
        elif self.levels:
            raise ValueError(f"{self.id}: only binary/ordinal indicators have level labels")
        return self

    def level_label(self, value: float | None) -> str | None:
        """The label of an ordinal/binary level, or None."""
        if self.levels is None or value is None or value != value:
            return None
        return self.levels.get(int(round(value)))


# --------------------------------------------------------------------------- the poles lens
#: Columns of ``data/pulls.csv``, in order (one value per country, year, measure and pole).
PULL_COLUMNS = ["iso3", "year", "measure", "pole", "value", "status", "source_ids", "note"]


class Pole(BaseModel):
    """A centre of gravity a state can be pulled toward, and how each measure represents it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    corner: bool = Field(description="True: a corner of the triangle, part of the normalised position")
    definition: str = Field(min_length=20)
    un_votes: tuple[str, ...] = Field(
        description="ISO3 codes whose UN votes stand for the pole; agreement is averaged over them"
    )
    trade_partners: tuple[str, ...] = Field(description="ISO3 partner codes summed for the pole's trade share")
    arms_suppliers: tuple[str, ...] = Field(
        description="ISO3 codes of the SIPRI suppliers summed for the pole's arms share (SUN = Soviet Union)"
    )
    ties: str = Field(min_length=10, description="Which institutional ties count for this pole, and how")


class PullMeasure(BaseModel):
    """One measure of a pole's pull, 0-100 for every pole, with its default weight in the position."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    unit: str
    definition: str = Field(min_length=40)
    coding_rule: str = Field(min_length=20)
    years_note: str = ""
    weight: float = Field(ge=0, description="Default weight in the position")
    source_ids: tuple[str, ...] = Field(min_length=1)
