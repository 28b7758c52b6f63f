"""``painpath batch``: triage many answer records, in input order, on several processes.

Input is JSON Lines (one answers object per line; blank lines are skipped but
counted) or CSV (a header of contract keys, then one record per row). Output is
JSON Lines, one line per input record, in input order::

    {"line": 2, "ok": true, "result": {...Result.to_dict()...}}
    {"line": 3, "ok": false, "errors": [{"key": "age", "value": "old", "message": "..."}]}

``line`` is where the record starts in the input (1-based; blank lines count, a
CSV header is line 1). A bad record (text that is not JSON, JSON that is not an
object, answers the contract refuses, a CSV cell that cannot be converted)
becomes an error record, and the batch goes on. Only input that cannot be read
as a batch at all (an unknown format, a CSV header naming a column twice, a file
that cannot be opened) stops it, with :class:`BatchInputError`.

CSV cells are converted by the contract type of their column: an empty cell is
"not asked"; ``true``/``false`` (any case) for yes/no keys; whole numbers for
``int`` keys, decimal numbers for ``float`` keys; ``equipment`` as items separated
by ``;``. Spaces around a cell or an item are ignored. A cell that cannot be
converted is passed on as written, so the contract refuses it with the same
message as any other bad value, together with every other problem of the row.

The input is streamed: records go to the workers in chunks of :data:`CHUNK_SIZE`,
with a bounded number of chunks in flight, and come back in order, so memory does
not grow with the input. Only the standard library and the light contract
modules are imported here; the rules engine is loaded where records are triaged.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import csv
import io
import itertools
import json
import multiprocessing
import os
import re
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import IO, Any, Literal, TypeAlias

from ._contract import KEYS
from ._exceptions import InvalidAnswersError

__all__ = [
    "CHUNK_SIZE",
    "FORMATS",
    "BatchInputError",
    "BatchSummary",
    "add_arguments",
    "run_batch",
    "run_command",
]

Format: TypeAlias = Literal["jsonl", "csv"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv")
SUFFIXES: dict[str, Format] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}

#: Records sent to a worker at a time.
CHUNK_SIZE = 64
#: Chunks in flight per worker: enough to keep every worker busy, few enough to bound memory.
_IN_FLIGHT_PER_WORKER = 4

EXIT_ALL_OK = 0
EXIT_SOME_BAD = 2

EPILOG = """\
output: JSON Lines, one line per input record, in input order:
  {"line": N, "ok": true, "result": {...}}
  {"line": N, "ok": false, "errors": [{"key": ..., "value": ..., "message": ...}]}
"line" is where the record starts in the input (blank lines count; a CSV header
is line 1). A bad record becomes an error record; the batch goes on.

CSV: the header names contract keys; an empty cell means "not asked"; yes/no
cells are true or false; equipment items are separated by ";".

A summary line goes to stderr; a progress line too, when stderr is a terminal.

exit status:
    0  every record was triaged
    2  at least one record was bad (every record is still in the output),
       or the input cannot be read as a batch, or bad options
    1  the library failed (a bug: please report it)
  130  interrupted with Ctrl-C (the output holds the records done so far)
"""


class BatchInputError(ValueError):
    """Input that cannot be read as a batch at all; the message says what and where."""


@dataclass(frozen=True)
class BatchSummary:
    """What a batch did: records read, triaged and refused, and how long it took."""

    records: int
    ok: int
    errors: int
    seconds: float

    @property
    def rate(self) -> float:
        """Records per second (0 for an empty batch)."""
        return self.records / self.seconds if self.records and self.seconds > 0 else 0.0

    def __str__(self) -> str:
        def count(n: int, noun: str) -> str:
            return f"{n} {noun}{'' if n == 1 else 's'}"

        return f"{count(self.records, 'record')}: {self.ok} ok, {count(self.errors, 'error')}"


# A task is (line, kind, payload): kind "json" with the line's text, "cells" with a
# CSV row as {column: cell}, or "bad" with the error entries of a row that could
# not be read.
Task: TypeAlias = tuple[int, str, Any]
Source: TypeAlias = "Iterable[str] | str | os.PathLike[str]"
Sink: TypeAlias = "IO[str] | str | os.PathLike[str]"


# --- reading ---------------------------------------------------------------------------


def read_jsonl(lines: Iterable[str]) -> Iterator[Task]:
    """Yield one task per non-blank line; the JSON is parsed where it is triaged."""
    for number, text in enumerate(lines, 1):
        if text.strip():
            yield (number, "json", text.rstrip("\r\n"))


def read_csv(lines: Iterable[str]) -> Iterator[Task]:
    """Yield one task per CSV row after the header; blank lines are skipped.

    A row with more or fewer cells than the header, or one the CSV reader cannot
    read, becomes a "bad" task. A header that names a column twice raises
    :class:`BatchInputError`.
    """
    reader = csv.reader(lines)
    header: tuple[str, ...] | None = None
    read_so_far = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            start, read_so_far = read_so_far + 1, reader.line_num
            if header is None:
                raise BatchInputError(
                    f"line {start}: the CSV header cannot be read: {error}"
                ) from None
            yield (start, "bad", [_entry(None, None, f"not a valid CSV row: {error}")])
            continue
        start, read_so_far = read_so_far + 1, reader.line_num
        if not row:
            continue
        if header is None:
            header = tuple(name.strip() for name in row)
            twice = sorted({n for n in header if header.count(n) > 1})
            if twice:
                names = ", ".join(repr(n) for n in twice)
                raise BatchInputError(f"line {start}: the CSV header names {names} twice")
            continue
        if len(row) != len(header):
            message = f"the row has {len(row)} cells, the header {len(header)}"
            yield (start, "bad", [_entry(None, row, message)])
            continue
        yield (start, "cells", dict(zip(header, row, strict=True)))


_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def convert_cell(key: str, cell: str) -> Any:
    """Convert one non-empty CSV cell by its key's contract type.

    A cell that cannot be converted (or of an unknown key) is returned as written,
    stripped: the contract then refuses it, naming the key and the value.
    """
    text = cell.strip()
    spec = KEYS.get(key)
    if spec is None or spec.kind in ("str", "date"):
        return text
    if spec.kind == "bool":
        return {"true": True, "false": False}.get(text.lower(), text)
    if spec.kind == "int":
        return int(text) if _INT.fullmatch(text) else text
    if spec.kind == "float":
        return float(text) if _FLOAT.fullmatch(text) else text
    return [item.strip() for item in text.split(";")]


def cells_to_answers(cells: dict[str, str]) -> dict[str, Any]:
    """Turn a CSV row into an answers mapping: empty cells left out, the rest converted."""
    return {key: convert_cell(key, cell) for key, cell in cells.items() if cell.strip()}


# --- triaging (in the worker) ----------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _entry(key: str | None, value: Any, message: str) -> dict[str, Any]:
    return {"key": key, "value": value, "message": message}


def _dump(record: dict[str, Any]) -> str:
    try:
        return json.dumps(record, allow_nan=False, default=repr)
    except (TypeError, ValueError, RecursionError):
        # A value JSON cannot hold (NaN, a key that is not a string, deep nesting): its repr.
        for entry in record.get("errors", ()):
            entry["value"] = repr(entry["value"])
        return json.dumps(record, allow_nan=False, default=repr)


def _error_line(line: int, entries: list[dict[str, Any]]) -> str:
    return _dump({"line": line, "ok": False, "errors": entries})


def _triage_task(triage: Callable[..., Any], task: Task) -> tuple[bool, str]:
    line, kind, payload = task
    if kind == "bad":
        return False, _error_line(line, payload)
    if kind == "json":
        try:
            answers = json.loads(payload, parse_constant=_refuse_constant)
        except json.JSONDecodeError as error:
            where = f" (column {error.colno})"
            return False, _error_line(
                line, [_entry(None, payload, f"not valid JSON: {error.msg}{where}")]
            )
        except (ValueError, RecursionError) as error:
            reason = str(error) if isinstance(error, ValueError) else "nested too deeply"
            return False, _error_line(line, [_entry(None, payload, f"not valid JSON: {reason}")])
    else:
        answers = cells_to_answers(payload)
    try:
        result = triage(answers)
    except InvalidAnswersError as error:
        return False, _error_line(line, [_entry(p.key, p.value, p.message) for p in error.problems])
    return True, _dump({"line": line, "ok": True, "result": result.to_dict()})


def triage_chunk(chunk: Sequence[Task]) -> list[tuple[bool, str]]:
    """Triage a chunk of tasks; return ``(ok, output line)`` for each, in order.

    Errors other than refused answers (an :class:`~painpath.EngineError`) are not
    bad records but library failures: they propagate and stop the batch.
    """
    from ._triage import triage

    return [_triage_task(triage, task) for task in chunk]


def _worker_init() -> None:
    # Ctrl-C is for the parent, which stops the pool; and load the rules once, up front.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from ._rules import default_rules

    default_rules()


# --- running ---------------------------------------------------------------------------


def _chunks(tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
    iterator = iter(tasks)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _context(mp_context: str | BaseContext | None) -> BaseContext:
    if isinstance(mp_context, BaseContext):
        return mp_context
    return multiprocessing.get_context(mp_context)


def _outputs(
    tasks: Iterable[Task], workers: int, mp_context: str | BaseContext | None
) -> Iterator[tuple[bool, str]]:
    """Yield ``(ok, line)`` for each task, in order; on ``workers`` processes when > 1."""
    if workers == 1:
        for chunk in _chunks(tasks, CHUNK_SIZE):
            yield from triage_chunk(chunk)
        return
    pool = ProcessPoolExecutor(workers, mp_context=_context(mp_context), initializer=_worker_init)
    pending: collections.deque[Future[list[tuple[bool, str]]]] = collections.deque()
    try:
        for chunk in _chunks(tasks, CHUNK_SIZE):
            pending.append(pool.submit(triage_chunk, chunk))
            if len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def detect_format(path: str, given: str | None = None) -> Format:
    """Return the input format: ``given``, else from the file suffix; stdin (``-``) is jsonl."""
    if given is not None:
        if given not in FORMATS:
            raise BatchInputError(f"unknown input format {given!r}: use jsonl or csv")
        return given
    if path == "-":
        return "jsonl"
    fmt = SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise BatchInputError(
            f"cannot tell the format of {path} from its suffix: name it .jsonl, .ndjson or "
            ".csv, or give --input-format jsonl|csv"
        )
    return fmt


def run_batch(
    source: Source,
    sink: Sink,
    *,
    fmt: Format | None = None,
    workers: int | None = None,
    mp_context: str | BaseContext | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Triage every record of ``source`` and write one JSON line per record to ``sink``.

    ``source`` is a path or an iterable of lines (a text file, a list of strings);
    ``sink`` a path or a text stream. ``fmt`` is ``"jsonl"`` or ``"csv"``, from the
    path's suffix when not given (an iterable needs it). ``workers`` processes
    triage the records (all cores by default; ``1`` triages in this process), started
    by ``mp_context`` (a start method name or a multiprocessing context; the
    platform's default when ``None``). ``progress`` is called with the number of
    records written so far. Raises :class:`BatchInputError` for input that cannot
    be read as a batch; a bad record is an error record, not an exception.
    """
    if workers is None:
        workers = os.cpu_count() or 1
    if workers < 1:
        raise ValueError(f"workers must be at least 1 (got {workers})")
    started = time.perf_counter()
    ok = errors = 0
    with contextlib.ExitStack() as stack:
        if isinstance(source, str | os.PathLike):
            path = os.fspath(source)
            fmt = detect_format(path, fmt)
            lines: Iterable[str] = stack.enter_context(_open_input(path, fmt))
        elif fmt is None:
            raise BatchInputError("the input format is needed for lines that are not a file")
        else:
            fmt = detect_format("-", fmt)
            lines = source
        if isinstance(sink, str | os.PathLike):
            if isinstance(source, str | os.PathLike) and _same_file(source, sink):
                raise BatchInputError(f"the output {os.fspath(sink)} would overwrite the input")
            out: IO[str] = stack.enter_context(_open_output(os.fspath(sink)))
        else:
            out = sink
        tasks = read_csv(lines) if fmt == "csv" else read_jsonl(lines)
        for done, (good, text) in enumerate(_outputs(tasks, workers, mp_context), 1):
            out.write(text + "\n")
            if good:
                ok += 1
            else:
                errors += 1
            if progress is not None:
                progress(done)
        out.flush()
    return BatchSummary(ok + errors, ok, errors, time.perf_counter() - started)


def _open_input(path: str, fmt: Format) -> IO[str]:
    # Bytes that are not UTF-8 spoil only their own record: they become characters no
    # answer allows, so the contract refuses that record.
    try:
        return open(  # closed by the caller's ExitStack
            path,
            encoding="utf-8-sig",
            errors="surrogateescape",
            newline="" if fmt == "csv" else None,
        )
    except OSError as error:
        raise BatchInputError(f"cannot read {path}: {error.strerror or error}") from None


def _open_output(path: str) -> IO[str]:
    try:
        return open(path, "w", encoding="utf-8", newline="\n")
    except OSError as error:
        raise BatchInputError(f"cannot write {path}: {error.strerror or error}") from None


def _same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


# --- the command -----------------------------------------------------------------------


class _Progress:
    """A one-line progress display (records done, rate) for a terminal."""

    #: Seconds between updates.
    interval = 0.2

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.started = self.shown = time.monotonic()
        self.width = 0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.shown < self.interval:
            return
        self.shown = now
        rate = done / (now - self.started) if now > self.started else 0.0
        text = f"{done:,} records, {rate:,.0f}/s"
        self.width = max(self.width, len(text))
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1 (got {text!r})")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``batch`` command's arguments to its parser."""
    parser.add_argument(
        "input", metavar="IN", help="answers: .jsonl, .ndjson or .csv file, or - for stdin"
    )
    parser.add_argument("output", metavar="OUT", help="results (JSON Lines) file, or - for stdout")
    parser.add_argument(
        "--input-format",
        choices=FORMATS,
        help="the input format (default: from the suffix of IN; jsonl for stdin)",
    )
    parser.add_argument(
        "--workers",
        metavar="N",
        type=_positive,
        help=f"processes to triage on (default: all cores, here {os.cpu_count() or 1}); "
        "1 triages in this process",
    )


def run_command(args: argparse.Namespace, stdin: IO[str], stdout: IO[str], stderr: IO[str]) -> int:
    """Run ``painpath batch`` with parsed arguments; return the exit status.

    Raises :class:`BatchInputError` for input that cannot be read as a batch.
    """
    fmt = detect_format(args.input, args.input_format)
    isatty = getattr(stderr, "isatty", None)
    progress = _Progress(stderr) if isatty is not None and isatty() else None
    with contextlib.ExitStack() as stack:
        source: Source = args.input if args.input != "-" else _stdin_lines(stack, stdin, fmt)
        sink: Sink = args.output if args.output != "-" else stdout
        try:
            summary = run_batch(source, sink, fmt=fmt, workers=args.workers, progress=progress)
        finally:
            if progress is not None:
                progress.clear()
    stderr.write(f"{summary} ({summary.rate:,.0f} records/s)\n")
    return EXIT_SOME_BAD if summary.errors else EXIT_ALL_OK


def _stdin_lines(stack: contextlib.ExitStack, stdin: IO[str], fmt: Format) -> IO[str]:
    """Read standard input as UTF-8 like a file (bad bytes spoil only their record)."""
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:
        return stdin  # already text (a StringIO in tests)
    wrapper = io.TextIOWrapper(
        buffer,
        encoding="utf-8-sig",
        errors="surrogateescape",
        newline="" if fmt == "csv" else None,
    )
    stack.callback(wrapper.detach)  # leave the real stdin open
    return wrapper
