"""Who is calling the API: a partner key (X-API-Key) or an anonymous client, each with its
rate limit; and which browser origins each partner allows (CORS, framing)."""

from __future__ import annotations

import math
import time
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

from app.api.problems import TOO_MANY, UNAUTHORIZED, ApiProblem
from app.services import partners
from app.storage.db import engine_for
from app.storage.tables import PartnerKey
from app.web.deps import SettingsDep

API_KEY_HEADER = "x-api-key"
CORS_HEADERS = "Content-Type, X-API-Key, Idempotency-Key, Accept-Language"


def caller(request: Request, settings: SettingsDep) -> PartnerKey | None:
    """The partner behind the call (None: anonymous), after its rate limit. Only a call that
    names a key touches the database."""
    key = request.headers.get(API_KEY_HEADER)
    partner = None
    if key is not None:
        with Session(engine_for(settings.database_url)) as session:
            partner = partners.by_key(session, key)
        if partner is None:
            raise ApiProblem(401, UNAUTHORIZED)
    limiter: partners.RateLimiter = request.app.state.rate_limiter
    if partner is not None:
        wait = limiter.take(f"key:{partner.id}", partner.rate_per_minute)
    else:
        address = request.client.host if request.client else "unknown"
        wait = limiter.take(f"ip:{address}", request.app.state.anonymous_rate)
    if wait > 0:
        raise ApiProblem(429, TOO_MANY, {"Retry-After": str(max(1, math.ceil(wait)))})
    request.state.partner_origins = set(partner.origins) if partner else set()
    request.state.partner_id = partner.id if partner else None
    return partner


Caller = Annotated[PartnerKey | None, Depends(caller)]


class ApiCorsMiddleware(BaseHTTPMiddleware):
    """CORS for /api/ only, per partner: a browser on an origin that a partner key allows gets
    the grant for that key's calls; any other origin gets none. A preflight carries no key, so
    it is granted to origins that some active key allows."""

    def __init__(self, app: object, *, database_url: str) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.database_url = database_url
        self._origins: tuple[float, set[str]] = (0.0, set())

    def _known_origins(self) -> set[str]:
        fetched, origins = self._origins
        if time.monotonic() - fetched > 10:  # revocations reach preflights within 10 s
            with Session(engine_for(self.database_url)) as session:
                origins = partners.all_origins(session)
            self._origins = (time.monotonic(), origins)
        return origins

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        origin = request.headers.get("origin")
        if not request.url.path.startswith("/api/") or not origin:
            return await call_next(request)
        if request.method == "OPTIONS" and "access-control-request-method" in request.headers:
            if origin.lower() not in self._known_origins():
                return Response(status_code=403)
            return Response(
                status_code=204,
                headers={
                    "Access-Control-Allow-Origin": origin,
                    "Access-Control-Allow-Methods": "GET, POST",
                    "Access-Control-Allow-Headers": CORS_HEADERS,
                    "Access-Control-Max-Age": "600",
                    "Vary": "Origin",
                },
            )
        response = await call_next(request)
        allowed: set[str] = getattr(request.state, "partner_origins", set())
        if origin.lower() in allowed:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = "Retry-After"
        response.headers.append("Vary", "Origin")
        return response
