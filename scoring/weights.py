"""Weights: the named presets and the hierarchical -> effective weight computation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from indicators import structure
from indicators.schema import PILLARS, Indicator
from scoring.spec import ScoringSpec, SpecError


class Preset(BaseModel):
    """A named weighting with the reason for it.

    ``pillar_weights``: pillar -> weight (absent = 1), or the string ``"by_count"`` for
    a weight equal to the number of indicators in the pillar (so every indicator ends
    up with the same effective weight). ``indicator_weights``: id -> weight (absent = 1).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    rationale: str
    pillar_weights: dict[str, float] | str = Field(default_factory=dict)
    indicator_weights: dict[str, float] = Field(default_factory=dict)

    def weights_for(self, catalog: Mapping[str, Indicator]) -> tuple[dict[str, float], dict[str, float]]:
        """(indicator_weights, pillar_weights) spelled out in full for this catalogue."""
        iw = {k: float(self.indicator_weights.get(k, 1.0)) for k in catalog}
        if self.pillar_weights == "by_count":
            pw = {p: float(sum(1 for i in catalog.values() if i.pillar == p)) for p in PILLARS}
        else:
            pw = {p: float(self.pillar_weights.get(p, 1.0)) for p in PILLARS}
        return iw, pw


#: Registry: preset name -> Preset, declared in ``data/presets.csv``. An indicator's weight is its default
#: weight in ``data/structure.csv`` and a pillar's too, unless the preset says otherwise.
PRESETS: dict[str, Preset] = {
    r.preset: Preset(
        name=r.preset,
        rationale=r.rationale,
        pillar_weights=r.pillar_weights
        if isinstance(r.pillar_weights, str)
        else {p: n.weight for p, n in structure.pillars().items()} | r.pillar_weights,
        indicator_weights={k: n.weight for k, n in structure.indicators().items()},
    )
    for r in structure.load_presets()
}


def spec_from_preset(name: str, catalog: Mapping[str, Indicator], **overrides) -> ScoringSpec:
    """A spec with the preset's weights spelled out for ``catalog``; other fields from ``overrides``."""
    if name not in PRESETS:
        raise SpecError(f"unknown preset {name!r}; choose one of: {', '.join(PRESETS)}")
    iw, pw = PRESETS[name].weights_for(catalog)
    return ScoringSpec.build(**{"indicator_weights": iw, "pillar_weights": pw, "preset": name, **overrides})


def effective_weight_vector(spec: ScoringSpec, indicators: Sequence[str], pillar_of: Sequence[str]) -> np.ndarray:
    """Effective indicator weights (sum 1) for ``indicators`` under ``spec``.

    ``w_eff_i = P_p / sum_q P_q * w_i / sum_{j in p} w_j`` where the pillar sum runs over
    the pillars having at least one indicator with positive weight. Raises
    :class:`SpecError` for an indicator id not in ``indicators`` (listing the valid
    ones) and when every weight is zero.
    """
    known = set(indicators)
    unknown = [k for k in spec.indicator_weights if k not in known]
    if unknown:
        raise SpecError(f"unknown indicator id {unknown[0]!r}; valid ids: {', '.join(indicators)}")
    w = np.array([spec.indicator_weights.get(k, 1.0) for k in indicators], dtype=float)
    pil = np.asarray(pillar_of)
    eff = np.zeros_like(w)
    pillar_total = {}
    for p in dict.fromkeys(pillar_of):
        m = pil == p
        s = w[m].sum()
        pw = spec.pillar_weights.get(p, 1.0)
        if s > 0 and pw > 0:
            eff[m] = pw * w[m] / s
            pillar_total[p] = pw
    tot = sum(pillar_total.values())
    if tot <= 0:
        raise SpecError(
            "all weights are zero (or every weighted indicator sits in a zero-weight pillar); "
            "give at least one indicator and its pillar a positive weight"
        )
    return eff / tot
