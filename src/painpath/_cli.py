"""The ``painpath`` command: the questionnaire script, a thin layer over the library.

``painpath`` asks the questions of :mod:`painpath._questionnaire`, runs
:func:`painpath.triage` on the answers and shows the result; ``painpath --answers
FILE`` reads the answers from a file instead; ``painpath questions`` exports the
questionnaire. Library errors become one clear message and a non-zero exit status.

Only the standard library is imported here at module level, so that ``painpath
--help`` stays fast: the questionnaire, the renderer and the rules engine are
imported inside the commands.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io as _io
import json
import os
import re
import shutil
import signal
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from ._exceptions import AnswerProblem, InvalidAnswersError, PainpathError
from ._levels import LEVEL_TABLE, row

if TYPE_CHECKING:
    from ._questionnaire import Question
    from ._result import Result

__all__ = ["EXIT_CODES", "main"]

EXIT_SELF_CARE = row("self_care").exit_code
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


class _BadInput(Exception):
    """Input the command cannot use; the message says what and where."""


class _EndOfInput(Exception):
    """The input stream ended while a question was waiting for an answer."""


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: the command stops as it does on Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _ClosedStream(_io.StringIO):
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


@dataclass(frozen=True)
class _Streams:
    stdin: IO[str]
    stdout: IO[str]
    stderr: IO[str]


Triage = Callable[[Mapping[str, Any]], "Result"]


# --- asking ----------------------------------------------------------------------------

_SKIP = object()


class Prompter:
    """Ask questions on a text stream, asking again until the answer is valid.

    Like ``rich.prompt``: the input and output streams are arguments, so tests feed
    a ``StringIO`` and read the whole transcript.
    """

    def __init__(self, stdin: IO[str], stdout: IO[str], width: int = 80) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.width = width
        # A terminal shows what is typed; for piped input, show it so the
        # transcript reads like a conversation.
        isatty = getattr(stdin, "isatty", None)
        self.echo = not (isatty and isatty())

    def say(self, text: str = "", indent: str = "", hang: str | None = None) -> None:
        """Write text wrapped to the width."""
        lines = textwrap.wrap(
            text,
            self.width,
            initial_indent=indent,
            subsequent_indent=indent if hang is None else hang,
            break_on_hyphens=False,
        )
        self.stdout.write("\n".join(lines) + "\n")

    def ask(self, question: Question) -> Any:
        """Ask one question; return its contract value, or ``_SKIP`` for a skipped one."""
        self.stdout.write("\n")
        self.say(question.text)
        for number, choice in enumerate(question.choices, 1):
            self.say(choice.label, f"  {number}) ", "     ")
        while True:
            self.stdout.write(f"  {_hint(question)} > ")
            self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                self.stdout.write("\n")
                raise _EndOfInput
            text = line.strip()
            if self.echo:
                self.stdout.write(_printable(text) + "\n")
            if text == "?":
                self.say(question.help, "  ")
                continue
            if not text:
                if question.default is not None:
                    return question.default
                if question.optional:
                    return _SKIP
                self.say("Please give an answer (? for help).", "  ")
                continue
            value, problem = _parse(question, text)
            if problem:
                self.say(problem, "  ")
                continue
            return value


def _hint(q: Question) -> str:
    spec = q.spec
    if spec.kind == "bool":
        parts = ["y/n"]
    elif spec.kind == "str":
        parts = [f"1-{len(q.choices)}"]
    elif spec.kind == "list":
        parts = ["numbers separated by spaces, 0 for none"]
    elif spec.kind == "date":
        parts = ["YYYY-MM-DD"]
    else:
        parts = [f"{spec.low:g}-{spec.high:g}"]
    if q.default is not None:
        parts.append(f"Enter for {_shown(q, q.default)}")
    elif q.optional:
        parts.append("Enter to skip")
    parts.append("? for help")
    return ", ".join(parts)


def _shown(q: Question, value: Any) -> str:
    if isinstance(value, bool):
        return "y" if value else "n"
    values = value if isinstance(value, tuple) else (value,)
    numbers = {c.value: str(i) for i, c in enumerate(q.choices, 1)}
    return " ".join(numbers.get(v, str(v)) for v in values)


def _parse(q: Question, text: str) -> tuple[Any, str | None]:
    """Turn typed text into a contract value; return ``(value, problem)``."""
    spec = q.spec
    low = text.lower()
    if spec.kind == "bool":
        if low in ("y", "yes"):
            return True, None
        if low in ("n", "no"):
            return False, None
        return None, "Please answer y or n."
    if spec.kind == "str":
        value = _pick(q, low)
        return (
            (value, None)
            if value
            else (None, f"Please choose a number from 1 to {len(q.choices)}.")
        )
    if spec.kind == "list":
        words = low.replace(",", " ").split()
        if words == ["0"]:
            return [], None
        picked = [_pick(q, w) for w in words]
        if not all(picked):
            return None, f"Please give numbers from 1 to {len(q.choices)}, or 0 for none."
        return list(dict.fromkeys(picked)), None
    if spec.kind == "date":
        from ._contract import is_iso_date

        if is_iso_date(text):
            return text, None
        return None, "Please enter a date as year-month-day, for example 2026-03-01."
    assert spec.low is not None and spec.high is not None
    try:
        number: float = int(low) if spec.kind == "int" else float(low)
    except ValueError:
        number = float("nan")
    if not spec.low <= number <= spec.high:
        noun = "a whole number" if spec.kind == "int" else "a number"
        return None, f"Please enter {noun} from {spec.low:g} to {spec.high:g}."
    return number, None


_CHOICE_NUMBER = re.compile(r"[0-9]{1,3}")


def _pick(q: Question, word: str) -> str | None:
    """Return the choice a word names, by number (ASCII digits) or by its contract value."""
    if _CHOICE_NUMBER.fullmatch(word) and 1 <= int(word) <= len(q.choices):
        return q.choices[int(word) - 1].value
    return next((c.value for c in q.choices if c.value == word), None)


def ask_all(prompter: Prompter, triage: Triage) -> tuple[dict[str, Any], Result]:
    """Ask every question that applies, in order; return the answers and the result.

    The rules run on the answers so far after each answer: when they say emergency,
    no more questions are asked.
    """
    from ._questionnaire import iter_asked
    from ._result import Level

    answers: dict[str, Any] = {}
    result = None
    section = None
    for next_section, question in iter_asked(answers):
        if next_section is not section:
            section = next_section
            prompter.stdout.write(f"\n== {section.title} ==\n")
        value = prompter.ask(question)
        if value is not _SKIP:
            answers[question.key] = value
        result = triage(answers)
        if result.level is Level.EMERGENCY:
            prompter.stdout.write("\n")
            prompter.say("That answer is a sign of an emergency, so there are no more questions.")
            break
    return answers, result if result is not None else triage(answers)


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
    from ._questionnaire import to_fhir, to_json_data

    data = to_fhir() if args.export_format == "fhir" else to_json_data()
    problem = _show_result(io, json.dumps(data, indent=2) + "\n")
    if problem is not None:
        io.stderr.write(f"painpath: cannot write the questionnaire: {problem}\n")
        return EXIT_NOT_WRITTEN
    return EXIT_SELF_CARE


def _printable(text: str, limit: int | None = 200) -> str:
    """Make a user-supplied string safe to show (see :func:`painpath._files.printable`)."""
    from ._files import printable as make_printable

    return make_printable(text, limit)


def _source_name(path: str) -> str:
    return "standard input" if path == "-" else _printable(path)


def _read_answers_bytes(path: str, stdin: IO[str]) -> bytes | str:
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


def _load_answers(path: str, stdin: IO[str] | None = None) -> dict[str, Any]:
    """Read answers from a JSON or TOML file (by suffix; JSON otherwise), or stdin for ``-``."""
    from ._files import MAX_ANSWERS_BYTES, InputTextError, decode_text, load_json, load_toml

    if stdin is None:
        stdin = sys.stdin if sys.stdin is not None else _ClosedStream("standard input")
    name = _source_name(path)
    try:
        raw = _read_answers_bytes(path, stdin)
    except OSError as exc:
        raise _BadInput(f"cannot read answers from {name}: {exc.strerror or exc}") from None
    if len(raw) > MAX_ANSWERS_BYTES:
        raise _BadInput(
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
        raise _BadInput(f"{name}: {exc}") from None
    if not isinstance(data, dict):
        raise _BadInput(
            f"{name} must hold one object of answers (key: value), not {type(data).__name__}"
        )
    return data


def _toml_date(value: object) -> object:
    """Return a TOML local date (not a date-time) as ``YYYY-MM-DD``; anything else as is."""
    import datetime

    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


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


def _add_schema(commands: Any) -> None:
    def populate(schema: argparse.ArgumentParser) -> None:
        from ._schema import SCHEMAS

        schema.add_argument("name", choices=tuple(SCHEMAS), help="which schema")

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the answers, a check-in or a result",
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
        from ._batch import EPILOG, add_arguments

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
    """Triage a file of answer records; see :mod:`painpath._batch`."""
    from ._batch import EXIT_ALL_OK, EXIT_SOME_BAD, BatchInputError, run_command

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
