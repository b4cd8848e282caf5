"""The dashboard's shareable state and its URL encoding.

Everything a person can set lives in the URL query string, so a link reopens the
same view. Parsing is forgiving: a malformed or out-of-range parameter falls back to
its default and yields a notice naming the parameter, never an exception.

Parameters (all optional)::

    view    one of VIEWS                       year   a panel year (always written)
    preset  a weight preset name               w      id:weight,... (indicator weights, 0-10)
    pw      pillar:weight,... (0-10)           norm   normalisation method
    agg     aggregation method                 miss   missing-data policy
    cov     minimum coverage, 0-1              cmp    2-4 ISO3 codes to compare
    hl      ISO3 codes highlighted on trends   unc    perturbation strength (UNCERTAINTY key)
    seed    Monte Carlo seed (0-99999)         floor  reachable-rank weight floor, % (0-5)
    scn     example scenario (slug)          ed     scenario edits ISO3:year:indicator:value~... (at most MAX_URL_EDITS)
    split   ranking bars split by 'pillar' or 'indicator'

    ``preset=custom`` marks weights moved by hand; ``w``/``pw`` are then read against the default preset.
    pm      measure:weight,... of the poles lens (0-10; un_votes, trade, arms, ties)
    cc      country of 'What changed' and 'Profile'  cf, ct  its from/to years (default: the year before `year`, `year`)
    chain   0 (default) = trends show the scores; 1 = a different series: composition held fixed (chain-linked)
    dunc    data uncertainty in the bands: off / on (perturb estimated, imputed, carried values) /
            policy (as on, and every draw also picks its missing-data policy)
    py      year of 'Between the poles' (default: the latest year in which every measure has data for most states)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from scoring.untrusted import check_number

VIEWS: dict[str, str] = {
    "ranking": "Ranking",
    "compare": "Compare",
    "trends": "Trends",
    "change": "What changed",
    "profile": "Profile",
    "map": "Map",
    "poles": "Between the poles",
    "robustness": "Robustness",
    "scenarios": "What-if",
    "data": "Data & sources",
    "method": "Methodology",
    "upload": "Your data",
}
#: Perturbation strength -> Dirichlet concentration (higher = tighter around the chosen weights).
UNCERTAINTY: dict[str, float] = {"off": float("inf"), "low": 200.0, "medium": 50.0, "high": 12.0}
#: Whether the Monte Carlo bands also move non-observed values (scoring.sensitivity.DATA_BANDS).
DATA_UNC: tuple[str, ...] = ("off", "on", "policy")
WEIGHT_MAX = 10.0
WEIGHT_STEP = 0.25
#: Scenario edits travel in the URL only while there are at most this many.
MAX_URL_EDITS = 12
#: The preset label once a weight has been moved by hand; its weights are read against the default preset's.
CUSTOM = "custom"
#: Ways to split the ranking bars.
SPLITS = ("pillar", "indicator")


def preset_label(name: str) -> str:
    """'security_first' -> 'Security first' (what the page shows for a preset name)."""
    return "Custom weights" if name == CUSTOM else name.replace("_", " ").capitalize()


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
    data_uncertainty: str = "off"
    floor: float = 2.0
    scenario: str = ""
    edits: tuple[tuple[str, int, str, float], ...] = ()
    split: str = "pillar"
    #: Weights of the poles lens' measures (``scoring.pulls``), on the sliders' 0-10 scale.
    pole_weights: dict[str, float] = field(default_factory=dict)
    change_country: str = "ARM"
    change_from: int | None = None  # None: the year before `year` (see change_years)
    change_to: int | None = None  # None: `year`
    chain: bool = False
    #: Year of 'Between the poles'; None = the latest year in which every measure has data for most states
    #: (scoring.pulls.PullsModel.complete_year), which the view fills in when it opens.
    poles_year: int | None = None
    notices: tuple[str, ...] = field(default=(), compare=False)


def _one(v) -> str:
    """The value of a parameter given once or several times (the last wins; an empty list is empty)."""
    if isinstance(v, list | tuple):
        return str(v[-1]) if v else ""
    return str(v)


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
    preset = choice("preset", (*presets, CUSTOM), s.preset)
    w0, pw0 = presets.get(preset) or presets[defaults.preset]
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
                row = (iso.upper(), int(yr), ind, check_number(float(val)))
            except ValueError:  # UntrustedInputError (not finite, beyond ±1e12) is one
                notices.append(f"URL parameter 'ed': {item!r} is not ISO3:year:indicator:value; ignored")
                continue
            if row[0] not in countries or row[1] not in years or row[2] not in indicators:
                notices.append(f"URL parameter 'ed': {item!r} names an unknown country, year or indicator; ignored")
                continue
            parsed.append(row)
        edits = tuple(parsed[:MAX_URL_EDITS])

    change_from, change_to = s.change_from, s.change_to
    for key in ("cf", "ct"):
        if key in p:
            try:
                y = int(p[key])
                if y not in years:
                    raise ValueError
                change_from, change_to = (y, change_to) if key == "cf" else (change_from, y)
            except ValueError:
                notices.append(f"URL parameter '{key}': {p[key]!r} is not a panel year; using the default")
    chain = s.chain
    if "chain" in p:
        if p["chain"] in ("0", "1"):
            chain = p["chain"] == "1"
        else:
            notices.append(f"URL parameter 'chain': {p['chain']!r} must be 0 or 1; using {int(chain)}")
    poles_year = s.poles_year
    if "py" in p:
        try:
            poles_year = int(p["py"])
            if poles_year not in years:
                raise ValueError
        except ValueError:
            poles_year = s.poles_year
            notices.append(f"URL parameter 'py': {p['py']!r} is not a panel year; using the view's default")
    change_country = s.change_country
    if "cc" in p:
        if p["cc"].strip().upper() in countries:
            change_country = p["cc"].strip().upper()
        else:
            notices.append(f"URL parameter 'cc': unknown country code {p['cc']!r}; using {change_country}")

    return replace(
        s,
        edits=edits,
        pole_weights=_pairs(p.get("pm", ""), s.pole_weights, "pm", notices) if s.pole_weights else s.pole_weights,
        change_country=change_country,
        change_from=change_from,
        change_to=change_to,
        chain=chain,
        poles_year=poles_year,
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
        data_uncertainty=choice("dunc", DATA_UNC, s.data_uncertainty),
        floor=integer("floor", s.floor, 0, 5),
        scenario=choice("scn", scenarios, s.scenario) if scenarios else s.scenario,
        split=choice("split", SPLITS, s.split),
        notices=tuple(notices),
    )


def _fmt(x: float) -> str:
    return f"{x:g}"


def change_years(state: UIState, years: tuple[int, ...]) -> tuple[int, int]:
    """The (from, to) years of the 'What changed' view: the state's, else the year before the selected
    year and the selected year (the first two panel years when the first is selected)."""
    k = years.index(state.year) if state.year in years else len(years) - 1
    k = max(k, 1)
    return (
        state.change_from if state.change_from is not None else years[k - 1],
        state.change_to if state.change_to is not None else years[k],
    )


#: Parameters written even when they equal the default, so a link keeps its meaning when a default moves
#: (e.g. the default year when a new year of data arrives).
ALWAYS = ("view", "year", "preset", "split", "cmp", "hl", "unc", "seed", "floor", "cc", "chain")


def encode_query(
    state: UIState, defaults: UIState, presets: Mapping[str, tuple[dict, dict]], years: tuple[int, ...] = ()
) -> dict[str, str]:
    """The query parameters for a state: the view, year, preset and every view option always; methods,
    weights and scenario only where they differ from the defaults (weights: from the preset's)."""
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
        "data_uncertainty": "dunc",
        "floor": "floor",
        "scenario": "scn",
        "split": "split",
    }
    for f in fields(UIState):
        key = simple.get(f.name)
        if key and (key in ALWAYS or getattr(state, f.name) != getattr(defaults, f.name)):
            v = getattr(state, f.name)
            q[key] = _fmt(v) if isinstance(v, float) else str(v)
    w0, pw0 = presets.get(state.preset) or presets[defaults.preset]
    # Weights of a session's uploaded indicators (user_*) stay out of links: others lack that data.
    dw = ",".join(f"{k}:{_fmt(v)}" for k, v in state.weights.items() if k in w0 and w0[k] != v)
    dpw = ",".join(f"{k}:{_fmt(v)}" for k, v in state.pillar_weights.items() if pw0.get(k) != v)
    if dw:
        q["w"] = dw
    if dpw:
        q["pw"] = dpw
    q["cmp"] = ",".join(state.compare)
    q["hl"] = ",".join(state.highlight)
    dpm = ",".join(f"{k}:{_fmt(v)}" for k, v in state.pole_weights.items() if defaults.pole_weights.get(k) != v)
    if dpm:
        q["pm"] = dpm
    q["cc"] = state.change_country
    q["chain"] = str(int(state.chain))
    if state.poles_year is not None:
        q["py"] = str(state.poles_year)
    chosen = (state.change_from, state.change_to)
    if None not in chosen and (
        not years or chosen != change_years(replace(state, change_from=None, change_to=None), years)
    ):
        q["cf"], q["ct"] = str(state.change_from), str(state.change_to)
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
    #: Years after the default year, whose scores rest partly on imputed values (default weights;
    #: scoring.composition.provisional_years), and what each lacks, in words.
    provisional: tuple[int, ...] = ()
    lacks: Mapping[int, str] = field(default_factory=dict)

    @classmethod
    def build(cls, catalog, model, scenario_keys=(), pole_weights: Mapping[str, float] | None = None) -> PageConfig:
        import scoring
        from indicators.countries import PANEL_COUNTRIES
        from indicators.schema import PILLARS
        from scoring.composition import provisional_lacks, provisional_years

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
            pole_weights=dict(pole_weights or {}),
        )
        methods = {
            "norm": tuple(scoring.NORMALISERS),
            "agg": tuple(scoring.AGGREGATORS),
            "miss": tuple(scoring.MISSING_POLICIES),
        }
        provisional = provisional_years(model, spec0)
        return cls(
            defaults,
            presets,
            tuple(int(y) for y in model.years),
            methods,
            tuple(PANEL_COUNTRIES),
            ("",) + tuple(scenario_keys),
            tuple(catalog),
            provisional,
            {y: provisional_lacks(model, spec0, y) for y in provisional},
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
        return encode_query(state, self.defaults, self.presets, self.years)

    def year_label(self, year: int) -> str:
        """The year as the year picker shows it: marked when its scores are provisional."""
        return f"{year} · provisional" if year in self.provisional else str(year)

    #: Help of the year picker, explaining the mark.
    year_help = (
        "Scores are computed for every year; the page opens on the latest year in which every state has at "
        "least 75% of the weight (default weights) on sourced values. Later years are marked 'provisional': "
        "some states' scores rest partly on values filled by the missing-data model (marked †), which will "
        "move when the statistics are published."
    )


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
