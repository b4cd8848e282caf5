"""The scoring specification: every choice the model makes, in one frozen object.

A spec serialises to JSON and back (:meth:`ScoringSpec.to_json`,
:meth:`ScoringSpec.from_json`) and travels with every result, so any table can be
replayed. Problems raise :class:`SpecError` with a one-line message saying what to fix.
"""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, ValidationError, field_validator

from indicators.schema import PILLARS
from scoring.aggregate import AGGREGATORS
from scoring.normalise import NORMALISERS
from scoring.untrusted import MAX_ABS_NUMBER, UntrustedInputError, check_number, load_json

#: Missing-data policies: name -> what it does.
MISSING_POLICIES: dict[str, str] = {
    "impute": (
        "Model imputation (the default): every missing value is filled by the missing-data model "
        "(scoring.impute: the state's own other years, else the other states and indicators), marked as "
        "imputed, and its uncertainty enters the Monte Carlo bands; no indicator is ever absent from a score."
    ),
    "carry_forward": (
        "Last observation carried forward: a missing value takes the state's latest earlier value of the "
        "indicator; with none, the indicator is dropped and the weights renormalised (as 'renormalise')."
    ),
    "renormalise": (
        "Score every country-year with any data: missing indicators are dropped and the weights "
        "renormalised over the indicators present (inside the pillar, then across pillars); coverage is reported."
    ),
    "coverage_threshold": (
        "As 'renormalise', but the score (and rank) is left missing when coverage, the share of the "
        "effective weight that had data, is below min_coverage."
    ),
}

#: Policies that fill a missing value instead of leaving it out (their filled values are marked †).
FILLING_POLICIES: tuple[str, ...] = ("impute", "carry_forward")

Weight = Annotated[StrictFloat | StrictInt, Field()]


#: A weight below this counts as 0: weights are relative, so nothing this small can matter, and a subnormal weight
#: (e.g. 2e-311) would overflow the shares the aggregation divides by it.
MIN_WEIGHT = 1e-9


class SpecError(ValueError):
    """A scoring spec (or its weights) is invalid; the message says what to fix."""


def _check_weights(kind: str, weights: dict[str, float]) -> dict[str, float]:
    out = {}
    for k, v in weights.items():
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ValueError(f"{kind} weight for {_shown(k)} must be a number, got {_shown(v)}")
        try:
            check_number(v)
        except UntrustedInputError:
            raise ValueError(
                f"{kind} weight for {_shown(k)} must be a finite non-negative number up to {MAX_ABS_NUMBER:g}, "
                f"got {_shown(v)}"
            ) from None
        if v < 0:
            raise ValueError(f"{kind} weight for {_shown(k)} must be a finite non-negative number, got {_shown(v)}")
        out[k] = float(v) if v >= MIN_WEIGHT else 0.0
    return out


#: spec field -> (name used in messages, registry of valid choices)
_METHOD_REGISTRIES = {
    "normalisation": ("normalisation", NORMALISERS),
    "aggregation": ("aggregation", AGGREGATORS),
    "missing": ("missing-data policy", MISSING_POLICIES),
}


class ScoringSpec(BaseModel):
    """Every choice behind a score. Frozen; build a changed copy with :meth:`replace`.

    Weights are hierarchical. An indicator absent from ``indicator_weights`` has weight
    1; weight 0 leaves it out. Inside each pillar the indicator weights are renormalised
    to sum to 1; a pillar absent from ``pillar_weights`` has weight 1, and the pillar
    weights are renormalised across the pillars that have at least one weighted
    indicator. The resulting *effective* weight of an indicator is
    ``pillar_weight / sum(pillar weights) * indicator_weight / sum(weights in its pillar)``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    years: tuple[int, ...] | None = Field(
        default=None, description="Years to score; None = every panel year. Normalisation always uses all years."
    )
    indicator_weights: dict[str, Weight] = Field(default_factory=dict)
    pillar_weights: dict[str, Weight] = Field(default_factory=dict)
    normalisation: str = "minmax"
    aggregation: str = "arithmetic"
    missing: str = "impute"
    min_coverage: float = Field(default=0.5, ge=0.0, le=1.0)
    preset: str | None = Field(default=None, description="Name of the preset the weights came from (a label only)")

    @field_validator("years", mode="before")
    @classmethod
    def _years(cls, v):
        if isinstance(v, int) and not isinstance(v, bool):
            return (v,)
        return v

    @field_validator("years")
    @classmethod
    def _years_sorted(cls, v):
        if v is None:
            return v
        if not v:
            raise ValueError("years must list at least one year (or be null for all years)")
        return tuple(sorted(set(v)))

    @field_validator("indicator_weights")
    @classmethod
    def _iw(cls, v):
        return _check_weights("indicator", v)

    @field_validator("pillar_weights")
    @classmethod
    def _pw(cls, v):
        v = _check_weights("pillar", v)
        unknown = [k for k in v if k not in PILLARS]
        if unknown:
            raise ValueError(f"unknown pillar {_shown(unknown[0])}; valid pillars: {', '.join(PILLARS)}")
        if v and len(v) == len(PILLARS) and all(x == 0 for x in v.values()):
            raise ValueError("all pillar weights are zero; give at least one pillar a positive weight")
        return v

    @field_validator("normalisation", "aggregation", "missing")
    @classmethod
    def _registered(cls, v, info):
        """The method names must be keys of their registry (same message shape for all three)."""
        label, registry = _METHOD_REGISTRIES[info.field_name]
        if v not in registry:
            raise ValueError(f"unknown {label} {_shown(v)}; choose one of: {', '.join(registry)}")
        return v

    def __init__(self, **fields):
        """Validate like any pydantic model, but raise :class:`SpecError` with a one-line message."""
        try:
            super().__init__(**fields)
        except ValidationError as e:
            raise SpecError(_first_error(e)) from None

    # -- construction helpers -------------------------------------------------------------
    @classmethod
    def build(cls, **fields) -> ScoringSpec:
        """Validate ``fields`` into a spec, raising :class:`SpecError` with a one-line message."""
        try:
            return cls.model_validate(fields)
        except ValidationError as e:
            raise SpecError(_first_error(e)) from None

    def replace(self, **changes) -> ScoringSpec:
        """A validated copy with some fields changed."""
        return type(self).build(**{**self.model_dump(), **changes})

    def to_json(self) -> str:
        """JSON text of the spec (stable key order), readable by :meth:`from_json`."""
        return json.dumps(self.model_dump(mode="json"), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ScoringSpec:
        """Parse a spec from JSON text; :class:`SpecError` on malformed JSON or invalid fields."""
        try:
            data = load_json(text)
        except UntrustedInputError as e:
            raise SpecError(f"the spec is {e}" if str(e).startswith("not ") else f"the spec: {e}") from None
        if not isinstance(data, dict):
            raise SpecError("the spec must be a JSON object with fields such as indicator_weights, normalisation")
        return cls.build(**data)

    def key(self) -> str:
        """A compact, hashable identity of the spec (for caches)."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def _shown(x: object, limit: int = 40) -> str:
    """A value from outside as a message shows it: its repr, cut to ``limit`` characters."""
    r = "a very large integer" if isinstance(x, int) and x.bit_length() > 64 else repr(x)
    return r if len(r) <= limit else r[:limit] + "…"


def _first_error(e: ValidationError) -> str:
    err = e.errors()[0]
    parts = [
        str(p) for p in err["loc"] if str(p) not in ("float", "int", "function-after[_iw()]", "function-after[_pw()]")
    ]
    loc = ".".join(parts)
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        fields = ", ".join(ScoringSpec.model_fields)
        return f"unknown spec field {loc!r}; valid fields: {fields}"
    if parts and parts[0] in ("indicator_weights", "pillar_weights") and len(parts) == 2:
        kind = parts[0].split("_")[0]
        if "number" in err["type"] or err["type"] in ("float_type", "int_type"):
            return f"{kind} weight for {parts[1]!r} must be a non-negative number, got {_shown(err.get('input'))}"
    if err["type"] in ("float_type", "int_type") or "number" in err["type"]:
        return f"{loc}: must be a number, got {_shown(err.get('input'))}"
    return f"{loc}: {msg}" if loc else msg
