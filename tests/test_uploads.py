"""User uploads (ui/uploads.py): refusals with file/row/column/problem, the shipped data left
alone, the merged model's properties, and wide/long round trips.

Sample files live in ``tests/fixtures/uploads/`` (the bad ones double as samples for trying
the page by hand).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indicators
import scoring
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import PILLARS
from scoring.impute import CROSS_SECTION
from ui import uploads
from ui.uploads import UploadError

FIX = Path(__file__).resolve().parent / "fixtures" / "uploads"
GOOD_META = json.loads((FIX / "good_metadata.json").read_text(encoding="utf-8"))
SPEC = scoring.ScoringSpec()


def fixture(name: str) -> bytes:
    return (FIX / name).read_bytes()


@pytest.fixture(scope="module")
def baseline():
    """The shipped objects, deep copies of them, and the default scores before any upload."""
    panel, catalog, sources = indicators.shipped()
    table = scoring.Model.from_panel(panel, catalog).score(SPEC).table
    return panel, catalog, sources, panel.copy(deep=True), dict(catalog), dict(sources), table


def upload(panel, catalog, sources, name: str, data: bytes, meta=None, meta_name: str = "the form"):
    """The page's whole path: values -> metadata -> merge."""
    values = uploads.parse_values(name, data)
    ind, src = uploads.parse_metadata(GOOD_META if meta is None else meta, values, name=meta_name)
    return uploads.merge_user_indicator(panel, catalog, sources, ind, src, values)


def meta(**changes):
    out = copy.deepcopy(GOOD_META)
    for k, v in changes.items():
        if k.startswith("source_"):
            out["source"][k.removeprefix("source_")] = v
        elif v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


GOOD = fixture("good_long.csv")
BIG = b"iso3,year,value,note\n" + b"ARM,2022,1.5," + b"x" * 1_100_000 + b"\n"

# (case id, file name, bytes, metadata or None, expected "where" prefix, expected problem text)
BAD = [
    # encoding, delimiter, size, emptiness
    ("wrong delimiter", "wrong_delimiter.csv", None, None, "wrong_delimiter.csv, row 1", "no iso3 column found"),
    (
        "mixed delimiters",
        "mixed_delimiter.csv",
        None,
        None,
        "mixed_delimiter.csv, row 2",
        "has 1 cell but the header has 3",
    ),
    ("extra cell", "extra_cell.csv", None, None, "extra_cell.csv, row 2, column D", "has 4 cells but the header has 3"),
    ("latin-1", "latin1.csv", None, None, "latin1.csv, row 3, column note (D)", "byte 0xe9 is not UTF-8"),
    ("utf-16", "utf16.csv", None, None, "utf16.csv", "UTF-16"),
    ("too large", "big.csv", BIG, None, "big.csv", "is 1.1 MB; the limit is 1.0 MB"),
    ("empty", "empty.csv", None, None, "empty.csv", "the file is empty"),
    ("blank lines", "blank_lines.csv", None, None, "blank_lines.csv", "empty (only blank lines)"),
    ("header only", "header_only.csv", None, None, "header_only.csv", "no values below the header"),
    # columns
    ("missing column", "missing_column.csv", None, None, "missing_column.csv, row 1", "missing column(s) value"),
    (
        "extra column",
        "extra_column.csv",
        None,
        None,
        "extra_column.csv, row 1, column comment (D)",
        "unexpected column",
    ),
    (
        "wide extra column",
        "wide_extra_column.csv",
        None,
        None,
        "wide_extra_column.csv, row 1, column country (B)",
        "unexpected column",
    ),
    # countries
    (
        "unknown code",
        "unknown_code.csv",
        None,
        None,
        "unknown_code.csv, row 3, column iso3 (A)",
        "unknown country 'ARN'; did you mean ARM (Armenia)?",
    ),
    (
        "unknown name",
        "unknown_name.csv",
        None,
        None,
        "unknown_name.csv, row 2, column iso3 (A)",
        "did you mean KGZ (Kyrgyzstan)?",
    ),
    ("russia", "russia.csv", None, None, "russia.csv, row 2, column iso3 (A)", "never scored"),
    # values
    (
        "non-numeric",
        "non_numeric.csv",
        None,
        None,
        "non_numeric.csv, row 2, column value (C)",
        "'twelve' is not a number",
    ),
    (
        "decimal comma in comma file",
        "decimal_comma.csv",
        None,
        None,
        "decimal_comma.csv, row 2, column value (C)",
        "use a dot as the decimal separator",
    ),
    (
        "percent sign",
        "percent_sign.csv",
        None,
        None,
        "percent_sign.csv, row 2, column value (C)",
        "leave out the % sign",
    ),
    (
        "empty long value",
        "empty_value.csv",
        None,
        None,
        "empty_value.csv, row 2, column value (C)",
        "the value is empty",
    ),
    (
        "wide non-numeric",
        "wide_non_numeric.csv",
        None,
        None,
        "wide_non_numeric.csv, row 2, column 2023 (C)",
        "'n/a' is not a number",
    ),
    (
        "infinite",
        "inf.csv",
        b"iso3,year,value\nARM,2022,1e999\n",
        None,
        "inf.csv, row 2, column value (C)",
        "not a finite number",
    ),
    (
        "bad status",
        "bad_status.csv",
        None,
        None,
        "bad_status.csv, row 2, column status (D)",
        "status 'guessed' is not one of",
    ),
    (
        "long note",
        "note.csv",
        b"iso3,year,value,note\nARM,2022,1," + b"n" * 600 + b"\n",
        None,
        "note.csv, row 2, column note (D)",
        "the limit is 500",
    ),
    # duplicates and years
    (
        "duplicate (name and code)",
        "duplicate_rows.csv",
        None,
        None,
        "duplicate_rows.csv, row 4, column year (B)",
        "ARM 2022 already appears in row 2",
    ),
    (
        "wide duplicate country",
        "dup_wide.csv",
        b"iso3,2022\nARM,1\nKAZ,2\narm,3\n",
        None,
        "dup_wide.csv, row 4, column 2022 (B)",
        "ARM 2022 already appears in row 2",
    ),
    (
        "year outside",
        "year_outside.csv",
        None,
        None,
        "year_outside.csv, row 2, column year (B)",
        "year 2012 is outside the panel 2013-2025",
    ),
    (
        "year not a year",
        "year_not_a_year.csv",
        None,
        None,
        "year_not_a_year.csv, row 2, column year (B)",
        "is not a four-digit year",
    ),
    (
        "wide year outside",
        "wide_year_outside.csv",
        None,
        None,
        "wide_year_outside.csv, row 1, column 2030 (C)",
        "year 2030 is outside the panel",
    ),
    # formulas (cells that are not plain numbers starting with = + - @)
    (
        "formula =HYPERLINK",
        "formula_hyperlink.csv",
        None,
        None,
        "formula_hyperlink.csv, row 2, column note (D)",
        "looks like a spreadsheet formula (it starts with =)",
    ),
    (
        "formula +cmd",
        "formula_plus.csv",
        None,
        None,
        "formula_plus.csv, row 2, column value (C)",
        "looks like a spreadsheet formula (it starts with +)",
    ),
    (
        "formula @SUM",
        "formula_at.csv",
        None,
        None,
        "formula_at.csv, row 3, column value (C)",
        "'@SUM(A1:A2)' looks like a spreadsheet formula",
    ),
    (
        "formula -2+3+cmd",
        "formula_minus.csv",
        None,
        None,
        "formula_minus.csv, row 2, column value (C)",
        "looks like a spreadsheet formula (it starts with -)",
    ),
    (
        "formula in header",
        "formula_header.csv",
        None,
        None,
        "formula_header.csv, row 1, column C",
        "'=1+1' looks like a spreadsheet formula",
    ),
    # HTML / script, quoted escaped
    (
        "script in note",
        "html_script.csv",
        None,
        None,
        "html_script.csv, row 2, column note (D)",
        "'&lt;script&gt;alert(1)&lt;/script&gt;' contains HTML or script",
    ),
    (
        "img in country",
        "html_img.csv",
        None,
        None,
        "html_img.csv, row 2, column iso3 (A)",
        "'&lt;img src=x onerror=alert(1)&gt;' contains HTML or script",
    ),
    (
        "markup in wide header",
        "html_wide_header.csv",
        None,
        None,
        "html_wide_header.csv, row 1, column B",
        "contains HTML or script",
    ),
    (
        "markup in file name",
        "<img src=x onerror=alert(1)>.csv",
        b"",
        None,
        "&lt;img src=x onerror=alert(1)&gt;.csv",
        "the file is empty",
    ),
    # metadata (form dicts and JSON files)
    (
        "metadata: bad direction",
        "good_long.csv",
        GOOD,
        meta(direction=2),
        "the form, field direction",
        "direction must be +1",
    ),
    ("metadata: no name", "good_long.csv", GOOD, meta(name=None), "the form, field name", "required but missing"),
    (
        "metadata: no source url",
        "good_long.csv",
        GOOD,
        {**meta(), "source": {**GOOD_META["source"], "url": ""}},
        "the form, field source.url",
        "URL",
    ),
    (
        "metadata: unknown field",
        "good_long.csv",
        GOOD,
        meta(colour="red"),
        "the form, field colour",
        "unknown field; valid fields: name, direction",
    ),
    (
        "metadata: unknown pillar",
        "good_long.csv",
        GOOD,
        meta(pillar="culture"),
        "the form, field pillar",
        "pillar must be one of security",
    ),
    (
        "metadata: binary scale",
        "good_long.csv",
        GOOD,
        meta(scale="binary"),
        "the form, field scale",
        "scale must be one of percent, ratio, index",
    ),
    (
        "metadata: script in unit",
        "good_long.csv",
        GOOD,
        meta(unit="<script>x</script>"),
        "the form, field unit",
        "'&lt;script&gt;x&lt;/script&gt;' contains HTML or script",
    ),
    (
        "metadata: formula in title",
        "good_long.csv",
        GOOD,
        meta(source_title="=cmd|' /C calc'!A0"),
        "the form, field source.title",
        "looks like a spreadsheet formula",
    ),
    (
        "metadata: javascript url",
        "good_long.csv",
        GOOD,
        meta(source_url="javascript:alert(1)"),
        "the form, field source.url",
        "contains HTML or script",
    ),
    (
        "metadata: value outside bounds",
        "good_long.csv",
        GOOD,
        meta(bounds=[0, 20]),
        "the form, field bounds",
        "value -3.5 (GEO 2023) is outside the declared bounds 0 to 20",
    ),
    (
        "metadata: reversed bounds",
        "good_long.csv",
        GOOD,
        meta(bounds=[50, 0]),
        "the form, field bounds",
        "lower bound 50 must be below upper bound 0",
    ),
    (
        "metadata: constant values",
        "const.csv",
        b"iso3,year,value\nARM,2022,3\nKAZ,2022,3\n",
        meta(unit="tonnes"),
        "the form, field bounds",
        "every value is 3",
    ),
    (
        "metadata: short definition",
        "good_long.csv",
        GOOD,
        meta(definition="Too short."),
        "the form, field definition",
        "at least 40 characters",
    ),
    (
        "metadata file: bad url",
        "good_long.csv",
        GOOD,
        fixture("metadata_bad_url.json"),
        "metadata_bad_url.json, field source.url",
        "valid URL",
    ),
    (
        "metadata file: markup",
        "good_long.csv",
        GOOD,
        fixture("metadata_html.json"),
        "metadata_html.json, field source.producer",
        "contains HTML or script",
    ),
    (
        "metadata file: not JSON",
        "good_long.csv",
        GOOD,
        fixture("metadata_not_json.json"),
        "metadata_not_json.json, line 2",
        "not valid JSON",
    ),
]


@pytest.mark.parametrize(
    ("fname", "data", "meta_in", "where", "problem"), [c[1:] for c in BAD], ids=[c[0] for c in BAD]
)
def test_malformed_upload_is_refused_and_the_shipped_model_is_untouched(baseline, fname, data, meta_in, where, problem):
    panel, catalog, sources, panel0, catalog0, sources0, table0 = baseline
    data = fixture(fname) if data is None else data
    meta_name = _meta_file_name(meta_in) if isinstance(meta_in, bytes) else "the form"
    with pytest.raises(UploadError) as exc:
        upload(panel, catalog, sources, fname, data, meta_in, meta_name)
    msg = str(exc.value)
    assert msg.startswith(where + ":"), msg
    assert problem in msg, msg
    assert "<" not in msg and ">" not in msg, f"user text must be escaped: {msg}"
    # the shipped objects are unchanged and still score exactly as before
    assert panel.equals(panel0)
    assert catalog == catalog0 and list(catalog) == list(catalog0) and sources == sources0
    pd.testing.assert_frame_equal(scoring.Model.from_panel(panel, catalog).score(SPEC).table, table0)


def _meta_file_name(data: bytes) -> str:
    return next(p.name for p in FIX.glob("metadata_*.json") if p.read_bytes() == data)


# ----------------------------------------------------------------------------- good uploads
@pytest.mark.parametrize(
    ("fname", "delimiter", "layout"),
    [
        ("good_long.csv", "comma", "long"),
        ("good_wide_semicolon.csv", "semicolon", "wide"),
        ("good_wide_tab_bom.tsv", "tab", "wide"),
    ],
)
def test_delimiter_and_layout_are_sniffed(fname, delimiter, layout):
    v = uploads.parse_values(fname, fixture(fname))
    assert (v.attrs["delimiter"], v.attrs["layout"]) == (delimiter, layout)
    assert list(v.columns) == uploads.VALUE_COLUMNS
    assert v.set_index(["iso3", "year"])["value"].to_dict() == {
        ("ARM", 2022): 12.5,
        ("ARM", 2023): 14.0,
        ("GEO", 2023): -3.5,
        ("KAZ", 2022): 30.25,
    }
    assert uploads.describe_values(v).startswith(f"read as a {layout} table, {delimiter}-separated: 4 values")


def _csv(rows: dict[tuple[str, int], float], layout: str, delim: str) -> bytes:
    if layout == "long":
        lines = ["iso3,year,value", *(f"{c},{y},{v!r}" for (c, y), v in rows.items())]
    else:
        years = sorted({y for _, y in rows})
        countries = sorted({c for c, _ in rows})
        lines = [",".join(["iso3", *map(str, years)])]
        lines += [",".join([c, *(repr(rows[c, y]) if (c, y) in rows else "" for y in years)]) for c in countries]
    return ("\n".join(lines) + "\n").replace(",", delim).encode()


@pytest.mark.parametrize("delim", [",", ";", "\t"])
def test_wide_and_long_give_the_same_long_frame(delim):
    rows = {("ARM", 2013): 1.5, ("ARM", 2025): -2.0, ("UZB", 2013): 1e-5, ("KAZ", 2020): 33.0, ("UZB", 2020): 7.25}
    long = uploads.parse_values("long.csv", _csv(rows, "long", delim))
    wide = uploads.parse_values("wide.csv", _csv(rows, "wide", delim))
    pd.testing.assert_frame_equal(long, wide)
    assert long.set_index(["iso3", "year"])["value"].to_dict() == rows
    assert set(long["status"]) == {"observed"} and set(long["note"]) == {""}


def test_shipped_file_round_trip_fixtures_agree():
    pd.testing.assert_frame_equal(
        uploads.parse_values("a", fixture("good_wide_semicolon.csv")),
        uploads.parse_values("b", fixture("good_wide_tab_bom.tsv")),
    )


@pytest.mark.parametrize(
    ("cell", "refused"),
    [
        ("-3.5", False),
        ("+2", False),
        ("-1e-3", False),
        ("12", False),
        ("-", True),
        ("=1", True),
        ("@A1", True),
        ("+cmd", True),
        (" =1", True),
        ("\t1", True),
        ("a < b", False),
        ("<b>", True),
        ("&lt;b&gt;", True),
        ("JavaScript:x", True),
        ("note", False),
    ],
)
def test_cell_checks(cell, refused):
    assert (uploads._cell_problem(cell) is not None) is refused


def test_quote_is_escaped_and_truncated():
    q = uploads.quote("<script>alert('x')</script>" + "y" * 50)
    assert q.startswith("'&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") and q.endswith("…'")
    assert "<" not in q and len(q) < 100
    assert (
        uploads.quote("[link](http://x) `code` $x$") == "'&#91;link&#93;(http:&#8288;//x) &#96;code&#96; &#36;x&#36;'"
    )


def test_metadata_defaults_and_marking():
    values = uploads.parse_values("good_long.csv", GOOD)
    ind, src = uploads.parse_metadata(GOOD_META, values)
    assert ind.id == "user_russian_tv_share" and src.source_id == "user-russian_tv_share"
    assert ind.name == "Russian TV share (your data)" and ind.source_ids == (src.source_id,)
    assert ind.pillar == uploads.DEFAULT_PILLAR == "diplomacy"
    assert ind.scale == "percent" and ind.bounds == (-3.5, 100.0)  # 0-100 widened to the data
    assert src.licence == uploads.USER_LICENCE
    ratio, _ = uploads.parse_metadata(meta(unit="tonnes per head"), values)
    assert ratio.scale == "ratio" and ratio.bounds == (-3.5, 30.25)  # min and max of the values
    declared, _ = uploads.parse_metadata(meta(bounds=[-10, 50], scale="index", direction="-1"), values)
    assert declared.bounds == (-10.0, 50.0) and declared.scale == "index" and declared.direction == -1
    from_json, _ = uploads.parse_metadata(fixture("good_metadata.json"), values, name="good_metadata.json")
    assert from_json == ind
    cyrillic, _ = uploads.parse_metadata(meta(name="Доля ТВ"), values)
    assert cyrillic.id.startswith("user_h") and len(cyrillic.id) == len("user_h") + 8


def test_metadata_template_is_valid():
    values = uploads.parse_values("v.csv", b"iso3,year,value\nARM,2022,12.5\nKAZ,2022,30\n")
    ind, _ = uploads.parse_metadata(uploads.metadata_template(), values, name="metadata.json")
    assert ind.id.startswith("user_")
    assert "YAML is not accepted" in uploads.help_markdown()


def test_merge_returns_new_objects_and_never_mutates(baseline):
    panel, catalog, sources, panel0, catalog0, sources0, table0 = baseline
    p2, c2, s2 = upload(panel, catalog, sources, "good_long.csv", GOOD)
    assert p2 is not panel and c2 is not catalog and s2 is not sources
    assert panel.equals(panel0) and catalog == catalog0 and sources == sources0
    uid = "user_russian_tv_share"
    assert list(c2) == [*catalog, uid] and "user-russian_tv_share" in s2
    rows = p2[p2["indicator"] == uid]
    assert len(rows) == 4 and set(rows["source_ids"]) == {"user-russian_tv_share"}
    assert rows["note"].str.startswith("your data").all()
    assert set(rows["status"]) == {"observed", "estimated"}
    pd.testing.assert_frame_equal(p2[p2["indicator"] != uid].reset_index(drop=True), panel.reset_index(drop=True))
    result = scoring.Model.from_panel(p2, c2).score(SPEC)
    assert f"contrib_{uid}" in result.table
    # uploading again (same name, new values) replaces the earlier upload
    v2 = uploads.parse_values("again.csv", b"iso3,year,value\nUKR,2024,1\nBLR,2024,2\n")
    ind2, src2 = uploads.parse_metadata(GOOD_META, v2)
    p3, c3, s3 = uploads.merge_user_indicator(p2, c2, s2, ind2, src2, v2)
    assert len(p3[p3["indicator"] == uid]) == 2 and list(c3) == list(c2) and len(s3) == len(s2)


def test_merge_refuses_a_clash_with_a_shipped_indicator(baseline):
    panel, catalog, sources, panel0, catalog0, sources0, _ = baseline
    shipped_like = next(iter(catalog.values())).model_copy(update={"id": "user_russian_tv_share"})
    fake_catalog = {**catalog, shipped_like.id: shipped_like}
    with pytest.raises(UploadError, match="already used by the shipped indicator"):
        upload(panel, fake_catalog, sources, "good_long.csv", GOOD)
    values = uploads.parse_values("good_long.csv", GOOD)
    ind, src = uploads.parse_metadata(GOOD_META, values)
    with pytest.raises(UploadError, match="only an indicator made by parse_metadata"):
        uploads.merge_user_indicator(panel, catalog, sources, catalog["csto_membership"], src, values)
    assert panel.equals(panel0) and catalog == catalog0


# ----------------------------------------------------------------------------- specs and scenarios
def test_spec_upload_round_trip_and_errors(baseline):
    _, catalog, *_ = baseline
    spec = scoring.ScoringSpec(normalisation="zscore", indicator_weights={"csto_membership": 2.0})
    assert uploads.parse_spec_upload("spec.json", spec.to_json().encode(), catalog) == spec
    cases = [
        (b"{not json", "spec.json, line 1: the spec is not valid JSON"),
        (b'{"normalisation": "magic"}', "spec.json: normalisation: unknown normalisation"),
        (b'{"colour": 1}', "spec.json: unknown spec field"),
        (b'{"preset": "<script>x</script>"}', "spec.json, field preset: '&lt;script&gt;"),
        (b'{"indicator_weights": {"csto_membershp": 1}}', "did you mean csto_membership?"),
        (b"", "spec.json: the file is empty"),
    ]
    for data, expected in cases:
        with pytest.raises(UploadError) as exc:
            uploads.parse_spec_upload("spec.json", data, catalog)
        assert expected in str(exc.value) and "<" not in str(exc.value)


def test_scenario_upload(baseline):
    _, catalog, *_ = baseline
    example = next(iter(scoring.load_example_scenarios(catalog).values()))
    assert uploads.parse_scenario_upload("s.json", example.to_json().encode(), catalog) == example
    bad = json.loads(example.to_json())
    bad["edits"][0]["iso3"] = "XXX"
    with pytest.raises(UploadError, match=r"^s\.json: scenario .* edit 1: unknown iso3"):
        uploads.parse_scenario_upload("s.json", json.dumps(bad).encode(), catalog)
    bad["name"] = "<img src=x onerror=alert(1)>"
    with pytest.raises(UploadError, match=r"^s\.json, field name: '&lt;img"):
        uploads.parse_scenario_upload("s.json", json.dumps(bad).encode(), catalog)


def test_read_text_still_reads_file_objects():
    class F:
        name = "x.csv"

        def __init__(self, data):
            self.data = data

        def getvalue(self):
            return self.data

    assert uploads.read_text(F(b"\xef\xbb\xbfa,b")) == "a,b"
    with pytest.raises(UploadError, match="x.csv: the file is empty"):
        uploads.read_text(F(b""))


# ----------------------------------------------------------------------------- property test
@st.composite
def user_uploads(draw):
    keys = draw(
        st.sets(st.tuples(st.sampled_from(list(PANEL_COUNTRIES)), st.sampled_from(YEARS)), min_size=1, max_size=40)
    )
    lo = draw(st.floats(-1e4, 1e4, allow_nan=False))
    width = draw(st.floats(1e-3, 1e4, allow_nan=False))
    hi = lo + width
    fracs = draw(st.lists(st.floats(0, 1), min_size=len(keys), max_size=len(keys)))
    rows = {k: float(min(hi, max(lo, lo + f * width))) for k, f in zip(sorted(keys), fracs, strict=True)}
    m = meta(
        direction=draw(st.sampled_from([1, -1])),
        pillar=draw(st.sampled_from(list(PILLARS))),
        scale=draw(st.sampled_from(uploads.USER_SCALES)),
        bounds=[lo, hi],
    )
    return rows, m, draw(st.sampled_from(["long", "wide"])), draw(st.sampled_from([",", ";", "\t"]))


@pytest.fixture(scope="module")
def shipped_contrib(baseline):
    panel, catalog, *_ = baseline
    return scoring.Model.from_panel(panel, catalog).score(SPEC).table


@settings(max_examples=30, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(user_uploads())
def test_property_valid_uploads_score_in_range_and_zero_weight_changes_nothing(baseline, shipped_contrib, upl):
    rows, m, layout, delim = upl
    panel, catalog, sources, panel0, *_ = baseline
    p2, c2, _ = upload(panel, catalog, sources, "u.csv", _csv(rows, layout, delim), m)
    uid = next(k for k in c2 if k.startswith("user_"))
    model = scoring.Model.from_panel(p2, c2)
    scores = model.score(SPEC).table["score"].to_numpy(dtype=float)
    ok = scores[~np.isnan(scores)]
    assert ok.size and (ok >= 0).all() and (ok <= 100).all(), (ok.min(), ok.max())
    # available-case: an unweighted upload changes nothing
    ac = SPEC.replace(missing="renormalise")
    zero = model.score(ac.replace(indicator_weights={uid: 0.0})).table
    before = scoring.Model.from_panel(panel, catalog).score(ac).table
    cols = [f"contrib_{k}" for k in catalog]
    pd.testing.assert_frame_equal(zero[cols], before[cols], check_exact=True)
    pd.testing.assert_frame_equal(
        zero[["iso3", "year", "score", "rank"]],
        before[["iso3", "year", "score", "rank"]],
        check_exact=False,
        rtol=1e-12,
        atol=1e-12,
    )
    # the default policy: an unweighted upload is still data for the missing-data model's cross-section
    # regression, so it can move only the scores that use a value predicted from the other indicators
    zero = model.score(SPEC.replace(indicator_weights={uid: 0.0}))
    cross = (zero.used & (model.imputation(SPEC.normalisation).how == CROSS_SECTION)).any(axis=-1)
    moved = ~np.isclose(zero.table["score"].to_numpy(float), shipped_contrib["score"].to_numpy(float), atol=1e-9)
    assert not (moved & ~cross.ravel()).any()
    assert panel.equals(panel0)
