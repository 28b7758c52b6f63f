"""The exceptions painpath raises.

Every error the library raises on purpose derives from :class:`PainpathError`,
and also from the built-in exception it means, so ``except ValueError`` works::

    PainpathError
    ├── InvalidAnswersError(ValueError)   bad answers: keys, types, values
    ├── RulesError(ValueError)            a rule file that cannot be loaded
    ├── CatalogError(ValueError)          a broken exercise catalog
    ├── EngineError(RuntimeError)         the rules engine failed during an evaluation
    └── BatchInputError(ValueError)       a batch input that cannot be read at all
                                          (``painpath._batch``)

Each error carries ``problems``: every problem found, not only the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AnswerProblem",
    "CatalogError",
    "EngineError",
    "InvalidAnswersError",
    "PainpathError",
    "RuleProblem",
    "RulesError",
]


class PainpathError(Exception):
    """Base class of every error painpath raises on purpose.

    Errors pickle with their ``problems`` (a worker process can send one back to
    its parent): they are rebuilt from their problems, not from their message.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        problems = getattr(self, "problems", None)
        if problems is None:
            return (type(self), self.args, _state(self))
        return (type(self), (problems,), _state(self))


def _state(error: BaseException) -> dict[str, Any] | None:
    state = {k: v for k, v in vars(error).items() if k != "problems"}
    return state or None


@dataclass(frozen=True)
class AnswerProblem:
    """One problem with one answer: the key, the value given and what is allowed."""

    key: str
    value: object
    message: str

    def __str__(self) -> str:
        return self.message


class InvalidAnswersError(PainpathError, ValueError):
    """The answers do not follow the answer contract.

    ``problems`` lists every problem of the call, each naming the key, the value
    and what is allowed.
    """

    #: Problems the message lists before it only counts the rest (all are in ``problems``).
    listed = 20

    def __init__(self, problems: Iterable[AnswerProblem]) -> None:
        self.problems: tuple[AnswerProblem, ...] = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} with the answers:"
        lines = [head, *(f"  - {p.message}" for p in self.problems[: self.listed])]
        if count > self.listed:
            lines.append(f"  ... and {count - self.listed:,} more")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class RuleProblem:
    """One problem in a rule file: where it is and what is wrong."""

    file: str
    rule_id: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.rule_id is None else f"{self.file}: rule {self.rule_id}"
        return f"{where}: {self.message}"


class RulesError(PainpathError, ValueError):
    """A rule file or rule directory cannot be loaded.

    ``problems`` lists every problem found, each naming the file and the rule id.
    """

    def __init__(self, problems: Iterable[RuleProblem]) -> None:
        self.problems: tuple[RuleProblem, ...] = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the rules:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))


class CatalogError(PainpathError, ValueError):
    """The exercise catalog is inconsistent (unknown ids, bad doses)."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__(
            "\n".join(["problems in the exercise catalog:", *(f"  - {p}" for p in self.problems)])
        )


class EngineError(PainpathError, RuntimeError):
    """The rules engine failed while evaluating answers.

    Raised instead of the engine's own exceptions; the original is chained as
    ``__cause__`` or described in the message.
    """
