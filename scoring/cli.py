"""``python -m scoring``: score the shipped panel and write the scores as CSV.

Examples::

    python -m scoring                                   # default year, equal weights, to stdout
    python -m scoring --year 2022 --preset security_first --out scores.csv
    python -m scoring --weights my_weights.json         # {"csto_membership": 2, "unga_alignment": 0.5}
    python -m scoring --weights spec.json               # a full spec saved by the dashboard
    python -m scoring --all-years --normalise zscore --aggregate geometric

Precedence: a full spec from ``--weights`` is the base; ``--preset`` replaces its weights;
a plain weights file sets indicator weights on top of the preset; ``--normalise``,
``--aggregate``, ``--missing``, ``--min-coverage`` and ``--year`` override the rest.
The default year is the latest year in which every state has at least 75% of the weight on
sourced values (``Model.default_year``); without ``--year`` it is named on stderr. Any bad input exits with status 2 and a one-line message on
stderr saying what to fix; nothing is written then (``--out`` is written atomically).

Columns: ``iso3, country, year, score, rank, coverage, coverage_observed``, then
``pillar_<name>`` and ``contrib_<id>``. ``coverage`` is the share of the weight with a value;
``coverage_observed`` the share with an *observed* value (not estimated, imputed or carried).
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
import tempfile
from pathlib import Path

from indicators.args import OneLineParser, UsageError, fail
from scoring.aggregate import AGGREGATORS
from scoring.export import scores_csv
from scoring.model import Model
from scoring.normalise import NORMALISERS
from scoring.spec import MISSING_POLICIES, ScoringSpec, SpecError
from scoring.untrusted import UntrustedInputError, load_json
from scoring.weights import PRESETS, spec_from_preset


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(prog="python -m scoring", description="Score the shipped panel and write CSV.")
    p.add_argument("--year", type=int, help="year to score (default: latest year with adequate coverage)")
    p.add_argument("--all-years", action="store_true", help="score every panel year")
    return add_spec_options(p)


def add_spec_options(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The spec, output and data options shared by every scoring CLI (same names, same precedence)."""
    p.add_argument("--weights", metavar="FILE.json", help="JSON object indicator id -> weight, or a full spec")
    p.add_argument("--preset", metavar="NAME", help=f"weight preset: {', '.join(PRESETS)}")
    p.add_argument("--normalise", metavar="NAME", help=f"normalisation: {', '.join(NORMALISERS)}")
    p.add_argument("--aggregate", metavar="NAME", help=f"aggregation: {', '.join(AGGREGATORS)}")
    p.add_argument("--missing", metavar="NAME", help=f"missing-data policy: {', '.join(MISSING_POLICIES)}")
    p.add_argument("--min-coverage", type=float, metavar="X", help="coverage threshold 0-1 (default 0.5)")
    p.add_argument("--out", metavar="FILE", help="write the CSV here (default: stdout)")
    p.add_argument("--data", metavar="DIR", help="data directory (default: the shipped data/)")
    return p


#: Largest input file a CLI reads (a weights file or spec is a few kB).
MAX_INPUT_BYTES = 1_000_000


def read_input(path: str, option: str = "--weights") -> str:
    """The text of a small input file: a regular file of at most MAX_INPUT_BYTES, UTF-8 (UsageError else).
    Reads at most that many bytes, so a device such as /dev/zero or a pipe never stalls the CLI."""
    try:
        with open(path, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise UsageError(f"{option} {path} is not a regular file")
            data = f.read(MAX_INPUT_BYTES + 1)
    except OSError as e:
        raise UsageError(f"cannot read {option} file {path}: {e.strerror or e}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(f"{option} file {path} is larger than {MAX_INPUT_BYTES / 1e6:g} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{option} file {path} is not UTF-8 text; save it as a JSON file") from None


def _read_weights(path: str) -> dict:
    text = read_input(path)
    try:
        data = load_json(text)
    except UntrustedInputError as e:
        raise UsageError(
            f"--weights file {path} is {e}" if str(e).startswith("not ") else f"--weights file {path}: {e}"
        ) from None
    if not isinstance(data, dict) or not data:
        raise UsageError(f"--weights file {path} must be a JSON object: indicator id -> weight, or a full spec")
    return data


def _is_full_spec(data: dict) -> bool:
    return any(k in ScoringSpec.model_fields for k in data)


def make_spec(args: argparse.Namespace, model: Model) -> ScoringSpec:
    """The spec the arguments describe (see module docstring for precedence); SpecError/UsageError on bad input."""
    fields: dict = {}
    file_weights: dict | None = None
    if args.weights:
        data = _read_weights(args.weights)
        if _is_full_spec(data):
            fields = ScoringSpec.build(**data).model_dump()
        else:
            file_weights = data
    if args.preset is not None:
        if args.preset not in PRESETS:
            raise SpecError(f"unknown preset {args.preset!r}; choose one of: {', '.join(PRESETS)}")
        p = spec_from_preset(args.preset, model.catalog)
        fields |= {"indicator_weights": p.indicator_weights, "pillar_weights": p.pillar_weights, "preset": args.preset}
    if file_weights is not None:
        fields["indicator_weights"] = {**fields.get("indicator_weights", {}), **file_weights}
        fields["preset"] = None if args.preset is None else f"{args.preset} + {Path(args.weights).name}"
    for opt, field in (("normalise", "normalisation"), ("aggregate", "aggregation"), ("missing", "missing")):
        if getattr(args, opt) is not None:
            fields[field] = getattr(args, opt)
    if args.min_coverage is not None:
        fields["min_coverage"] = args.min_coverage
    spec = ScoringSpec.build(**fields)
    model.weights(spec)  # unknown ids / all zero
    if args.all_years:
        return spec.replace(years=None)
    if args.year is not None:
        model.year_index(args.year)
        return spec.replace(years=(args.year,))
    if spec.years is not None:
        for y in spec.years:
            model.year_index(y)
        return spec
    return spec.replace(years=(model.default_year(spec),))


def default_year_note(model: Model, spec: ScoringSpec) -> str:
    """One line naming the default year and why (printed on stderr when no year is given)."""
    from scoring.composition import provisional_years
    from scoring.model import DEFAULT_YEAR_COVERAGE

    year = model.default_year(spec)
    later = provisional_years(model, spec)
    tail = ""
    if later:
        span = str(later[0]) if len(later) == 1 else f"{later[0]}-{later[-1]}"
        tail = f"; later years ({span}) are provisional"
    return (
        f"year {year}: the latest year in which every state has at least {DEFAULT_YEAR_COVERAGE:.0%} of the "
        f"weight on sourced values (the rest imputed){tail}; choose another with --year"
    )


def _load_model(data_dir: str | None) -> Model:
    from indicators.loader import DATA_DIR, DataError, load_catalog, load_panel

    d = Path(data_dir) if data_dir else DATA_DIR
    if not (d / "panel.csv").exists():
        raise UsageError(f"no panel.csv in {d}; build the data first with: python -m indicators.build --raw RAW_DIR")
    try:
        return Model.from_panel(load_panel(d), load_catalog(d))
    except DataError as e:
        raise UsageError(f"the data in {d} failed validation: {e}") from None


def _umask() -> int:
    """The process umask (read by setting it and putting it back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_atomic(path: str, text: str | bytes) -> None:
    """The one output writer: ``text`` to ``path`` as a regular file, atomically, with the usual
    permissions (0666 minus the umask: 0644 by default). An existing directory, symbolic link, device,
    pipe or socket at ``path`` is refused (UsageError), never replaced or written through; on any failure
    nothing is left behind (the temporary file is removed) and an existing file is unchanged."""
    target = Path(path)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as e:
        raise UsageError(f"--out {path}: {e.strerror or e}") from None
    if mode is not None and not stat.S_ISREG(mode):
        kind = (
            "a directory"
            if stat.S_ISDIR(mode)
            else "a symbolic link"
            if stat.S_ISLNK(mode)
            else "a device, pipe or socket"
        )
        raise UsageError(f"--out {path} is {kind}; give the name of a regular file")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"--out {path}: folder {parent} does not exist")
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:40]}-", suffix=".tmp", dir=parent)
    except OSError as e:
        raise UsageError(f"--out {path}: cannot write in {parent} ({e.strerror or e})") from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise UsageError(f"--out {path}: cannot write ({e.strerror or e})") from None
        raise


def write_output(text: str, out: str | None) -> None:
    """The CLIs' output: to ``out`` atomically (nothing is written if that fails), else to stdout."""
    if out:
        _write_atomic(out, text)
    else:
        sys.stdout.write(text)


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.all_years and args.year is not None:
            raise UsageError("give either --year or --all-years, not both")
        model = _load_model(args.data)
        spec = make_spec(args, model)
        write_output(scores_csv(model.score(spec)), args.out)
        if args.year is None and not args.all_years and spec.years == (model.default_year(spec),):
            print(default_year_note(model, spec), file=sys.stderr)
        return 0
    except (UsageError, SpecError) as e:
        return fail(e)
