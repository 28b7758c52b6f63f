"""The questionnaire as a FHIR R4 ``Questionnaire`` (``painpath questions --format fhir``).

Each section of :mod:`painpath._questionnaire` is a ``group``; each question an item
of its contract kind's FHIR type. The form stops on an emergency: after a question
with an answer that alone means an emergency under the rules, a display item says
"Go to an emergency department now" and why, and every question after it is
disabled by that answer (standard ``enableWhen``/``enableBehavior`` only). Which
answers those are is asked of the rules themselves (:func:`emergency_stops`), so this
module sits above :func:`painpath.triage`; the questions below it know nothing of it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._contract import CONTRACT_VERSION, KEYS
from ._levels import Level
from ._questionnaire import (
    BY_KEY,
    QUESTIONNAIRE_URL,
    QUESTIONS,
    SECTIONS,
    Question,
    after_link_id,
    coding_system,
    section_link_id,
)
from ._rules import RuleSet, default_rules
from ._triage import triage
from ._warnings import UNSCREENED_PREFIX

__all__ = ["EmergencyStop", "emergency_stops", "to_fhir"]

_HELP_CONTROL = {
    "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
    "valueCodeableConcept": {
        "coding": [{"system": "http://hl7.org/fhir/questionnaire-item-control", "code": "help"}]
    },
}


def _coding(question: Question, value: str) -> dict[str, str]:
    return {"system": coding_system(question.key), "code": value, "display": question.label(value)}


def to_fhir(rules: RuleSet | None = None) -> dict[str, Any]:
    """Return the questionnaire as a FHIR R4 ``Questionnaire`` resource (JSON-ready).

    Each section is a ``group``. After a question with an answer that alone means an
    emergency under ``rules`` (the shipped rules by default), a display item says
    "Go to an emergency department now" and why, enabled by that answer, and every
    question after it sits in groups disabled by it: standard ``enableWhen`` and
    ``enableBehavior`` only, so any R4 renderer stops the form there.
    """
    by_key = {q.key: q for q in QUESTIONS}
    stops = emergency_stops(rules)
    earlier: list[EmergencyStop] = []
    groups = []
    for section in SECTIONS:
        group: dict[str, Any] = {
            "linkId": section_link_id(section),
            "text": section.title,
            "type": "group",
        }
        _stop_when(group, earlier)
        group["item"] = _section_items(list(section.questions), by_key, stops, earlier)
        groups.append(group)
    return {
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE_URL,
        "version": str(CONTRACT_VERSION),
        "name": "PainpathQuestionnaire",
        "title": "painpath: low back and knee pain questionnaire",
        "status": "active",
        "subjectType": ["Patient"],
        "item": groups,
    }


@dataclass(frozen=True)
class EmergencyStop:
    """An answer to one question that alone means an emergency, and why (from the rules)."""

    key: str
    values: tuple[str | bool, ...]
    reason: str


def emergency_stops(rules: RuleSet | None = None) -> dict[str, EmergencyStop]:
    """Return, per question, the answers that alone make the rules say ``emergency``.

    An answer counts when the rules give ``emergency`` for it in every area the
    question is asked for (and for every value of the earlier answers it is asked
    after), with nothing else answered. The reason is the titles of the emergency
    rules that fired. Numbers and multiple choices are not tried.
    """
    return _emergency_stops(rules if rules is not None else default_rules())


@functools.lru_cache(maxsize=4)
def _emergency_stops(rules: RuleSet) -> dict[str, EmergencyStop]:
    stops: dict[str, EmergencyStop] = {}
    for q in QUESTIONS:
        each = q.spec.type.every_value(q.spec)
        if not each or q.key == "area":
            continue
        contexts = _contexts(q)
        values: list[str | bool] = []
        titles: dict[str, None] = {}
        advice: dict[str, None] = {}
        for value in each:
            results = [triage({**context, q.key: value}, rules=rules) for context in contexts]
            if results and all(r.level is Level.EMERGENCY for r in results):
                values.append(value)
                for result in results:
                    titles.update(
                        dict.fromkeys(r.title for r in result.reasons if r.level is Level.EMERGENCY)
                    )
                    advice.update(
                        dict.fromkeys(
                            a
                            for a in result.advice
                            if not a.startswith((UNSCREENED_PREFIX, "Go to an emergency"))
                        )
                    )
        if values:
            why = "; ".join(t[:1].lower() + t[1:] for t in titles)
            reason = " ".join([f"Go to an emergency department now. Why: {why}.", *advice])
            stops[q.key] = EmergencyStop(q.key, tuple(values), reason)
    return stops


def _contexts(q: Question) -> list[dict[str, Any]]:
    """Every set of earlier answers (area, and what q is asked after) that asks ``q``."""
    needed = {w.key: w.values() for w in q.when if w.op in ("=", "in") and w.key != "area"}
    contexts = []
    for area in KEYS["area"].choices:
        for combo in itertools.product(*needed.values()):
            context = {"area": area, **dict(zip(needed, combo, strict=True))}
            if q.is_asked(context):
                contexts.append(context)
    return contexts


def _stop_when(item: dict[str, Any], stops: list[EmergencyStop]) -> None:
    """Disable ``item`` when any of the emergency answers in ``stops`` was given."""
    conditions = [
        {"question": stop.key, "operator": "!=", **_fhir_answer(BY_KEY[stop.key], value)}
        for stop in stops
        for value in stop.values
    ]
    if conditions:
        item["enableWhen"] = conditions
        if len(conditions) > 1:
            item["enableBehavior"] = "all"


def _section_items(
    questions: list[Question],
    by_key: Mapping[str, Question],
    stops: Mapping[str, EmergencyStop],
    earlier: list[EmergencyStop],
) -> list[dict[str, Any]]:
    """Return a section's items; after an emergency answer, the rest nests in a group."""
    items: list[dict[str, Any]] = []
    for index, q in enumerate(questions):
        items.append(_fhir_item(q, by_key))
        stop = stops.get(q.key)
        if stop is None:
            continue
        earlier.append(stop)
        warning: dict[str, Any] = {
            "linkId": f"{q.key}.emergency",
            "text": stop.reason,
            "type": "display",
            "_text": {"extension": [_EMERGENCY_STYLE]},
            "enableWhen": [
                {"question": q.key, "operator": "=", **_fhir_answer(q, v)} for v in stop.values
            ],
        }
        if len(stop.values) > 1:
            warning["enableBehavior"] = "any"
        items.append(warning)
        rest = questions[index + 1 :]
        if rest:
            group: dict[str, Any] = {"linkId": after_link_id(q.key), "type": "group"}
            _stop_when(group, [stop])
            group["item"] = _section_items(rest, by_key, stops, earlier)
            items.append(group)
        break
    return items


_EMERGENCY_STYLE = {
    "url": "http://hl7.org/fhir/StructureDefinition/rendering-style",
    "valueString": "color: #b00020; font-weight: bold;",
}


def _fhir_item(q: Question, by_key: Mapping[str, Question]) -> dict[str, Any]:
    spec = q.spec
    item: dict[str, Any] = {"linkId": q.key, "text": q.text, "type": spec.type.fhir_type}
    if spec.required:
        item["required"] = True
    if spec.type.repeats:
        item["repeats"] = True
    bounds = spec.type.fhir_bounds(spec)
    if bounds is not None:
        value_type, (low, high) = spec.type.fhir_value, bounds
        item["extension"] = [
            {"url": "http://hl7.org/fhir/StructureDefinition/minValue", value_type: low},
            {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", value_type: high},
        ]
    conditions = [
        {
            "question": w.key,
            "operator": "!=" if w.op == "!=" else "=",
            **_fhir_answer(by_key[w.key], v),
        }
        for w in q.when
        for v in w.values()
    ]
    if conditions:
        item["enableWhen"] = conditions
        if len(conditions) > 1:
            item["enableBehavior"] = "any" if q.when[0].op == "in" else "all"
    defaults = q.default if isinstance(q.default, tuple) else (q.default,)
    if q.choices:
        item["answerOption"] = [
            {
                "valueCoding": _coding(q, c.value),
                **({"initialSelected": True} if c.value in defaults else {}),
            }
            for c in q.choices
        ]
    elif q.default is not None:
        item["initial"] = [{spec.type.fhir_value: q.default}]
    item["item"] = [
        {"linkId": f"{q.key}.help", "text": q.help, "type": "display", "extension": [_HELP_CONTROL]}
    ]
    return item


def _fhir_answer(question: Question, value: str | bool) -> dict[str, Any]:
    """Return ``answer[x]`` of an ``enableWhen`` on ``question`` for ``value``."""
    spec = question.spec
    return spec.type.fhir_answer(spec, value, system=coding_system(spec.key), prefix="answer")
