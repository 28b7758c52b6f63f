"""FHIR round trip: the exported Questionnaire, and QuestionnaireResponses read back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import painpath
from painpath import testing
from painpath._contract import CONTRACT_VERSION, KEYS
from painpath._fhir import questionnaire_response
from painpath._fhir_questionnaire import emergency_stops, to_fhir
from painpath._questionnaire import QUESTIONS, SECTIONS

some = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def problems_of(response: object) -> list[painpath.AnswerProblem]:
    with pytest.raises(painpath.InvalidAnswersError) as caught:
        painpath.answers_from_fhir(response)  # type: ignore[arg-type]
    return list(caught.value.problems)


# --- a small R4 enableWhen evaluator, to check the export's skip logic ----------------


def _matches(condition: Mapping[str, Any], given: object) -> bool:
    """R4: '=' true if an answer equals; '!=' true if no answer equals (none given too)."""
    (key,) = [k for k in condition if k.startswith("answer")]
    wanted = condition[key]
    values = given if isinstance(given, list) else [] if given is None else [given]
    if key == "answerCoding":
        equal = any(v == wanted["code"] for v in values)
    else:
        equal = any(v == wanted and type(v) is type(wanted) for v in values)
    return equal if condition["operator"] == "=" else not equal


def enabled_items(answers: Mapping[str, Any]) -> list[str]:
    """The linkIds a conforming R4 renderer shows, in order, for these answers.

    An answer to a disabled question does not count (renderers drop it).
    """
    shown: list[str] = []
    live: dict[str, Any] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            conditions = item.get("enableWhen", [])
            checks = [_matches(c, live.get(c["question"])) for c in conditions]
            behavior = item.get("enableBehavior", "all")
            if checks and not (any(checks) if behavior == "any" else all(checks)):
                continue
            if item["type"] == "group":
                walk(item["item"])
                continue
            shown.append(item["linkId"])
            if item["linkId"] in answers:
                live[item["linkId"]] = answers[item["linkId"]]

    walk(to_fhir()["item"])
    return shown


def asked_by_painpath(answers: Mapping[str, Any]) -> list[str]:
    """The keys painpath's own questionnaire asks for these answers (FHIR meaning)."""
    asked: list[str] = []
    given: dict[str, Any] = {}
    for q in QUESTIONS:
        if q.is_asked(given):
            asked.append(q.key)
            if q.key in answers:
                given[q.key] = answers[q.key]
    return asked


def _all_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    every = []
    for item in items:
        every.append(item)
        every.extend(_all_items(item.get("item", [])))
    return every


class TestExport:
    def test_sections_are_groups_in_order(self):
        top = to_fhir()["item"]
        assert [i["type"] for i in top] == ["group"] * len(SECTIONS)
        assert [i["text"] for i in top] == [s.title for s in SECTIONS]

    def test_every_link_id_is_unique_across_the_whole_tree(self):
        ids = [i["linkId"] for i in _all_items(to_fhir()["item"])]
        assert len(ids) == len(set(ids))

    def test_the_shipped_rules_stop_the_form_on_the_cauda_equina_answers(self):
        stops = emergency_stops()
        assert stops["bladder_or_bowel_change"].values == (True,)
        assert stops["saddle_numbness"].values == (True,)
        assert "cauda equina" in stops["bladder_or_bowel_change"].reason
        assert stops["bladder_or_bowel_change"].reason.startswith(
            "Go to an emergency department now."
        )

    @pytest.mark.parametrize("key", sorted(emergency_stops()))
    def test_an_emergency_answer_shows_the_warning_and_no_further_question(self, key: str):
        stop = emergency_stops()[key]
        area = "back" if key != "knee_hot_red" else "knee"
        answers = {"area": area, key: stop.values[0]}
        if key == "knee_can_bear_weight":
            answers["knee_injury"] = "twist"
        shown = enabled_items(answers)
        assert shown[-1] == f"{key}.emergency"
        assert key in shown
        keys = [k for k in shown if k in KEYS]
        assert keys == keys[: keys.index(key) + 1]

    @some
    @given(testing.full_answers())
    def test_without_an_emergency_answer_the_form_asks_what_painpath_asks(self, answers):
        stops = emergency_stops()
        for key, stop in stops.items():
            if answers.get(key) in stop.values:
                answers = {**answers}
                del answers[key]
        shown = [k for k in enabled_items(answers) if k in KEYS]
        assert shown == asked_by_painpath(answers)

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(testing.answers(), st.data())
    def test_an_answer_that_stops_the_form_is_an_emergency_whatever_else_is_said(
        self, answers, data
    ):
        """The stop is safe: with that answer, the rules say emergency for any answers."""
        stops = emergency_stops()
        key = data.draw(st.sampled_from(sorted(stops)))
        answers = {**answers, key: data.draw(st.sampled_from(stops[key].values))}
        assert painpath.triage(answers).level is painpath.Level.EMERGENCY

    def test_the_warning_never_shows_a_rule_id(self):
        for stop in emergency_stops().values():
            for rule in painpath.default_rules().rules:
                assert rule.id not in stop.reason


class TestResponsesIn:
    @some
    @given(testing.answers())
    def test_round_trip_through_a_response(self, answers):
        """Every answer set travels, except "no equipment at all": FHIR has no empty answer."""
        if answers.get("equipment") == []:
            del answers["equipment"]
        response = questionnaire_response(answers)
        assert painpath.answers_from_fhir(response) == _plain(answers)
        assert painpath.answers_from_fhir(json.dumps(response)) == _plain(answers)
        assert painpath.triage(response) == painpath.triage(answers)

    def test_a_grouped_response_is_read(self):
        response = {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": f"urn:painpath:questionnaire|{CONTRACT_VERSION}",
            "status": "in-progress",
            "item": [
                {
                    "linkId": "group:where-it-hurts",
                    "item": [_coded("area", "back")],
                },
                {
                    "linkId": "group:warning-signs",
                    "item": [
                        {"linkId": "bladder_or_bowel_change", "answer": [{"valueBoolean": True}]}
                    ],
                },
            ],
        }
        assert painpath.answers_from_fhir(response) == {
            "area": "back",
            "bladder_or_bowel_change": True,
        }
        assert painpath.triage(response).level is painpath.Level.EMERGENCY

    def test_a_response_to_version_1_is_read(self):
        """Version 1 exported a flat list; every version-1 answer set is valid today."""
        response = {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": "urn:painpath:questionnaire|1",
            "status": "completed",
            "item": [
                _coded("area", "knee"),
                {"linkId": "age", "answer": [{"valueInteger": 61}]},
                _coded("knee_injury", "none"),
                {"linkId": "knee_hot_red", "answer": [{"valueBoolean": False}]},
                {"linkId": "bmi", "answer": [{"valueDecimal": 31.5}]},
                {
                    "linkId": "equipment",
                    "answer": [
                        {"valueCoding": {"code": "chair"}},
                        {"valueCoding": {"code": "step"}},
                    ],
                },
            ],
        }
        answers = painpath.answers_from_fhir(response)
        assert answers == {
            "area": "knee",
            "age": 61,
            "knee_injury": "none",
            "knee_hot_red": False,
            "bmi": 31.5,
            "equipment": ["chair", "step"],
        }
        assert painpath.triage(response) == painpath.triage(answers)

    def test_an_unanswered_item_is_not_asked(self):
        response = questionnaire_response({"area": "back"})
        response["item"].append({"linkId": "fever"})
        assert painpath.answers_from_fhir(response) == {"area": "back"}
        assert "fever" in painpath.triage(response).unscreened


class TestResponseErrors:
    def test_an_unknown_link_id_is_named_with_a_hint(self):
        response = questionnaire_response({"area": "back"})
        response["item"].append({"linkId": "fevers", "answer": [{"valueBoolean": True}]})
        (problem,) = problems_of(response)
        assert problem.key == "fevers"
        assert "'fevers'" in problem.message and "'fever'" in problem.message

    def test_a_wrong_answer_type_names_the_item_and_what_it_takes(self):
        response = questionnaire_response({"area": "back"})
        response["item"].append({"linkId": "age", "answer": [{"valueString": "42"}]})
        (problem,) = problems_of(response)
        assert problem.key == "age"
        assert "valueString" in problem.message and "valueInteger" in problem.message

    def test_a_response_to_another_questionnaire_is_refused(self):
        response = questionnaire_response({"area": "back"})
        response["questionnaire"] = "http://example.org/Questionnaire/phq-9"
        (problem,) = problems_of(response)
        assert problem.key == "questionnaire"
        assert "phq-9" in problem.message and "another questionnaire" in problem.message

    def test_a_later_version_is_refused(self):
        response = questionnaire_response({"area": "back"})
        response["questionnaire"] = "urn:painpath:questionnaire|99"
        (problem,) = problems_of(response)
        assert "'99'" in problem.message

    def test_another_resource_is_refused(self):
        (problem,) = problems_of({"resourceType": "Patient", "id": "x"})
        assert problem.key == "resourceType"
        assert "Patient" in problem.message
        with pytest.raises(painpath.InvalidAnswersError, match="QuestionnaireResponse"):
            painpath.triage({"resourceType": "Patient"})

    def test_several_answers_to_a_single_answer_item(self):
        response = questionnaire_response({"area": "back"})
        response["item"].append(
            {"linkId": "fever", "answer": [{"valueBoolean": True}, {"valueBoolean": False}]}
        )
        (problem,) = problems_of(response)
        assert problem.key == "fever" and "one answer" in problem.message

    def test_a_code_from_another_system(self):
        response = {
            "resourceType": "QuestionnaireResponse",
            "item": [
                {"linkId": "area", "answer": [{"valueCoding": {"system": "x", "code": "back"}}]}
            ],
        }
        (problem,) = problems_of(response)
        assert problem.key == "area" and "'x'" in problem.message

    def test_every_problem_is_reported_together(self):
        response = questionnaire_response({"area": "back"})
        response["questionnaire"] = "urn:other"
        response["item"] += [
            {"linkId": "nope", "answer": [{"valueBoolean": True}]},
            {"linkId": "fever", "answer": [{"valueInteger": 1}]},
        ]
        assert {p.key for p in problems_of(response)} == {"questionnaire", "nope", "fever"}

    def test_values_out_of_range_are_refused_by_triage_naming_the_key(self):
        response = questionnaire_response({"area": "back"})
        response["item"].append({"linkId": "age", "answer": [{"valueInteger": 500}]})
        with pytest.raises(painpath.InvalidAnswersError) as caught:
            painpath.triage(response)
        assert [p.key for p in caught.value.problems] == ["age"]

    @pytest.mark.parametrize("text", ["{", "[]", '"x"', b"\xff"])
    def test_text_that_is_not_a_response(self, text):
        (problem,) = problems_of(text)
        assert problem.key == "resourceType"


def _coded(key: str, code: str) -> dict[str, Any]:
    system = f"urn:painpath:questionnaire:{key}"
    return {"linkId": key, "answer": [{"valueCoding": {"system": system, "code": code}}]}


def _plain(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}


class TestCommandLine:
    def test_batch_reads_ndjson_of_questionnaire_responses(self, tmp_path):
        import io

        from painpath._cli import main

        responses = [
            questionnaire_response({"area": "back", "saddle_numbness": True}),
            {
                "resourceType": "QuestionnaireResponse",
                "item": [{"linkId": "fevers", "answer": [{"valueBoolean": True}]}],
            },
            questionnaire_response({"area": "knee", "knee_hot_red": False}),
        ]
        source = tmp_path / "responses.ndjson"
        source.write_text("".join(json.dumps(r) + "\n" for r in responses))
        out = tmp_path / "out.jsonl"
        main(["batch", str(source), str(out), "--workers", "1"], stderr=io.StringIO())
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        assert [line["ok"] for line in lines] == [True, False, True]
        assert lines[0]["result"] == painpath.triage(responses[0]).to_dict()
        assert lines[1]["errors"][0]["key"] == "fevers"
        assert lines[2]["result"] == painpath.triage(responses[2]).to_dict()
