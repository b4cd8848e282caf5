"""Fetch the raw inputs of the build from their producers into a raw folder (the layout the build reads).

Usage::

    python -m indicators.fetch --raw ../shared/raw              # download through each producer's client
    python -m indicators.fetch --raw build/raw --offline-replay # replay the recorded responses, no network
    python -m indicators.fetch --raw DIR --only wdi_2022_05     # some folders only
    python -m indicators.fetch --raw ../shared/raw --update-shipped   # refresh snapshots/ (maintainers)

What to fetch is data: ``indicators/raw_inputs.csv`` lists every raw file the build reads with its
producer, URL, licence, whether the repository ships it (``ship``: ``yes`` = a copy in
``snapshots/files/``, ``cassette`` = rebuilt from the recorded responses in ``snapshots/cassettes/``,
``no`` = the producer's terms do not allow redistribution, or were not verified), and, where a producer
interface exists, the ``client`` (``indicators.producers``), its ``query`` and the ``cassette`` holding the
recorded responses (one per recording session: the World Bank serves one release at a time, so each WDI
vintage has its own).

Every file written gets a snapshot record beside it, ``<file>.snapshot.json``: producer, URL or query,
access time (UTC), licence, size, sha256 and the producer's release where it states one. A download is
written to a temporary file in the target folder, checked by its producer module, and only then renamed
over the old file (an atomic rename): a failed or partial download never replaces a good snapshot.
Shipped copies are verified against the sha256 in ``snapshots/RECORDS.csv`` before they are copied.
Exit status: 0 when every selected file was written, 1 when any failed or could not be provided.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import sys
import tempfile
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from indicators import producers

ROOT = Path(__file__).resolve().parent.parent
INPUTS = Path(__file__).resolve().parent / "raw_inputs.csv"
SNAPSHOTS = ROOT / "snapshots"
SHIPPED = SNAPSHOTS / "files"
RECORDS = SNAPSHOTS / "RECORDS.csv"
CASSETTES = SNAPSHOTS / "cassettes"
RECORD_SUFFIX = ".snapshot.json"
RECORD_COLUMNS = ["path", "producer", "url", "accessed", "licence", "size", "sha256", "release", "via"]


@dataclass(frozen=True)
class RawInput:
    """One raw file the build reads (a row of ``indicators/raw_inputs.csv``)."""

    path: str
    producer: str
    url: str
    licence: str
    ship: str
    client: str
    query: str
    cassette: str

    @property
    def folder(self) -> str:
        return self.path.split("/")[0]


@dataclass(frozen=True)
class Record:
    """The snapshot record of one raw file (OWID-style origin block)."""

    path: str
    producer: str
    url: str
    accessed: str
    licence: str
    size: int
    sha256: str
    release: str = ""
    #: how the file was obtained: ``download``, ``replay of snapshots/cassettes/<client>.yaml`` (then
    #: ``accessed`` is the time of the replay), or a copy of the raw folder (shipped copies)
    via: str = ""


def read_inputs(path: Path = INPUTS) -> list[RawInput]:
    """The rows of ``indicators/raw_inputs.csv``; ``ship`` must be yes, cassette or no, and cassette needs a client."""
    with path.open(encoding="utf-8", newline="") as f:
        items = [RawInput(**row) for row in csv.DictReader(f)]
    for i in items:
        if i.ship not in ("yes", "cassette", "no"):
            raise ValueError(f"{path.name}: {i.path}: ship {i.ship!r} is not yes, cassette or no")
        if i.ship == "cassette" and not (i.client and i.cassette):
            raise ValueError(f"{path.name}: {i.path}: ship=cassette needs a client and a cassette")
    return items


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cassette_path(name: str) -> Path:
    """The recorded responses named ``name`` (column ``cassette``: one recording session of one client)."""
    return CASSETTES / f"{name}.yaml"


def read_records(path: Path = RECORDS) -> dict[str, Record]:
    """The snapshot records of the shipped copies, by raw path."""
    with path.open(encoding="utf-8", newline="") as f:
        return {r["path"]: Record(**{**r, "size": int(r["size"])}) for r in csv.DictReader(f)}


def _atomic_write(target: Path, data: bytes, check=None) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder; ``check(tmp)`` may refuse it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_snapshot(
    raw: Path, item: RawInput, data: bytes, url: str, release: str = "", check=None, via: str = "download"
) -> Record:
    """Check and atomically write one raw file and then its record; the old pair stays if the check fails."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    rec = Record(item.path, item.producer, url, now, item.licence, len(data), sha256_of(data), release, via)
    target = raw / item.path
    _atomic_write(target, data, check)
    body = json.dumps(asdict(rec), indent=1, ensure_ascii=False) + "\n"
    _atomic_write(target.with_name(target.name + RECORD_SUFFIX), body.encode("utf-8"))
    return rec


def fetch_item(item: RawInput, raw: Path, via: str = "download") -> Record:
    """Download one raw file through its client and write it (checked, atomically) with its record."""
    mod = producers.client(item.client)
    query = producers.parse_query(item.query)
    got = mod.fetch(query)
    return write_snapshot(raw, item, got.content, got.url, got.release, lambda p: mod.check(p, query), via)


def copy_shipped(item: RawInput, raw: Path, records: dict[str, Record]) -> Record:
    """Copy the shipped copy of one raw file after checking its sha256 against ``snapshots/RECORDS.csv``."""
    rec = records.get(item.path)
    if rec is None:
        raise FileNotFoundError(f"{item.path}: no record in {RECORDS.relative_to(ROOT)}")
    data = (SHIPPED / item.path).read_bytes()
    if sha256_of(data) != rec.sha256:
        raise ValueError(f"{item.path}: shipped copy does not match its sha256 in {RECORDS.name}")
    target = raw / item.path
    _atomic_write(target, data)
    body = json.dumps(asdict(rec), indent=1, ensure_ascii=False) + "\n"
    _atomic_write(target.with_name(target.name + RECORD_SUFFIX), body.encode("utf-8"))
    return rec


def update_shipped(raw: Path) -> list[Record]:
    """Copy every ``ship=yes`` file from ``raw`` into ``snapshots/files/`` and rewrite ``snapshots/RECORDS.csv``.

    An unchanged file keeps its record. Otherwise ``accessed`` is the time of the raw file's own snapshot
    record when it has one, else the file's modification time (when it entered the raw folder), in UTC.
    """
    records = []
    before = read_records() if RECORDS.exists() else {}
    for item in read_inputs():
        if item.ship != "yes":
            continue
        src = raw / item.path
        data = src.read_bytes()
        side = src.with_name(src.name + RECORD_SUFFIX)
        if item.path in before and before[item.path].sha256 == sha256_of(data):
            rec = before[item.path]
            accessed, url, release, via = rec.accessed, rec.url, rec.release, rec.via
        elif side.exists():
            rec = Record(**json.loads(side.read_text(encoding="utf-8")))
            accessed, url, release, via = rec.accessed, rec.url, rec.release, rec.via
        else:
            mtime = datetime.fromtimestamp(src.stat().st_mtime, UTC).replace(microsecond=0)
            accessed, url, release = mtime.isoformat().replace("+00:00", "Z"), item.url, ""
            via = "raw folder (accessed: when the file entered it)"
        rec = Record(item.path, item.producer, url, accessed, item.licence, len(data), sha256_of(data), release, via)
        _atomic_write(SHIPPED / item.path, data)
        records.append(rec)
    kept = {SHIPPED / r.path for r in records}
    for old in [p for p in SHIPPED.rglob("*") if p.is_file() and p not in kept]:
        old.unlink()  # no longer shipped (now replayed, or no longer read)
    out = io.StringIO()
    w = csv.DictWriter(out, RECORD_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(asdict(r) for r in sorted(records, key=lambda r: r.path))
    _atomic_write(RECORDS, out.getvalue().encode("utf-8"))
    return records


def replaying(name: str):
    """A context in which every HTTP request is answered from the client's cassette (no network at all)."""
    import vcr

    rec = vcr.VCR(record_mode="none", decode_compressed_response=False)
    return rec.use_cassette(str(cassette_path(name)), allow_playback_repeats=True)


def run(raw: Path, only: tuple[str, ...] = (), offline_replay: bool = False, log=print) -> list[str]:
    """Fetch (or replay) every selected raw file into ``raw``; returns the problems (empty when all written).

    Live: files with a client are downloaded. Offline replay: files with a cassette are rebuilt from the
    recorded responses. Any other file already in ``raw`` is kept as it is (the raw folder may be newer than
    ``snapshots/``); a missing one is copied from ``snapshots/`` when shipped (``ship=yes``), else reported.
    """
    items = [i for i in read_inputs() if not only or i.folder in only or i.path in only]
    records = read_records() if RECORDS.exists() else {}
    problems = []
    producers_cache_clear()
    for item in items:
        try:
            if item.client and (not offline_replay or item.ship == "cassette"):
                with replaying(item.cassette) if offline_replay else nullcontext():
                    via = (
                        f"replay of {cassette_path(item.cassette).relative_to(ROOT)}" if offline_replay else "download"
                    )
                    rec = fetch_item(item, raw, via)
                how = "replayed" if offline_replay else "fetched"
            elif (raw / item.path).exists():
                stale = item.ship == "yes" and (SHIPPED / item.path).read_bytes() != (raw / item.path).read_bytes()
                log(f"{'kept':>22}  {item.path}" + ("  (newer than snapshots/: run --update-shipped)" if stale else ""))
                continue
            elif item.ship == "yes":
                rec = copy_shipped(item, raw, records)
                how = "copied from snapshots/"
            else:
                problems.append(f"{item.path}: missing; not redistributable and no client ({item.licence})")
                continue
            log(f"{how:>22}  {item.path}  {rec.size} bytes  sha256 {rec.sha256[:12]}")
        except producers.Pinned as e:
            log(f"{'kept':>22}  {item.path}  ({e})")
        except Exception as e:  # noqa: BLE001 - every failure is reported and the old snapshot kept
            problems.append(f"{item.path}: {type(e).__name__}: {e} (previous snapshot kept)")
    return problems


def producers_cache_clear() -> None:
    """Forget downloads cached within a run (the UN voting CSV serves two raw files)."""
    from indicators.producers import undl

    undl.download.cache_clear()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m indicators.fetch", description=__doc__.split("\n\n")[0])
    ap.add_argument("--raw", type=Path, required=True, help="raw folder to write (created if missing)")
    ap.add_argument("--only", nargs="*", default=(), help="raw folders or paths to fetch (default: all)")
    ap.add_argument(
        "--offline-replay", action="store_true", help="answer every request from snapshots/cassettes (no network)"
    )
    ap.add_argument(
        "--update-shipped", action="store_true", help="copy the shippable files of --raw into snapshots/ (maintainers)"
    )
    a = ap.parse_args(argv)
    if a.update_shipped:
        recs = update_shipped(a.raw)
        print(f"{len(recs)} files, {sum(r.size for r in recs)} bytes in {SHIPPED.relative_to(ROOT)}")
        return 0
    problems = run(a.raw, tuple(a.only), a.offline_replay)
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
