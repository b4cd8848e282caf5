"""The dashboard's shareable state and its URL encoding.

Everything a person can set lives in the URL query string, so a link reopens the
same view. Parsing is forgiving: a malformed or out-of-range parameter falls back to
its default and yields a notice naming the parameter, never an exception.

Parameters (all optional)::

    view    one of VIEWS                       year   a panel year
    preset  a weight preset name               w      id:weight,... (indicator weights, 0-10)
    pw      pillar:weight,... (0-10)           norm   normalisation method
    agg     aggregation method                 miss   missing-data policy
    cov     minimum coverage, 0-1              cmp    2-4 ISO3 codes to compare
    hl      ISO3 codes highlighted on trends   unc    perturbation strength (UNCERTAINTY key)
    seed    Monte Carlo seed (0-99999)         floor  reachable-rank weight floor, % (0-5)
    scn     example scenario (slug)          ed     scenario edits ISO3:year:indicator:value~... (at most MAX_URL_EDITS)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

VIEWS: dict[str, str] = {
    "ranking": "Ranking",
    "compare": "Compare",
    "trends": "Trends",
    "map": "Map",
    "robustness": "Robustness",
    "scenarios": "What-if",
    "data": "Data & sources",
    "method": "Methodology",
    "upload": "Your data",
}
#: Perturbation strength -> Dirichlet concentration (higher = tighter around the chosen weights).
UNCERTAINTY: dict[str, float] = {"off": float("inf"), "low": 200.0, "medium": 50.0, "high": 12.0}
WEIGHT_MAX = 10.0
WEIGHT_STEP = 0.25
#: Scenario edits travel in the URL only while there are at most this many.
MAX_URL_EDITS = 12


@dataclass(frozen=True)
class UIState:
    view: str
    year: int
    preset: str
    weights: dict[str, float]
    pillar_weights: dict[str, float]
    normalisation: str
    aggregation: str
    missing: str
    min_coverage: float
    compare: tuple[str, ...]
    highlight: tuple[str, ...]
    uncertainty: str = "medium"
    seed: int = 1
    floor: float = 2.0
    scenario: str = ""
    edits: tuple[tuple[str, int, str, float], ...] = ()
    notices: tuple[str, ...] = field(default=(), compare=False)


def _one(v) -> str:
    return v[-1] if isinstance(v, list | tuple) else str(v)


def _pairs(raw: str, valid: Mapping[str, float], name: str, notices: list[str]) -> dict[str, float]:
    out = dict(valid)
    for item in filter(None, raw.split(",")):
        key, _, val = item.partition(":")
        if key not in valid:
            notices.append(f"URL parameter '{name}': unknown key {key!r} ignored")
            continue
        try:
            x = float(val)
        except ValueError:
            notices.append(f"URL parameter '{name}': {key} = {val!r} is not a number; default kept")
            continue
        if not 0 <= x <= WEIGHT_MAX or x != x:
            notices.append(f"URL parameter '{name}': {key} = {val} is outside 0-{WEIGHT_MAX:g}; default kept")
            continue
        out[key] = x
    return out


def parse_query(
    params: Mapping[str, str | list[str]],
    defaults: UIState,
    *,
    years: tuple[int, ...],
    presets: Mapping[str, tuple[dict[str, float], dict[str, float]]],
    methods: Mapping[str, tuple[str, ...]],
    countries: tuple[str, ...],
    scenarios: tuple[str, ...] = (),
    indicators: tuple[str, ...] = (),
) -> UIState:
    """Read the URL into a state. Bad values fall back to defaults with a notice.

    ``presets`` maps name -> (indicator weights, pillar weights) on the UI's 0-10 scale;
    ``methods`` maps 'norm'/'agg'/'miss' -> allowed names.
    """
    p = {k: _one(v) for k, v in params.items()}
    notices: list[str] = []
    s = defaults

    def choice(key, allowed, current):
        if key not in p:
            return current
        if p[key] in allowed:
            return p[key]
        notices.append(
            f"URL parameter '{key}': {p[key]!r} is not one of {', '.join(map(str, allowed))}; using {current!r}"
        )
        return current

    view = choice("view", tuple(VIEWS), s.view)
    preset = choice("preset", tuple(presets), s.preset)
    w0, pw0 = presets[preset]
    weights = _pairs(p.get("w", ""), w0, "w", notices)
    pillar_weights = _pairs(p.get("pw", ""), pw0, "pw", notices)
    year = s.year
    if "year" in p:
        try:
            y = int(p["year"])
            if y in years:
                year = y
            else:
                notices.append(f"URL parameter 'year': {y} is outside the panel {years[0]}-{years[-1]}; using {year}")
        except ValueError:
            notices.append(f"URL parameter 'year': {p['year']!r} is not a year; using {year}")
    cov = s.min_coverage
    if "cov" in p:
        try:
            c = float(p["cov"])
            if 0 <= c <= 1:
                cov = c
            else:
                notices.append(f"URL parameter 'cov': {c} is outside 0-1; using {cov}")
        except ValueError:
            notices.append(f"URL parameter 'cov': {p['cov']!r} is not a number; using {cov}")

    def codes(key, current, lo, hi):
        if key not in p:
            return current
        got = [c.strip().upper() for c in p[key].split(",") if c.strip()]
        bad = [c for c in got if c not in countries]
        good = tuple(dict.fromkeys(c for c in got if c in countries))
        if bad:
            notices.append(f"URL parameter '{key}': unknown country code(s) {', '.join(bad)} ignored")
        if not lo <= len(good) <= hi:
            notices.append(f"URL parameter '{key}': needs {lo}-{hi} countries; using {', '.join(current) or 'none'}")
            return current
        return good

    def integer(key, current, lo, hi):
        if key not in p:
            return current
        try:
            x = float(p[key])
            if lo <= x <= hi:
                return type(current)(x)
        except ValueError:
            pass
        notices.append(f"URL parameter '{key}': {p[key]!r} must be a number from {lo} to {hi}; using {current}")
        return current

    edits = s.edits
    if "ed" in p:
        parsed = []
        for item in filter(None, p["ed"].split("~")):
            parts = item.split(":")
            try:
                iso, yr, ind, val = parts
                row = (iso.upper(), int(yr), ind, float(val))
            except ValueError:
                notices.append(f"URL parameter 'ed': {item!r} is not ISO3:year:indicator:value; ignored")
                continue
            if row[0] not in countries or row[1] not in years or row[2] not in indicators:
                notices.append(f"URL parameter 'ed': {item!r} names an unknown country, year or indicator; ignored")
                continue
            parsed.append(row)
        edits = tuple(parsed[:MAX_URL_EDITS])

    return replace(
        s,
        edits=edits,
        view=view,
        year=year,
        preset=preset,
        weights=weights,
        pillar_weights=pillar_weights,
        normalisation=choice("norm", methods["norm"], s.normalisation),
        aggregation=choice("agg", methods["agg"], s.aggregation),
        missing=choice("miss", methods["miss"], s.missing),
        min_coverage=cov,
        compare=codes("cmp", s.compare, 2, 4),
        highlight=codes("hl", s.highlight, 0, 14),
        uncertainty=choice("unc", tuple(UNCERTAINTY), s.uncertainty),
        seed=integer("seed", s.seed, 0, 99999),
        floor=integer("floor", s.floor, 0, 5),
        scenario=choice("scn", scenarios, s.scenario) if scenarios else s.scenario,
        notices=tuple(notices),
    )


def _fmt(x: float) -> str:
    return f"{x:g}"


def encode_query(state: UIState, defaults: UIState, presets: Mapping[str, tuple[dict, dict]]) -> dict[str, str]:
    """The query parameters for a state: only what differs from the defaults (short URLs)."""
    q: dict[str, str] = {}
    simple = {
        "view": "view",
        "year": "year",
        "preset": "preset",
        "normalisation": "norm",
        "aggregation": "agg",
        "missing": "miss",
        "min_coverage": "cov",
        "uncertainty": "unc",
        "seed": "seed",
        "floor": "floor",
        "scenario": "scn",
    }
    for f in fields(UIState):
        if f.name in simple and getattr(state, f.name) != getattr(defaults, f.name):
            v = getattr(state, f.name)
            q[simple[f.name]] = _fmt(v) if isinstance(v, float) else str(v)
    w0, pw0 = presets[state.preset]
    # Weights of a session's uploaded indicators (user_*) stay out of links: others lack that data.
    dw = ",".join(f"{k}:{_fmt(v)}" for k, v in state.weights.items() if k in w0 and w0[k] != v)
    dpw = ",".join(f"{k}:{_fmt(v)}" for k, v in state.pillar_weights.items() if pw0.get(k) != v)
    if dw:
        q["w"] = dw
    if dpw:
        q["pw"] = dpw
    if state.compare != defaults.compare:
        q["cmp"] = ",".join(state.compare)
    if state.highlight != defaults.highlight:
        q["hl"] = ",".join(state.highlight)
    if state.edits and len(state.edits) <= MAX_URL_EDITS:
        q["ed"] = "~".join(f"{i}:{y}:{k}:{_fmt(v)}" for i, y, k, v in state.edits)
    return q


# ---------------------------------------------------------------- the page's configuration
def slug(name: str) -> str:
    """URL-friendly key of a scenario name: 'Armenia leaves the CSTO' -> 'armenia_leaves_the_csto'."""
    return "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_")


def fit_to_sliders(weights: Mapping[str, float]) -> tuple[dict[str, float], float]:
    """Weights as slider values (0-``WEIGHT_MAX``) and the factor applied.

    Weights are relative (inside a pillar, and across pillars), so when the largest is above
    ``WEIGHT_MAX`` all of them are multiplied by ``WEIGHT_MAX / largest``: the effective
    weights stay the same. Otherwise they are returned unchanged with factor 1. The one rule
    for presets and for uploaded specs.
    """
    out = {k: float(v) for k, v in weights.items()}
    top = max(out.values(), default=0.0)
    if top <= WEIGHT_MAX:
        return out, 1.0
    factor = WEIGHT_MAX / top
    return {k: v * factor for k, v in out.items()}, factor


def ui_presets(catalog, pillars) -> dict[str, tuple[dict[str, float], dict[str, float]]]:
    """Presets as slider values (0-10), scaled by :func:`fit_to_sliders` when above 10."""
    import scoring

    out = {}
    for name in scoring.PRESETS:
        spec = scoring.spec_from_preset(name, catalog)
        iw, _ = fit_to_sliders({k: float(spec.indicator_weights.get(k, 1.0)) for k in catalog})
        pw, _ = fit_to_sliders({p: float(spec.pillar_weights.get(p, 1.0)) for p in pillars})
        out[name] = (iw, pw)
    return out


@dataclass(frozen=True)
class PageConfig:
    """Everything the page needs to read and write its URL: defaults, presets, allowed values."""

    defaults: UIState
    presets: dict
    years: tuple[int, ...]
    methods: dict
    countries: tuple[str, ...]
    scenarios: tuple[str, ...]
    indicators: tuple[str, ...]

    @classmethod
    def build(cls, catalog, model, scenario_keys=()) -> PageConfig:
        import scoring
        from indicators.countries import PANEL_COUNTRIES
        from indicators.schema import PILLARS

        presets = ui_presets(catalog, PILLARS)
        preset = "equal" if "equal" in presets else next(iter(presets))
        spec0 = scoring.spec_from_preset(preset, catalog)
        defaults = UIState(
            view="ranking",
            year=int(model.default_year(spec0)),
            preset=preset,
            weights=presets[preset][0],
            pillar_weights=presets[preset][1],
            normalisation=spec0.normalisation,
            aggregation=spec0.aggregation,
            missing=spec0.missing,
            min_coverage=spec0.min_coverage,
            compare=("ARM", "KAZ", "GEO"),
            highlight=("ARM", "BLR", "GEO", "KAZ", "UKR"),
        )
        methods = {
            "norm": tuple(scoring.NORMALISERS),
            "agg": tuple(scoring.AGGREGATORS),
            "miss": tuple(scoring.MISSING_POLICIES),
        }
        return cls(
            defaults,
            presets,
            tuple(int(y) for y in model.years),
            methods,
            tuple(PANEL_COUNTRIES),
            ("",) + tuple(scenario_keys),
            tuple(catalog),
        )

    def parse(self, params: Mapping[str, str | list[str]]) -> UIState:
        return parse_query(
            params,
            self.defaults,
            years=self.years,
            presets=self.presets,
            methods=self.methods,
            countries=self.countries,
            scenarios=self.scenarios,
            indicators=self.indicators,
        )

    def encode(self, state: UIState) -> dict[str, str]:
        return encode_query(state, self.defaults, self.presets)


def spec_from_state(state: UIState, year: int | None = None):
    """The ScoringSpec a state describes (all years, or just ``year``). Raises scoring.SpecError."""
    import scoring

    return scoring.ScoringSpec(
        years=None if year is None else (year,),
        indicator_weights=state.weights,
        pillar_weights=state.pillar_weights,
        normalisation=state.normalisation,
        aggregation=state.aggregation,
        missing=state.missing,
        min_coverage=state.min_coverage,
        preset=state.preset,
    )
