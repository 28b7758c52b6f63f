"""The command line's input: an answers file (JSON or TOML) or standard input.

Shared by ``painpath`` and ``painpath journal``: :func:`load_answers` reads one
answers object, and :class:`BadInput` says in one line what cannot be used and where.
Only the standard library is imported here; the file helpers load when used.
"""

from __future__ import annotations

import errno
import io
import sys
from typing import IO, Any

__all__ = ["BadInput", "ClosedStream", "load_answers", "printable", "source_name"]


class BadInput(Exception):
    """Input the command cannot use; the message says what and where."""


class ClosedStream(io.StringIO):
    """Stands for a standard stream the process was started without (``<&-``, ``>&-``)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def _closed(self) -> OSError:
        return OSError(errno.EBADF, f"{self.name} is closed")

    def readline(self, size: int | None = -1, /) -> str:  # type: ignore[override]
        raise self._closed()

    def read(self, size: int | None = -1, /) -> str:
        raise self._closed()

    def write(self, text: str, /) -> int:
        raise self._closed()

    def isatty(self) -> bool:
        return False


def printable(text: str, limit: int | None = 200) -> str:
    """Make a user-supplied string safe to show (see :func:`painpath._files.printable`)."""
    from ._files import printable as makeprintable

    return makeprintable(text, limit)


def source_name(path: str) -> str:
    return "standard input" if path == "-" else printable(path)


def _read_bytes(path: str, stdin: IO[str]) -> bytes | str:
    """Read at most :data:`MAX_ANSWERS_BYTES` (+1) of a file, or of stdin for ``-``."""
    from ._files import MAX_ANSWERS_BYTES

    if path == "-":
        buffer = getattr(stdin, "buffer", None)
        if buffer is None:
            return stdin.read(MAX_ANSWERS_BYTES + 1)  # already text (a StringIO in tests)
        data: bytes = buffer.read(MAX_ANSWERS_BYTES + 1)
        return data
    with open(path, "rb") as file:
        return file.read(MAX_ANSWERS_BYTES + 1)


def load_answers(path: str, stdin: IO[str] | None = None) -> dict[str, Any]:
    """Read answers from a JSON or TOML file (by suffix; JSON otherwise), or stdin for ``-``."""
    from ._files import MAX_ANSWERS_BYTES, InputTextError, decode_text, load_json, load_toml

    if stdin is None:
        stdin = sys.stdin if sys.stdin is not None else ClosedStream("standard input")
    name = source_name(path)
    try:
        raw = _read_bytes(path, stdin)
    except OSError as exc:
        raise BadInput(f"cannot read answers from {name}: {exc.strerror or exc}") from None
    if len(raw) > MAX_ANSWERS_BYTES:
        raise BadInput(
            f"{name} is larger than {MAX_ANSWERS_BYTES // 1024} KiB: "
            "an answers file is a few hundred bytes"
        )
    data: object
    try:
        text = raw if isinstance(raw, str) else decode_text(raw)
        if isinstance(raw, str) and text.startswith("\ufeff"):
            text = text[1:]
        if path.lower().endswith(".toml"):
            table = load_toml(text)
            # A bare TOML date (start_date = 2026-03-02) is the contract's ISO date string.
            data = {k: _toml_date(v) for k, v in table.items()}
        else:
            data = load_json(text)
    except InputTextError as exc:
        raise BadInput(f"{name}: {exc}") from None
    if not isinstance(data, dict):
        raise BadInput(
            f"{name} must hold one object of answers (key: value), not {type(data).__name__}"
        )
    return data


def _toml_date(value: object) -> object:
    """Return a TOML local date (not a date-time) as ``YYYY-MM-DD``; anything else as is."""
    import datetime

    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    return value
