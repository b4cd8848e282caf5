"""Derive the tables in ``data/`` from the raw extracts.

Usage::

    python -m indicators.build --raw ../shared/raw      # or: ALIGN_RAW_DIR=../shared/raw python -m indicators.build
    python -m indicators.build --raw DIR --out DIR      # write somewhere else (used by the reproducibility test)
    python -m indicators.build --only trade             # run only some builders (for development; does not write)

The output is deterministic: running it twice gives byte-identical files.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pandas as pd

from indicators.args import OneLineParser, UsageError, fail
from indicators.builders import BUILDER_MODULES, load_builder
from indicators.loader import (
    DATA_DIR,
    MANIFEST,
    TABLES,
    file_sha256,
    parse_catalog,
    parse_poles,
    validate_events,
    validate_panel,
    validate_pulls,
)
from indicators.quotes import date_supported
from indicators.schema import EVENT_COLUMNS, INTERESTED_PARTY_MARK, PANEL_COLUMNS, PULL_COLUMNS, SOURCE_COLUMNS
from indicators.tiers import UnknownHostError, tier_of, url_host

RAW_ENV = "ALIGN_RAW_DIR"


def _run(raw: Path, names: tuple[str, ...]):
    """Run the builders: (catalog, panel, every source by id, events), validated, sources unfiltered."""
    indicators, rows, sources, events = [], [], {}, []
    for name in names:
        out = load_builder(name).build(raw)
        indicators += out.indicators
        rows.append(out.frame())
        _add_sources(sources, out.sources, name)
        events.append(out.events_frame())
    catalog = parse_catalog([i.model_dump(mode="json") for i in indicators])
    # Tier every source by its URL's host (an unknown host raises, naming it).
    sources = tier_sources(sources)
    panel = apply_tier_rules(pd.concat(rows, ignore_index=True), sources)
    order = {k: i for i, k in enumerate(catalog)}
    panel = panel.sort_values(["indicator", "iso3", "year"], key=lambda s: s.map(order) if s.name == "indicator" else s)
    panel = validate_panel(panel.reset_index(drop=True), catalog, sources)
    panel["value"] = panel["value"].round(4)
    ev = pd.concat(events, ignore_index=True).sort_values(["iso3", "date", "indicator", "description"])
    # An event is a citation like any other: one resting on an unusable source is not shown ...
    ev = ev.loc[[sources[k].tier != "unusable" for k in ev["source_id"]]]
    # ... and one whose quote does not state the event's date (the quote test) is not shown either.
    ev = ev.loc[[event_date_supported(d, sources[k]) for d, k in zip(ev["date"], ev["source_id"], strict=True)]]
    ev = validate_events(ev.drop_duplicates().reset_index(drop=True), sources)
    # The catalogue cites no unusable source either (one usable source at least remains).
    for k, ind in list(catalog.items()):
        keep = tuple(x for x in ind.source_ids if sources[x].tier != "unusable")
        if not keep:
            raise ValueError(f"indicator {k}: every catalogue source is unusable; cite a usable one")
        catalog[k] = ind.model_copy(update={"source_ids": keep})
    return catalog, panel, sources, ev


def event_date_supported(date: str, src) -> bool:
    """An event's source states its date (in the quote or the page's dateline); no quote: not judged."""
    return not src.quote or date_supported(date, src.quote, src.title, str(src.url))


def tier_sources(sources: dict) -> dict:
    """Every source with its tier; all hosts missing from the tier table are named in one error."""
    out, unknown = {}, set()
    for k, s in sources.items():
        try:
            out[k] = s.model_copy(update={"tier": tier_of(str(s.url))})
        except UnknownHostError:
            unknown.add(url_host(str(s.url)))
    if unknown:
        raise UnknownHostError(
            f"source hosts without a tier (add them to indicators/hand/source_tiers.csv): {sorted(unknown)}"
        )
    return out


def apply_tier_rules(panel: pd.DataFrame, sources: dict) -> pd.DataFrame:
    """Enforce the source-tier rule on built values (README "Source tiers").

    Unusable sources are dropped from every value's citations; a value left with no
    source is not written (it becomes missing, as any unsourced value). A value resting
    only on interested-party sources gets :data:`INTERESTED_PARTY_MARK` in its note.
    """
    keep, ids_out, notes = [], [], []
    for ids, note in zip(panel["source_ids"], panel["note"].fillna(""), strict=True):
        usable = [x for x in str(ids).split(";") if sources[x].tier != "unusable"]
        keep.append(bool(usable))
        ids_out.append(";".join(usable))
        if usable and all(sources[x].tier == "interested-party" for x in usable) and INTERESTED_PARTY_MARK not in note:
            note = f"{note} {INTERESTED_PARTY_MARK}".strip()
        notes.append(note)
    panel = panel.assign(source_ids=ids_out, note=notes)
    dropped = panel[[not k for k in keep]]
    if len(dropped):
        by = dropped.groupby("indicator").size().to_dict()
        print(f"dropped {len(dropped)} values resting only on unusable sources: {by}", file=sys.stderr)
    return panel[keep].reset_index(drop=True)


def _add_sources(sources: dict, new, who: str) -> None:
    for s in new:
        if s.source_id in sources and sources[s.source_id] != s:
            raise ValueError(f"builder {who}: source id {s.source_id} defined twice with different content")
        sources[s.source_id] = s


def _cited_sources(sources: dict, catalog, tables: list[pd.DataFrame], ev: pd.DataFrame, extra=()) -> pd.DataFrame:
    """Only the sources something cites, so sources.csv has no orphans."""
    cited = set(ev["source_id"]) | set(extra)
    for t in tables:
        cited |= set(";".join(t["source_ids"]).split(";"))
    for ind in catalog.values():
        cited |= set(ind.source_ids)
    unknown = cited - set(sources)
    if unknown:
        raise ValueError(f"catalogue cites unknown source ids: {sorted(unknown)}")
    scoped = with_scopes({k: sources[k] for k in cited})
    return pd.DataFrame([scoped[k].model_dump(mode="json") for k in sorted(cited)], columns=SOURCE_COLUMNS)


SCOPES = Path(__file__).resolve().parent / "hand" / "source_scope.csv"


def with_scopes(sources: dict, path: Path = SCOPES) -> dict:
    """Sources whose headline names another state than the one they are cited for get what they support.

    ``indicators/hand/source_scope.csv`` (url -> cited_for, with the reason) appends
    " — cited for: <what the quoted passage supports>" to the title of every source with that URL, so the title
    a reader sees names what it supports (tests/test_source_titles.py finds the mismatches). Applied after the
    quote tests, so the added words never date a row. A row matching no source of the full build is stale; the
    test of the shipped tables finds it (a partial run, with some builders only, leaves rows unused).
    """
    scope = pd.read_csv(path, dtype=str, keep_default_na=False)
    by_url = dict(zip(scope["url"], scope["cited_for"], strict=True))
    out = {}
    for k, src in sources.items():
        what = by_url.get(str(src.url))
        if what:
            src = src.model_copy(update={"title": f"{src.title} — cited for: {what}"})
        out[k] = src
    return out


def run_builders(raw: Path, names: tuple[str, ...] = BUILDER_MODULES):
    """Run the builders and return (catalog records, panel, sources, events), validated."""
    catalog, panel, sources, ev = _run(raw, names)
    src = _cited_sources(sources, catalog, [panel], ev)
    return [catalog[k].model_dump(mode="json") for k in catalog], panel, src, ev


def run_all(raw: Path):
    """Every table: (catalog, panel, sources, events, poles catalogue, pulls), validated.

    The pulls (``indicators.builders.poles``) are built after the panel, whose membership and
    Western-ladder values they read.
    """
    from indicators.builders.poles import build_pulls

    catalog, panel, sources, ev = _run(raw, BUILDER_MODULES)
    out = build_pulls(raw, panel)
    new = tier_sources({s.source_id: s for s in out.sources if s.source_id not in sources})
    for k, s in new.items():  # the indicator builders' definition of a shared source (e.g. IMF DOTS) wins
        sources.setdefault(k, s)
    poles_rec = out.catalog()
    poles, measures = parse_poles(poles_rec)
    pulls = validate_pulls(out.frame(), poles, measures, sources)
    pulls["value"] = pulls["value"].round(4)
    extra = [i for m in measures.values() for i in m.source_ids]
    src = _cited_sources(sources, catalog, [panel, pulls], ev, extra)
    return [catalog[k].model_dump(mode="json") for k in catalog], panel, src, ev, poles_rec, pulls


def write_tables(
    out_dir: Path,
    catalog,
    panel: pd.DataFrame,
    sources: pd.DataFrame,
    events: pd.DataFrame,
    poles: dict | None = None,
    pulls: pd.DataFrame | None = None,
) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "catalog.json").write_text(json.dumps(catalog, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    opts = dict(index=False, lineterminator="\n", encoding="utf-8")
    panel[PANEL_COLUMNS].to_csv(out_dir / "panel.csv", float_format="%.4f", **opts)
    sources[SOURCE_COLUMNS].to_csv(out_dir / "sources.csv", **opts)
    events[EVENT_COLUMNS].to_csv(out_dir / "events.csv", **opts)
    written = ["catalog.json", "panel.csv", "sources.csv", "events.csv"]
    if poles is not None and pulls is not None:
        (out_dir / "poles.json").write_text(json.dumps(poles, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        pulls[PULL_COLUMNS].to_csv(out_dir / "pulls.csv", float_format="%.4f", **opts)
        written += ["poles.json", "pulls.csv"]
    write_manifest(out_dir, written)


def write_manifest(out_dir: Path, tables: list[str] | None = None) -> None:
    """``MANIFEST.sha256`` of the built tables in ``out_dir`` (default: every table present there)."""
    names = [t for t in TABLES if (out_dir / t).exists() and (tables is None or t in tables)]
    lines = [f"{file_sha256(out_dir / t)}  {t}" for t in names]
    (out_dir / MANIFEST).write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = OneLineParser(prog="python -m indicators.build", description=__doc__.split("\n\n")[0])
    ap.add_argument("--raw", type=Path, default=os.environ.get(RAW_ENV), help=f"raw folder (default: ${RAW_ENV})")
    ap.add_argument("--out", type=Path, default=DATA_DIR, help="output folder (default: the project's data/)")
    ap.add_argument("--only", nargs="*", choices=BUILDER_MODULES, help="run only these builders and print a summary")
    try:
        a = ap.parse_args(argv)
    except UsageError as e:
        return fail(e)
    if a.raw is None:
        print(f"error: give the raw folder with --raw DIR or ${RAW_ENV}", file=sys.stderr)
        return 2
    if not a.raw.is_dir():
        print(f"error: raw folder {a.raw} does not exist", file=sys.stderr)
        return 2
    names = tuple(a.only) if a.only else BUILDER_MODULES
    if a.only:
        catalog, panel, sources, events = run_builders(a.raw, names)
        print(panel.pivot_table(index=["indicator", "iso3"], columns="year", values="value").round(1).to_string())
        return 0
    catalog, panel, sources, events, poles, pulls = run_all(a.raw)
    write_tables(a.out, catalog, panel, sources, events, poles, pulls)
    print(
        f"wrote {len(catalog)} indicators, {len(panel)} values, {len(sources)} sources, {len(events)} events, "
        f"{len(pulls)} pull values to {a.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
