"""The journal's commands: ``painpath start|today|checkin|progress|export|forget``.

Each command takes ``--journal PATH`` (default: the user's data directory) and
``--format``; ``start``, ``today`` and ``checkin`` exit with the level's status, as a
triage does (0, 10, 20, 30; 2 for bad input). The only use of the real clock in the
journal is here: a check-in without a date is for today.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ._exceptions import InvalidAnswersError, PainpathError
from ._levels import LEVEL_TABLE, Level

if TYPE_CHECKING:
    from ._journal import CheckinOutcome, Journal

__all__ = ["COMMANDS", "add_commands"]

#: The journal's subcommands, in the order ``--help`` lists them.
COMMANDS = ("start", "today", "checkin", "progress", "export", "forget")

_EXIT = {level.value: level.exit_code for level in LEVEL_TABLE}
_BAD_INPUT = 2


class _Refused(Exception):
    """Input the journal cannot use; the message says what and where."""


# --- commands --------------------------------------------------------------------------


def _open(args: argparse.Namespace, *, create: bool = False) -> Journal:
    """Open the journal; only ``start`` creates one."""
    from ._journal import Journal, default_journal_path

    path = Path(args.journal) if args.journal else default_journal_path()
    if not create and not path.exists():
        raise _Refused(f"there is no journal at {path}: start one with 'painpath start'")
    return Journal(path)


def _width(stream: IO[str]) -> int:
    if getattr(stream, "isatty", lambda: False)():
        return max(40, min(80, shutil.get_terminal_size((80, 24)).columns))
    return 80


def _wrap(text: str, width: int, indent: str = "") -> str:
    return (
        "\n".join(
            textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + "  ")
        )
        + "\n"
    )


def _day_text(entry: Mapping[str, Any] | None, width: int) -> str:
    """Render one program day (``program.md`` shape) as plain text."""
    if not entry:
        return "No sessions for this day.\n"
    head = f"Day {entry['day']}"
    if entry.get("date"):
        head += f" ({entry['date']})"
    out = [head + f", week {entry.get('week', '?')}\n"]
    for session in entry.get("sessions", ()):
        out.append(_wrap(str(session.get("title", session.get("routine_id"))), width))
        if session.get("when"):
            out.append(_wrap(str(session["when"]), width, "  "))
        for number, exercise in enumerate(session.get("exercises", ()), 1):
            out.append(
                _wrap(
                    f"{number}. {exercise.get('name')}: {exercise.get('dose_text', '')}",
                    width,
                    "  ",
                )
            )
    for locked in entry.get("locked", ()):
        out.append(_wrap(f"Later: {locked.get('title')} starts {locked.get('starts')}.", width))
    for hold in entry.get("holds", ()):
        out.append(_wrap(f"Held at week-1 doses: {hold}", width))
    return "".join(out)


def _outcome_text(outcome: CheckinOutcome, width: int) -> str:
    out = [f"Check-in for day {outcome.day} ({outcome.date})\n"]
    if outcome.level > Level.SELF_CARE:
        out.append("\n" + _wrap(outcome.level.meaning, width))
    if outcome.changes:
        out.append("\nFrom tomorrow:\n")
        out += [_wrap(f"- {change}", width) for change in outcome.changes]
    lines = [a for a in outcome.advice if a != outcome.level.meaning]
    if lines:
        out.append("\nAdvice:\n")
        out += [_wrap(f"- {line}", width) for line in lines]
    titled = [r.title for r in outcome.reasons if r.title]
    if titled:
        out.append("\nWhy:\n")
        out += [_wrap(f"- {title}", width) for title in titled]
    if outcome.stopped:
        out.append("\nYour program has stopped. Do not exercise until a doctor has seen you.\n")
    elif outcome.program:
        from ._result import _plain

        out.append("\nTomorrow:\n")
        out.append(_day_text(_plain(outcome.program[0]), width))
    return "".join(out)


def _cmd_start(args: argparse.Namespace, stdin: IO[str], stdout: IO[str]) -> int:
    journal = _open(args, create=True)
    fresh = not journal.started()
    try:
        return _start(args, journal, stdin, stdout)
    except BaseException:
        if fresh and not journal.started():  # leave no empty journal behind
            journal.forget()
        raise
    finally:
        journal.close()


def _start(args: argparse.Namespace, journal: Journal, stdin: IO[str], stdout: IO[str]) -> int:
    from . import triage
    from ._answerfile import load_answers as _load_answers
    from ._prompt import Prompter, ask_all
    from ._render import render, use_color

    width = _width(stdout)
    if journal.started():  # say so before asking every question
        raise _Refused(
            f"the journal {journal.path} has already been started; use another --journal "
            "file, or 'painpath forget' this one first"
        )
    if args.answers is not None:
        answers = _load_answers(args.answers)
    else:
        prompter = Prompter(stdin, stdout, width)
        prompter.say(
            "painpath asks about your pain, then starts your 21-day program in the "
            "journal. It is not a diagnosis. Type ? for help on a question."
        )
        answers, _ = ask_all(prompter, triage)
        stdout.write("\n")
    result = journal.start(answers, start_date=args.start_date)
    day = journal.today(args.start_date).to_dict() if result.plan else None
    if args.journal_format == "json":
        stdout.write(json.dumps({"result": result.to_dict(), "today": day}) + "\n")
    else:
        stdout.write(render(result, "text", color=use_color(stdout), width=width))
        stdout.write(f"\nYour journal: {journal.path}\n")
        if day is not None:
            stdout.write("\n" + _day_text(day["program_day"], width))
    return _EXIT[result.level.value]


def _cmd_today(args: argparse.Namespace, stdin: IO[str], stdout: IO[str]) -> int:
    with _open(args) as journal:
        day = journal.today(args.date).to_dict()
    if args.journal_format == "json":
        stdout.write(json.dumps(day) + "\n")
    else:
        width = _width(stdout)
        if day["stopped"]:
            stdout.write(
                _wrap(
                    "Your program has stopped after a warning sign. See a doctor before you "
                    "exercise again.",
                    width,
                )
            )
        elif day["program_day"] is None and Level(day["level"]) >= Level.URGENT:
            stdout.write(
                _wrap(
                    "There is no program to follow: your answers need a doctor first. "
                    "See a doctor; then start a new program.",
                    width,
                )
            )
        else:
            if day["finished"]:
                stdout.write(
                    _wrap("Your 21 days are done. Keep to the day-21 routine.", width) + "\n"
                )
            stdout.write(_day_text(day["program_day"], width))
    return _EXIT[day["level"]]


def _cmd_checkin(args: argparse.Namespace, stdin: IO[str], stdout: IO[str]) -> int:
    date = args.date or dt.date.today().isoformat()
    width = _width(stdout)
    with _open(args) as journal:
        if args.answers is not None:
            from ._answerfile import load_answers as _load_answers

            answers = _load_answers(args.answers)
            if args.date or "date" not in answers:
                answers["date"] = date
        else:
            answers = _ask_checkin(journal, date, stdin, stdout, width)
        outcome = journal.checkin(answers)
    if args.journal_format == "json":
        stdout.write(outcome.to_json() + "\n")
    else:
        stdout.write(_outcome_text(outcome, width))
    return _EXIT[outcome.level.value]


def _ask_checkin(
    journal: Journal, date: str, stdin: IO[str], stdout: IO[str], width: int
) -> dict[str, Any]:
    from ._checkin_questions import WARNING_SIGNS, asked
    from ._prompt import SKIP as _SKIP
    from ._prompt import EndOfInput, Prompter

    ended = "the input ended before the check-in was finished; nothing was saved."

    history = journal.history()
    area = str(history[0].answers.get("area", "back"))
    doctor_open = history[-1].level is Level.SEE_DOCTOR
    prompter = Prompter(stdin, stdout, width)
    prompter.say(f"Check-in for {date}. Enter skips a question that allows it; ? gives help.")
    answers: dict[str, Any] = {"date": date}
    journal.preview(answers)  # a bad date or a second check-in is refused before any question
    for question in asked(area, doctor_open):
        try:
            value = prompter.ask(question)
        except EndOfInput:
            raise EndOfInput(ended) from None
        if value is _SKIP:
            continue
        answers[question.key] = value
        if question.key in WARNING_SIGNS and journal.preview(answers).level is Level.EMERGENCY:
            stdout.write("\n")
            prompter.say("That answer is a sign of an emergency, so there are no more questions.")
            return answers
    stdout.write("\nAnything to note for yourself? (Enter to skip)\n  > ")
    stdout.flush()
    line = stdin.readline()
    if not line:  # the end of input here, as at any question: the check-in is not finished
        stdout.write("\n")
        raise EndOfInput(ended)
    note = line.strip()
    if prompter.echo:
        stdout.write(note + "\n")
    if note:
        answers["note"] = note[:500]
    stdout.write("\n")
    return answers


def _cmd_progress(args: argparse.Namespace, stdin: IO[str], stdout: IO[str]) -> int:
    from ._chart import render_svg, render_terminal
    from ._render import use_color

    with _open(args) as journal:
        data = journal.progress()
    if args.journal_format == "json":
        text = json.dumps(data) + "\n"
    elif args.journal_format == "svg":
        text = render_svg(data)
    else:
        text = render_terminal(data, color=use_color(stdout), width=_width(stdout))
    _emit(text, args.output, stdout)
    return 0


def _cmd_export(args: argparse.Namespace, stdin: IO[str], stdout: IO[str]) -> int:
    with _open(args) as journal:
        data = journal.export()
    _emit(json.dumps(data, indent=2) + "\n", args.output, stdout)
    return 0


def _cmd_forget(args: argparse.Namespace, stdin: IO[str], stdout: IO[str]) -> int:
    from ._journal import Journal, default_journal_path

    path = Path(args.journal) if args.journal else default_journal_path()
    if not path.exists():
        raise _Refused(f"there is no journal at {path}")
    if not args.yes:
        stdout.write(f"Delete the journal {path} and everything in it? Type yes to confirm: ")
        stdout.flush()
        answer = stdin.readline().strip().lower()
        if answer != "yes":
            stdout.write("\nNothing was deleted.\n")
            return 0
        stdout.write("\n")
    Journal(path).forget()
    if args.journal_format == "json":
        stdout.write(json.dumps({"deleted": str(path)}) + "\n")
    else:
        stdout.write(f"Deleted {path}.\n")
    return 0


def _emit(text: str, output: str | None, stdout: IO[str]) -> None:
    """Write to stdout, or to ``output`` (owner-only, via a temporary file renamed)."""
    if output is None:
        stdout.write(text)
        return
    target = Path(output)
    if not target.parent.is_dir():
        raise _Refused(f"cannot write {output}: no such directory")
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- wiring ----------------------------------------------------------------------------

_HELP = {
    "start": "start the 21-day program: the questionnaire (or --answers), then day 1",
    "today": "what to do today (or on --date)",
    "checkin": "the short daily check-in (or --answers); says what changes from tomorrow",
    "progress": "pain and sessions over the days: a terminal chart, JSON or an SVG chart",
    "export": "everything in the journal as JSON, with a FHIR R4 Bundle of pain scores",
    "forget": "delete the journal, after a confirmation (--yes skips it)",
}

_RUN = {
    "start": _cmd_start,
    "today": _cmd_today,
    "checkin": _cmd_checkin,
    "progress": _cmd_progress,
    "export": _cmd_export,
    "forget": _cmd_forget,
}


def _run(args: argparse.Namespace, io: Any) -> int:
    """Run a journal command; bad input and journal errors exit 2 with one message."""
    from ._journal import JournalError

    stdin = getattr(io, "stdin", sys.stdin)
    stdout = getattr(io, "stdout", sys.stdout)
    stderr = getattr(io, "stderr", sys.stderr)
    try:
        return _RUN[args.journal_command](args, stdin, stdout)
    except InvalidAnswersError as error:
        stderr.write(f"painpath: {error}\n")
    except (JournalError, _Refused) as error:
        stderr.write(f"painpath: {error}\n")
    except PainpathError:
        raise
    return _BAD_INPUT


def add_commands(commands: Any) -> None:
    """Add the journal's subcommands to the ``painpath`` parser's subparsers."""
    formats = {"progress": ("text", "json", "svg")}
    for name in COMMANDS:
        parser = commands.add_parser(name, help=_HELP[name], description=_HELP[name] + ".")
        parser.add_argument(
            "--journal",
            metavar="PATH",
            help="the journal file (default: journal.sqlite3 in your user data directory)",
        )
        choices = formats.get(name, ("text", "json"))
        parser.add_argument(
            "--format",
            dest="journal_format",
            choices=choices,
            default="text",
            help=f"{', '.join(choices)} (default: text)",
        )
        if name in ("start", "checkin"):
            parser.add_argument(
                "--answers",
                metavar="FILE",
                help="read the answers from FILE (JSON, or TOML ending in .toml) instead of asking",
            )
        if name == "start":
            parser.add_argument(
                "--start-date", metavar="DATE", help="day 1 of the program (default: today)"
            )
        if name in ("today", "checkin"):
            parser.add_argument(
                "--date", metavar="DATE", help="the day (YYYY-MM-DD; default: today)"
            )
        if name in ("progress", "export"):
            parser.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
        if name == "forget":
            parser.add_argument("--yes", action="store_true", help="do not ask for a confirmation")
        parser.set_defaults(run=_run, journal_command=name)
