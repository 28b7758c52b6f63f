"""``painpath serve``: a CDS Hooks 2.0 service on Starlette and uvicorn (``painpath[serve]``).

- ``GET /cds-services``: the discovery document, one service ``painpath-triage``.
- ``POST /cds-services/painpath-triage``: a hook request whose ``context`` holds a
  ``questionnaireResponse``, or whose ``prefetch`` holds one (a QuestionnaireResponse,
  or a Bundle of them: the first is used). The answer is the result's CDS Hooks
  response: one card for the level.

Errors are JSON (``{"error": ..., "problems": [...]}``) with the status CDS Hooks
gives: 400 for a malformed request or unreadable answers, 412 when no
QuestionnaireResponse was sent (this service never fetches from the EHR), 404 for an
unknown service. Request bodies and answers are never logged.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any

try:
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route
except ImportError as error:  # pragma: no cover - exercised without the extra
    raise ImportError(
        "painpath serve needs Starlette and uvicorn: pip install 'painpath[serve]'"
    ) from error

from ._exceptions import InvalidAnswersError, PainpathError
from ._questionnaire import QUESTIONNAIRE_URL
from ._rules import RuleSet, default_rules
from ._triage import triage

__all__ = ["SERVICE_ID", "create_app", "discovery", "run"]

SERVICE_ID = "painpath-triage"
_PREFETCH_KEY = "questionnaireResponse"


def discovery() -> dict[str, Any]:
    """Return the CDS Hooks discovery document of the service."""
    return {
        "services": [
            {
                "hook": "patient-view",
                "id": SERVICE_ID,
                "title": "painpath: low back and knee pain triage",
                "description": (
                    "Reads the patient's latest answers to painpath's questionnaire "
                    f"({QUESTIONNAIRE_URL}) and returns one card: how soon to act "
                    "(emergency, urgent, see a doctor, self-care), why, and the red flags "
                    "that were not screened. Send the QuestionnaireResponse in "
                    f"context.{_PREFETCH_KEY} or in prefetch.{_PREFETCH_KEY}."
                ),
                "prefetch": {
                    _PREFETCH_KEY: (
                        "QuestionnaireResponse?subject={{context.patientId}}"
                        f"&questionnaire={QUESTIONNAIRE_URL}&_sort=-authored&_count=1"
                    )
                },
            }
        ]
    }


class RequestError(Exception):
    """A request this service refuses, with its HTTP status and JSON body."""

    def __init__(
        self, status: int, message: str, problems: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"error": message}
        if problems:
            self.body["problems"] = problems


def questionnaire_response_of(request: object) -> Mapping[str, Any]:
    """Return the QuestionnaireResponse of a hook request, or raise :class:`RequestError`."""
    if not isinstance(request, Mapping):
        raise RequestError(400, "the request body must be a JSON object (a CDS Hooks request)")
    missing = [k for k in ("hook", "hookInstance", "context") if k not in request]
    if missing:
        raise RequestError(400, f"the hook request lacks {', '.join(missing)}")
    context = request["context"]
    if not isinstance(context, Mapping):
        raise RequestError(400, "'context' must be a JSON object")
    found = context.get(_PREFETCH_KEY)
    if found is None:
        prefetch = request.get("prefetch")
        if prefetch is not None and not isinstance(prefetch, Mapping):
            raise RequestError(400, "'prefetch' must be a JSON object")
        found = (prefetch or {}).get(_PREFETCH_KEY)
        if isinstance(found, Mapping) and found.get("resourceType") == "Bundle":
            entries = found.get("entry") or []
            found = next(
                (
                    e["resource"]
                    for e in entries
                    if isinstance(e, Mapping)
                    and isinstance(e.get("resource"), Mapping)
                    and e["resource"].get("resourceType") == "QuestionnaireResponse"
                ),
                None,
            )
    if found is None:
        raise RequestError(
            412,
            f"no QuestionnaireResponse: send it in context.{_PREFETCH_KEY} or "
            f"prefetch.{_PREFETCH_KEY} (this service does not fetch from the FHIR server)",
        )
    if not isinstance(found, Mapping):
        raise RequestError(400, f"'{_PREFETCH_KEY}' must be a FHIR resource (a JSON object)")
    return found


def create_app(rules: RuleSet | None = None) -> Starlette:
    """Return the ASGI application of the CDS Hooks service (``rules``: the shipped ones)."""
    lock = threading.Lock()
    loaded: list[RuleSet] = [rules] if rules is not None else []

    def rule_set() -> RuleSet:
        with lock:
            if not loaded:
                loaded.append(default_rules())
            return loaded[0]

    async def services(_: Request) -> JSONResponse:
        return JSONResponse(discovery())

    async def call(request: Request) -> JSONResponse:
        if request.path_params["service"] != SERVICE_ID:
            return _error(RequestError(404, "no such CDS service; see GET /cds-services"))
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return _error(RequestError(400, "the request body is not valid JSON"))
        try:
            response = questionnaire_response_of(body)
            result = await run_in_threadpool(triage, response, rules=rule_set())
        except RequestError as refused:
            return _error(refused)
        except InvalidAnswersError as bad:
            problems = [{"item": p.key, "message": p.message} for p in bad.problems]
            return _error(RequestError(400, "the answers cannot be read", problems))
        except PainpathError as failed:
            return _error(RequestError(500, f"painpath failed: {failed}"))
        return JSONResponse(result.to_cds_hooks())

    async def http_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        return _error(RequestError(exc.status_code, exc.detail))

    return Starlette(
        routes=[
            Route("/cds-services", services, methods=["GET"]),
            Route("/cds-services/{service}", call, methods=["POST"]),
        ],
        middleware=[Middleware(CORSMiddleware, allow_origins=["*"], allow_headers=["*"])],
        exception_handlers={HTTPException: http_error},
    )


def _error(error: RequestError) -> JSONResponse:
    return JSONResponse(error.body, status_code=error.status)


def run(host: str, port: int, rules: RuleSet | None = None) -> None:
    """Serve until interrupted; logs say which requests came, never what they held."""
    import uvicorn

    uvicorn.run(create_app(rules), host=host, port=port, log_level="info")
