"""painpath: safe triage and home exercise routines for low back and knee pain.

``painpath.triage(answers)`` turns questionnaire answers into a level (go to an
emergency department now, see a doctor today, book an appointment, or do the
routine), the findings behind it, an exercise plan and every rule that fired.
It is decision support, not a diagnosis.

Names are imported on first use, so ``import painpath`` (and ``painpath --help``)
stays fast; the rules engine loads when the first rule set is built.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import _forksafe  # first: its at-fork hooks cover every import that follows

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from . import catalog
    from ._answers import Answers
    from ._exceptions import (
        AnswerProblem,
        CatalogError,
        EngineError,
        InvalidAnswersError,
        PainpathError,
        RuleProblem,
        RulesError,
    )
    from ._fhir import answers_from_fhir
    from ._journal import CheckinOutcome, Journal, JournalDay, JournalEntry, JournalError
    from ._many import triage_many
    from ._result import LeftOut, Level, Phase, PlanExercise, Reason, Result, StopRule
    from ._rules import RuleSet, default_rules, load_rules
    from ._triage import triage

    __version__: str

__all__ = [
    "AnswerProblem",
    "Answers",
    "CatalogError",
    "CheckinOutcome",
    "EngineError",
    "InvalidAnswersError",
    "Journal",
    "JournalDay",
    "JournalEntry",
    "JournalError",
    "LeftOut",
    "Level",
    "PainpathError",
    "Phase",
    "PlanExercise",
    "Reason",
    "Result",
    "RuleProblem",
    "RuleSet",
    "RulesError",
    "StopRule",
    "__version__",
    "answers_from_fhir",
    "catalog",
    "default_rules",
    "load_rules",
    "triage",
    "triage_many",
]

_WHERE = {
    "AnswerProblem": "._exceptions",
    "CatalogError": "._exceptions",
    "EngineError": "._exceptions",
    "InvalidAnswersError": "._exceptions",
    "PainpathError": "._exceptions",
    "RuleProblem": "._exceptions",
    "RulesError": "._exceptions",
    "Answers": "._answers",
    "CheckinOutcome": "._journal",
    "Journal": "._journal",
    "JournalDay": "._journal",
    "JournalEntry": "._journal",
    "JournalError": "._journal",
    "LeftOut": "._result",
    "Level": "._result",
    "Phase": "._result",
    "PlanExercise": "._result",
    "Reason": "._result",
    "Result": "._result",
    "StopRule": "._result",
    "RuleSet": "._rules",
    "default_rules": "._rules",
    "load_rules": "._rules",
    "triage": "._triage",
    "answers_from_fhir": "._fhir",
    "triage_many": "._many",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE or name == "catalog":
        # Under the loading lock: a fork never copies a half-done import (see _forksafe).
        with _forksafe.LOADING:
            module = importlib.import_module(_WHERE.get(name, ".catalog"), __name__)
        value = module if name == "catalog" else getattr(module, name)
    elif name == "__version__":
        from ._version import __version__ as value
    else:
        raise AttributeError(f"module 'painpath' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
