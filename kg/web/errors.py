"""kg's errors as HTTP answers: the CLI's message, as JSON, with the status that says whose fault it was.

The CLI prints `error: MESSAGE` and exits 2 for bad input, 1 for a failure; the API answers
`{"status": N, "error": MESSAGE, ...}` with 400 (bad input), 404 (an unknown name or id, with suggestions),
422 (a file or parameters that do not validate: every problem with its file, line and field), 503 (a request that
ran past its time or memory limit, or found every worker busy) or 500 (a failure; an unexpected one is logged on
the server and answered without any detail: no traceback ever reaches a client). Used in the worker processes
too, so it imports nothing of the web framework.
"""

from __future__ import annotations

import logging
from typing import Any

from kg.errors import InputError, KgError, LoadError, LoadErrors, ResolveError

log = logging.getLogger(__name__)


class NotFound(InputError):
    """An id that names nothing in the build (an entity, an edge, a named query)."""


def _load_error(err: LoadError) -> dict[str, Any]:
    return {"file": err.file, "line": err.line, "field": err.field, "expected": err.expected, "message": str(err)}


def error_payload(exc: BaseException) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body) for an exception raised while answering a request."""
    from kg.serving.pool import WorkerError

    if isinstance(exc, ResolveError):
        status = 400 if exc.ambiguous else 404
        body: dict[str, Any] = {"error": str(exc), "name": exc.name}
        if exc.suggestions:
            body["suggestions"] = exc.suggestions
        if exc.ambiguous:
            body["ambiguous"] = exc.ambiguous
    elif isinstance(exc, NotFound):
        status, body = 404, {"error": str(exc)}
    elif isinstance(exc, LoadErrors):
        status, body = 422, {"error": str(exc), "errors": [_load_error(e) for e in exc.errors]}
    elif isinstance(exc, LoadError):
        status, body = 422, {"error": str(exc), "errors": [_load_error(exc)]}
    elif isinstance(exc, WorkerError):
        status, body = 503, {"error": str(exc), "reason": exc.reason}
    elif isinstance(exc, InputError):
        status, body = 400, {"error": str(exc)}
    elif isinstance(exc, KgError):
        status, body = 500, {"error": str(exc)}
    else:
        log.error("unexpected error answering a request", exc_info=exc)
        status, body = 500, {"error": "internal error: the request failed; the server's log has the details"}
    return status, {"status": status, **body}
