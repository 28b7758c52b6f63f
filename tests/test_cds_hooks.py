"""CDS Hooks out: result.to_cds_hooks(), and `painpath serve` on a real uvicorn."""

from __future__ import annotations

import concurrent.futures
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema
import pytest

import painpath
from painpath._fhir import questionnaire_response
from painpath._samples import sample_answers

# The CDS Hooks 2.0 response and card shape (cds-hooks.hl7.org/2.0, "CDS Service Response").
CDS_RESPONSE = {
    "type": "object",
    "required": ["cards"],
    "properties": {
        "cards": {"type": "array", "items": {"$ref": "#/$defs/card"}},
        "systemActions": {"type": "array"},
    },
    "$defs": {
        "card": {
            "type": "object",
            "required": ["summary", "indicator", "source"],
            "properties": {
                "uuid": {"type": "string", "format": "uuid"},
                "summary": {"type": "string", "minLength": 1, "maxLength": 139},
                "detail": {"type": "string"},
                "indicator": {"enum": ["info", "warning", "critical"]},
                "source": {
                    "type": "object",
                    "required": ["label"],
                    "properties": {
                        "label": {"type": "string", "minLength": 1},
                        "url": {"type": "string"},
                        "icon": {"type": "string"},
                        "topic": {
                            "type": "object",
                            "properties": {
                                "system": {"type": "string"},
                                "code": {"type": "string"},
                                "display": {"type": "string"},
                            },
                        },
                    },
                },
                "suggestions": {"type": "array"},
                "selectionBehavior": {"enum": ["at-most-one", "any"]},
                "overrideReasons": {"type": "array"},
                "links": {"type": "array"},
            },
            "additionalProperties": False,
        }
    },
}
CHECK = jsonschema.Draft202012Validator(
    CDS_RESPONSE, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
INDICATOR = {
    "emergency": "critical",
    "urgent": "warning",
    "see_doctor": "warning",
    "self_care": "info",
}


class TestCards:
    def test_every_card_has_the_cds_hooks_shape(self):
        seen = set()
        for answers in sample_answers(600, seed=3, red_flag_rate=0.3):
            result = painpath.triage(answers)
            response = result.to_cds_hooks()
            CHECK.validate(response)
            (card,) = response["cards"]
            assert card["indicator"] == INDICATOR[result.level.value]
            assert len(card["summary"]) < 140
            assert card["source"]["label"].startswith("painpath ")
            for reason in result.reasons:
                if reason.level is result.level:
                    assert reason.rule_id in card["source"]["label"]
                assert f"`{reason.rule_id}`" in card["detail"]
            seen.add(result.level)
        assert seen == set(painpath.Level)

    def test_an_emergency_card_is_critical_and_says_why(self):
        result = painpath.triage({"area": "back", "bladder_or_bowel_change": True})
        (card,) = result.to_cds_hooks()["cards"]
        assert card["indicator"] == "critical"
        assert card["summary"].startswith("Emergency: ")
        assert "cauda equina" in card["summary"]
        assert "RF-001" in card["source"]["label"]

    def test_unscreened_red_flags_are_said_plainly(self):
        result = painpath.triage({"area": "back", "fever": False})
        (card,) = result.to_cds_hooks()["cards"]
        assert "Red flags not screened" in card["summary"]
        assert "cannot rule them out" in card["detail"]
        for key in result.unscreened:
            assert f"(`{key}`)" in card["detail"]

    def test_a_fully_screened_result_does_not_claim_unscreened_flags(self):
        answers = {"area": "knee", **dict.fromkeys(_knee_flags(), False)}
        result = painpath.triage(answers)
        assert result.unscreened == ()
        (card,) = result.to_cds_hooks()["cards"]
        assert "not screened" not in card["summary"] + card["detail"]

    def test_the_same_result_gives_the_same_card(self):
        a = painpath.triage({"area": "knee"}).to_cds_hooks()
        assert a == painpath.triage({"area": "knee"}).to_cds_hooks()


def _knee_flags() -> list[str]:
    from painpath._contract import red_flags_for_area

    return list(red_flags_for_area("knee"))


# --- the service ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[str]]]:
    """Start `painpath serve` on 127.0.0.1 and a free port; stop it after the tests."""
    process = subprocess.Popen(
        [sys.executable, "-m", "painpath", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    log: list[str] = []
    url = None
    deadline = time.monotonic() + 60
    assert process.stdout is not None
    while url is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        log.append(line)
        found = re.search(r"running on (http://127\.0\.0\.1:\d+)", line)
        if found:
            url = found.group(1)
    assert url, "painpath serve did not start:\n" + "".join(log)
    reader = threading.Thread(target=lambda: log.extend(iter(process.stdout.readline, "")))
    reader.start()
    try:
        yield url, log
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        reader.join(timeout=30)
        process.stdout.close()


def _hook(**fields: Any) -> dict[str, Any]:
    return {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/1", "patientId": "1288992"},
        **fields,
    }


def _with_context(answers: dict[str, Any]) -> dict[str, Any]:
    request = _hook()
    request["context"]["questionnaireResponse"] = questionnaire_response(answers)
    return request


@pytest.mark.slow
class TestService:
    def test_discovery(self, server):
        url, _ = server
        response = httpx.get(f"{url}/cds-services")
        assert response.status_code == 200
        (service,) = response.json()["services"]
        assert service["id"] == "painpath-triage"
        assert service["hook"] == "patient-view"
        assert {"title", "description", "prefetch"} <= set(service)

    def test_a_response_in_context(self, server):
        url, _ = server
        answers = {"area": "back", "saddle_numbness": True}
        reply = httpx.post(f"{url}/cds-services/painpath-triage", json=_with_context(answers))
        assert reply.status_code == 200
        assert reply.json() == painpath.triage(answers).to_cds_hooks()
        assert reply.json()["cards"][0]["indicator"] == "critical"

    def test_a_response_in_prefetch_alone_or_in_a_bundle(self, server):
        url, _ = server
        answers = {"area": "knee", "knee_hot_red": True, "fever": False}
        qr = questionnaire_response(answers)
        expected = painpath.triage(answers).to_cds_hooks()
        for prefetched in (
            qr,
            {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": qr}]},
        ):
            request = _hook(prefetch={"questionnaireResponse": prefetched})
            reply = httpx.post(f"{url}/cds-services/painpath-triage", json=request)
            assert reply.status_code == 200, reply.text
            assert reply.json() == expected

    def test_no_response_is_412(self, server):
        url, _ = server
        for request in (
            _hook(),
            _hook(prefetch={"questionnaireResponse": {"resourceType": "Bundle", "entry": []}}),
        ):
            reply = httpx.post(f"{url}/cds-services/painpath-triage", json=request)
            assert reply.status_code == 412
            assert "QuestionnaireResponse" in reply.json()["error"]

    def test_bad_requests_are_400_json(self, server):
        url, _ = server
        endpoint = f"{url}/cds-services/painpath-triage"
        reply = httpx.post(endpoint, content=b"{not json", headers={"content-type": "x"})
        assert reply.status_code == 400 and "JSON" in reply.json()["error"]
        reply = httpx.post(endpoint, json={"context": {}})
        assert reply.status_code == 400 and "hook" in reply.json()["error"]
        request = _with_context({"area": "back"})
        request["context"]["questionnaireResponse"]["item"].append(
            {"linkId": "fevers", "answer": [{"valueBoolean": True}]}
        )
        reply = httpx.post(endpoint, json=request)
        assert reply.status_code == 400
        (problem,) = reply.json()["problems"]
        assert problem["item"] == "fevers" and "'fever'" in problem["message"]

    def test_unknown_service_and_wrong_method(self, server):
        url, _ = server
        reply = httpx.post(f"{url}/cds-services/other", json=_hook())
        assert reply.status_code == 404 and "error" in reply.json()
        reply = httpx.get(f"{url}/cds-services/painpath-triage")
        assert reply.status_code == 405 and "error" in reply.json()

    def test_concurrent_requests_each_get_their_own_answer(self, server):
        url, _ = server
        # "No equipment at all" has no FHIR form (see questionnaire_response).
        answer_sets = [
            {k: v for k, v in a.items() if v != []}
            for a in sample_answers(60, seed=11, red_flag_rate=0.3)
        ]
        expected = [painpath.triage(a).to_cds_hooks() for a in answer_sets]

        def ask(answers: dict[str, Any]) -> dict[str, Any]:
            with httpx.Client(timeout=60) as client:
                reply = client.post(
                    f"{url}/cds-services/painpath-triage", json=_with_context(answers)
                )
            assert reply.status_code == 200, reply.text
            data: dict[str, Any] = reply.json()
            return data

        with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
            got = list(pool.map(ask, answer_sets))
        assert got == expected

    def test_answers_are_never_logged(self, server):
        url, log = server
        httpx.post(
            f"{url}/cds-services/painpath-triage",
            json=_with_context({"area": "back", "bladder_or_bowel_change": True}),
        )
        time.sleep(0.5)  # let the server write its access line
        text = "".join(log)
        assert "POST /cds-services/painpath-triage" in text
        for word in ("bladder", "linkId", "valueBoolean", "questionnaireResponse", "Emergency"):
            assert word not in text
