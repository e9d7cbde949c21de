"""Who is calling the API: a partner key (X-API-Key) or an anonymous client, each with its
rate limit; and which browser origins each partner allows (CORS, framing)."""

from __future__ import annotations

import math
import time
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.problems import TOO_MANY, UNAUTHORIZED, ApiProblem
from app.services import partners
from app.storage.db import engine_for
from app.storage.tables import PartnerKey
from app.web.deps import settings_of
from app.web.middleware import RawHeaders, on_response_start, request_header, request_state

API_KEY_HEADER = "x-api-key"
CORS_HEADERS = "Content-Type, X-API-Key, Idempotency-Key, Accept-Language"


def _partner(database_url: str, key: str) -> PartnerKey | None:
    with Session(engine_for(database_url)) as session:
        return partners.by_key(session, key)


async def caller(request: Request) -> PartnerKey | None:
    """The partner behind the call (None: anonymous), after its rate limit. Only a call that
    names a key touches the database (in the thread pool: the event loop never waits on it)."""
    key = request.headers.get(API_KEY_HEADER)
    partner = None
    if key is not None:
        database_url = settings_of(request).database_url
        partner = await run_in_threadpool(_partner, database_url, key)
        if partner is None:
            raise ApiProblem(401, UNAUTHORIZED)
    # known before the limit, so that a 429 carries the CORS grant and its Retry-After can
    # be read by the partner's page
    request.state.partner_origins = set(partner.origins) if partner else set()
    request.state.partner_id = partner.id if partner else None
    limiter: partners.RateLimiter = request.app.state.rate_limiter
    if partner is not None:
        wait = limiter.take(f"key:{partner.id}", partner.rate_per_minute)
    else:
        address = request.client.host if request.client else "unknown"
        wait = limiter.take(f"ip:{address}", request.app.state.anonymous_rate)
    if wait > 0:
        raise ApiProblem(429, TOO_MANY, {"Retry-After": str(max(1, math.ceil(wait)))})
    return partner


Caller = Annotated[PartnerKey | None, Depends(caller)]


class ApiCorsMiddleware:
    """CORS for /api/ only, per partner: a browser on an origin that a partner key allows gets
    the grant for that key's calls; any other origin gets none. A preflight carries no key, so
    it is granted to origins that some active key allows. Plain ASGI middleware, like those of
    app/web/middleware.py."""

    def __init__(self, app: ASGIApp, *, database_url: str) -> None:
        self.app = app
        self.database_url = database_url
        self._origins: tuple[float, set[str]] = (0.0, set())

    def _known_origins(self) -> set[str]:
        fetched, origins = self._origins
        if time.monotonic() - fetched > 10:  # revocations reach preflights within 10 s
            with Session(engine_for(self.database_url)) as session:
                origins = partners.all_origins(session)
            self._origins = (time.monotonic(), origins)
        return origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        origin = request_header(scope, b"origin")
        state = request_state(scope)  # where ``caller`` leaves the partner's origins
        if not origin:
            await self.app(scope, receive, send)
            return
        preflight = request_header(scope, b"access-control-request-method") is not None
        if scope["method"] == "OPTIONS" and preflight:
            if origin.lower() not in self._known_origins():
                response = Response(status_code=403)
            else:
                response = Response(
                    status_code=204,
                    headers={
                        "Access-Control-Allow-Origin": origin,
                        "Access-Control-Allow-Methods": "GET, POST",
                        "Access-Control-Allow-Headers": CORS_HEADERS,
                        "Access-Control-Max-Age": "600",
                        "Vary": "Origin",
                    },
                )
            await response(scope, receive, send)
            return

        def edit(headers: RawHeaders) -> None:
            allowed: set[str] = state.get("partner_origins", set())
            if origin.lower() in allowed:
                _set(headers, b"access-control-allow-origin", origin.encode("latin-1"))
                _set(headers, b"access-control-expose-headers", b"Retry-After")
            headers.append((b"vary", b"Origin"))

        await self.app(scope, receive, on_response_start(send, edit))


def _set(headers: RawHeaders, name: bytes, value: bytes) -> None:
    """``headers[name] = value``: the first such header replaced, any other removed."""
    found = [i for i, (key, _) in enumerate(headers) if key == name]
    if not found:
        headers.append((name, value))
        return
    headers[found[0]] = (name, value)
    for i in reversed(found[1:]):
        del headers[i]
