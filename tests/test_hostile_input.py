"""Issue 21: each finding of the security probe, reproduced, and what the page and the CLIs now do instead.

Unit and AppTest level (no browser); the browser test with blocked off-machine requests is
tests/browser/test_hostile_links_browser.py, the fuzz tests tests/test_fuzz_inputs.py.
"""

from __future__ import annotations

import html
import json
import os
import re
import stat
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import indicators
import scoring
from scoring import bundle, cli, diff, pulls
from scoring.export import safe_text, scores_csv
from scoring.untrusted import MAX_JSON_DEPTH, UntrustedInputError, load_json, md
from ui import safe, static_page, uploads
from ui.methodology import methodology_markdown
from ui.uploads import UploadError

ROOT = Path(__file__).resolve().parent.parent
APP = "../dashboard.py"
PANEL, CATALOG, SOURCES = indicators.shipped()
GOOD = b"iso3,year,value\nARM,2020,1\nGEO,2020,2\nKAZ,2021,5\n"
#: The two shared links of the probe (the second as a browser sends it, spaces included).
LINK_IMAGE = "![x](https://evil.example/v.png)"
LINK_PHISH = "x **Session expired.** [Log in again](https://evil.example/login)"
#: What Markdown, HTML or maths would act on; none may survive md() (as raw characters).
ACTIVE = re.compile(r"[<>`$\[\]*~|\\#]|://|(?i:www\.)|\]\(|!\[|(?<!\w):\w")


def shown(text: str) -> str:
    """What a reader sees of md()'s output: the references decoded, the invisible word joiners dropped."""
    return html.unescape(text).replace("\u2060", "")


def live(text: str):
    """The first character Markdown/HTML/maths would act on, once the inert references are set aside."""
    return ACTIVE.search(re.sub(r"&(?:#\d+|amp|lt|gt|quot);", " ", text))


def meta(name: str = "Probe", **kw) -> dict:
    src = {"producer": "Probe inc", "title": "Probe data", "url": "https://example.org/p", "figure_year": "2020"}
    return {"name": name, "direction": 1, "unit": "index", "source": src, **kw}


def add_upload(name: str, data: bytes = GOOD, **kw):
    values = uploads.parse_values("v.csv", data)
    ind, src = uploads.parse_metadata(meta(name, **kw), values)
    return uploads.merge_user_indicator(PANEL, CATALOG, SOURCES, ind, src, values), ind


def run_app(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def shown_text(at: AppTest) -> str:
    """Every text element's Markdown source the page sent."""
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


# ---------------------------------------------------------------- the escaper
@pytest.mark.parametrize("payload", [LINK_IMAGE, LINK_PHISH, "$\\frac{1}{0}$", ":red[alert] :smile:", "<img src=x>"])
def test_md_leaves_nothing_active_and_reads_as_typed(payload):
    out = md(payload)
    assert not live(out), out
    assert shown(out) == payload  # references render as the characters typed


def test_md_breaks_bare_addresses_mails_and_line_starts():
    for text in ("see https://evil.example/x", "www.evil.example", "me@evil.example", "- item", "1. item", "# h"):
        out = md(text)
        assert shown(out) == text
        assert "://" not in html.unescape(out) and "www." not in html.unescape(out).lower()
        assert not re.search(r"\w@", html.unescape(out))
        assert not re.match(r"\s*([-+>#=]|\d+[.)])", out), out
    assert md("a\nb\r\n# c") == "a\\x0ab\\x0d\\x0a&#35; c"  # no new line, so no heading, list or table row


# ---------------------------------------------------------------- the two links
@pytest.mark.parametrize("value", [LINK_IMAGE, LINK_PHISH])
def test_a_rejected_url_value_is_shown_inert(value):
    at = run_app({"view": value})
    assert not at.exception
    notice = next(w.value for w in at.warning if "link parameters" in w.value)
    body = notice.split("\n\n", 1)[1]
    assert not live(body.replace("- URL", "URL", 1)), body
    assert "Log in again" in shown(body) or "evil.example/v.png" in shown(body)


def test_the_all_zero_weights_link_shows_a_message_and_reset():
    zero = ",".join(f"{k}:0" for k in CATALOG)
    at = run_app({"w": zero})
    assert not at.exception, [e.value for e in at.exception]
    assert any("cannot be scored" in e.value for e in at.error)
    reset = next(b for b in at.button if b.label == "Reset")
    reset.click()
    at.run()
    assert not at.exception and not at.error
    assert all(at.session_state[f"w_{k}"] > 0 for k in CATALOG)


# ---------------------------------------------------------------- the error boundary
def test_an_unexpected_error_in_a_view_shows_a_message_and_reset_not_a_traceback(monkeypatch):
    import ui.views.ranking as ranking

    def boom(ctx):
        raise RuntimeError("secret detail /work/secret/path.py")

    monkeypatch.setattr(ranking, "render", boom)
    at = run_app({"view": "ranking"})
    assert not at.exception  # nothing reached Streamlit's own exception display
    assert [e.value for e in at.error] == [safe.ERROR_TEXT]
    assert "secret" not in shown_text(at) and "Traceback" not in shown_text(at)
    monkeypatch.undo()
    next(b for b in at.button if b.label == "Reset").click()
    at.run()
    assert not at.exception and not at.error


def test_the_server_shows_no_error_details_listens_locally_and_sends_no_statistics():
    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert conf["client"]["showErrorDetails"] == "none"
    assert conf["server"]["address"] == "127.0.0.1"
    assert conf["browser"]["gatherUsageStats"] is False
    make = (ROOT / "Makefile").read_text()
    assert re.search(r"^ADDRESS \?= 127\.0\.0\.1$", make, re.M)
    run_line = next(line for line in make.splitlines() if "streamlit run dashboard.py" in line)
    assert "--server.address $(ADDRESS)" in run_line


# ---------------------------------------------------------------- uploads
def test_a_name_with_a_backslash_is_text_not_a_regex_template():
    (p, c, s), ind = add_upload(r"Path C:\data share")
    text = methodology_markdown(c, s)
    assert "#### " + md(ind.name) in text
    assert shown(md(ind.name)) == ind.name


def test_an_uploaded_name_and_source_are_inert_in_the_methodology():
    (p, c, s), ind = add_upload("Probe ![x](https://evil.example/i.png)")
    text = methodology_markdown(c, s)
    section = text.split("#### " + md(ind.name), 1)[1].split("####", 1)[0]
    assert "](" not in section and "![" not in section and "https://" not in section  # no link, no image
    assert "Probe inc (https://example.org/p)" in shown(section)  # the user's source, as text


@pytest.mark.parametrize("eol", [b"\r", b"\r\n", b"\n"])
def test_old_mac_line_endings_read_like_any_other(eol):
    want = uploads.parse_values("v.csv", GOOD)
    got = uploads.parse_values("v.csv", GOOD.replace(b"\n", eol))
    pd.testing.assert_frame_equal(got, want)
    wide = b"iso3,2013,2014\nARM,1,2\nGEO,3,4\n".replace(b"\n", eol)
    assert len(uploads.parse_values("w.csv", wide)) == 4


def header_137500() -> bytes:
    """The probe's header: 137,500 distinct columns, about 989 KB."""
    cols = ["iso3"] + [f"c{j:05x}" for j in range(1, 137_500)]
    return (",".join(cols) + "\nARM\n").encode()


def test_the_137500_column_header_is_refused_within_two_seconds():
    data = header_137500()
    assert 0.95e6 < len(data) <= uploads.MAX_BYTES
    t0 = time.perf_counter()
    with pytest.raises(UploadError, match=r"row 1: the header has 137,500 columns; at most 40"):
        uploads.parse_values("wide.csv", data)
    assert time.perf_counter() - t0 < 2.0


def test_a_slow_read_is_stopped_by_the_time_budget(monkeypatch):
    monkeypatch.setattr(uploads, "PARSE_SECONDS", -1.0)  # the budget is spent before the first check
    rows = b"".join(f"ARM,{2013 + k % 13},{k}\n".encode() for k in range(600))
    with pytest.raises(UploadError, match=r"took longer than -1 s and was stopped"):
        uploads.parse_values("v.csv", b"iso3,year,value\n" + rows)


def test_a_session_holds_at_most_five_uploaded_indicators():
    p, c, s = PANEL, CATALOG, SOURCES
    values = uploads.parse_values("v.csv", GOOD)
    for k in range(uploads.MAX_USER_INDICATORS):
        ind, src = uploads.parse_metadata(meta(f"Mine {k}"), values)
        p, c, s = uploads.merge_user_indicator(p, c, s, ind, src, values)
    ind, src = uploads.parse_metadata(meta("One too many"), values)
    with pytest.raises(UploadError, match="already holds 5 indicators of yours"):
        uploads.merge_user_indicator(p, c, s, ind, src, values)
    ind, src = uploads.parse_metadata(meta("Mine 0"), values)  # replacing one is fine
    uploads.merge_user_indicator(p, c, s, ind, src, values)


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"indicator_weights": {"csto_membership": ' + b"[" * 900 + b"]" * 900 + b"}}",
    ],
    ids=["100000 deep", "900 deep"],
)
def test_deeply_nested_json_is_refused_in_one_line(data):
    for parse in (
        lambda: uploads.parse_spec_upload("s.json", data, CATALOG),
        lambda: uploads.parse_scenario_upload("s.json", data, CATALOG),
        lambda: uploads.parse_metadata(data, uploads.parse_values("v.csv", GOOD), name="m.json"),
    ):
        with pytest.raises(UploadError, match=rf"nested more than {MAX_JSON_DEPTH} levels deep$"):
            parse()


def test_a_400_digit_weight_is_refused_in_one_line():
    data = b'{"indicator_weights": {"csto_membership": ' + b"7" * 400 + b"}}"
    with pytest.raises(UploadError, match=r"field indicator_weights\.csto_membership: a number too large is not"):
        uploads.parse_spec_upload("s.json", data, CATALOG)
    with pytest.raises(scoring.SpecError, match="not a finite number"):
        scoring.ScoringSpec.from_json(data.decode())
    with pytest.raises(scoring.SpecError, match="must be a finite non-negative number up to 1e"):
        scoring.ScoringSpec(indicator_weights={"csto_membership": 7 * 10**400})


def test_binary_junk_is_refused_with_a_message():
    junk = bytes(range(256)) * 8
    with pytest.raises(UploadError, match=r"row \d+, column .*: byte 0x80 is not UTF-8"):
        uploads.parse_values("v.csv", junk)
    with pytest.raises(UploadError, match=r"s.json: byte 0x80 at position 128 is not UTF-8 text"):
        uploads.parse_spec_upload("s.json", junk, CATALOG)


@pytest.mark.parametrize("lead", ["\u00a0", "\n", "\r\n", "\u200b", " \t", "\ufeff"])
def test_a_formula_behind_white_space_or_an_invisible_character_is_refused(lead):
    cell = f'{lead}=HYPERLINK("https://evil.example","x")'
    data = ("iso3,year,value,note\n" + f'ARM,2020,1,"{cell}"\n').encode()
    with pytest.raises(UploadError, match="looks like a spreadsheet formula"):
        uploads.parse_values("v.csv", data)
    assert safe_text(cell) == "'" + cell  # and a CSV the project writes neutralises it
    if not lead.startswith("\r"):  # a leading CR counts as a formula start by itself
        assert safe_text(f"{lead}12 km") == f"{lead}12 km"


# ---------------------------------------------------------------- 1e308 and non-finite results
@pytest.mark.parametrize("value", [b"1e308", b"-1e308", b"1e13", b"inf", b"nan"])
def test_values_beyond_the_range_are_refused_at_the_door(value):
    data = b"iso3,year,value\nARM,2020,0\nGEO,2020," + value + b"\n"
    with pytest.raises(UploadError, match=r"row 3, column value \(C\): "):
        uploads.parse_values("v.csv", data)


def test_bounds_beyond_the_range_are_refused():
    values = uploads.parse_values("v.csv", GOOD)
    with pytest.raises(UploadError, match="field bounds: each bound must be a finite number"):
        uploads.parse_metadata(meta("Ratio", scale="ratio", bounds=[0, 1e308]), values)


def test_a_link_edit_of_1e308_is_refused():
    at = run_app({"view": "scenarios", "ed": "ARM:2020:csto_membership:1e308"})
    assert not at.exception
    assert at.session_state["edits"] == ()
    assert "1e308" in html.unescape(" ".join(w.value for w in at.warning))


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_the_model_refuses_to_produce_non_finite_scores():
    model = scoring.Model.from_panel(PANEL, CATALOG)
    raw = model.raw.copy()
    raw[0, 0, 0] = np.inf
    broken = scoring.Model(raw, CATALOG, model.countries, model.years)
    with pytest.raises(scoring.NonFiniteError, match="normalised values .* are not finite: csto_membership"):
        broken.score(scoring.ScoringSpec())
    out = scores_csv(model.score(scoring.ScoringSpec()))
    assert "inf" not in out and "nan" not in out.lower()


# ---------------------------------------------------------------- --out targets, one-line errors
def cli_runs(out: str) -> list:
    """Every CLI that writes a file with --out, as (name, callable)."""
    return [
        ("scoring", lambda: cli.main(["--out", out])),
        ("scoring.diff", lambda: diff.main(["--from", "2020", "--to", "2021", "--out", out])),
        ("scoring.pulls", lambda: pulls.main(["--out", out])),
        ("scoring.bundle", lambda: bundle.main(["--out", out])),
        ("ui.static_page", lambda: static_page.main(["--out", out])),
    ]


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err


@pytest.mark.parametrize("kind", ["directory", "symlink", "device"])
def test_out_refuses_a_directory_a_symlink_or_a_device(tmp_path, capsys, kind):
    target = tmp_path / "target"
    real = tmp_path / "real.txt"
    real.write_text("keep me")
    if kind == "directory":
        target.mkdir()
    elif kind == "symlink":
        target.symlink_to(real)
    for name, run in cli_runs(str(target) if kind != "device" else "/dev/null"):
        assert run() == 2, name
        assert re.search(
            r"is a (directory|symbolic link|device, pipe or socket); give the name", one_error_line(capsys)
        )
    assert real.read_text() == "keep me"
    if kind == "symlink":
        assert target.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["real.txt"] + (["target"] if kind != "device" else []))


def test_out_writes_0644_under_the_default_umask(tmp_path, capsys):
    old = os.umask(0o022)
    try:
        for name, run in cli_runs(str(tmp_path / "out.file")):
            assert run() == 0, name
            assert stat.S_IMODE(os.stat(tmp_path / "out.file").st_mode) == 0o644, name
            (tmp_path / "out.file").unlink()
    finally:
        os.umask(old)
    capsys.readouterr()


def test_out_leaves_nothing_behind_when_the_write_fails(tmp_path, capsys, monkeypatch):
    def fail_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli.os, "replace", fail_replace)
    (tmp_path / "out.file").write_text("old")
    for name, run in cli_runs(str(tmp_path / "out.file")):
        assert run() == 2, name
        assert "cannot write (No space left on device)" in one_error_line(capsys)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.file"], name
        assert (tmp_path / "out.file").read_text() == "old"


@pytest.mark.parametrize(
    "args",
    [["--year", "20x4"], ["--bogus"], ["--min-coverage", "lots"], ["--year", "9" * 5000], ["--preset", "a\nb"]],
)
def test_a_bad_argument_is_one_line_for_every_cli(tmp_path, capsys, args):
    out = str(tmp_path / "x")
    for name, main in [
        ("scoring", cli.main),
        ("scoring.diff", lambda a: diff.main(["--from", "2020", "--to", "2021", *a])),
        ("scoring.bundle", lambda a: bundle.main(["--out", out, *a])),
        ("ui.static_page", lambda a: static_page.main(["--out", out, *a])),
    ]:
        assert main(args) == 2, name
        assert len(one_error_line(capsys)) < 600
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "content",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"csto_membership": ' + "1" * 400 + "}",
        '{"csto_membership": 1e308}',
        '{"csto_membership": NaN}',
    ],
    ids=["deep", "400 digits", "1e308", "NaN"],
)
def test_hostile_weights_files_are_one_line_errors(tmp_path, capsys, content):
    f = tmp_path / "w.json"
    f.write_text(content)
    out = tmp_path / "out.csv"
    for name, run in [
        ("scoring", lambda: cli.main(["--weights", str(f), "--out", str(out)])),
        ("scoring.pulls", lambda: pulls.main(["--weights", str(f), "--out", str(out)])),
        ("scoring.bundle", lambda: bundle.main(["--weights", str(f), "--out", str(out)])),
    ]:
        assert run() == 2, name
        one_error_line(capsys)
    assert not out.exists()


def test_a_device_as_weights_file_is_refused_without_reading_it(capsys):
    assert cli.main(["--weights", "/dev/zero"]) == 2
    assert "is not a regular file" in one_error_line(capsys)


def test_load_json_names_what_it_refuses():
    with pytest.raises(UntrustedInputError, match="not valid JSON"):
        load_json("{")
    assert load_json('{"a": [1, 2.5, {"b": -3}]}') == {"a": [1, 2.5, {"b": -3}]}
    assert load_json(json.dumps({"x": 1e12})) == {"x": 1e12}
