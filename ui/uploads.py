"""Reading user uploads safely: size, encoding and formula checks shared by every upload."""

from __future__ import annotations

MAX_BYTES = 1_000_000


class UploadError(ValueError):
    """An uploaded file could not be used; the message says what to fix."""


def read_text(file, max_bytes: int = MAX_BYTES) -> str:
    """Decode an uploaded file (any object with ``.name`` and ``.getvalue()``) as UTF-8 text.

    Refuses empty files, files over ``max_bytes`` and files that are not UTF-8.
    """
    data = file.getvalue()
    name = getattr(file, "name", "upload")
    if not data:
        raise UploadError(f"{name} is empty")
    if len(data) > max_bytes:
        raise UploadError(f"{name} is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UploadError(f"{name} is not UTF-8 text (byte {e.start}); save it as UTF-8 and try again") from None
