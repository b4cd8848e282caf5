"""The page's boundary for hostile input: one escaper and one error boundary, used by every view.

* :func:`md` (from :mod:`scoring.untrusted`, which the bundle's README uses too): any text a user or a
  link supplies (a URL value in a notice, an uploaded indicator's name, unit, definition or source, a file
  name, a message quoting any of them) goes through it before it reaches ``st.markdown``, a notice
  (``st.info/warning/error/success``), a caption or a widget label, all of which render Markdown. Text
  written by the project (headings, help) is passed as is; user text is never concatenated into Markdown
  without it.
* :func:`error_boundary`: an unexpected exception inside it is logged with its traceback on the server
  (logger ``alignment.page``) and the reader sees one short sentence and a **Reset** button, never a
  traceback or a file path. ``client.showErrorDetails = "none"`` in ``.streamlit/config.toml`` covers
  anything outside it the same way (Streamlit's redacted message, traceback in the log).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import streamlit as st

from scoring.untrusted import md

__all__ = ["ERROR_TEXT", "error_boundary", "md", "notices_markdown"]

LOG = logging.getLogger("alignment.page")
#: What a reader sees when something fails unexpectedly (no exception text: it may quote paths or input).
ERROR_TEXT = (
    "Something went wrong while drawing this view, probably because of a setting or an upload it could not use. "
    "**Reset** goes back to the default settings and removes your uploaded data."
)


def notices_markdown(head: str, notices: Iterable[str]) -> str:
    """``head`` (project text) followed by a Markdown list of ``notices``, each made inert with :func:`md`."""
    return head + "\n\n" + "\n".join(f"- {md(n, 300)}" for n in notices)


@contextmanager
def error_boundary(reset: Callable[[], None], key: str = "page") -> Iterator[None]:
    """Run the block; on an unexpected exception log it and show :data:`ERROR_TEXT` with a Reset button
    (calling ``reset``) instead. Streamlit's own control flow (``st.rerun``, ``st.stop``) is a
    ``BaseException`` and passes through untouched."""
    try:
        yield
    except Exception:
        LOG.exception("unexpected error in the page (%s)", key)
        st.error(ERROR_TEXT)
        st.button("Reset", key=f"reset_after_error_{key}", on_click=reset, type="primary")
