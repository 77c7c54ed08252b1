"""What every route shares: the app's state, turning a worker's Outcome into a response, bounds on inputs, and
the shape of an error in the OpenAPI document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from kg.errors import InputError
from kg.web.state import AppState
from kg.web.worker import JSON, Outcome

MAX_ITEMS = 20  # perturbations, readouts, hypotheses, categories in one request
MAX_TEXT = 200  # characters in one name, perturbation or parameter value


class ErrorBody(BaseModel):
    """Every error: the HTTP status and the message the CLI prints; suggestions for an unknown name; each
    problem of an uploaded file with its line and field."""

    status: int
    error: str
    suggestions: list[str] | None = None
    errors: list[dict[str, Any]] | None = None
    reason: str | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad input (the CLI's exit 2), e.g. an unknown context or effect."},
    404: {"model": ErrorBody, "description": "Unknown name or id, with close matches."},
    422: {"model": ErrorBody, "description": "Parameters or an uploaded file that do not validate."},
    503: {"model": ErrorBody, "description": "Past the time or memory limit, every worker busy, or no build."},
}


def state(request: Request) -> AppState:
    return request.app.state.kg


def respond(outcome: Outcome, *, filename: str | None = None) -> Response:
    """A worker's outcome as an HTTP response (JSON, or bytes with their media type)."""
    if outcome.media == JSON and not isinstance(outcome.body, bytes):
        return JSONResponse(outcome.body, status_code=outcome.status)
    headers = {"content-disposition": f'attachment; filename="{filename}"'} if filename else None
    return Response(outcome.body, status_code=outcome.status, media_type=outcome.media, headers=headers)


def bounded(values: Sequence[str] | None, what: str, *, required: bool = False) -> list[str]:
    """A list of texts within MAX_ITEMS items of MAX_TEXT characters each; InputError (400) otherwise."""
    values = [v.strip() for v in values or [] if v.strip()]
    if required and not values:
        raise InputError(f"give at least one {what}")
    if len(values) > MAX_ITEMS:
        raise InputError(f"at most {MAX_ITEMS} {what}s in one request, not {len(values)}")
    for v in values:
        if len(v) > MAX_TEXT:
            raise InputError(f"a {what} of at most {MAX_TEXT} characters, not {len(v)}")
    return values


def optional_text(value: str | None, what: str) -> str | None:
    value = (value or "").strip() or None
    if value is not None and len(value) > MAX_TEXT:
        raise InputError(f"a {what} of at most {MAX_TEXT} characters, not {len(value)}")
    return value
