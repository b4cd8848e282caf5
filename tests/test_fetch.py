"""The refresh pipeline: producers' clients replayed from the recorded responses, snapshots, atomic writes."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from indicators import fetch, producers
from indicators.build import run_all, write_tables
from indicators.builders.unvotes import resolution_key
from indicators.loader import DATA_DIR, TABLES

CASSETTE_ITEMS = [i for i in fetch.read_inputs() if i.ship == "cassette"]
SHIPPED_ITEMS = [i for i in fetch.read_inputs() if i.ship == "yes"]
NOT_SHIPPED = [i for i in fetch.read_inputs() if i.ship == "no"]


def quiet(*_):
    pass


@pytest.fixture(scope="module")
def vcr_config():
    """pytest-recording: replay only (the default), and answer a request as often as a client repeats it
    (the eurostat package asks for the dataflow once per call), as ``indicators.fetch.replaying`` does."""
    return {"record_mode": "none", "allow_playback_repeats": True}


@pytest.fixture(scope="module")
def replayed(tmp_path_factory) -> tuple[Path, list[str]]:
    """A raw folder made by ``--offline-replay`` alone (cassettes and shipped copies), and its problems."""
    raw = tmp_path_factory.mktemp("replayed") / "raw"
    return raw, fetch.run(raw, offline_replay=True, log=quiet)


def test_offline_replay_writes_everything_but_the_files_that_may_not_be_shipped(replayed):
    raw, problems = replayed
    assert sorted(p.split(":")[0] for p in problems) == sorted(i.path for i in NOT_SHIPPED)
    for item in CASSETTE_ITEMS + SHIPPED_ITEMS:
        assert (raw / item.path).is_file(), item.path


@pytest.fixture(scope="module")
def rebuilt(replayed, raw_dir, tmp_path_factory) -> tuple[Path, set[str]]:
    """data/ rebuilt from the replayed folder, with every other raw file copied from the raw extracts;
    also the raw paths the build opened."""
    raw, _ = replayed
    for src in raw_dir.rglob("*"):
        if src.is_file() and not (raw / src.relative_to(raw_dir)).exists():
            (raw / src.relative_to(raw_dir)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, raw / src.relative_to(raw_dir))
    opened: set[str] = set()
    root = str(raw.resolve())

    def hook(event, args):
        if event == "open" and isinstance(args[0], (str, Path)) and str(args[0]).startswith(root):
            opened.add(str(Path(args[0]).resolve().relative_to(root)))

    TRACE.append(hook)
    try:
        tables = run_all(raw)
    finally:
        TRACE.remove(hook)
    out = tmp_path_factory.mktemp("rebuilt")
    write_tables(out, *tables)
    return out, opened


#: Audit hooks cannot be removed once added: one hook for the module, calling whatever is in TRACE.
TRACE: list = []
sys.addaudithook(lambda event, args: [h(event, args) for h in list(TRACE)])


def test_offline_replay_rebuilds_the_committed_tables_byte_identically(rebuilt):
    """Cassettes (World Bank, IMF, UN votes) + shipped copies + the files that cannot be shipped -> data/."""
    out, _ = rebuilt
    for t in TABLES + ("MANIFEST.sha256",):
        assert (out / t).read_bytes() == (DATA_DIR / t).read_bytes(), (
            f"data/{t} differs when rebuilt from the recorded responses and snapshots/: if the raw extracts "
            "changed, run `python tools/make_cassettes.py --raw ../shared/raw` and "
            "`python -m indicators.fetch --raw ../shared/raw --update-shipped`"
        )


def test_raw_inputs_list_exactly_the_files_the_build_reads(rebuilt):
    _, opened = rebuilt
    listed = {i.path for i in fetch.read_inputs()}
    unlisted = sorted(p for p in opened if p not in listed and not p.endswith(fetch.RECORD_SUFFIX))
    assert not unlisted, (
        f"the build reads {unlisted}: add each to indicators/raw_inputs.csv (producer, URL, licence, ship), then "
        "run `python -m indicators.fetch --raw ../shared/raw --update-shipped`"
    )
    unread = sorted(listed - opened)
    assert not unread, f"indicators/raw_inputs.csv lists {unread}, which the build no longer reads: remove them"


def test_shipped_copies_are_the_raw_extracts(raw_dir):
    stale = [i.path for i in SHIPPED_ITEMS if (fetch.SHIPPED / i.path).read_bytes() != (raw_dir / i.path).read_bytes()]
    assert not stale, f"snapshots/ is older than the raw folder for {stale}: run indicators.fetch --update-shipped"


def _wide_values(path: Path) -> dict[tuple[str, str, str], float]:
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    years = [c for c in t.columns if c.isdigit()]
    return {
        (r["Indicator Code"], r["Country Code"], y): float(r[y]) for r in t.to_dict("records") for y in years if r[y]
    }


@pytest.mark.vcr(str(fetch.cassette_path("wbgapi-wdi_2022_05")))
def test_worldbank_client_returns_every_value_of_the_bulk_file(raw_dir, tmp_path):
    (item,) = [i for i in CASSETTE_ITEMS if i.cassette == "wbgapi-wdi_2022_05"]
    query = producers.parse_query(item.query)
    got = producers.client("wbgapi").fetch(query)
    (tmp_path / "wide.csv").write_bytes(got.content)
    mine, theirs = _wide_values(tmp_path / "wide.csv"), _wide_values(raw_dir / item.path)
    series = set(query["series"].split(";"))
    assert mine == {k: v for k, v in theirs.items() if k[0] in series}
    assert got.release == "2022-05-25"


@pytest.mark.vcr(str(fetch.cassette_path("wbgapi-wdi_2026_07")))
def test_worldbank_client_returns_every_value_of_the_2026_refresh(raw_dir):
    (item,) = [i for i in CASSETTE_ITEMS if i.cassette == "wbgapi-wdi_2026_07"]
    query = producers.parse_query(item.query)
    got = producers.client("wbgapi").fetch(query)

    def values(t):
        return {(r.indicator_code, r.iso3, int(r.year)): float(r.value) for r in t.itertuples() if r.value}

    mine = values(pd.read_csv(pd.io.common.BytesIO(got.content), dtype=str, keep_default_na=False))
    theirs = pd.read_csv(raw_dir / item.path, dtype=str, keep_default_na=False)
    theirs = theirs[theirs["indicator_code"].isin(query["series"].split(";"))]
    assert mine == values(theirs)
    assert got.release == ""  # the extract states no release date, so the recorded answer gives none


@pytest.mark.vcr(str(fetch.cassette_path("sdmx1")))
def test_imf_client_returns_every_value_of_the_imts_extract(raw_dir):
    (item,) = [i for i in CASSETTE_ITEMS if i.client == "sdmx1"]
    got = producers.client("sdmx1").fetch(producers.parse_query(item.query))
    mine = pd.read_csv(pd.io.common.BytesIO(got.content))
    theirs = pd.read_csv(raw_dir / item.path)
    key = ["partner_iso3", "year", "flow"]
    merged = theirs[key + ["value_musd"]].merge(mine[key + ["value_musd"]], on=key, how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    assert (merged["value_musd_x"] == merged["value_musd_y"]).all()


@pytest.mark.vcr(str(fetch.cassette_path("eurostat")))
def test_eurostat_client_returns_every_value_of_the_comext_extract(raw_dir):
    (item,) = [i for i in CASSETTE_ITEMS if i.client == "eurostat"]
    got = producers.client("eurostat").fetch(producers.parse_query(item.query))
    key = ["reporter", "partner", "flow", "period", "product"]
    mine = pd.read_csv(pd.io.common.BytesIO(got.content), dtype=str, keep_default_na=False)
    theirs = pd.read_csv(raw_dir / item.path, dtype=str, keep_default_na=False)
    merged = theirs.merge(mine, on=key, how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    assert (merged["value_eur_x"] == merged["value_eur_y"]).all()


def _votes(path: Path, id_col: str, countries: list[str], keep=None) -> dict[tuple[str, str], str]:
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    if keep is not None:
        t = t[keep(t)]
    return {(r[id_col], c): r[c] for r in t.to_dict("records") for c in countries if r[c]}


@pytest.mark.vcr(str(fetch.cassette_path("undl")))
def test_un_voting_client_returns_every_vote_of_both_extracts(raw_dir):
    fetch.producers_cache_clear()
    undl = producers.client("undl")
    for item in [i for i in CASSETTE_ITEMS if i.client == "undl"]:
        query = producers.parse_query(item.query)
        got = undl.fetch(query)
        if query["layout"] == "wide19":
            args = ("undl_id", undl.WIDE19, None)
        else:
            # the library's CSV lists adopted resolutions of the General Assembly only
            args = (
                "token",
                undl.SCRAPE15,
                lambda t: (t["Council"] == "General Assembly") & t["Resolution"].map(resolution_key).notna(),
            )
        mine = _votes(pd.io.common.BytesIO(got.content), *args)
        assert mine == _votes(raw_dir / item.path, *args), item.path


def test_failed_or_partial_download_keeps_the_previous_snapshot(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    assert fetch.run(raw, only=("wdi_2022_05",), offline_replay=True, log=quiet) == []
    (item,) = [i for i in CASSETTE_ITEMS if i.cassette == "wbgapi-wdi_2022_05"]
    target = raw / item.path
    record = target.with_name(target.name + fetch.RECORD_SUFFIX)
    before = target.read_bytes(), record.read_bytes()
    real = producers.worldbank.fetch

    def partial(query):  # the connection drops half-way through the body
        got = real(query)
        return producers.Fetched(got.content[: len(got.content) // 2], got.url, got.release)

    def broken(query):
        raise ConnectionError("connection reset by peer")

    for bad in (partial, broken):
        monkeypatch.setattr(producers.worldbank, "fetch", bad)
        problems = fetch.run(raw, only=("wdi_2022_05",), offline_replay=True, log=quiet)
        assert len(problems) == 1 and "previous snapshot kept" in problems[0]
        assert (target.read_bytes(), record.read_bytes()) == before
        assert sorted(p.name for p in target.parent.iterdir()) == sorted([target.name, record.name])


def test_replay_answers_only_recorded_requests(tmp_path, monkeypatch):
    """Offline, a request the cassette does not hold fails instead of going to the network."""
    items = fetch.read_inputs()
    wb = next(i for i in items if i.cassette == "wbgapi-wdi_2022_05")
    changed = fetch.RawInput(**{**wb.__dict__, "query": wb.query.replace("BX.TRF.PWKR.DT.GD.ZS", "NY.GDP.MKTP.CD")})
    monkeypatch.setattr(fetch, "read_inputs", lambda: [changed])
    problems = fetch.run(tmp_path, offline_replay=True, log=quiet)
    assert len(problems) == 1 and "CannotOverwriteExistingCassetteException" in problems[0]
    assert not (tmp_path / wb.path).exists()


def test_every_written_file_has_a_record_that_describes_it(replayed):
    raw, _ = replayed
    for item in CASSETTE_ITEMS + SHIPPED_ITEMS:
        data = (raw / item.path).read_bytes()
        rec = json.loads((raw / (item.path + fetch.RECORD_SUFFIX)).read_text(encoding="utf-8"))
        assert rec["sha256"] == hashlib.sha256(data).hexdigest() and rec["size"] == len(data), item.path
        assert (rec["path"], rec["producer"], rec["licence"]) == (item.path, item.producer, item.licence)
        datetime.fromisoformat(rec["accessed"])
        if item.client:
            assert rec["url"].startswith("https://"), item.path
        if item.ship == "cassette":  # the record says the time is that of a replay, not of a download
            assert rec["via"] == f"replay of snapshots/cassettes/{item.cassette}.yaml", item.path


def test_a_shipped_copy_that_does_not_match_its_record_is_refused(tmp_path, monkeypatch):
    item = SHIPPED_ITEMS[0]
    files = tmp_path / "files"
    (files / item.path).parent.mkdir(parents=True)
    data = bytearray((fetch.SHIPPED / item.path).read_bytes())
    data[len(data) // 2] ^= 1
    (files / item.path).write_bytes(bytes(data))
    monkeypatch.setattr(fetch, "SHIPPED", files)
    problems = fetch.run(tmp_path / "raw", only=(item.path,), offline_replay=True, log=quiet)
    assert len(problems) == 1 and "does not match its sha256" in problems[0]
    assert not (tmp_path / "raw" / item.path).exists()


def test_raw_inputs_declare_ship_and_client_consistently():
    for item in fetch.read_inputs():
        assert item.producer and item.licence, item.path
        if item.client:
            producers.client(item.client)  # a known client
            producers.parse_query(item.query)
        assert (fetch.SHIPPED / item.path).is_file() == (item.ship == "yes"), item.path
    for name in {i.cassette for i in CASSETTE_ITEMS}:
        assert fetch.cassette_path(name).is_file()


def test_a_raw_file_newer_than_its_shipped_copy_is_kept(tmp_path):
    item = SHIPPED_ITEMS[0]
    target = tmp_path / item.path
    target.parent.mkdir(parents=True)
    newer = (fetch.SHIPPED / item.path).read_bytes() + b"\n"
    target.write_bytes(newer)
    lines = []
    assert fetch.run(tmp_path, only=(item.path,), offline_replay=True, log=lines.append) == []
    assert target.read_bytes() == newer
    assert "run --update-shipped" in lines[0]


def test_a_file_pinned_to_a_release_is_kept_when_the_producer_serves_another(tmp_path, monkeypatch):
    """The WDI API serves only its current release: the 2022-05 vintage is not overwritten by a newer one."""
    wb = next(i for i in fetch.read_inputs() if i.cassette == "wbgapi-wdi_2022_05")
    assert "release=2022-05-25" in wb.query
    target = tmp_path / wb.path
    target.parent.mkdir(parents=True)
    target.write_bytes(b"the 2022-05 vintage")
    later = fetch.RawInput(**{**wb.__dict__, "query": wb.query.replace("release=2022-05-25", "release=2021-07-30")})
    monkeypatch.setattr(fetch, "read_inputs", lambda: [later])
    lines = []
    assert fetch.run(tmp_path, offline_replay=True, log=lines.append) == []
    assert target.read_bytes() == b"the 2022-05 vintage"
    assert "pinned to WDI release 2021-07-30; the API serves 2022-05-25" in lines[0]
