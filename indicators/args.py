"""Command-line arguments for every CLI of the project (``indicators`` and ``scoring`` alike).

A bad option or value is one line on stderr and exit status 2, never argparse's usage block, and any
value quoted from the command line is cut short with its control characters (newlines too) shown as
``\\xNN``, so the message stays one line whatever was typed (issue 21).
"""

from __future__ import annotations

import argparse
import sys


class UsageError(Exception):
    """Bad command-line input; the message says what to fix."""


def one_line(text: object, limit: int = 200) -> str:
    """Text for a one-line message (a CLI's stderr, a log line): control characters, newlines included,
    as ``\\xNN``, cut to ``limit`` characters (+ "…")."""
    t = str(text)
    s = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in t[:limit])
    return s + ("…" if len(t) > limit else "")


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are a :class:`UsageError` with one line (no usage block)."""

    def error(self, message):
        raise UsageError(f"{one_line(message)} (see {self.prog} --help)")


def fail(e: BaseException | str) -> int:
    """Report bad input as every CLI does: one line ``error: ...`` on stderr; returns the exit status 2."""
    print(f"error: {one_line(e, 400)}", file=sys.stderr)
    return 2
