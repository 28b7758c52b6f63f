"""The ``painpath`` command: the questionnaire script, a thin layer over the library.

``painpath`` asks the questions of :mod:`painpath._questionnaire` with the prompt of
:mod:`painpath._prompt`, runs :func:`painpath.triage` on the answers and shows the
result; ``painpath --answers
FILE`` reads the answers from a file instead; ``painpath questions`` exports the
questionnaire. Library errors become one clear message and a non-zero exit status.

Only the standard library and light modules (the prompt, the answers-file reader,
the level table) are imported here at module level, so that ``painpath --help`` stays
fast: the questionnaire, the renderer and the rules engine are
imported inside the commands.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io as _io
import json
import os
import shutil
import signal
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from ._answerfile import BadInput as _BadInput
from ._answerfile import ClosedStream as _ClosedStream
from ._answerfile import load_answers as _load_answers
from ._answerfile import printable as _printable
from ._answerfile import source_name as _source_name
from ._exceptions import AnswerProblem, InvalidAnswersError, PainpathError
from ._levels import LEVEL_TABLE, Level
from ._prompt import EndOfInput as _EndOfInput
from ._prompt import Prompter, ask_all

if TYPE_CHECKING:
    from ._result import Result

__all__ = ["EXIT_CODES", "main"]

EXIT_SELF_CARE = Level.SELF_CARE.exit_code
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2
EXIT_END_OF_INPUT = 3
EXIT_NOT_WRITTEN = 4
EXIT_HANGUP = 128 + signal.SIGHUP
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 128 + signal.SIGTERM

#: Every exit status and what it means, for ``--help`` and the docs.
EXIT_CODES: tuple[tuple[int, str], ...] = (
    *((level.exit_code, level.exit_meaning) for level in LEVEL_TABLE),
    (EXIT_ERROR, "the library failed (a bug: please report it)"),
    (EXIT_BAD_INPUT, "bad input: bad options, or an answers file that cannot be used"),
    (EXIT_END_OF_INPUT, "end of input before the questionnaire was finished"),
    (
        EXIT_NOT_WRITTEN,
        "output not written (closed or full; a batch worker died), with --no-level-exit "
        "or in batch; otherwise a result not shown still exits with its level's status",
    ),
    (EXIT_HANGUP, "stopped by SIGHUP (the terminal closed)"),
    (EXIT_INTERRUPTED, "interrupted with Ctrl-C"),
    (EXIT_TERMINATED, "stopped by SIGTERM"),
)

_INTRO = (
    "painpath asks about your low back or knee pain, then says how soon to see a "
    "doctor and, when it is safe, which exercises to do at home. It is not a "
    "diagnosis. Type ? for help on a question, Ctrl-C to stop."
)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: the command stops as it does on Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@dataclass(frozen=True)
class _Streams:
    stdin: IO[str]
    stdout: IO[str]
    stderr: IO[str]


Triage = Callable[[Mapping[str, Any]], "Result"]


# --- commands --------------------------------------------------------------------------


def _cmd_ask(args: argparse.Namespace, io: _Streams) -> int:
    """Ask the questions (or read ``--answers``), show the result, exit with its level.

    The decision is always shown: answers that cannot be saved are reported on
    stderr after it, and a result that cannot be written to standard output is
    named on stderr. The exit status stays the level's (0 with ``--no-level-exit``).
    """
    from . import triage
    from ._render import render, use_color

    color = use_color(io.stdout)
    width = 80
    if getattr(io.stdout, "isatty", lambda: False)():
        width = max(40, min(80, shutil.get_terminal_size((80, 24)).columns))
    save_problem = None
    if args.answers is not None:
        answers = _load_answers(args.answers, io.stdin)
        result = _triage_file(triage, answers, _source_name(args.answers))
    else:
        if isinstance(io.stdin, _ClosedStream):
            raise _EndOfInput(
                "standard input is closed, so no answers can be typed: give --answers FILE"
            )
        if args.save is not None:
            _check_save(args.save)
        prompter = Prompter(io.stdin, io.stdout, width)
        prompter.say(_INTRO)
        answers, result = ask_all(prompter, triage)
        io.stdout.write("\n")
        io.stdout.flush()
    status = EXIT_SELF_CARE if args.no_level_exit else result.level.exit_code
    shown = _show_result(io, render(result, args.format, color=color, width=width))
    if args.save is not None and args.answers is None:
        save_problem = _save(args.save, answers)
    if shown is not None:
        io.stderr.write(
            f"painpath: cannot show the result: {shown}. The result is "
            f"{result.level.value.upper()}: {result.level.meaning}\n"
        )
        if args.no_level_exit:
            status = EXIT_NOT_WRITTEN
    if save_problem is not None:
        io.stderr.write(f"painpath: {save_problem}\n")
    return status


def _show_result(io: _Streams, text: str) -> str | None:
    """Write the rendered result; return why it could not be written, or None."""
    try:
        io.stdout.write(text)
        io.stdout.flush()
    except (OSError, ValueError) as error:
        _silence_stdout(io.stdout)
        if isinstance(error, OSError) and error.strerror:
            return error.strerror
        return str(error) or type(error).__name__
    return None


def _silence_stdout(stream: IO[str]) -> None:
    """After a failed write to the real stdout, point it at /dev/null so exit is quiet."""
    if stream is not sys.stdout:
        return
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


def _cmd_questions(args: argparse.Namespace, io: _Streams) -> int:
    """Export the questionnaire as JSON or as a FHIR R4 Questionnaire."""
    from ._fhir_questionnaire import to_fhir
    from ._questionnaire import to_json_data

    data = to_fhir() if args.export_format == "fhir" else to_json_data()
    problem = _show_result(io, json.dumps(data, indent=2) + "\n")
    if problem is not None:
        io.stderr.write(f"painpath: cannot write the questionnaire: {problem}\n")
        return EXIT_NOT_WRITTEN
    return EXIT_SELF_CARE


#: Problems listed in full before the rest are only counted.
_PROBLEMS_SHOWN = 20


def _triage_file(triage: Triage, answers: Mapping[str, Any], name: str) -> Result:
    try:
        return triage(answers)
    except InvalidAnswersError as exc:
        count = len(exc.problems)
        head = f"{name}: {count} problem{'s' if count != 1 else ''} with the answers:"
        lines = [head, *(f"  - {_problem(p)}" for p in exc.problems[:_PROBLEMS_SHOWN])]
        if count > _PROBLEMS_SHOWN:
            lines.append(f"  ... and {count - _PROBLEMS_SHOWN:,} more")
        raise _BadInput("\n".join(lines)) from None


def _problem(problem: AnswerProblem) -> str:
    shown = _printable(str(problem.key), 60)
    if problem.key in problem.message or shown in problem.message:
        return problem.message
    return f"{shown}: {problem.message}"


def _check_save(path: str) -> None:
    """Refuse before asking when ``--save`` could never be written."""
    from ._files import OutputError, check_destination

    try:
        check_destination(path, force=True)
    except OutputError as exc:
        raise _BadInput(f"--save: {exc.strerror}") from None


def _save(path: str, answers: Mapping[str, Any]) -> str | None:
    """Save the answers atomically (0600); return the problem, or None when saved."""
    from ._files import OutputError, write_atomic

    try:
        write_atomic(path, json.dumps(answers, indent=2) + "\n")
    except OutputError as exc:
        return f"the answers were not saved: {exc.strerror}"
    return None


# --- the parser ------------------------------------------------------------------------


def _epilog() -> str:
    lines = ["exit status:"]
    lines += [f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    from ._version import __version__

    parser = argparse.ArgumentParser(
        prog="painpath",
        description=textwrap.fill(
            "Ask about low back or knee pain, then say how soon to see a doctor and, "
            "when it is safe, which home exercises to do. Without a command, asks the "
            "questions (or reads --answers). Decision support, not a diagnosis.",
            78,
        ),
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"painpath {__version__}")
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--answers",
        metavar="FILE",
        help="read the answers from FILE (JSON, or TOML when it ends in .toml; - for JSON on "
        "standard input) instead of asking",
    )
    source.add_argument(
        "--save",
        metavar="FILE",
        help="also write the answers given to FILE (JSON, readable by you only); "
        "the result is shown even when they cannot be saved",
    )
    parser.add_argument(
        "--no-level-exit",
        action="store_true",
        help="exit 0 when the triage finished, whatever the level (for scripts under set -e); "
        "errors still exit non-zero",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "markdown", "html"),
        default="text",
        help="how to show the result (default: text; html: a printable handout page)",
    )
    parser.set_defaults(run=_cmd_ask)
    commands = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", parser_class=_LazyParser
    )
    _add_questions(commands)
    _add_batch(commands)
    _add_schema(commands)
    _add_serve(commands)
    from ._journal_cli import add_commands  # start, today, checkin, progress, export, forget

    add_commands(commands)
    return parser


class _LazyParser(argparse.ArgumentParser):
    """A command's parser whose arguments are added only when that command is parsed.

    ``painpath --help`` lists each command by its one-line help alone, so a command
    whose arguments need a heavier module (``batch``, ``schema``) costs nothing until
    it is the one being run (issue 13: ``--help`` within 60 ms of a bare interpreter).
    """

    def __init__(
        self,
        *args: Any,
        populate: Callable[[argparse.ArgumentParser], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._populate = populate

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        populate, self._populate = self._populate, None
        if populate is not None:
            populate(self)
        return super().parse_known_args(args, namespace)


def _add_serve(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="run a CDS Hooks service (needs painpath[serve])",
        description="Serve CDS Hooks 2.0: GET /cds-services and POST "
        "/cds-services/painpath-triage with a QuestionnaireResponse in context or "
        "prefetch. Needs the serve extra: pip install 'painpath[serve]'.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port; 0 picks a free one")
    serve.add_argument("--rules", metavar="DIR", help="rules directory (default: shipped)")
    serve.set_defaults(run=_cmd_serve)


def _cmd_serve(args: argparse.Namespace, io: _Streams) -> int:
    """Run the CDS Hooks service until interrupted; see :mod:`painpath._serve`."""
    try:
        from ._serve import run
    except ImportError as exc:
        raise _BadInput(str(exc)) from None
    from ._rules import load_rules

    run(args.host, args.port, load_rules(args.rules) if args.rules else None)
    return EXIT_SELF_CARE


def _add_schema(commands: Any) -> None:
    def populate(schema: argparse.ArgumentParser) -> None:
        from ._schema import SCHEMAS

        schema.add_argument("name", choices=tuple(SCHEMAS), help="which schema")

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the answers, a check-in, a result or a batch line",
        description="Print a JSON Schema (draft 2020-12), made from the answer contract "
        "and the result's fields, for apps that talk to painpath in other languages.",
        populate=populate,
    )
    schema.set_defaults(run=_cmd_schema)


def _cmd_schema(args: argparse.Namespace, io: _Streams) -> int:
    """Print one JSON Schema; see :mod:`painpath._schema`."""
    from ._schema import schema_text

    io.stdout.write(schema_text(args.name))
    return EXIT_SELF_CARE


def _add_questions(commands: Any) -> None:
    questions = commands.add_parser(
        "questions",
        help="export the questionnaire",
        description="Export the questionnaire: its own JSON, or a FHIR R4 Questionnaire.",
    )
    questions.add_argument(
        "--format",
        dest="export_format",
        choices=("json", "fhir"),
        default="json",
        help="json (default) or fhir",
    )
    questions.set_defaults(run=_cmd_questions)


def _add_batch(commands: Any) -> None:
    def populate(batch: argparse.ArgumentParser) -> None:
        from ._batch_cli import EPILOG, add_arguments

        batch.epilog = EPILOG
        add_arguments(batch)

    batch = commands.add_parser(
        "batch",
        help="triage many answer records (JSON Lines or CSV) into JSON Lines",
        description="Triage every answers record of IN and write one JSON line per record "
        "to OUT, in input order, on several processes.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        populate=populate,
    )
    batch.set_defaults(run=_cmd_batch)


def _cmd_batch(args: argparse.Namespace, io: _Streams) -> int:
    """Triage a file of answer records; see :mod:`painpath._batch_cli` and ``_batch``."""
    from ._batch import BatchInputError
    from ._batch_cli import EXIT_ALL_OK, EXIT_SOME_BAD, run_command

    try:
        status = run_command(args, io.stdin, io.stdout, io.stderr)
    except BatchInputError as exc:
        raise _BadInput(str(exc)) from None
    if status not in (EXIT_ALL_OK, EXIT_SOME_BAD):
        _leave_now(status, io)
    return status


def _leave_now(status: int, io: _Streams) -> None:
    """End the process at once after a batch stopped early, when this is the command.

    The output is in place and the message written; what is left is the process
    pool's threads, which CPython can wait for forever at exit after a worker was
    killed while sending a result. ``main()`` called with other streams (a
    program, a test) returns as usual.
    """
    if io.stdout is not sys.stdout or io.stderr is not sys.stderr:
        return
    if threading.current_thread() is not threading.main_thread():
        return
    for stream in (io.stdout, io.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


def _stream(given: IO[str] | None, default: IO[str] | None, name: str) -> IO[str]:
    if given is not None:
        return given
    return default if default is not None else _ClosedStream(name)


def _raise_stopped(signum: int, frame: object) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Stopped` (handled like Ctrl-C) while running.

    Signal handlers can only be set in the main thread: elsewhere (``main()``
    called from a worker thread) the signals keep their handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(OSError, ValueError):
            previous[signum] = signal.signal(signum, _raise_stopped)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(signum, handler)


def _stopped_status(exc: KeyboardInterrupt) -> tuple[int, str]:
    if isinstance(exc, Stopped):
        name = signal.Signals(exc.signum).name
        return 128 + exc.signum, f"stopped by {name}"
    return EXIT_INTERRUPTED, "interrupted"


def _report(stderr: IO[str], message: str) -> None:
    """Write one message to stderr, made printable; a closed stderr is ignored."""
    with contextlib.suppress(OSError, ValueError):
        stderr.write(f"painpath: {_printable(message, None)}\n")
        stderr.flush()


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run the command line; return the exit status (see :data:`EXIT_CODES`).

    A standard stream the process was started without is treated as closed:
    reading or writing it is one clear message, never a traceback.
    """
    io = _Streams(
        _stream(stdin, sys.stdin, "standard input"),
        _stream(stdout, sys.stdout, "standard output"),
        _stream(stderr, sys.stderr, "standard error"),
    )
    parse_out, parse_err = _io.StringIO(), _io.StringIO()
    try:
        with contextlib.redirect_stdout(parse_out), contextlib.redirect_stderr(parse_err):
            args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version and bad options
        with contextlib.suppress(OSError, ValueError):
            io.stdout.write(parse_out.getvalue())
            io.stdout.flush()
        if parse_err.getvalue():
            with contextlib.suppress(OSError, ValueError):
                io.stderr.write(_printable(parse_err.getvalue(), None))
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    try:
        with _stop_on_signals():
            status: int = args.run(args, io)
    except KeyboardInterrupt as exc:
        code, what = _stopped_status(exc)
        with contextlib.suppress(OSError, ValueError):
            io.stdout.write("\n")
            io.stdout.flush()
        _report(io.stderr, f"{what}; nothing was saved.")
        return code
    except _EndOfInput as exc:
        _report(io.stderr, str(exc) or "the input ended before the questionnaire was finished.")
        return EXIT_END_OF_INPUT
    except _BadInput as exc:
        _report(io.stderr, str(exc))
        return EXIT_BAD_INPUT
    except PainpathError as exc:
        _report(io.stderr, str(exc))
        return EXIT_ERROR
    except UnicodeDecodeError as exc:
        _report(io.stderr, f"standard input is not UTF-8 text ({exc.reason})")
        return EXIT_BAD_INPUT
    except OSError as exc:
        if exc.errno == errno.EBADF and isinstance(io.stdin, _ClosedStream):
            _report(io.stderr, f"{exc.strerror}: no answers can be read")
            return EXIT_END_OF_INPUT
        _silence_stdout(io.stdout)
        _report(io.stderr, f"cannot write the output: {exc.strerror or exc}")
        return EXIT_NOT_WRITTEN
    with contextlib.suppress(OSError, ValueError):
        io.stdout.flush()
    return status
