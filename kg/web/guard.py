"""The HTTP-level guard around the app (one ASGI middleware): answer only the Host names the server is for
(DNS rebinding), refuse request bodies over the limit (by Content-Length, or counted as they stream, before the
app sees any of it), and send
the headers that keep a browser from doing more than the page means (a strict Content-Security-Policy, no
sniffing, no framing, no referrer).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from kg.serving.hosts import host_allowed

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The page's scripts are served files ('self'): no inline or injected script can run. Styles may be inline
# (Cytoscape.js and Swagger UI set style attributes); data reaches the page as JSON, never as markup or code.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                 b"img-src 'self' data:; "
                                 b"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                 b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


async def _reject(send: Send, status: int, message: str) -> None:
    body = json.dumps({"status": status, "error": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: Host allow-list, request body limit, security headers on every answer."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: frozenset[str], max_body: int) -> None:
        self.app, self.allowed_hosts, self.max_body = app, allowed_hosts, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host")
        if not host_allowed(host, self.allowed_hosts):
            await _reject(send, 403, f"this server does not answer for Host '{host}' (start it with --allow-host "
                                     "NAME to add a name)")
            return
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _reject(send, 413, f"the request body must be at most {self.max_body} bytes")
            return
        body, more = bytearray(), True
        while more:  # read the whole body (bounded) first: a body too large never reaches the app
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                await _reject(send, 413, f"the request body must be at most {self.max_body} bytes")
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in SECURITY_HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, replay, secured_send)
