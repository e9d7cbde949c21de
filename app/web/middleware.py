"""Cross-cutting HTTP concerns: the page language and the security headers.

Each is plain ASGI middleware: it reads the request from the scope, sets ``request.state``
(``scope["state"]``) and edits the response's headers as they pass, without running the rest of
the app in a task of its own (what ``BaseHTTPMiddleware`` costs: about 0.25 ms a layer)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import QueryParams
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import HTTPConnection, cookie_parser
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.services.partners import safe_origins
from app.web.i18n import from_accept_language, parse_locale

# plotly.js creates one empty <style> element and fills it through the CSSOM; the hash is that
# of the empty string, so it allows exactly that element and no inline style with content.
EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
_POLICY_WITHOUT_FRAMING = (
    f"default-src 'self'; script-src 'self'; style-src 'self' {EMPTY_STYLE_HASH}; "
    "img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)
CONTENT_SECURITY_POLICY = f"{_POLICY_WITHOUT_FRAMING}; frame-ancestors 'none'"


def framed_policy(origins: Iterable[str]) -> str:
    """The same policy, but these origins (a partner's, already normalised) may frame the page."""
    allowed = " ".join(safe_origins(origins)) or "'none'"
    return f"{_POLICY_WITHOUT_FRAMING}; frame-ancestors {allowed}"


ONE_YEAR = 60 * 60 * 24 * 365
API_PREFIX = "/api/"
"""The partner API: its own language rule and no cookie (``app.api.partner.ApiGateMiddleware``);
the site's language and CSRF middleware leave it alone."""
COOKIELESS_PREFIX = "/embed/"
"""The embedded questionnaire sets none of the site's cookies (CSRF, language): a frame on a
partner's site would not get them back (SameSite, third-party cookie blocking), so the flow
carries its state in its URLs instead. Its one cookie, partitioned, only brings the frame back
to an unfinished questionnaire (app/web/embed.py)."""

RawHeaders = list[tuple[bytes, bytes]]


def response_headers(message: Message) -> RawHeaders:
    """The headers of an ``http.response.start`` message, as a list edited in place."""
    headers = message.get("headers")
    if not isinstance(headers, list):
        headers = message["headers"] = list(headers or ())
    return headers


def has_header(headers: RawHeaders, name: bytes) -> bool:
    """``name`` in lower case, as Starlette writes header names."""
    return any(key == name for key, _ in headers)


def set_default(headers: RawHeaders, name: bytes, value: bytes) -> None:
    if not has_header(headers, name):
        headers.append((name, value))


def cookie_header(name: str, value: str, **options: object) -> tuple[bytes, bytes]:
    """The Set-Cookie header ``Response.set_cookie`` would add."""
    response = Response()
    response.set_cookie(name, value, **options)  # type: ignore[arg-type]
    return next(h for h in response.raw_headers if h[0] == b"set-cookie")


def request_header(scope: Scope, name: bytes) -> str | None:
    """The first request header ``name`` (lower case), as ``Request.headers.get`` gives it,
    without building the Headers object."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def request_cookies(scope: Scope) -> dict[str, str]:
    """``Request.cookies``, without building the request."""
    cookies: dict[str, str] = {}
    for key, value in scope["headers"]:
        if key == b"cookie":
            cookies.update(cookie_parser(value.decode("latin-1")))
    return cookies


def request_state(scope: Scope) -> dict[str, Any]:
    """What ``request.state`` reads and writes."""
    state: dict[str, Any] = scope.setdefault("state", {})
    return state


HEADER_EDITS = "response_header_edits"
"""Scope key of the edits the middlewares ask for, applied by ``SecurityHeadersMiddleware``."""


def on_response_start(scope: Scope, send: Send, edit: Callable[[RawHeaders], None]) -> Send:
    """``send`` that lets ``edit`` change the response's headers before they go out. Under
    ``SecurityHeadersMiddleware``, which wraps every response, the edit is handed to it rather
    than wrapping ``send`` once more: one wrapper per response however many layers edit (each
    wrapper is a coroutine call per message). The edits run innermost first, as nested wrappers
    would."""
    edits: list[Callable[[RawHeaders], None]] | None = scope.get(HEADER_EDITS)
    if edits is not None:
        edits.append(edit)
        return send

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            edit(response_headers(message))
        await send(message)

    return sending


class LocaleMiddleware:
    """``?lang=`` (remembered in a cookie) wins, then the cookie, then Accept-Language, then the
    default language."""

    def __init__(self, app: ASGIApp, *, default: str, cookie: str) -> None:
        self.app = app
        self.default = default
        self.cookie = cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        query = scope["query_string"]
        chosen = parse_locale(QueryParams(query).get("lang")) if query else None
        locale = (
            chosen
            or parse_locale(request_cookies(scope).get(self.cookie))
            or from_accept_language(request_header(scope, b"accept-language"))
            or self.default
        )
        request_state(scope)["locale"] = locale
        language = locale.encode("latin-1")

        remember = None if scope["path"].startswith(COOKIELESS_PREFIX) else chosen

        def edit(headers: RawHeaders) -> None:
            if remember:
                headers.append(
                    cookie_header(
                        self.cookie, remember, max_age=ONE_YEAR, samesite="lax", httponly=True
                    )
                )
            set_default(headers, b"content-language", language)
            headers.append((b"vary", b"Accept-Language, Cookie"))

        await self.app(scope, receive, on_response_start(scope, send, edit))


_CSP = CONTENT_SECURITY_POLICY.encode("latin-1")


def add_security_headers(headers: RawHeaders) -> None:
    present = {key for key, _ in headers}
    if b"content-security-policy" not in present:
        # A route that sets its own policy (the embed, which partners may frame) decides
        # framing with frame-ancestors; everything else is never framed.
        headers.append((b"content-security-policy", _CSP))
        if b"x-frame-options" not in present:
            headers.append((b"x-frame-options", b"DENY"))
    if b"x-content-type-options" not in present:
        headers.append((b"x-content-type-options", b"nosniff"))
    if b"referrer-policy" not in present:
        headers.append((b"referrer-policy", b"same-origin"))


class SecurityHeadersMiddleware:
    """The security headers, and the other layers' header edits (``on_response_start``): the
    one layer that wraps ``send``. Outermost of the app's middleware, so that responses the
    other layers make themselves (the API's 401 and 429) get them too. A 500 from an unhandled
    error is sent by Starlette's ServerErrorMiddleware, outside every middleware: its handler
    (``app.web.errors.server_error``) adds the security headers itself, and nothing else."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        edits: list[Callable[[RawHeaders], None]] = []
        scope[HEADER_EDITS] = edits

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = response_headers(message)
                for edit in reversed(edits):
                    edit(headers)
                add_security_headers(headers)
            await send(message)

        await self.app(scope, receive, sending)


def _vary_on_encoding(headers: RawHeaders) -> None:
    headers.append((b"vary", b"Accept-Encoding"))


class CompressionMiddleware:
    """Starlette's GZipMiddleware for the requests that accept gzip. The others go straight to
    the app with ``Vary: Accept-Encoding`` (on every response, where GZipMiddleware adds it to
    those long enough to compress): GZipMiddleware wraps their responses too, only to add that
    header, which cost the API about a twentieth of a score call."""

    def __init__(self, app: ASGIApp, *, minimum_size: int) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "gzip" not in (
            request_header(scope, b"accept-encoding") or ""
        ):
            await self.app(scope, receive, on_response_start(scope, send, _vary_on_encoding))
            return
        await self.gzip(scope, receive, send)


CSRF_COOKIE = "csrf"
CSRF_FIELD = "csrf"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CsrfMiddleware:
    """Refuses a cross-site POST from what the browser says of its origin (Sec-Fetch-Site,
    Origin), and issues the double-submit token every page puts in its forms
    (``request.state.csrf``)."""

    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self.app = app
        self.secure = secure
        # Lax, not Strict: a Strict cookie is not sent when the visitor arrives from
        # another site, and a fresh token would then break the forms open in other tabs
        name, value = cookie_header(
            CSRF_COOKIE, "TOKEN", httponly=True, samesite="lax", secure=secure
        )
        self._cookie_name = name
        self._cookie_before, _, self._cookie_after = value.partition(b"TOKEN")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # the partner API carries no cookie-borne authority: keys and CORS apply there
        if scope["type"] != "http" or scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        token = request_cookies(scope).get(CSRF_COOKIE)
        issued = None
        if not token or len(token) < 20:
            token = issued = secrets.token_urlsafe(24)
        request_state(scope)["csrf"] = token
        if scope["method"] in _UNSAFE and not self._allowed(HTTPConnection(scope)):
            response = PlainTextResponse("Cross-site request refused.", status_code=403)
            await response(scope, receive, send)
            return
        if not issued or scope["path"].startswith(COOKIELESS_PREFIX):
            await self.app(scope, receive, send)
            return
        # a token_urlsafe needs no quoting: the header is what set_cookie would write
        cookie = (self._cookie_name, self._cookie_before + issued.encode() + self._cookie_after)
        await self.app(scope, receive, on_response_start(scope, send, lambda h: h.append(cookie)))

    @staticmethod
    def _allowed(request: HTTPConnection) -> bool:
        """The origin checks; the token itself is checked by ``deps.csrf_protect`` once the
        route has parsed the form (reading the body here would consume it)."""
        if request.headers.get("sec-fetch-site") == "cross-site":
            return False
        origin = request.headers.get("origin")
        return not (origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc)
