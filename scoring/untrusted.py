"""Untrusted input in, untrusted text out: the one place that bounds JSON and makes user text inert.

Everything a person or a link supplies (a URL value, an uploaded file's name or cells, a spec, a
weights file) passes through here on its way in or out:

* :func:`load_json` reads JSON text with bounds: nesting at most :data:`MAX_JSON_DEPTH` levels (checked
  without recursion), every number finite and within ±:data:`MAX_ABS_NUMBER` (``NaN``, ``Infinity``,
  ``1e400`` and a 400-digit integer are refused, naming the field), so no later step can overflow,
  recurse without end or turn a weight into ``inf``. It raises :class:`UntrustedInputError` with one line.
* :func:`md` makes text inert in Markdown, HTML and maths (Streamlit's ``st.markdown``, notices, labels and
  the bundle's README.md): characters that Markdown, HTML, KaTeX or Streamlit's own directives act on become
  HTML character references (which render as the character and are never re-parsed), so ``![x](https://..)``
  shows as typed and loads nothing, ``[Log in](https://..)`` is no link, ``$x$`` is no formula and
  ``:red[x]`` no colour; an invisible word joiner (:data:`JOINER`) keeps a bare ``https://..``, ``www.``,
  e-mail address or ``:emoji:`` from being turned into a link or a picture. Control characters (a newline
  included) are shown as ``\\xNN``, so user text cannot start a heading, list or table row.

Pure (no streamlit): ``scoring.bundle`` uses it for the README, ``ui.safe`` for every view.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from indicators.args import one_line

#: Deepest nesting of arrays/objects accepted in uploaded or command-line JSON (a spec needs 2).
MAX_JSON_DEPTH = 20
#: Largest magnitude of any number accepted from outside (values, weights, bounds): far above any
#: indicator's unit, far below the point where differences or squares overflow a float (1e308).
MAX_ABS_NUMBER = 1e12


class UntrustedInputError(ValueError):
    """Input from outside could not be used; the message (one line) says why."""


def check_number(x: float, what: str = "a number") -> Any:
    """``x`` if it is finite and within ±:data:`MAX_ABS_NUMBER`, else :class:`UntrustedInputError`."""
    try:
        ok = math.isfinite(x) and abs(x) <= MAX_ABS_NUMBER
    except OverflowError:  # an int too large for a float
        ok = False
    if not ok:
        shown = f"{x:g}" if isinstance(x, float) else "a very large integer"
        raise UntrustedInputError(f"{what} ({shown}) is not finite or beyond ±{MAX_ABS_NUMBER:g}")
    return x


def _check_tree(obj: Any) -> None:
    """Nesting depth and every number of parsed JSON, checked without recursion (path named on failure)."""
    stack: list[tuple[Any, int, str]] = [(obj, 1, "")]
    while stack:
        o, d, path = stack.pop()
        if isinstance(o, dict | list):
            if d > MAX_JSON_DEPTH:
                raise UntrustedInputError(f"nested more than {MAX_JSON_DEPTH} levels deep")
            items = o.items() if isinstance(o, dict) else enumerate(o)
            stack.extend((v, d + 1, f"{path}.{k}" if path else str(k)) for k, v in items)
        elif isinstance(o, int | float) and not isinstance(o, bool):
            try:
                check_number(o)
            except UntrustedInputError:
                shown = "a number too large" if isinstance(o, int) else f"{o:g}"
                where = f"field {one_line(path, 60)}: " if path else ""
                raise UntrustedInputError(f"{where}{shown} is not a finite number within ±{MAX_ABS_NUMBER:g}") from None


def load_json(text: str | bytes) -> Any:
    """Parse JSON from outside with the bounds of the module docstring.

    Raises :class:`UntrustedInputError` (one line) for malformed JSON too: ``"not valid JSON (...)"``.
    """
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise UntrustedInputError(f"not valid JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    except RecursionError:
        raise UntrustedInputError(f"nested more than {MAX_JSON_DEPTH} levels deep") from None
    except ValueError as e:  # an integer literal beyond Python's digit limit
        raise UntrustedInputError(f"not usable JSON ({one_line(e, 80)})") from None
    except (UnicodeDecodeError, TypeError) as e:
        raise UntrustedInputError(f"not JSON text ({type(e).__name__})") from None
    _check_tree(obj)
    return obj


# ----------------------------------------------------------------------------- inert text
#: Characters Markdown, HTML, KaTeX or Streamlit act on anywhere in a line, written as references.
_ALWAYS = {c: f"&#{ord(c)};" for c in "&<>`$[]*~\\#|"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_QUOTES = {'"': "&quot;", "'": "&#39;"}
#: A line start that Markdown reads as a list item, quote, heading or setext rule.
_LINE_START = re.compile(r"^(\s*)([-+>=]|\d+[.)])")
_WWW = re.compile(r"(?i)(www)\.")
#: An invisible word joiner (U+2060). Autolinks and emoji shortcodes are found in the text *after* the
#: Markdown is parsed (references already decoded), so a reference cannot stop them; a joiner inside
#: ``https:``+``//``, ``www``+``.``, ``a``+``@b.co`` or ``:``+``smile:`` does.
JOINER = "&#8288;"


def _alnum_before(s: str, i: int) -> bool:
    return i > 0 and s[i - 1].isalnum()


def md(text: object, limit: int | None = None, quotes: bool = False, line_start: bool = True) -> str:
    """``text`` made inert for Markdown/HTML/maths (see the module docstring), cut to ``limit`` characters
    (+ "…") when given; ``quotes=True`` also writes ``'`` and ``"`` as references (for HTML attributes);
    ``line_start=False`` for text placed after other text on its line (a leading ``-`` or ``1.`` is then
    no list marker and stays as typed)."""
    s = str(text)
    cut = limit is not None and len(s) > limit
    if cut:
        s = s[:limit]
    out = []
    for i, ch in enumerate(s):
        if not ch.isprintable():
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")
        elif ch in _ALWAYS:
            out.append(_ALWAYS[ch])
        elif quotes and ch in _QUOTES:
            out.append(_QUOTES[ch])
        elif ch == "_" and not (0 < i < len(s) - 1 and s[i - 1].isalnum() and s[i + 1].isalnum()):
            out.append("&#95;")  # emphasis; inside a word (file_name) Markdown leaves _ alone
        elif ch == ":" and i + 1 < len(s) and (s[i + 1] == "/" or (s[i + 1].isalnum() and not _alnum_before(s, i))):
            out.append(":" + JOINER)  # https://... autolinks; :red[...] colours, :emoji: shortcodes (not A1:A2)
        elif ch == "@" and _alnum_before(s, i):
            out.append(JOINER + "@")  # e-mail autolinks (a@b.co); a leading @ stays
        else:
            out.append(ch)
    res = _WWW.sub(r"\1" + JOINER + ".", "".join(out))
    m = _LINE_START.match(res) if line_start else None
    if m:
        res = m.group(1) + m.group(2)[:-1] + f"&#{ord(m.group(2)[-1])};" + res[m.end() :]
    return res + ("…" if cut else "")
