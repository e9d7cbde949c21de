"""Who is calling the API: a partner key (X-API-Key) or an anonymous client, each with its
rate limit; which browser origins each partner allows (CORS); the language of the answer.

All of it happens in ``ApiGateMiddleware``, plain ASGI in front of every /api/ route, rather
than in a FastAPI dependency: solving a router-wide dependency cost the busiest route, the
score, about a tenth of a millisecond a call (docs/BENCHMARKS.md)."""

from __future__ import annotations

import math
import time

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import (
    API_LOCALE,
    TOO_LARGE,
    TOO_MANY,
    TOO_MANY_DETAIL,
    UNAUTHORIZED,
    UNAUTHORIZED_DETAIL,
    api_language,
    problem,
    too_large_detail,
)
from app.core.vocabulary import Locale
from app.services import partners
from app.storage.db import engine_for
from app.storage.tables import PartnerKey
from app.web.middleware import (
    API_PREFIX,
    RawHeaders,
    on_response_start,
    request_state,
)

CORS_HEADERS = "Content-Type, X-API-Key, Idempotency-Key, Accept-Language"
EXPOSED = b"Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Location"
"""Response headers a partner's page may read (CORS)."""
_READ = frozenset(
    {
        b"origin",
        b"x-api-key",
        b"accept-language",
        b"access-control-request-method",
        b"content-length",
    }
)


def _partner(database_url: str, key: str) -> PartnerKey | None:
    with Session(engine_for(database_url)) as session:
        return partners.by_key(session, key)


class ApiGateMiddleware:
    """For /api/ only:

    - CORS per partner: a browser on an origin that a partner key allows gets the grant for
      that key's calls; any other origin gets none. A preflight carries no key, so it is granted
      to origins that some active key allows.
    - The caller: an unknown or revoked key is refused (401, counted against the address's
      limit); only a call that names a key touches the database, in the thread pool.
      ``request.state.partner_id`` names the partner.
    - The rate limit of the key, or of the address for anonymous calls (429, Retry-After). The
      partner is known before the limit, so a 429 carries the CORS grant and the partner's page
      can read the wait.
    - Content-Language: the API's language (``lang``, then Accept-Language, then French), not
      the site's cookie, which the API does not read.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        database_url: str,
        anonymous_rate: int,
        default_locale: Locale = "fr",
        max_body_bytes: int = 65_536,
    ) -> None:
        self.app = app
        self.database_url = database_url
        self.anonymous_rate = anonymous_rate
        self.default_locale: Locale = default_locale
        self.max_body_bytes = max_body_bytes
        self.limiter = partners.RateLimiter()
        self._origins: tuple[float, set[str]] = (0.0, set())

    def _known_origins(self) -> set[str]:
        fetched, origins = self._origins
        if time.monotonic() - fetched > 10:  # revocations reach preflights within 10 s
            with Session(engine_for(self.database_url)) as session:
                origins = partners.all_origins(session)
            self._origins = (time.monotonic(), origins)
        return origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        origin = key = preflight = accept_language = length = None
        for name, value in scope["headers"]:  # one pass, not one per header
            if name in _READ:
                text = value.decode("latin-1")
                if name == b"origin":
                    origin = text if origin is None else origin
                elif name == b"x-api-key":
                    key = text if key is None else key
                elif name == b"accept-language":
                    accept_language = text if accept_language is None else accept_language
                elif name == b"content-length":
                    length = text
                else:
                    preflight = text
        if origin and scope["method"] == "OPTIONS" and preflight is not None:
            await self._preflight(origin)(scope, receive, send)
            return

        partner = None
        if key is not None:
            partner = await run_in_threadpool(_partner, self.database_url, key)
        allowed = {o.lower() for o in partner.origins} if partner else set()
        state = request_state(scope)
        state["partner_id"] = partner.id if partner else None
        locale = state[API_LOCALE] = api_language(
            scope["query_string"], accept_language, self.default_locale
        )
        language = locale.encode("latin-1")
        if partner is not None:
            rate = partner.rate_per_minute
            wait, left = self.limiter.take_counted(f"key:{partner.id}", rate)
        else:
            # a wrong key counts against its address, as an anonymous call: guessing keys is
            # limited like any other call
            client = scope.get("client")
            address = client[0] if client else "unknown"
            rate = self.anonymous_rate
            wait, left = self.limiter.take_counted(f"ip:{address}", rate)
        # RateLimit-Limit/-Remaining/-Reset (the IETF httpapi draft's first form, the one most
        # clients read): the calls a minute, those left now, the seconds until all are back
        limits = [
            (b"ratelimit-limit", str(rate).encode("latin-1")),
            (b"ratelimit-remaining", str(int(left)).encode("latin-1")),
            (b"ratelimit-reset", str(math.ceil((rate - left) * 60.0 / rate)).encode("latin-1")),
        ]

        def edit(headers: RawHeaders) -> None:
            if origin and origin.lower() in allowed:
                _set(headers, b"access-control-allow-origin", origin.encode("latin-1"))
                _set(headers, b"access-control-expose-headers", EXPOSED)
            _set(headers, b"content-language", language)
            headers.append((b"vary", b"Origin, Accept-Language"))
            headers.extend(limits)

        send = on_response_start(scope, send, edit)
        if key is not None and partner is None and wait <= 0:
            refusal = problem(Request(scope), 401, UNAUTHORIZED, UNAUTHORIZED_DETAIL)
            await refusal(scope, receive, send)
            return
        if wait > 0:
            retry = {"Retry-After": str(max(1, math.ceil(wait)))}
            refusal = problem(Request(scope), 429, TOO_MANY, TOO_MANY_DETAIL, headers=retry)
            await refusal(scope, receive, send)
            return
        if scope["method"] == "POST":
            # refused before it is read: an answer set takes a few kilobytes
            if length is not None and length.isdigit():
                too_large = int(length) > self.max_body_bytes
            else:  # chunked: read up to the limit, then hand the body on
                body = await _read_at_most(receive, self.max_body_bytes)
                too_large = body is None
                if body is not None:
                    receive = _replay(body, receive)
            if too_large:
                detail = too_large_detail(self.max_body_bytes)
                await problem(Request(scope), 413, TOO_LARGE, detail)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _preflight(self, origin: str) -> Response:
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


def _set(headers: RawHeaders, name: bytes, value: bytes) -> None:
    """``headers[name] = value``: the first such header replaced, any other removed."""
    found = [i for i, (key, _) in enumerate(headers) if key == name]
    if not found:
        headers.append((name, value))
        return
    headers[found[0]] = (name, value)
    for i in reversed(found[1:]):
        del headers[i]


async def _read_at_most(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it is longer than ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)  # the client left: the app sees an empty body
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body already read, then hands on to the server's (which
    answers the disconnect when it comes)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
