"""painpath: safe triage and home exercise routines for low back and knee pain.

``painpath.triage(answers)`` turns questionnaire answers into a level (go to an
emergency department now, see a doctor today, book an appointment, or do the
routine), the findings behind it, an exercise plan and every rule that fired.
It is decision support, not a diagnosis.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

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
from ._result import LeftOut, Level, Phase, PlanExercise, Reason, Result, StopRule
from ._rules import RuleSet, default_rules, load_rules
from ._triage import triage

try:
    __version__ = version("painpath")
except PackageNotFoundError:  # pragma: no cover - only when run from a bare checkout
    __version__ = "0+unknown"

__all__ = [
    "AnswerProblem",
    "Answers",
    "CatalogError",
    "EngineError",
    "InvalidAnswersError",
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
    "catalog",
    "default_rules",
    "load_rules",
    "triage",
]
