"""Cross-cutting HTTP concerns: the page language and the security headers."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

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
    allowed = " ".join(sorted(origins)) or "'none'"
    return f"{_POLICY_WITHOUT_FRAMING}; frame-ancestors {allowed}"


ONE_YEAR = 60 * 60 * 24 * 365


class LocaleMiddleware(BaseHTTPMiddleware):
    """``?lang=`` (remembered in a cookie) wins, then the cookie, then Accept-Language, then the
    default language."""

    def __init__(self, app: object, *, default: str, cookie: str) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.default = default
        self.cookie = cookie

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        chosen = parse_locale(request.query_params.get("lang"))
        request.state.locale = (
            chosen
            or parse_locale(request.cookies.get(self.cookie))
            or from_accept_language(request.headers.get("accept-language"))
            or self.default
        )
        response = await call_next(request)
        if chosen:
            response.set_cookie(
                self.cookie, chosen, max_age=ONE_YEAR, samesite="lax", httponly=True
            )
        response.headers.setdefault("Content-Language", request.state.locale)
        response.headers.append("Vary", "Accept-Language, Cookie")
        return response


class SecurityHeadersMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        if "content-security-policy" not in response.headers:
            # A route that sets its own policy (the embed, which partners may frame) decides
            # framing with frame-ancestors; everything else is never framed.
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
            response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


CSRF_COOKIE = "csrf"
CSRF_FIELD = "csrf"


class CsrfMiddleware(BaseHTTPMiddleware):
    """Refuses a cross-site POST from what the browser says of its origin (Sec-Fetch-Site,
    Origin), and issues the double-submit token every page puts in its forms
    (``request.state.csrf``)."""

    def __init__(self, app: object, *, secure: bool) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.secure = secure

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        token = request.cookies.get(CSRF_COOKIE)
        issued = None
        if not token or len(token) < 20:
            token = issued = secrets.token_urlsafe(24)
        request.state.csrf = token
        if request.method in {"POST", "PUT", "PATCH", "DELETE"} and not await self._allowed(
            request
        ):
            return PlainTextResponse("Cross-site request refused.", status_code=403)
        response = await call_next(request)
        if issued:
            # Lax, not Strict: a Strict cookie is not sent when the visitor arrives from
            # another site, and a fresh token would then break the forms open in other tabs
            response.set_cookie(
                CSRF_COOKIE, issued, httponly=True, samesite="lax", secure=self.secure
            )
        return response

    async def _allowed(self, request: Request) -> bool:
        """The origin checks; the token itself is checked by ``deps.csrf_protect`` once the
        route has parsed the form (reading the body here would consume it)."""
        if request.url.path.startswith("/api/"):
            return True  # the partner API carries no cookie-borne authority; keys and CORS apply
        if request.headers.get("sec-fetch-site") == "cross-site":
            return False
        origin = request.headers.get("origin")
        return not (origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc)
