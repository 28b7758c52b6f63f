"""Check-ins: the daily answers of the journal, their facts, and the rules that judge them.

A check-in (``shared/spec/answers.md``, "Check-ins") is validated like the answers.
The journal turns it, with the starting answers and the earlier check-ins, into one
flat *fact* of plain data (:data:`FACT_KEYS`: today's answers, every starting answer
as ``start_<key>``, and a few derived numbers such as ``days_missed``). The check-in
rules (``rules/checkin/*.toml``) decide on that fact: the level, the advice and what
happens to the program from the next day on (``program`` outcomes, :data:`EFFECTS`).

The rule files use the same condition language as the triage rules; the loader
checks every key a condition tests against :data:`FACT_KEYS`, and reports all
problems together, each naming the file and the rule id.
"""

from __future__ import annotations

import datetime as dt
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ._answers import _is_allowed, _show, _unknown_key
from ._conditions import LEVELS, ConditionError, findings_used, parse_condition
from ._contract import KEYS, KeySpec
from ._exceptions import AnswerProblem, InvalidAnswersError, RuleProblem, RulesError
from ._forksafe import new_lock
from ._rules import (
    LEDGER_NAME,
    Rule,
    RuleSet,
    _hint,
    _tables,
    _text,
    default_rules_path,
    rule_fields,
)

__all__ = [
    "CHECKIN_KEYS",
    "EFFECTS",
    "FACT_KEYS",
    "NOTE_LIMIT",
    "CheckinRule",
    "CheckinRules",
    "checkin_keys_for_area",
    "default_checkin_rules",
    "load_checkin_rules",
    "validate_checkin",
]

#: Longest free-text note a check-in keeps.
NOTE_LIMIT = 500


_AFTER_EXERCISE = KeySpec(
    "pain_after_exercise",
    "str",
    "general",
    "how the pain behaved after exercising",
    choices=("none", "settled_within_an_hour", "worse_next_morning"),
)

#: The check-in keys (answers.md, "Check-ins"), in the order the questions are asked.
#: ``date`` and ``note`` are checked by :func:`validate_checkin` and never reach the rules.
CHECKIN_KEYS: MappingProxyType[str, KeySpec] = MappingProxyType(
    {
        spec.key: spec
        for spec in (
            KeySpec("date", "str", "general", "the day of the check-in (ISO date)", required=True),
            KEYS["pain_score"],
            KeySpec(
                "sessions_done",
                "int",
                "general",
                "sessions of the day's routine done since the last check-in",
                low=0,
                high=20,
            ),
            _AFTER_EXERCISE,
            KEYS["press_up_response"],
            KEYS["leg_pain"],
            KEYS["leg_pain_trend"],
            KEYS["bladder_or_bowel_change"],
            KEYS["saddle_numbness"],
            KEYS["sexual_dysfunction"],
            KEYS["leg_weakness"],
            KEYS["fever"],
            KEYS["knee_hot_red"],
            KEYS["knee_locking"],
            KEYS["knee_giving_way"],
            KEYS["calf_swelling"],
            KeySpec(
                "doctor_cleared",
                "bool",
                "general",
                "a doctor has seen you about this pain since the start and said the "
                "exercises are fine",
            ),
            KeySpec("note", "str", "general", f"free text, at most {NOTE_LIMIT} characters"),
        )
    }
)


def checkin_keys_for_area(area: str) -> tuple[str, ...]:
    """Return the check-in keys asked for an area, in asking order.

    An answer key asked again at check-in is asked for the areas the contract gives
    it (:attr:`KeySpec.areas`: the spinal warning signs for the back, the knee ones
    for the knee); the check-in's own keys for every area.
    """
    return tuple(key for key, spec in CHECKIN_KEYS.items() if area in spec.areas)


def _int(key: str, low: int, high: int, meaning: str) -> KeySpec:
    return KeySpec(key, "int", "general", meaning, low=low, high=high)


#: Facts derived by the journal from the start and the earlier check-ins (plain data;
#: the rules decide what they mean).
DERIVED_KEYS: MappingProxyType[str, KeySpec] = MappingProxyType(
    {
        spec.key: spec
        for spec in (
            _int("day", 1, 100_000, "the program day of this check-in (day 1 = the start)"),
            _int(
                "days_missed",
                0,
                100_000,
                "days without a check-in just before this one (since the last check-in, "
                "or since the start for the first)",
            ),
            KeySpec(
                "start_level",
                "str",
                "general",
                "the level of the triage the program started from",
                choices=LEVELS,
            ),
            KeySpec(
                "start_sciatica",
                "bool",
                "general",
                "the start found sciatica (pattern.sciatica)",
            ),
            KeySpec(
                "start_high_pain",
                "bool",
                "general",
                "the start found high pain (factor.high_pain)",
            ),
            _int(
                "pain_above_start",
                -10,
                10,
                "today's pain score minus the starting one (the first reported score when "
                "the start had none)",
            ),
            _int(
                "previous_pain_above_start",
                -10,
                10,
                "the same for the most recent earlier check-in that reported a pain score",
            ),
            KeySpec(
                "previous_pain_after_exercise",
                "str",
                "general",
                "pain after exercise at the most recent earlier check-in that reported it",
                choices=_AFTER_EXERCISE.choices,
            ),
            _int(
                "leg_pain_further_down",
                -3,
                3,
                "how many steps (none, buttock, above the knee, below the knee) further "
                "down the leg the pain travels today than at the start",
            ),
            _int(
                "earlier_checkins_from_day_21",
                0,
                100_000,
                "earlier check-ins made on day 21 of the program or later",
            ),
            KeySpec(
                "doctor_advice_open",
                "bool",
                "general",
                "the start or an earlier check-in said to see a doctor, and no check-in "
                "since has reported that a doctor cleared the exercises",
            ),
            KeySpec(
                "program_stopped",
                "bool",
                "general",
                "an earlier check-in stopped the program",
            ),
            KeySpec(
                "stage_2_waiting",
                "bool",
                "general",
                "on this day the program has a stage 2 that has not started yet (it waits "
                "for the pain to centralize)",
            ),
        )
    }
)


def _start_specs() -> dict[str, KeySpec]:
    specs = {}
    for key, spec in KEYS.items():
        if not spec.type.rule_testable:
            continue  # lists and dates cannot be tested by a rule
        name = f"start_{key}"
        specs[name] = KeySpec(
            name,
            spec.kind,
            spec.group,
            f"at the start: {spec.meaning}",
            choices=spec.choices,
            low=spec.low,
            high=spec.high,
        )
    return specs


#: Every fact key a check-in rule may test: today's answers (not ``date``, not ``note``),
#: the starting answers as ``start_<key>``, and the derived facts.
FACT_KEYS: MappingProxyType[str, KeySpec] = MappingProxyType(
    {
        **{k: s for k, s in CHECKIN_KEYS.items() if k not in ("date", "note")},
        **_start_specs(),
        **DERIVED_KEYS,
    }
)

#: What a check-in rule can do to the program from the next day on.
EFFECTS: MappingProxyType[str, str] = MappingProxyType(
    {
        "stop": "the program stops",
        "stage_2": "stage 2 starts",
        "prone_rest": "stage 1 becomes resting face down, and no exercise that extends the spine",
        "step_back": "the doses go back one week",
        "hold_week_1": "the doses stay at week 1 until a doctor has cleared the exercises",
        "lift_hold": "the week-1 hold of a see-a-doctor start or outcome is lifted",
        "end_high_pain_week_1": "week 1, held while the pain was 7 or more, ends",
    }
)


# ---------------------------------------------------------------------------------------
# Validation


def _parse_date(value: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if len(value) == 10 else None


def validate_checkin(
    data: object,
    *,
    start: dt.date | None = None,
    today: dt.date | None = None,
    taken: Iterable[dt.date] = (),
) -> tuple[dt.date, dict[str, Any]]:
    """Check a check-in; return its date and the answers given (``date`` left out).

    Every problem is reported together in one :class:`~painpath.InvalidAnswersError`
    naming each key: an unknown key, a wrong type or value, a ``date`` that is not an
    ISO date, is before ``start``, after ``today`` or already ``taken``, a ``note``
    longer than :data:`NOTE_LIMIT`. A warning sign of another area is accepted, never
    refused: the interactive check-in asks by area, but a reported sign is a sign.
    """
    if not isinstance(data, Mapping):
        raise InvalidAnswersError(
            [
                AnswerProblem(
                    "checkin",
                    data,
                    f"a check-in must be a mapping of key to answer (got {_show(data)})",
                )
            ]
        )
    problems: list[AnswerProblem] = []
    unknown: list[AnswerProblem] = []
    given: dict[str, Any] = {}
    when: dt.date | None = None
    for key, value in data.items():
        if not isinstance(key, str) or key not in CHECKIN_KEYS:
            problem = _unknown_key(key)
            if isinstance(key, str):
                close = _hint(key, CHECKIN_KEYS)
                problem = AnswerProblem(key, value, f"unknown check-in key {_show(key)}{close}")
            unknown.append(problem)
            continue
        spec = CHECKIN_KEYS[key]
        if value is None:
            problems.append(
                AnswerProblem(key, value, f'{key!r} is None; leave the key out for "not asked"')
            )
            continue
        if key == "date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = value.isoformat()
            when = _check_date(value, start, today, taken, problems)
            continue
        if key == "note":
            if not isinstance(value, str):
                problems.append(
                    AnswerProblem(key, value, f"'note' must be text (got {_show(value)})")
                )
            elif len(value) > NOTE_LIMIT:
                problems.append(
                    AnswerProblem(
                        key,
                        f"{value[:20]}…",
                        f"'note' must be at most {NOTE_LIMIT} characters (got {len(value)})",
                    )
                )
            else:
                given[key] = value
            continue
        if not _is_allowed(spec, value):
            problems.append(
                AnswerProblem(key, value, f"{key!r} must be {spec.allowed()} (got {_show(value)})")
            )
            continue
        given[key] = value
    if "date" not in data:
        problems.insert(0, AnswerProblem("date", None, "'date' is required (an ISO date)"))
    order = list(CHECKIN_KEYS)
    problems.sort(key=lambda p: order.index(p.key) if p.key in order else len(order))
    if problems or unknown:
        raise _CheckinError(problems + unknown)
    assert when is not None
    return when, given


class _CheckinError(InvalidAnswersError):
    """One error for every problem of a check-in."""

    def __init__(self, problems: Iterable[AnswerProblem]) -> None:
        super().__init__(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} with the check-in:"
        self.args = ("\n".join([head, *(f"  - {p.message}" for p in self.problems)]),)


def _check_date(
    value: object,
    start: dt.date | None,
    today: dt.date | None,
    taken: Iterable[dt.date],
    problems: list[AnswerProblem],
) -> dt.date | None:
    if not isinstance(value, str) or _parse_date(value) is None:
        problems.append(
            AnswerProblem(
                "date", value, f"'date' must be an ISO date YYYY-MM-DD (got {_show(value)})"
            )
        )
        return None
    day = _parse_date(value)
    assert day is not None
    if start is not None and day < start:
        problems.append(
            AnswerProblem("date", value, f"'date' {value} is before the program started ({start})")
        )
    if today is not None and day > today:
        problems.append(
            AnswerProblem("date", value, f"'date' {value} is in the future (today is {today})")
        )
    if day in set(taken):
        problems.append(
            AnswerProblem("date", value, f"'date' {value} already has a check-in (one per day)")
        )
    return day


# ---------------------------------------------------------------------------------------
# Rules

_RULE_KEYS = {
    "id",
    "title",
    "rationale",
    "source",
    "when",
    "version",
    "status",
    "level",
    "advice",
    "program",
}
_FILE_KEYS = {"rule", "title", "description"}


@dataclass(frozen=True)
class CheckinRule(Rule):
    """A check-in rule: a :class:`Rule` whose outcome may also move the program.

    ``effects`` are :data:`EFFECTS` names; being a field, they count as the rule's
    logic in the rules ledger.
    """

    effects: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckinRules:
    """The loaded check-in rules: a :class:`RuleSet` on the engine, and each rule's effects."""

    ruleset: RuleSet
    effects: Mapping[str, tuple[str, ...]]

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in file order."""
        return self.ruleset.rules

    def fired(self, fact: Mapping[str, Any]) -> tuple[Rule, ...]:
        """Run the rules on one check-in fact; return the rules that fired, in rule order."""
        return self.ruleset.fired(fact)


def load_checkin_rules(path: str | Path) -> CheckinRules:
    """Load, check and compile the check-in rules of a directory (every ``*.toml``) or file.

    Raises :class:`painpath.RulesError` listing every problem, each naming the file and
    the rule id.
    """
    root = Path(path)
    if root.is_dir():
        files = sorted(f for f in root.glob("*.toml") if f.name != LEDGER_NAME)
    elif root.is_file():
        files = [root]
    else:
        raise RulesError([RuleProblem(str(root), None, "no such file or directory")])
    problems: list[RuleProblem] = []
    rules: list[Rule] = []
    effects: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for file in files:
        data = _read(file)
        if isinstance(data, RuleProblem):
            problems.append(data)
            continue
        for key in sorted(set(data) - _FILE_KEYS):
            problems.append(
                RuleProblem(
                    file.name, None, f"unknown top-level key {key!r}{_hint(key, _FILE_KEYS)}"
                )
            )
        for item in _tables(data, "rule", file.name, problems):
            rule = _rule(item, file.name, problems, effects)
            if rule is None:
                continue
            if rule.id in seen:
                problems.append(
                    RuleProblem(file.name, rule.id, f"duplicate rule id (also in {seen[rule.id]})")
                )
                continue
            seen[rule.id] = file.name
            rules.append(rule)
    if not rules and not problems:
        problems.append(RuleProblem(str(root), None, "no check-in rules"))
    if problems:
        raise RulesError(problems)
    return CheckinRules(RuleSet(rules, (), (), str(root)), MappingProxyType(effects))


def _rule(
    item: dict[str, Any],
    file: str,
    problems: list[RuleProblem],
    effects: dict[str, tuple[str, ...]],
) -> Rule | None:
    rid = item.get("id")
    if not isinstance(rid, str) or not rid.strip():
        problems.append(RuleProblem(file, None, f"a rule needs a valid 'id' (got {rid!r})"))
        return None
    before = len(problems)
    for key in sorted(set(item) - _RULE_KEYS):
        problems.append(RuleProblem(file, rid, f"unknown key {key!r}{_hint(key, _RULE_KEYS)}"))
    title = _text(item, "title", file, rid, problems)
    rationale = _text(item, "rationale", file, rid, problems)
    source = _text(item, "source", file, rid, problems)
    condition = None
    try:
        condition = parse_condition(item.get("when"), "when", FACT_KEYS)
    except ConditionError as error:
        problems.append(RuleProblem(file, rid, f"malformed condition: {error}"))
    if condition is not None and findings_used(condition):
        problems.append(RuleProblem(file, rid, "check-in rules cannot test findings"))
    version, status, level, advice = rule_fields(item, file, rid, problems)
    program = item.get("program", [])
    if not isinstance(program, list) or not all(isinstance(p, str) for p in program):
        problems.append(RuleProblem(file, rid, "'program' must be a list of program outcomes"))
        program = []
    for effect in program:
        if effect not in EFFECTS:
            problems.append(
                RuleProblem(
                    file,
                    rid,
                    f"unknown program outcome {effect!r}{_hint(effect, EFFECTS)}; "
                    f"allowed: {', '.join(EFFECTS)}",
                )
            )
    if not (level or advice or program):
        problems.append(
            RuleProblem(file, rid, "a rule needs an outcome (level, advice or program)")
        )
    if len(problems) > before or condition is None:
        return None
    effects[rid] = tuple(program)
    return CheckinRule(
        id=rid,
        title=title,
        rationale=rationale,
        source=source,
        when=condition,
        file=file,
        version=version,
        status=status,
        level=level,
        advice=tuple(" ".join(a.split()) for a in advice),
        raw_when=item["when"],
        effects=tuple(program),
    )


def _read(file: Path) -> dict[str, Any] | RuleProblem:
    try:
        with file.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        return RuleProblem(file.name, None, f"not valid TOML: {error}")
    except OSError as error:
        return RuleProblem(file.name, None, f"cannot be read: {error.strerror or error}")


_DEFAULT: CheckinRules | None = None
_DEFAULT_LOCK = new_lock(sys.modules[__name__], "_DEFAULT_LOCK")  # reset after a fork


def default_checkin_rules_path() -> Path:
    """Return the shipped check-in rules: ``checkin/`` in the default rules directory."""
    return default_rules_path() / "checkin"


def default_checkin_rules() -> CheckinRules:
    """Return the check-in rules that ship with painpath (loaded once, then shared)."""
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = load_checkin_rules(default_checkin_rules_path())
    return _DEFAULT
