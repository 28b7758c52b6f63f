"""The ``painpath batch`` command: its options, help, progress line and exit status.

The library part (reading records, triaging them on the pool of
:mod:`painpath._many`, writing the output) is :mod:`painpath._batch`; this module
imports it only to run a batch, so that ``painpath batch --help`` loads neither
it nor the rules engine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import time
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from ._batch import Format, Sink, Source

__all__ = ["EPILOG", "EXIT_ALL_OK", "EXIT_SOME_BAD", "EXIT_STOPPED", "add_arguments", "run_command"]

#: The input formats, as ``painpath._batch.FORMATS`` (a test checks they agree).
FORMATS = ("jsonl", "csv")

EXIT_ALL_OK = 0
EXIT_SOME_BAD = 2
EXIT_STOPPED = 4

EPILOG = """\
output: JSON Lines, one line per input record, in input order:
  {"line": N, "ok": true, "result": {...}}
  {"line": N, "ok": false, "errors": [{"key": ..., "value": ..., "message": ...}]}
With --compact, "result" holds only the level, findings and unscreened red
flags (as in the full result), the plan's routine ids and the fired rule ids:
  {"line": N, "ok": true, "result": {"level": ..., "findings": [...],
   "unscreened": [...], "routine_ids": [...], "rule_ids": [...]}}
`painpath schema batch` prints the JSON Schema of these lines.
"line" is where the record starts in the input (blank lines count; a CSV header
is line 1). A bad record becomes an error record; the batch goes on.

CSV: the header names contract keys; an empty cell means "not asked"; yes/no
cells are true or false; equipment items are separated by ";".

OUT is written under a temporary name and renamed when the batch ends, readable
by you only; an existing OUT is refused unless --force, and OUT may never be
the input (given by name or as standard input). When the batch stops early
(Ctrl-C, SIGTERM, SIGHUP, a worker process killed, a full disk), OUT holds the
records done so far, whole lines only, in input order, and stderr says how many.
--resume continues such a run: the records in OUT are kept (each checked
against the line of IN it names, a sample triaged again to check it is what IN
gives, all of one form: full or --compact) and only the rest are triaged. After
SIGKILL nothing can be renamed: the records done are in the hidden file
.OUT.*.part beside OUT (rename it to OUT to resume). The workers end with
painpath batch, however it ends.

A summary line goes to stderr (records read, ok, errors, and how many were
written); a progress line too, when stderr is a terminal.

exit status:
    0  every record was triaged
    2  at least one record was bad (every record is still in the output),
       or the input cannot be read as a batch, or bad options
    4  stopped early: a worker process died, or OUT could not be written
    1  the library failed (a bug: please report it)
  130  interrupted with Ctrl-C (129 SIGHUP, 143 SIGTERM): OUT holds the records
       done so far
"""


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
    parser.add_argument(
        "output",
        metavar="OUT",
        help="results (JSON Lines) file, or - for stdout; never the input itself",
    )
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
    existing = parser.add_mutually_exclusive_group()
    existing.add_argument(
        "--force",
        action="store_true",
        help="replace OUT when it already exists (it is refused otherwise)",
    )
    existing.add_argument(
        "--resume",
        action="store_true",
        help="continue a batch that stopped early: keep the records already in OUT "
        "(checked against IN) and triage the rest",
    )
    parser.add_argument(
        "--engine",
        choices=("durable", "python"),
        default="durable",
        help="the rules engine: durable-rules (default) or the same rules in plain Python "
        "(same results, faster)",
    )
    parser.add_argument(
        "--compact",
        action="store_true",
        help="write a short result per record: level, findings, unscreened red flags, "
        "routine ids and the fired rules' ids (about 0.5 KB a record, the full result tens of KB)",
    )


def run_command(args: argparse.Namespace, stdin: IO[str], stdout: IO[str], stderr: IO[str]) -> int:
    """Run ``painpath batch`` with parsed arguments; return the exit status.

    Raises :class:`BatchInputError` for input that cannot be read as a batch.
    Ctrl-C, SIGTERM and SIGHUP, a worker that dies and an output that cannot be
    written end in one line on stderr saying what the output holds.
    """
    from ._batch import BatchInterrupted, BatchStopped, detect_format, run_batch

    fmt = detect_format(args.input, args.input_format)
    isatty = getattr(stderr, "isatty", None)
    progress = _Progress(stderr) if isatty is not None and isatty() else None
    with contextlib.ExitStack() as stack:
        source: Source = args.input if args.input != "-" else _stdin_lines(stack, stdin, fmt)
        sink: Sink = args.output if args.output != "-" else stdout
        try:
            summary = run_batch(
                source,
                sink,
                fmt=fmt,
                workers=args.workers,
                progress=progress,
                force=args.force,
                resume=args.resume,
                engine=args.engine,
                compact=args.compact,
            )
        except BatchInterrupted as stop:
            _clear(progress)
            what = (
                "interrupted"
                if stop.signum == signal.SIGINT
                else (f"stopped by {signal.Signals(stop.signum).name}")
            )
            stderr.write(f"painpath: {what}; {stop.summary.kept()}.\n")
            return 128 + stop.signum
        except BatchStopped as stop:
            _clear(progress)
            stderr.write(f"painpath: the batch stopped early: {stop}.\n")
            return EXIT_STOPPED
        finally:
            _clear(progress)
    stderr.write(f"{summary} ({summary.rate:,.0f} records/s)\n")
    return EXIT_SOME_BAD if summary.errors else EXIT_ALL_OK


def _clear(progress: _Progress | None) -> None:
    if progress is not None:
        with contextlib.suppress(OSError, ValueError):
            progress.clear()


def _stdin_lines(stack: contextlib.ExitStack, stdin: IO[str], fmt: Format) -> IO[str]:
    """Read standard input as UTF-8 like a file (bad bytes spoil only their record)."""
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:
        return stdin  # already text (a StringIO in tests)
    from ._batch import _text_input

    wrapper = _text_input(buffer, "standard input", fmt)
    stack.callback(wrapper.detach)  # leave the real stdin open
    return wrapper
