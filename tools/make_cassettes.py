#!/usr/bin/env python3
"""Construct the recorded responses in ``snapshots/cassettes/`` from the raw extracts.

There is no network on the machines this project is built on, so the cassettes cannot be recorded live.
This script writes, for each client, the HTTP responses its producer would send, in that producer's
response format, with the figures taken from the real raw files (``--raw``, default ``$ALIGN_RAW_DIR``):

- ``wbgapi-wdi_2022_05.yaml``, ``wbgapi-wdi_2026_07.yaml``: World Bank API v2 JSON (``sources/2`` and the
  ``sources/2/series/.../time/all`` data request), one session per WDI vintage, from
  ``wdi_2022_05/wdi_15countries_wide.csv`` (release 2022-05-25 as the file states) and
  ``wdi_2026_07/wdi_2026_07_15countries_long.csv`` (served 2026-07-01; no release date stated, none given);
- ``sdmx1.yaml``: an SDMX-ML 2.1 GenericData message of IMF IMTS, from
  ``imf_imts_russia_reporter/imts_russia_reporter_fsu_long.csv`` (unit multiplier 6: millions);
- ``undl.yaml``: the UN library's General Assembly voting CSV, from
  ``undl_votes_2020_2025/`` and the GA rows of ``undl_votes_scrape_2013_2021/`` whose symbol is an
  adopted resolution (the library's CSV lists adopted resolutions only); where both hold a resolution
  (2020-2021, identical votes) one row is written. Counts the raw files do not give are left empty.

- ``eurostat.yaml``: Eurostat's SDMX 2.1 dataflow, structure and codelists and the gzip TSV data of
  Comext ``DS-045409``, from ``eurostat_comext_baltic_russia/`` (codes: ISO 3166 alpha-2, flows 1/2);

It then runs each producer module's ``fetch`` for every cassette row of ``indicators/raw_inputs.csv``
with ``requests`` answered by these responses, and saves exactly the requests the clients sent, so a
replay exercises the real clients (``wbgapi``, ``sdmx1``, ``requests``) and the real parsers.

Usage::

    python tools/make_cassettes.py --raw ../shared/raw
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import sys
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, unquote, urlparse
from xml.sax.saxutils import quoteattr

import pandas as pd
import requests
from vcr.persisters.filesystem import FilesystemPersister
from vcr.request import Request
from vcr.serializers import yamlserializer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indicators import fetch, producers  # noqa: E402
from indicators.builders.unvotes import resolution_key  # noqa: E402
from indicators.countries import ALL_COUNTRIES  # noqa: E402
from indicators.producers.worldbank import HEAD  # noqa: E402

#: Release dates used when the raw file has no snapshot record (the extracts' own: WDI "Last Updated Date"
#: 2022-05-25; the 2026-07 WDI refresh states none; the IMTS file added to its repository 2026-05-09).
#: A fetched file's record gives its own.
WDI_RELEASES = {"wdi_2022_05/wdi_15countries_wide.csv": "2022-05-25"}
IMTS_PREPARED = "2026-05-09T00:00:00"
IMTS = "imf_imts_russia_reporter/imts_russia_reporter_fsu_long.csv"
NAMES = {**ALL_COUNTRIES, "USA": "United States", "CHN": "China", "TUR": "Turkey", "DEU": "Germany"}


def _release(raw: Path, path: str, default: str) -> str:
    """The producer's release named in the raw file's snapshot record, else ``default``."""
    side = raw / (path + fetch.RECORD_SUFFIX)
    return (json.loads(side.read_text(encoding="utf-8")).get("release") if side.exists() else "") or default


def _json(body) -> tuple[dict, bytes]:
    return {"Content-Type": ["application/json;charset=utf-8"]}, json.dumps(body, separators=(",", ":")).encode()


def _wdi_values(raw: Path, path: str) -> pd.DataFrame:
    """The WDI extract at ``path`` as long rows: code, name, iso3, country, year, value (text; '' = none)."""
    t = pd.read_csv(raw / path, dtype=str, keep_default_na=False)
    if "Indicator Code" in t.columns:  # the wide bulk layout
        years = [c for c in t.columns if c.isdigit()]
        t = t.melt(id_vars=HEAD, value_vars=years, var_name="year", value_name="value")
        return t.set_axis(["country", "iso3", "name", "code", "year", "value"], axis=1)
    t = t.rename(columns={"indicator_code": "code", "indicator_name": "name", "country_name": "country"})
    return t[["country", "iso3", "name", "code", "year", "value"]]


def worldbank(raw: Path, url: str, item) -> tuple[dict, bytes]:
    """World Bank API v2 responses from the WDI extract the item is fetched into (its release, its values)."""
    u = urlparse(url)
    parts = unquote(u.path).split("/")[3:]  # after /v2/en/
    release = _release(raw, item.path, WDI_RELEASES.get(item.path, ""))
    stated = {"lastupdated": release} if release else {}  # an extract without a release date: not made up
    if parts == ["sources", "2"]:
        info = {"id": "2", **stated, "name": "World Development Indicators", "code": "WDI"}
        return _json([{"page": 1, "pages": 1, "per_page": "1", "total": 1}, [info]])
    dims = dict(zip(parts[2::2], parts[3::2], strict=True))
    t = _wdi_values(raw, item.path)
    data = []
    for code in dims["series"].split(";"):
        for iso3 in dims["country"].split(";"):
            for r in t[(t["code"] == code) & (t["iso3"] == iso3)].sort_values("year").itertuples():
                variable = [
                    {"concept": "Country", "id": iso3, "value": r.country},
                    {"concept": "Series", "id": code, "value": r.name},
                    {"concept": "Time", "id": f"YR{r.year}", "value": r.year},
                ]
                data.append({"variable": variable, "value": float(r.value) if r.value else None})
    per_page = int(parse_qs(u.query)["per_page"][0])
    pages = max(1, -(-len(data) // per_page))
    page = int(parse_qs(u.query)["page"][0])
    head = {"page": page, "pages": pages, "per_page": per_page, **stated, "total": len(data)}
    rows = data[(page - 1) * per_page : page * per_page]
    return _json({**head, "source": {"id": "2", "name": "World Development Indicators", "data": rows}})


def imf(raw: Path, url: str, item) -> tuple[dict, bytes]:
    """An SDMX-ML 2.1 GenericData message of IMTS from the long IMTS extract."""
    u = urlparse(url)
    flow, key = unquote(u.path).split("/")[-2:]
    country, indicators, partners, freq = (p.split("+") for p in key.split("."))
    t = pd.read_csv(raw / IMTS, dtype=str)
    code = {v: k for k, v in producers.imf.FLOWS.items()}
    world = {v: k for k, v in producers.imf.WORLD.items()}
    t["INDICATOR_ID"] = t["flow"].map(code)
    t["PARTNER_ID"] = t["partner_iso3"].map(lambda p: world.get(p, p))
    agency, fid, version = flow.split(",")
    sid = f"{agency}_{fid}_{version}"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'
        ' xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"'
        ' xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">',
        f"<message:Header><message:ID>{fid}</message:ID><message:Test>false</message:Test>"
        f"<message:Prepared>{_release(raw, IMTS, IMTS_PREPARED)}</message:Prepared><message:Sender id={quoteattr(agency)}/>"
        f'<message:Structure structureID="{sid}" dimensionAtObservation="TIME_PERIOD"><common:Structure>'
        f'<Ref agencyID="{agency}" id="{fid}" version="{version}"/></common:Structure></message:Structure>'
        "</message:Header>",
        f'<message:DataSet structureRef="{sid}">',
    ]
    for ind in indicators:
        for partner in partners:
            s = t[(t["INDICATOR_ID"] == ind) & (t["PARTNER_ID"] == partner)].sort_values("year")
            if s.empty:
                continue
            dims = {"COUNTRY": country[0], "INDICATOR": ind, "COUNTERPART_COUNTRY": partner, "FREQUENCY": freq[0]}
            keys = "".join(f'<generic:Value id="{k}" value="{v}"/>' for k, v in dims.items())
            out.append(f"<generic:Series><generic:SeriesKey>{keys}</generic:SeriesKey>")
            out.append('<generic:Attributes><generic:Value id="UNIT_MULT" value="6"/></generic:Attributes>')
            for r in s.itertuples():
                out.append(
                    f'<generic:Obs><generic:ObsDimension value="{r.year}"/>'
                    f'<generic:ObsValue value="{r.value_musd}"/></generic:Obs>'
                )
            out.append("</generic:Series>")
    out += ["</message:DataSet>", "</message:GenericData>"]
    headers = {"Content-Type": ["application/vnd.sdmx.genericdata+xml;version=2.1"]}
    return headers, "\n".join(out).encode("utf-8")


def undl(raw: Path, url: str, item) -> tuple[dict, bytes]:
    """The library's GA voting CSV (long, one row per resolution and member state)."""
    new = pd.read_csv(raw / "undl_votes_2020_2025" / "unga_votes_2020_2025_19countries.csv", dtype=str)
    old = pd.read_csv(raw / "undl_votes_scrape_2013_2021" / "undl_scrape_votes_2013_2021_15countries.csv", dtype=str)
    old = old[(old["Council"] == "General Assembly") & old["Resolution"].map(resolution_key).notna()]
    recs = {}
    for r in old.to_dict("records"):
        session = resolution_key(r["Resolution"]).split("/")[0]
        counts = {
            "total": r["TOTAL VOTES"],
            "non_voting": r["NO-VOTE COUNT"],
            "abstention": r["ABSENT COUNT"],
            "no": r["NO COUNT"],
            "yes": r["YES COUNT"],
        }
        meta = {"date": r["Date"], "session": session, "resolution": r["Resolution"], "title": r["Title"], **counts}
        votes = {c: r[c] for c in producers.undl.SCRAPE15 if isinstance(r[c], str)}
        recs[r["token"]] = (meta, votes)
    for r in new.to_dict("records"):
        votes = {c: r[c] for c in producers.undl.WIDE19 if isinstance(r[c], str)}
        if r["undl_id"] in recs:
            meta, old_votes = recs[r["undl_id"]]
            clash = {c for c in old_votes if old_votes[c] != votes[c]}
            assert not clash, (r["undl_id"], clash)
        else:
            meta = {"date": r["date"], "session": r["session"], "resolution": "", "title": r["title"]}
        recs[r["undl_id"]] = (meta, votes)
    cols = ["undl_id", "ms_code", "ms_name", "ms_vote", "date", "session", "resolution", "title"]
    cols += producers.undl.COUNTS
    rows = []
    for rid, (meta, votes) in sorted(recs.items(), key=lambda kv: (kv[1][0]["date"], int(kv[0]))):
        for c, v in votes.items():
            vote = "NV" if v == "X" else v
            rows.append({"undl_id": rid, "ms_code": c, "ms_name": NAMES[c], "ms_vote": vote, **meta})
    body = pd.DataFrame(rows).reindex(columns=cols).to_csv(index=False, lineterminator="\n").encode("utf-8")
    return {"Content-Type": ["text/csv"]}, body


#: Comext codes of the labels in the extract (ISO 3166 alpha-2; Comext flows 1 = import, 2 = export).
COMEXT_CODES = {
    "reporter": {"EE": "Estonia", "LT": "Lithuania", "LV": "Latvia"},
    "partner": {
        "AM": "Armenia",
        "BY": "Belarus (Belorussia)",
        "GE": "Georgia",
        "KG": "Kyrgyzstan",
        "KZ": "Kazakhstan",
        "RU": "Russian Federation (Russia)",
        "UZ": "Uzbekistan",
    },
    "flow": {"1": "IMPORT", "2": "EXPORT"},
}
COMEXT_DIMS = ["freq", "reporter", "partner", "product", "flow", "indicators"]
COMEXT = "eurostat_comext_baltic_russia/baltic_trade_with_russia_and_neighbours_monthly.csv"
S = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/"


def _structure(body: str) -> tuple[dict, bytes]:
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><m:Structure xmlns:m="{S}message" xmlns:s="{S}structure"'
        f' xmlns:c="{S}common"><m:Header><m:ID>ESTAT</m:ID><m:Test>false</m:Test></m:Header><m:Structures>'
    )
    xml = head + body + "</m:Structures></m:Structure>"
    return {"Content-Type": ["application/vnd.sdmx.structure+xml;version=2.1"]}, xml.encode("utf-8")


def estat(raw: Path, url: str, item):
    """Eurostat's SDMX 2.1 answers for a Comext dataset: dataflow, structure, codelists and gzip TSV data."""
    u = urlparse(url)
    parts = unquote(u.path).split("/")
    if "/eurostat/api/dissemination/" in u.path:  # the package asks the main database first: not there
        fault = (
            b'<?xml version="1.0"?><S:Fault xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">No results</S:Fault>'
        )
        return {"Content-Type": ["application/xml"]}, fault, 404
    code = parts[parts.index("sdmx") + 3] if "codelist" not in parts else None
    if "dataflow" in parts:
        ref = f'<s:Structure><Ref id="{code}" agencyID="ESTAT" version="1.0" package="datastructure"/></s:Structure>'
        return _structure(f'<s:Dataflows><s:Dataflow id="{code}" agencyID="ESTAT">{ref}</s:Dataflow></s:Dataflows>')
    if "datastructure" in parts:
        dims = "".join(
            f'<s:Dimension id="{d}" position="{i}"><s:LocalRepresentation><s:Enumeration>'
            f'<Ref id="{d.upper()}" agencyID="ESTAT" package="codelist"/></s:Enumeration></s:LocalRepresentation>'
            "</s:Dimension>"
            for i, d in enumerate(COMEXT_DIMS, start=1)
        )
        body = f'<s:DataStructures><s:DataStructure id="{code}" agencyID="ESTAT"><s:DataStructureComponents>'
        return _structure(
            body + f"<s:DimensionList>{dims}</s:DimensionList></s:DataStructureComponents>"
            "</s:DataStructure></s:DataStructures>"
        )
    if "codelist" in parts:
        dim = parts[-2].lower()
        tsv = "".join(f"{k}\t{v}\r\n" for k, v in COMEXT_CODES[dim].items())
        return {"Content-Type": ["application/octet-stream"]}, gzip.compress(tsv.encode("utf-8"), mtime=0)
    key = dict(zip(COMEXT_DIMS, parts[-1].split("."), strict=True))
    t = pd.read_csv(raw / COMEXT, dtype=str, keep_default_na=False)
    names = {d: COMEXT_CODES[d][key[d]] for d in ("reporter", "partner", "flow")}
    s = t[(t["reporter"] == names["reporter"]) & (t["partner"] == names["partner"]) & (t["flow"] == names["flow"])]
    s = s[(s["product"] == key["product"]) & (s["period"] >= parse_qs(u.query)["startPeriod"][0])].sort_values("period")
    head = ",".join(COMEXT_DIMS) + "\\TIME_PERIOD\t" + "\t".join(f"{p} " for p in s["period"])
    row = ",".join(key[d] for d in COMEXT_DIMS) + "\t" + "\t".join(f"{v} " for v in s["value_eur"])
    tsv = head + "\r\n" + row + "\r\n"
    return {"Content-Type": ["application/octet-stream"]}, gzip.compress(tsv.encode("utf-8"), mtime=0)


RESPONDERS = {"wbgapi": worldbank, "sdmx1": imf, "undl": undl, "eurostat": estat}


REASONS = {200: "OK", 404: "Not Found"}


def record(name: str, raw: Path) -> Path:
    """Run the fetches of the cassette ``name`` with every request answered by its client's responder; save it."""
    interactions = []
    items = [i for i in fetch.read_inputs() if i.cassette == name]
    responder = RESPONDERS[items[0].client]
    current = []

    def send(self, request, **kwargs):
        headers, body, *status = responder(raw, request.url, current[-1])
        code = status[0] if status else 200
        interactions.append((request, headers, body, code))
        resp = requests.Response()
        resp.status_code, resp.reason, resp.url, resp.request = code, REASONS[code], request.url, request
        resp.headers.update({k: v[0] for k, v in headers.items()})
        resp.raw = io.BytesIO(body)
        return resp

    fetch.producers_cache_clear()
    with mock.patch.object(requests.adapters.HTTPAdapter, "send", send):
        for item in items:
            current.append(item)
            producers.client(item.client).fetch(producers.parse_query(item.query))
    seen, reqs, resps = set(), [], []
    for request, headers, body, code in interactions:
        if request.url in seen:
            continue
        seen.add(request.url)
        reqs.append(Request(request.method, request.url, request.body, {}))
        resps.append({"status": {"code": code, "message": REASONS[code]}, "headers": headers, "body": {"string": body}})
    path = fetch.cassette_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    FilesystemPersister.save_cassette(str(path), {"requests": reqs, "responses": resps}, serializer=yamlserializer)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Construct snapshots/cassettes/ from the raw extracts.")
    ap.add_argument("--raw", type=Path, default=os.environ.get("ALIGN_RAW_DIR"), help="raw folder")
    a = ap.parse_args(argv)
    for name in sorted({i.cassette for i in fetch.read_inputs() if i.cassette}):
        p = record(name, a.raw)
        print(f"{p.relative_to(fetch.ROOT)}: {p.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
