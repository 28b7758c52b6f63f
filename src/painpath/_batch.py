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

import collections
import contextlib
import csv
import functools
import io
import json
import os
import re
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TypeAlias

from ._contract import KEYS
from ._exceptions import InvalidAnswersError, PainpathError
from ._files import InputTextError, LineWriter, OutputError, encoding_problem, load_json, printable
from ._many import CHUNK_SIZE, map_chunks, triage_one

if TYPE_CHECKING:
    from ._result import Result
    from ._rules import RuleSet

__all__ = [
    "CHUNK_SIZE",
    "FORMATS",
    "BatchInputError",
    "BatchInterrupted",
    "BatchStopped",
    "BatchSummary",
    "compact_result",
    "detect_format",
    "run_batch",
    "triage_chunk",
]

Format: TypeAlias = Literal["jsonl", "csv"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv")
SUFFIXES: dict[str, Format] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


class BatchInputError(PainpathError, ValueError):
    """Input that cannot be read as a batch at all; the message says what and where."""


@dataclass(frozen=True)
class BatchSummary:
    """What a batch did: records read, triaged and refused, written, and how long it took.

    ``written`` counts the output lines really written to ``output`` (less than
    ``records`` only when the batch stopped early); ``last_line`` is the input
    line of the last record written (0 when none was); ``resumed`` the records
    kept from an earlier run (``--resume``), which count in the totals too.
    """

    records: int
    ok: int
    errors: int
    seconds: float
    written: int = -1
    output: str = ""
    last_line: int = 0
    resumed: int = 0

    @property
    def rate(self) -> float:
        """Records triaged per second by this run (0 for an empty batch)."""
        done = self.records - self.resumed
        return done / self.seconds if done and self.seconds > 0 else 0.0

    def __str__(self) -> str:
        def count(n: int, noun: str) -> str:
            return f"{n} {noun}{'' if n == 1 else 's'}"

        text = f"{count(self.records, 'record')}: {self.ok} ok, {count(self.errors, 'error')}"
        if self.written >= 0 and self.output:
            text += f"; {self.written:,} written to {self.output}"
        if self.resumed:
            text += f" ({self.resumed:,} kept from before)"
        return text

    def kept(self) -> str:
        """Say what the output holds after an early stop, for the closing message."""
        if self.written <= 0:
            return f"nothing was written to {self.output}"
        return (
            f"kept the first {self.written:,} record{'' if self.written == 1 else 's'} "
            f"(input lines 1-{self.last_line:,}) in {self.output}; the rest were not triaged"
        )


class BatchStopped(RuntimeError):
    """The batch stopped before the end: a worker died, or the output cannot be written.

    ``summary`` says what was written before it stopped.
    """

    def __init__(self, reason: str, summary: BatchSummary) -> None:
        super().__init__(f"{reason}; {summary.kept()}")
        self.reason = reason
        self.summary = summary


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM, SIGHUP) stopped the batch; ``summary`` says what was kept.

    ``signum`` is the signal that stopped it (``SIGINT`` for Ctrl-C).
    """

    def __init__(self, summary: BatchSummary, signum: int) -> None:
        super().__init__(summary.kept())
        self.summary = summary
        self.signum = signum


# A task is (line, kind, payload): kind "json" with the line's text, "cells" with a
# CSV row as {column: cell}, or "bad" with the error entries of a row that could
# not be read.
Task: TypeAlias = tuple[int, str, Any]
Source: TypeAlias = "Iterable[str] | str | os.PathLike[str]"
Sink: TypeAlias = "IO[str] | str | os.PathLike[str]"


# --- reading ---------------------------------------------------------------------------


_UNDECODED = re.compile("[\udc80-\udcff]")


def _not_utf8(text: str) -> list[dict[str, Any]] | None:
    """Return the error entry of a line holding bytes that are not UTF-8, or None."""
    found = _UNDECODED.search(text)
    if found is None:
        return None
    byte = ord(found.group()) - 0xDC00
    shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    message = f"the line is not UTF-8 text: byte 0x{byte:02x} at column {found.start() + 1}"
    return [_entry(None, shown.rstrip("\r\n"), message)]


def read_jsonl(lines: Iterable[str]) -> Iterator[Task]:
    """Yield one task per non-blank line; the JSON is parsed where it is triaged.

    A line holding bytes that are not UTF-8 becomes a "bad" task naming the byte.
    """
    for number, text in enumerate(lines, 1):
        if text.strip():
            bad = _not_utf8(text)
            if bad is not None:
                yield (number, "bad", bad)
                continue
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
            header = _check_header(tuple(name.strip() for name in row), start)
            continue
        bad = _not_utf8(",".join(row))
        if bad is not None:
            yield (start, "bad", bad)
            continue
        if len(row) != len(header):
            message = f"the row has {len(row)} cells, the header {len(header)}"
            yield (start, "bad", [_entry(None, row, message)])
            continue
        yield (start, "cells", dict(zip(header, row, strict=True)))


def _check_header(header: tuple[str, ...], line: int) -> tuple[str, ...]:
    """Refuse a CSV header that could only give an error on every row; return it."""
    from ._answers import suggest_key

    if _UNDECODED.search("".join(header)):
        raise BatchInputError(f"line {line}: the CSV header is not UTF-8 text")
    twice = sorted({n for n in header if header.count(n) > 1})
    if twice:
        names = ", ".join(printable(repr(n), 60) for n in twice)
        raise BatchInputError(f"line {line}: the CSV header names {names} twice")
    unknown = [name for name in header if name not in KEYS]
    if unknown:
        shown = []
        for name in unknown[:10]:
            close = suggest_key(name)
            hint = f" (did you mean {close!r}?)" if close else ""
            shown.append(printable(repr(name), 60) + hint)
        more = f" and {len(unknown) - 10:,} more" if len(unknown) > 10 else ""
        raise BatchInputError(
            f"line {line}: the CSV header must name answer keys; unknown: "
            f"{', '.join(shown)}{more}. Is the first row a header of keys such as area,age?"
        )
    if "area" not in header:
        raise BatchInputError(f"line {line}: the CSV header has no 'area' column (it is required)")
    return header


def convert_cell(key: str, cell: str) -> Any:
    """Convert one non-empty CSV cell by its key's contract type.

    A cell that cannot be converted (or of an unknown key) is returned as written,
    stripped: the contract then refuses it, naming the key and the value.
    """
    spec = KEYS.get(key)
    return cell.strip() if spec is None else spec.from_cell(cell)


def cells_to_answers(cells: dict[str, str]) -> dict[str, Any]:
    """Turn a CSV row into an answers mapping: empty cells left out, the rest converted."""
    return {key: convert_cell(key, cell) for key, cell in cells.items() if cell.strip()}


# --- triaging (in the worker) ----------------------------------------------------------


def _entry(key: str | None, value: Any, message: str) -> dict[str, Any]:
    return {"key": key, "value": value, "message": message}


def _dump(record: dict[str, Any]) -> str:
    # Records are trees of plain data (a result's dict, values parsed from one line):
    # no cycles, so the encoder's cycle check, a third of its time on a full result, is off.
    try:
        return json.dumps(record, allow_nan=False, default=repr, check_circular=False)
    except (TypeError, ValueError, RecursionError):
        # A value JSON cannot hold (NaN, a key that is not a string, deep nesting): its repr.
        for entry in record.get("errors", ()):
            entry["value"] = repr(entry["value"])
        return json.dumps(record, allow_nan=False, default=repr)


def _error_line(line: int, entries: list[dict[str, Any]]) -> str:
    return _dump({"line": line, "ok": False, "errors": entries})


def triage_chunk(
    chunk: Sequence[Task], engine: str = "durable", compact: bool = False
) -> list[tuple[int, bool, str]]:
    """Triage a chunk of tasks with the shipped rules on ``engine``: ``(line, ok, output)`` each.

    ``compact`` writes the short form of each result (:func:`compact_result`).
    Errors other than refused answers (an :class:`~painpath.EngineError`) are not
    bad records but library failures: they propagate and stop the batch.
    """
    from ._rules import default_rules

    rules = None if engine == "durable" else default_rules(engine)
    shape = compact_result if compact else _full_result
    return [_triage_task(task, rules, shape) for task in chunk]


def _triage_task(
    task: Task, rules: RuleSet | None, shape: Callable[[Result], dict[str, Any]]
) -> tuple[int, bool, str]:
    line, kind, payload = task
    if kind == "bad":
        return line, False, _error_line(line, payload)
    if kind == "json":
        try:
            answers = load_json(payload)
        except InputTextError as error:
            # One line, one document: the line number is the record's, not the parser's.
            message = str(error).replace(" (line 1, column ", " (column ")
            return line, False, _error_line(line, [_entry(None, payload, message)])
    else:
        answers = cells_to_answers(payload)
    outcome = triage_one(answers, rules)
    if isinstance(outcome, InvalidAnswersError):
        entries = [_entry(p.key, p.value, p.message) for p in outcome.problems]
        return line, False, _error_line(line, entries)
    return line, True, _dump({"line": line, "ok": True, "result": shape(outcome)})


def _full_result(result: Result) -> dict[str, Any]:
    return result.to_dict()


def compact_result(result: Result) -> dict[str, Any]:
    """Return the short form of a result that ``painpath batch --compact`` writes.

    ``level``, ``findings`` and ``unscreened`` are as in ``Result.to_dict()``;
    ``routine_ids`` names the plan's routines in order and ``rule_ids`` the rules
    that fired (the ids of ``reasons``). The program is not built for it.
    """
    return {
        "level": result.level.value,
        "findings": sorted(result.findings),
        "unscreened": list(result.unscreened),
        "routine_ids": [phase.routine_id for phase in result.plan],
        "rule_ids": [reason.rule_id for reason in result.reasons],
    }


def _load_engine(engine: str) -> None:
    """Build the shipped rules on ``engine`` once, up front, in a worker."""
    from ._rules import default_rules

    default_rules(engine)


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
            f"cannot tell the format of {printable(path)} from its suffix: name it .jsonl, "
            ".ndjson or .csv, or give --input-format jsonl|csv"
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
    force: bool = False,
    resume: bool = False,
    engine: str = "durable",
    compact: bool = False,
) -> BatchSummary:
    """Triage every record of ``source`` and write one JSON line per record to ``sink``.

    ``source`` is a path or an iterable of lines (a text file, a list of strings);
    ``sink`` a path or a text stream. ``fmt`` is ``"jsonl"`` or ``"csv"``, from the
    path's suffix when not given (an iterable needs it). ``workers`` processes
    triage the records (all cores by default; ``1`` triages in this process), started
    by ``mp_context`` (a start method name or a multiprocessing context; the
    platform's default when ``None``). ``progress`` is called with the number of
    records done so far. ``engine`` runs the shipped rules on ``"durable"`` (the
    default) or ``"python"`` (the same rules as Python closures; same results).
    ``compact`` writes the short form of each result (:func:`compact_result`).

    The records are triaged by :func:`painpath._many.map_chunks`, the pool that
    :func:`painpath.triage_many` is the public face of: same workers, same safety.

    A path ``sink`` is written under a temporary name (0600) and renamed at the
    end; an existing file is refused unless ``force``, and so is a sink that is
    the source itself (by name or as an open file). Raises
    :class:`BatchInputError` for input that cannot be read as a batch (a bad
    record is an error record, not an exception); :class:`BatchStopped` when a
    worker dies or the output cannot be written; :class:`BatchInterrupted` (a
    ``KeyboardInterrupt``) on Ctrl-C. After an early stop the sink holds the
    records done so far, whole lines only.

    ``resume`` continues such a stopped run: the records already in the sink
    file are kept (a last half line is dropped), each checked against the input
    line it claims, and only the records after them are triaged. A sink that
    does not match the input is refused with :class:`BatchInputError`.
    """
    if workers is None:
        workers = os.cpu_count() or 1
    if workers < 1:
        raise ValueError(f"workers must be at least 1 (got {workers})")
    started = time.perf_counter()
    ok = errors = last = resumed = 0
    if resume and not isinstance(sink, str | os.PathLike):
        raise BatchInputError("--resume needs the output to be a file, not a stream")
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
        _refuse_same_file(lines, sink)
        try:
            if isinstance(sink, str | os.PathLike):
                writer = LineWriter.to_path(os.fspath(sink), force=force or resume)
            else:
                writer = LineWriter.to_stream(sink, _stream_name(sink))
        except OutputError as error:
            raise BatchInputError(error.strerror) from None

        def summary() -> BatchSummary:
            return BatchSummary(
                ok + errors,
                ok,
                errors,
                time.perf_counter() - started,
                writer.lines,
                writer.name,
                last if writer.lines == ok + errors else writer.last_tag,
                resumed,
            )

        tasks = iter(read_csv(lines) if fmt == "csv" else read_jsonl(lines))
        if resume and os.path.exists(sink):  # type: ignore[arg-type]
            try:
                kept = _keep_earlier(os.fspath(sink), tasks, writer, engine, compact)  # type: ignore[arg-type]
                ok, errors, last = kept
            except BaseException:
                writer.discard()
                raise
            resumed = ok + errors
        outputs = map_chunks(
            functools.partial(triage_chunk, engine=engine, compact=compact),
            tasks,
            workers=workers,
            mp_context=mp_context,
            prepare=functools.partial(_load_engine, engine),
        )
        try:
            for done, (line, good, text) in enumerate(outputs, 1):
                writer.write_line(text, line)
                last = line
                if good:
                    ok += 1
                else:
                    errors += 1
                if progress is not None:
                    progress(done)
        except KeyboardInterrupt as interrupt:
            outputs.close()
            _commit_after_stop(writer)
            signum = getattr(interrupt, "signum", signal.SIGINT)
            raise BatchInterrupted(summary(), signum) from None
        except BrokenProcessPool:
            outputs.close()
            _commit_after_stop(writer)
            reason = "a worker process died (killed, or out of memory)"
            raise BatchStopped(reason, summary()) from None
        except OutputError as error:
            outputs.close()
            _commit_after_stop(writer)
            raise BatchStopped(error.strerror or str(error), summary()) from None
        except BaseException:
            outputs.close()
            writer.discard()
            raise
        try:
            writer.commit()
        except OutputError as error:
            raise BatchStopped(error.strerror or str(error), summary()) from None
    return summary()


def _keep_earlier(
    path: str, tasks: Iterator[Task], writer: LineWriter, engine: str, compact: bool
) -> tuple[int, int, int]:
    """Copy the whole records of an earlier run's output, skipping their input records.

    Each kept record must be for the next record of the input (same line
    number), so the output of another input is refused, and its result must
    have the form asked for now (``compact`` or full), so one output never mixes
    both. A sample of the kept records (the 1st, 2nd, 4th, 8th... and the last
    three) is triaged again and must be byte for byte what this input gives now:
    an input edited since, or a painpath whose rules changed, is refused too.
    Returns the ok and error counts and the last input line kept.
    """
    ok = errors = last = 0
    shown = printable(path)
    checks: list[tuple[int, Task, str]] = []
    latest: collections.deque[tuple[int, Task, str]] = collections.deque(maxlen=3)
    with open(path, "rb") as earlier:
        for number, raw in enumerate(earlier, 1):
            if not raw.endswith(b"\n"):
                break  # half a line from a hard stop: that record is triaged again
            try:
                record = json.loads(raw)
                line, good = record["line"], record["ok"]
            except (ValueError, KeyError, TypeError):
                raise BatchInputError(
                    f"cannot resume: line {number} of {shown} is not a painpath batch record"
                ) from None
            task = next(tasks, None)
            if task is None or task[0] != line or not isinstance(good, bool):
                where = (
                    "the input has no more records"
                    if task is None
                    else (f"the input's next record is at line {task[0]}")
                )
                raise BatchInputError(
                    f"cannot resume: record {number} of {shown} is for input line {line}, but "
                    f"{where}; is {shown} the output of this input?"
                )
            if good and _is_compact(record) != compact:
                held, hint = ("full", "without") if compact else ("--compact", "with")
                raise BatchInputError(
                    f"cannot resume: {shown} holds {held} results; resume {hint} --compact "
                    "so that one output does not mix both"
                )
            text = raw.decode("utf-8").rstrip("\n")
            writer.write_line(text, line)
            ok, errors, last = ok + good, errors + (not good), line
            (checks if number & (number - 1) == 0 else latest).append((number, task, text))
    checks += latest
    again = triage_chunk([task for _, task, _ in checks], engine, compact)
    for (number, task, text), (_, _, now) in zip(checks, again, strict=True):
        if now != text:
            raise BatchInputError(
                f"cannot resume: record {number} of {shown} is not what input line {task[0]} "
                f"gives now; was {shown} made from this input, by this version of painpath?"
            )
    return ok, errors, last


def _is_compact(record: Any) -> bool:
    result = record.get("result") if isinstance(record, dict) else None
    return isinstance(result, dict) and "rule_ids" in result


def _stream_name(stream: IO[str]) -> str:
    name = getattr(stream, "name", None)
    if name == "<stdout>" or stream is sys.__stdout__:
        return "standard output"
    return printable(name) if isinstance(name, str) else "the output stream"


def _commit_after_stop(writer: LineWriter) -> None:
    """Put the whole lines written so far in place; a second failure is not hidden."""
    with contextlib.suppress(OutputError):
        writer.commit()


def _identity(end: object) -> tuple[int, int] | None:
    """Return the device and inode of a regular file (a path or an open file), or None."""
    try:
        if isinstance(end, str | os.PathLike):
            info = os.stat(end)
        else:
            fileno = getattr(end, "fileno", None)
            if fileno is None:
                return None
            info = os.fstat(fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def _refuse_same_file(source: object, sink: object) -> None:
    """Refuse an output that is the input itself, however each was given."""
    where = _identity(source)
    if where is not None and where == _identity(sink):
        name = (
            f"the output {printable(os.fspath(sink))}"
            if isinstance(sink, str | os.PathLike)
            else "the output (standard output)"
        )
        raise BatchInputError(
            f"{name} is the input file itself: writing it would destroy the input; "
            "write the results to another file"
        )


def _open_input(path: str, fmt: Format) -> IO[str]:
    # Bytes that are not UTF-8 spoil only their own record, which is refused with its
    # line number; a UTF-16 or UTF-32 file is refused as a whole.
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the caller's ExitStack, via the wrapper
    except OSError as error:
        raise BatchInputError(f"cannot read {printable(path)}: {error.strerror or error}") from None
    try:
        return _text_input(raw, printable(path), fmt)
    except BaseException:
        raw.close()
        raise


def _text_input(raw: IO[bytes], name: str, fmt: Format) -> io.TextIOWrapper:
    """Wrap a binary input as UTF-8 text, after refusing UTF-16/32 by its first bytes."""
    peek = getattr(raw, "peek", None)
    try:
        head = peek(4096)[:4096] if peek is not None else b""
    except OSError:
        head = b""
    problem = encoding_problem(head)
    if problem is not None:
        raise BatchInputError(f"cannot read {name}: {problem}")
    return io.TextIOWrapper(
        raw,
        encoding="utf-8-sig",
        errors="surrogateescape",
        newline="" if fmt == "csv" else None,
    )
