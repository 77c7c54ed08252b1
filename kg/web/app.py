"""The web application: the API routers under /api/v1, the page, the guard, and kg's errors as JSON.

`create_app(settings)` is what `kg serve` runs on uvicorn and what the tests drive with the framework's client.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from kg import __version__
from kg.errors import KgError
from kg.web.errors import error_payload
from kg.web.settings import API_PREFIX, Settings

DESCRIPTION = """An evidence-backed knowledge graph of ANKH, pyrophosphate and mineralization.

Every route answers with the JSON of the matching `kg` command run with `--format json` (the same functions
compute it). Errors are JSON, `{"status": N, "error": "the CLI's message", ...}`: 400 bad input, 404 unknown
name or id (with `suggestions`), 422 parameters or an uploaded file that do not validate (with each problem's
line and field), 503 past the time or memory limit, every worker busy, or no build. The server is read-only.
"""


def _json_error(status: int, body: dict[str, object]) -> JSONResponse:
    headers = {"retry-after": "5"} if status == 503 else None
    return JSONResponse(body, status_code=status, headers=headers)


def create_app(settings: Settings) -> FastAPI:
    from kg.serving.hosts import allowed_hosts
    from kg.web import api_graph, api_simulate, api_views, page
    from kg.web.guard import Guard
    from kg.web.state import AppState

    state = AppState(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.warm:
            from starlette.concurrency import run_in_threadpool

            await run_in_threadpool(state.warm)
        try:
            yield
        finally:
            state.close()

    app = FastAPI(title="kg", version=__version__, description=DESCRIPTION, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", lifespan=lifespan)
    app.state.kg = state
    for router in (api_graph.router, api_simulate.router, api_views.router):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(page.router)

    @app.exception_handler(KgError)
    async def kg_error(_request: Request, exc: KgError) -> JSONResponse:
        return _json_error(*error_payload(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
                    for e in exc.errors()]
        text = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return _json_error(422, {"status": 422, "error": f"invalid request: {text}", "errors": problems})

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return _json_error(exc.status_code, {"status": exc.status_code, "error": str(exc.detail)})

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        return _json_error(*error_payload(exc))  # logged there; the client gets no detail

    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Accept", "Content-Type"], allow_credentials=False)
    app.add_middleware(Guard, allowed_hosts=allowed_hosts(settings.bind_host, settings.allow_hosts),
                       max_body=settings.limits.max_request_bytes)
    return app
