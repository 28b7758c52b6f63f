"""FHIR in: a QuestionnaireResponse to painpath's questionnaire, read back as answers.

:func:`answers_from_fhir` takes the response an EHR or a form renderer (LHC-Forms,
for one) produced from ``painpath questions --format fhir`` and returns the answers
mapping :func:`painpath.triage` takes. Anything it cannot read is one
:class:`~painpath.InvalidAnswersError` listing every problem, each naming the item
(its ``linkId``), the value and what is allowed.

A response to an earlier version of the questionnaire is read: every answer set of
an earlier contract version is valid in the current one. The groups of the export
(its sections, and the part after a question that can mean an emergency) are walked
through; an item that is neither a contract key nor one of those groups is refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ._contract import CONTRACT_VERSION, KEYS, KeySpec
from ._exceptions import AnswerProblem, InvalidAnswersError
from ._questionnaire import QUESTIONNAIRE_URL, coding_system, fhir_group_link_ids

__all__ = ["answers_from_fhir", "is_questionnaire_response", "questionnaire_response"]

_RESOURCE = "QuestionnaireResponse"
_VERSION = re.compile(r"^[0-9]+$")


def is_questionnaire_response(data: object) -> bool:
    """Say whether ``data`` is a mapping with ``resourceType: QuestionnaireResponse``."""
    return isinstance(data, Mapping) and data.get("resourceType") == _RESOURCE


def answers_from_fhir(response: Mapping[str, Any] | str | bytes) -> dict[str, Any]:
    """Return the answers of a FHIR R4 ``QuestionnaireResponse`` to painpath's questionnaire.

    ``response`` is the resource as a mapping, or as JSON text. An item without an
    answer is left out ("not asked"). Raises :class:`~painpath.InvalidAnswersError`
    for another resource, a response to another questionnaire (or a later version),
    an unknown ``linkId``, an answer of the wrong type or several answers to a
    single-answer item; the returned mapping is then checked by ``triage()`` like
    any other answers.
    """
    data = _parse(response)
    problems: list[AnswerProblem] = []
    _check_header(data, problems)
    answers: dict[str, Any] = {}
    groups = fhir_group_link_ids()
    for path, item in _walk(data.get("item"), "item", problems):
        link_id = item.get("linkId")
        if not isinstance(link_id, str):
            problems.append(
                AnswerProblem(path, link_id, f"{path}: every item needs a string 'linkId'")
            )
            continue
        spec = KEYS.get(link_id)
        if spec is None:
            if link_id in groups and not item.get("answer"):
                continue
            problems.append(_unknown_item(link_id))
            continue
        if link_id in answers:
            problems.append(
                AnswerProblem(link_id, None, f"item {link_id!r} is answered twice in the response")
            )
            continue
        value = _read_answer(spec, item.get("answer"), problems)
        if value is not None:
            answers[link_id] = value
    if problems:
        raise InvalidAnswersError(problems)
    return answers


def _parse(response: Mapping[str, Any] | str | bytes) -> Mapping[str, Any]:
    data: object = response
    if isinstance(response, str | bytes | bytearray):
        try:
            data = json.loads(response)
        except (ValueError, UnicodeDecodeError) as error:
            raise InvalidAnswersError(
                [AnswerProblem("resourceType", None, f"the response is not valid JSON: {error}")]
            ) from None
    if not isinstance(data, Mapping):
        raise InvalidAnswersError(
            [
                AnswerProblem(
                    "resourceType",
                    None,
                    f"a QuestionnaireResponse is a JSON object (got {type(data).__name__})",
                )
            ]
        )
    if data.get("resourceType") != _RESOURCE:
        kind = data.get("resourceType")
        raise InvalidAnswersError(
            [
                AnswerProblem(
                    "resourceType",
                    kind,
                    f"'resourceType' must be 'QuestionnaireResponse' (got {kind!r})",
                )
            ]
        )
    return data


def _check_header(data: Mapping[str, Any], problems: list[AnswerProblem]) -> None:
    """Refuse a response to another questionnaire, a later version, or one in error."""
    canonical = data.get("questionnaire")
    if canonical is not None:
        url, _, version = str(canonical).partition("|")
        if url != QUESTIONNAIRE_URL:
            problems.append(
                AnswerProblem(
                    "questionnaire",
                    canonical,
                    f"this is a response to another questionnaire ({canonical!r}); painpath "
                    f"reads responses to {QUESTIONNAIRE_URL!r}",
                )
            )
        elif version and (not _VERSION.match(version) or int(version) > CONTRACT_VERSION):
            problems.append(
                AnswerProblem(
                    "questionnaire",
                    canonical,
                    f"questionnaire version {version!r} is not one this painpath reads "
                    f"(versions 1 to {CONTRACT_VERSION}); upgrade painpath",
                )
            )
    if data.get("status") == "entered-in-error":
        problems.append(
            AnswerProblem("status", "entered-in-error", "the response is marked 'entered-in-error'")
        )


def _walk(
    items: object, path: str, problems: list[AnswerProblem]
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Yield every item, groups and items nested under answers included, in order."""
    if items is None:
        return
    if not isinstance(items, list):
        problems.append(AnswerProblem(path, items, f"'{path}' must be a list of items"))
        return
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        if not isinstance(item, Mapping):
            problems.append(AnswerProblem(where, item, f"{where} must be an object"))
            continue
        yield where, item
        yield from _walk(item.get("item"), f"{where}.item", problems)
        answers = item.get("answer")
        if isinstance(answers, list):
            for n, answer in enumerate(answers):
                if isinstance(answer, Mapping) and "item" in answer:
                    yield from _walk(answer["item"], f"{where}.answer[{n}].item", problems)


def _unknown_item(link_id: str) -> AnswerProblem:
    import difflib

    close = difflib.get_close_matches(link_id, list(KEYS), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return AnswerProblem(
        link_id,
        link_id,
        f"item {link_id!r} is not a question of painpath's questionnaire{hint}",
    )


def _read_answer(spec: KeySpec, answers: object, problems: list[AnswerProblem]) -> Any:
    """Return the contract value of one item's answers, or None (not answered / a problem)."""
    key = spec.key
    if answers is None or answers == []:
        return None
    if not isinstance(answers, list):
        problems.append(AnswerProblem(key, answers, f"item {key!r}: 'answer' must be a list"))
        return None
    if not spec.type.repeats and len(answers) > 1:
        problems.append(
            AnswerProblem(
                key, answers, f"item {key!r} takes one answer (got {len(answers)} answers)"
            )
        )
        return None
    allowed = spec.type.fhir_reads  # the value[x] a response may carry for this key
    values = []
    for answer in answers:
        given = [k for k in answer if k.startswith("value")] if isinstance(answer, Mapping) else []
        if len(given) != 1 or given[0] not in allowed:
            shown = ", ".join(given) or "no value"
            problems.append(
                AnswerProblem(
                    key,
                    answer,
                    f"item {key!r} is answered with {shown}; it takes "
                    f"{' or '.join(allowed)} ({spec.allowed()})",
                )
            )
            return None
        assert isinstance(answer, Mapping)
        value = answer[given[0]]
        if given[0] == "valueCoding":
            value = _code(key, value, problems)
            if value is None:
                return None
        values.append(value)
    return values if spec.type.repeats else values[0]


def _code(key: str, coding: object, problems: list[AnswerProblem]) -> str | None:
    if not isinstance(coding, Mapping) or not isinstance(coding.get("code"), str):
        problems.append(
            AnswerProblem(key, coding, f"item {key!r}: a valueCoding needs a string 'code'")
        )
        return None
    system = coding.get("system")
    expected = coding_system(key)
    if system is not None and system != expected:
        problems.append(
            AnswerProblem(
                key,
                coding,
                f"item {key!r}: the code {coding['code']!r} is from {system!r}, "
                f"not from {expected!r}",
            )
        )
        return None
    return str(coding["code"])


def questionnaire_response(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Return a ``QuestionnaireResponse`` holding ``answers`` (flat, one item per key).

    The inverse of :func:`answers_from_fhir`, for tests and for systems that store
    painpath's answers as FHIR. An empty ``equipment`` list has no FHIR form (an
    item without answers is "not asked"), so it is left out.
    """
    items = []
    for key, spec in KEYS.items():
        if key not in answers:
            continue
        value = answers[key]
        values = value if spec.type.repeats else [value]
        answer = [spec.type.fhir_answer(spec, v, system=coding_system(key)) for v in values]
        items.append({"linkId": key, "answer": answer})
    return {
        "resourceType": _RESOURCE,
        "questionnaire": f"{QUESTIONNAIRE_URL}|{CONTRACT_VERSION}",
        "status": "completed",
        "item": items,
    }
