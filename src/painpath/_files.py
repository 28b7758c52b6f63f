"""Reading answers text and writing health data to files, safely.

Reading: :func:`decode_text` turns the bytes of an answers file into text (UTF-8,
a byte-order mark allowed) or says plainly why it cannot (UTF-16, bytes that are
not UTF-8); :func:`load_json` parses one JSON document the way every painpath
input does (duplicate keys, ``NaN``, deep nesting and huge numbers refused with
one clear reason).

Writing: :func:`write_atomic` writes a whole file under a temporary name in the
same directory and renames it into place, so an existing file is never truncated
before the new one is complete; :class:`LineWriter` streams whole lines to a file
or a stream and, when a write fails, cuts a regular file back to its last whole
line. Files are created readable by their owner only (0600): they hold health
data. A symbolic link at the destination is refused, never followed.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fcntl
import json
import os
import stat
from typing import IO, Any

__all__ = [
    "MAX_ANSWERS_BYTES",
    "InputTextError",
    "LineWriter",
    "OutputError",
    "check_destination",
    "decode_text",
    "load_json",
    "printable",
    "write_atomic",
]

#: The largest answers file read (an answers file is a few hundred bytes).
MAX_ANSWERS_BYTES = 1 << 20

#: How many characters of a user-supplied string a message shows.
SHOWN_CHARS = 200

_UTF16_32 = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


class InputTextError(ValueError):
    """Input text that cannot be read; the message says why, without the file name."""


class OutputError(OSError):
    """A file that cannot be written; the message names the file and the reason."""


def printable(text: str, limit: int | None = SHOWN_CHARS) -> str:
    """Return ``text`` safe to show on a terminal: control characters as escapes, cut short.

    Every character that is not printable (escape sequences, carriage returns,
    bidirectional overrides) is written the way ``repr`` writes it, so a string
    cannot move the cursor, clear a line or forge output. Newlines are kept when
    ``limit`` is ``None`` (whole messages); a single value is cut to ``limit``
    characters with ``...`` and the count of the rest.
    """
    out: list[str] = []
    for char in text:
        if char.isprintable() or (char == "\n" and limit is None):
            out.append(char)
        else:
            out.append(repr(char)[1:-1])
    shown = "".join(out)
    if limit is not None and len(shown) > limit:
        rest = len(shown) - limit
        shown = f"{shown[:limit]}...({rest:,} more characters)"
    return shown


def encoding_problem(data: bytes) -> str | None:
    """Say why ``data`` is not UTF-8 text by its look (a UTF-16/32 mark, NUL bytes), or None."""
    for bom, name in _UTF16_32:
        if data.startswith(bom):
            return f"it is {name} text; painpath reads UTF-8 (convert it, e.g. with iconv)"
    if b"\x00" in data[:4096]:
        return "it holds NUL bytes, so it is not UTF-8 text (UTF-16?); painpath reads UTF-8"
    return None


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (a leading byte-order mark is dropped); raise InputTextError otherwise."""
    problem = encoding_problem(data)
    if problem:
        raise InputTextError(problem)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise InputTextError(
            f"it is not UTF-8 text: byte 0x{byte:02x} on line {line} cannot be read"
        ) from None


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKey(f"the key {printable(repr(key), 60)} is given twice")
        data[key] = value
    return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > 100:
        raise ValueError(f"a number of {len(text.lstrip('-')):,} digits is far too long")
    return int(text)


def load_json(text: str) -> Any:
    """Parse one JSON document as painpath reads answers; raise InputTextError saying why.

    Refused: text that is not JSON, a key given twice in one object, ``NaN`` and
    ``Infinity`` (not JSON), whole numbers of more than 100 digits and nesting
    deeper than the parser can hold.
    """
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_refuse_constant,
            parse_int=_parse_int,
        )
    except json.JSONDecodeError as error:
        raise InputTextError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except _DuplicateKey as error:
        raise InputTextError(str(error)) from None
    except ValueError as error:
        raise InputTextError(f"not valid JSON: {error}") from None
    except RecursionError:
        raise InputTextError("not valid JSON: nested too deeply") from None


def load_toml(text: str) -> Any:
    """Parse a TOML document; raise InputTextError saying why it cannot be read."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputTextError(f"not valid TOML: {error}") from None
    except ValueError as error:  # a whole number too long to convert
        raise InputTextError(f"not valid TOML: {error}") from None
    except RecursionError:
        raise InputTextError("not valid TOML: nested too deeply") from None


# --- writing ---------------------------------------------------------------------------


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def check_destination(path: str, *, force: bool = False) -> bool:
    """Check that ``path`` may be written; return whether it is a regular file to replace.

    Refused with :class:`OutputError`: a symbolic link (never followed), a
    directory, a missing directory, and an existing regular file unless
    ``force``. A device or a pipe (``/dev/null``, a FIFO) is written in place:
    the return value is then ``False``.
    """
    shown = printable(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        parent = os.path.dirname(path) or "."
        if not os.path.isdir(parent):
            raise OutputError(errno.ENOENT, f"cannot write {shown}: no such directory") from None
        return True
    except OSError as error:
        raise OutputError(error.errno, f"cannot write {shown}: {_reason(error)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(
            errno.ELOOP,
            f"cannot write {shown}: it is a symbolic link, which painpath does not follow",
        )
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(errno.EISDIR, f"cannot write {shown}: it is a directory")
    if not stat.S_ISREG(info.st_mode):
        return False
    if not force:
        raise OutputError(errno.EEXIST, f"{shown} already exists: give --force to replace it")
    return True


def _temporary(path: str) -> tuple[int, str]:
    """Create an empty 0600 file beside ``path``; return its descriptor and name."""
    import tempfile  # only when writing: painpath --help stays light

    directory, name = os.path.split(os.path.abspath(path))
    try:
        return tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=directory)
    except OSError as error:
        raise OutputError(
            error.errno, f"cannot write {printable(path)}: {_reason(error)}"
        ) from None


def _sync_directory(path: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_atomic(path: str, text: str, *, force: bool = True) -> None:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all, readable by its owner only.

    The text goes to a temporary file in the same directory, which is flushed to
    disk and renamed over ``path``: an existing file keeps its old content until
    the new one is complete. Raises :class:`OutputError` naming the file.
    """
    if not check_destination(path, force=force):
        raise OutputError(errno.EINVAL, f"cannot write {printable(path)}: it is not a regular file")
    fd, temporary = _temporary(path)
    try:
        try:
            _write_all(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError(
            error.errno, f"cannot write {printable(path)}: {_reason(error)}"
        ) from None
    _sync_directory(path)


class LineWriter:
    """Write whole lines to a file or a stream; a failed write never leaves half a line.

    Lines are gathered and written in blocks of whole lines. When a write fails
    (a full disk, a closed pipe), a regular file is cut back to the end of the
    last block written, so it ends on a whole line, and :class:`OutputError` says
    why. :attr:`lines` counts the lines really written.

    Use :meth:`to_path` for a file (written under a temporary name and renamed by
    :meth:`commit`) or :meth:`to_stream` for an open stream.
    """

    #: Bytes gathered before a block is written.
    block = 1 << 16

    def __init__(self, name: str, fd: int | None, stream: IO[str] | None) -> None:
        self.name = name
        self.lines = 0
        self._fd = fd
        self._stream = stream
        self._pending: list[str] = []
        self._pending_lines = 0
        self._pending_tag = 0
        #: The tag of the last line really written (see :meth:`write_line`).
        self.last_tag = 0
        self._size = 0
        self._path: str | None = None
        self._temporary: str | None = None
        self._start = 0
        self._written = 0
        self._seekable = False
        if fd is not None:
            with contextlib.suppress(OSError):
                info = os.fstat(fd)
                self._seekable = stat.S_ISREG(info.st_mode)
                if self._seekable:
                    self._start = os.lseek(fd, 0, os.SEEK_CUR)
                    if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND:
                        self._start = info.st_size

    @classmethod
    def to_path(cls, path: str, *, force: bool = False) -> LineWriter:
        """Write to ``path``: through a temporary file renamed by :meth:`commit`."""
        regular = check_destination(path, force=force)
        if not regular:  # a device or a pipe: written in place
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
            except OSError as error:
                raise OutputError(
                    error.errno, f"cannot write {printable(path)}: {_reason(error)}"
                ) from None
            writer = cls(printable(path), fd, None)
            writer._path = path
            return writer
        fd, temporary = _temporary(path)
        writer = cls(printable(path), fd, None)
        writer._path, writer._temporary = path, temporary
        return writer

    @classmethod
    def to_stream(cls, stream: IO[str], name: str = "standard output") -> LineWriter:
        """Write to an open text stream (through its file descriptor when it has one)."""
        try:
            fd: int | None = stream.fileno()
            stream.flush()
        except (OSError, ValueError, AttributeError):
            fd = None
        return cls(name, fd, None if fd is not None else stream)

    def write_line(self, line: str, tag: int = 0) -> None:
        """Add one line (without its newline); write a block when enough is gathered.

        ``tag`` (an input line number, say) is remembered: :attr:`last_tag` is the
        tag of the last line really written.
        """
        self._pending.append(line)
        self._pending_lines += 1
        self._pending_tag = tag
        self._size += len(line) + 1
        if self._size >= self.block:
            self.flush()

    def flush(self) -> None:
        """Write the lines gathered so far; raise OutputError when they cannot be written."""
        if not self._pending:
            return
        data = "".join(f"{line}\n" for line in self._pending)
        end = -1
        try:
            if self._fd is not None:
                encoded = data.encode("utf-8", "backslashreplace")
                end = self._start + self._written + len(encoded)
                _write_all(self._fd, encoded)
                self._written += len(encoded)
            else:
                assert self._stream is not None
                self._stream.write(data)
                self._stream.flush()
            self._counted()
        except (OSError, ValueError) as error:
            self._cut_back()
            reason = _reason(error) if isinstance(error, OSError) else str(error)
            code = error.errno if isinstance(error, OSError) else errno.EBADF
            raise OutputError(code, f"cannot write {self.name}: {reason}") from None
        except BaseException:
            # A signal's exception (Ctrl-C, SIGTERM) can land just after the block was
            # written, before it was counted: a file's position says which it was.
            self._settle(end)
            raise
        finally:
            self._pending.clear()
            self._size = 0

    def _counted(self) -> None:
        self.lines += self._pending_lines
        self._pending_lines = 0
        self.last_tag = self._pending_tag

    def _settle(self, end: int) -> None:
        """After an interrupted block: count it if it is all in the file, else cut it off.

        ``end`` is where the file ends once the block is written (-1: not started).
        """
        if self._fd is None or not self._seekable or end < 0:
            self._pending_lines = 0
            return
        with contextlib.suppress(OSError):
            if os.lseek(self._fd, 0, os.SEEK_CUR) == end:
                self._written = end - self._start
                self._counted()
                return
        self._cut_back()

    def _cut_back(self) -> None:
        self._pending_lines = 0
        if self._fd is not None and self._seekable:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, self._start + self._written)
                os.lseek(self._fd, self._start + self._written, os.SEEK_SET)

    def commit(self) -> None:
        """Write what is gathered, flush it to disk and put a file in place; close it.

        Call this also after an interruption: the file then holds the whole lines
        written so far. Raises :class:`OutputError` when that fails too (the
        temporary file is then removed).
        """
        try:
            self.flush()
        finally:
            self._close(keep=True)

    def discard(self) -> None:
        """Close without putting the file in place (its temporary file is removed)."""
        self._pending.clear()
        self._close(keep=False)

    def _close(self, *, keep: bool) -> None:
        fd, self._fd = self._fd, None
        if self._path is None or fd is None:
            return  # a stream: the caller owns it
        try:
            if self._temporary is not None and keep:
                with contextlib.suppress(OSError):
                    os.fsync(fd)
        finally:
            os.close(fd)
        temporary, self._temporary = self._temporary, None
        if temporary is None:
            return
        if not keep:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return
        try:
            os.replace(temporary, self._path)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise OutputError(error.errno, f"cannot write {self.name}: {_reason(error)}") from None
        _sync_directory(self._path)
