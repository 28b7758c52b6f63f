"""Asking the questionnaire on text streams: the prompt, apart from any command.

:class:`Prompter` asks one question on the streams it is given (a terminal, a pipe,
a ``StringIO`` in tests), asking again until the answer is valid; :func:`ask_all`
asks every question that applies, in order, and stops at an emergency. What may be
typed for a key, and what it means, is its kind's (:mod:`painpath._kinds`); the
numbers of a question's choices are its key's choices, in contract order.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._questionnaire import Question
    from ._result import Result

__all__ = ["SKIP", "EndOfInput", "Prompter", "Triage", "ask_all"]

Triage = Callable[[Mapping[str, Any]], "Result"]


class EndOfInput(Exception):
    """The input stream ended while a question was waiting for an answer."""


SKIP = object()


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
        """Ask one question; return its contract value, or ``SKIP`` for a skipped one."""
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
                raise EndOfInput
            text = line.strip()
            if self.echo:
                from ._files import printable

                self.stdout.write(printable(text) + "\n")
            if text == "?":
                self.say(question.help, "  ")
                continue
            if not text:
                if question.default is not None:
                    return question.default
                if question.optional:
                    return SKIP
                self.say("Please give an answer (? for help).", "  ")
                continue
            value, problem = _parse(question, text)
            if problem:
                self.say(problem, "  ")
                continue
            return value


def _hint(q: Question) -> str:
    parts = [q.spec.type.hint(q.spec)]
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
    """Turn typed text into a contract value; return ``(value, problem)`` (the kind says)."""
    return q.spec.from_text(text)


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
        if value is not SKIP:
            answers[question.key] = value
        result = triage(answers)
        if result.level is Level.EMERGENCY:
            prompter.stdout.write("\n")
            prompter.say("That answer is a sign of an emergency, so there are no more questions.")
            break
    return answers, result if result is not None else triage(answers)
