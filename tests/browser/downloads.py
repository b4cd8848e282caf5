"""Downloads in the browser tests: click, save, read."""

from __future__ import annotations

from pathlib import Path


def download(page, button: str, path: Path) -> bytes:
    """Click the button named ``button`` (the first one), save the download at ``path``, return its bytes."""
    with page.expect_download() as d:
        page.get_by_role("button", name=button).first.click()
    d.value.save_as(path)
    page.last_download = d.value  # type: ignore[attr-defined]
    return path.read_bytes()


PNG_HEAD = b"\x89PNG\r\n\x1a\n"
