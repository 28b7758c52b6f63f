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
import json
import shutil
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
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
EXIT_INTERRUPTED = 130

#: Every exit status and what it means, for ``--help`` and the docs.
EXIT_CODES: tuple[tuple[int, str], ...] = (
    *((level.exit_code, level.exit_meaning) for level in LEVEL_TABLE),
    (EXIT_ERROR, "the library failed (a bug: please report it)"),
    (EXIT_BAD_INPUT, "bad input: bad options, or an answers file that cannot be used"),
    (EXIT_END_OF_INPUT, "end of input before the questionnaire was finished"),
    (EXIT_INTERRUPTED, "interrupted with Ctrl-C"),
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
                self.stdout.write(text + "\n")
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


def _pick(q: Question, word: str) -> str | None:
    """Return the choice a word names, by number or by its contract value."""
    if word.isdigit() and 1 <= int(word) <= len(q.choices):
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
    """Ask the questions (or read ``--answers``), show the result, exit with its level."""
    from . import triage
    from ._render import render, use_color

    color = use_color(io.stdout)
    width = 80
    if getattr(io.stdout, "isatty", lambda: False)():
        width = max(40, min(80, shutil.get_terminal_size((80, 24)).columns))
    if args.answers is not None:
        answers = _load_answers(args.answers)
        result = _triage_file(triage, answers, args.answers)
    else:
        if args.save is not None and not Path(args.save).parent.is_dir():
            raise _BadInput(f"cannot save answers to {args.save}: no such directory")
        prompter = Prompter(io.stdin, io.stdout, width)
        prompter.say(_INTRO)
        answers, result = ask_all(prompter, triage)
        io.stdout.write("\n")
        if args.save is not None:
            _save(args.save, answers)
    io.stdout.write(render(result, args.format, color=color, width=width))
    return result.level.exit_code


def _cmd_questions(args: argparse.Namespace, io: _Streams) -> int:
    """Export the questionnaire as JSON or as a FHIR R4 Questionnaire."""
    from ._questionnaire import to_fhir, to_json_data

    data = to_fhir() if args.export_format == "fhir" else to_json_data()
    io.stdout.write(json.dumps(data, indent=2) + "\n")
    return EXIT_SELF_CARE


def _load_answers(path: str) -> dict[str, Any]:
    """Read answers from a JSON or TOML file (by suffix; JSON otherwise)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _BadInput(f"cannot read answers file {path}: {reason}") from None
    data: object
    if path.lower().endswith(".toml"):
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _BadInput(f"{path} is not valid TOML: {exc}") from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _BadInput(
                f"{path} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
    if not isinstance(data, dict):
        raise _BadInput(
            f"{path} must hold one object of answers (key: value), not {type(data).__name__}"
        )
    return data


def _triage_file(triage: Triage, answers: Mapping[str, Any], path: str) -> Result:
    try:
        return triage(answers)
    except InvalidAnswersError as exc:
        count = len(exc.problems)
        head = f"{path}: {count} problem{'s' if count != 1 else ''} with the answers:"
        raise _BadInput("\n".join([head, *(f"  - {_problem(p)}" for p in exc.problems)])) from None


def _problem(problem: AnswerProblem) -> str:
    return (
        problem.message if problem.key in problem.message else f"{problem.key}: {problem.message}"
    )


def _save(path: str, answers: Mapping[str, Any]) -> None:
    try:
        Path(path).write_text(json.dumps(answers, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise _BadInput(f"cannot save answers to {path}: {exc.strerror or exc}") from None


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
        help="read the answers from FILE (JSON, or TOML when it ends in .toml) instead of asking",
    )
    source.add_argument(
        "--save", metavar="FILE", help="also write the answers given to FILE (JSON)"
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="how to show the result (default: text)",
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
    from ._batch import BatchInputError, run_command

    try:
        return run_command(args, io.stdin, io.stdout, io.stderr)
    except BatchInputError as exc:
        raise _BadInput(str(exc)) from None


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run the command line; return the exit status (see :data:`EXIT_CODES`)."""
    io = _Streams(stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr)
    try:
        with contextlib.redirect_stdout(io.stdout), contextlib.redirect_stderr(io.stderr):
            args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version and bad options
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    try:
        status: int = args.run(args, io)
    except KeyboardInterrupt:
        io.stdout.write("\n")
        io.stdout.flush()
        io.stderr.write("painpath: interrupted; nothing was saved.\n")
        return EXIT_INTERRUPTED
    except _EndOfInput:
        io.stderr.write("painpath: the input ended before the questionnaire was finished.\n")
        return EXIT_END_OF_INPUT
    except _BadInput as exc:
        io.stderr.write(f"painpath: {exc}\n")
        return EXIT_BAD_INPUT
    except PainpathError as exc:
        io.stderr.write(f"painpath: {exc}\n")
        return EXIT_ERROR
    io.stdout.flush()
    return status
