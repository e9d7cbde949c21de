"""Domain errors mapped to HTTP responses, in one place."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.problems import INVALID_ANSWERS, api_locale, pointer_of, problem
from app.core.answers import InvalidAnswers
from app.core.text import t
from app.core.vocabulary import Locale
from app.services.result_payload import errors_payload
from app.web.i18n import parse_locale
from app.web.middleware import API_PREFIX, add_security_headers
from app.web.templating import render


async def invalid_answers(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidAnswers)  # noqa: S101 - registered for this type only
    locale: Locale = (
        api_locale(request)
        if request.url.path.startswith(API_PREFIX)
        else parse_locale(getattr(request.state, "locale", None)) or "fr"
    )
    return JSONResponse(
        status_code=422,
        media_type="application/problem+json",
        content={
            "type": "about:blank",
            "title": INVALID_ANSWERS.in_(locale),
            "status": 422,
            "errors": [
                {
                    **e,
                    "pointer": pointer_of(err),
                }
                for e, err in zip(errors_payload(exc.errors, locale), exc.errors, strict=True)
            ],
        },
    )


INVALID_REQUEST = t("Requête invalide", "Invalid request")
SERVER_ERROR = t("Erreur interne du service", "Internal service error")

_PAGES = {
    400: (
        t("Requête illisible", "Unreadable request"),
        t(
            "Le formulaire envoyé n'a pas pu être lu. Revenez en arrière et réessayez.",
            "The form you sent could not be read. Go back and try again.",
        ),
    ),
    403: (
        t("Formulaire expiré", "Form expired"),
        t(
            "Ce formulaire n'a pas pu être accepté (il venait d'un autre site, ou il était ouvert "
            "depuis trop longtemps). Revenez en arrière, rechargez la page et envoyez-le à "
            "nouveau : vos réponses déjà enregistrées sont conservées.",
            "This form could not be accepted (it came from another site, or it had been open "
            "too long). Go back, reload the page and send it again: the answers you already "
            "saved are kept.",
        ),
    ),
    405: (
        t("Adresse inattendue", "Unexpected address"),
        t(
            "Cette adresse ne s'ouvre pas ainsi. Repartez de la page d'accueil.",
            "This address cannot be opened this way. Start again from the home page.",
        ),
    ),
    422: (
        t("Adresse incorrecte", "Incorrect address"),
        t(
            "Un paramètre de cette adresse n'est pas valide. Repartez de la page précédente.",
            "A parameter of this address is not valid. Go back to the previous page.",
        ),
    ),
    404: (
        t("Page introuvable", "Page not found"),
        t(
            "Cette adresse ne correspond à aucune page. Un lien de reprise expiré ou mal copié "
            "mène aussi ici.",
            "This address matches no page. An expired or mistyped resume link also leads here.",
        ),
    ),
    500: (
        t("Un problème est survenu", "Something went wrong"),
        t(
            "Nous n'avons pas pu afficher cette page. Vos réponses déjà enregistrées sont "
            "conservées ; réessayez dans un instant.",
            "We could not show this page. The answers you already saved are kept; please try "
            "again in a moment.",
        ),
    ),
}


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


_API_ERRORS = {
    404: (
        t("Introuvable", "Not found"),
        t(
            "Aucune ressource de l'API à cette adresse : voir /docs pour la liste.",
            "No API resource at this address: see /docs for the list.",
        ),
    ),
    405: (
        t("Méthode non autorisée", "Method not allowed"),
        t(
            "Cette adresse existe mais ne répond pas à cette méthode : voir l'en-tête Allow.",
            "This address exists but does not answer this method: see the Allow header.",
        ),
    ),
}


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for this type only
    if request.url.path.startswith(API_PREFIX):
        # the partner API's errors all have one shape, in the language asked for
        title, detail = _API_ERRORS.get(exc.status_code, (INVALID_REQUEST, None))
        headers = dict(exc.headers) if exc.headers else None
        return problem(request, exc.status_code, title, detail, headers=headers)
    if not _wants_html(request):
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )
    page = _page(request, exc.status_code if exc.status_code in _PAGES else 404)
    if exc.headers:
        page.headers.update(exc.headers)  # e.g. Allow on a 405
    return page


async def invalid_request(request: Request, exc: Exception) -> Response:
    """A malformed query or form value (``?page=abc``): a page for browsers, details for
    programs."""
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for this type only
    if request.url.path.startswith(API_PREFIX):
        errors = [
            {
                "pointer": "/" + "/".join(str(p) for p in e.get("loc", ())),
                "field": str(e.get("loc", ("",))[-1]),
                "code": str(e.get("type", "invalid")),
                "detail": str(e.get("msg", "")),
            }
            for e in exc.errors()
        ]
        return problem(request, 422, INVALID_REQUEST, errors=errors)
    if not _wants_html(request):
        return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
    return _page(request, 422)


async def server_error(request: Request, exc: Exception) -> Response:
    # never a stack trace for a user: the page says what happened and that nothing is lost
    response: Response
    if request.url.path.startswith(API_PREFIX):
        response = problem(request, 500, SERVER_ERROR)
    elif not _wants_html(request):
        response = JSONResponse({"detail": "Internal Server Error"}, status_code=500)
    else:
        response = _page(request, 500)
    # Starlette sends this from outside every middleware: the security headers are added here
    add_security_headers(response.raw_headers)
    return response


_DEAD_LINKS = {
    "/i/": t(
        "Ce lien d'invitation ne fonctionne pas ou plus : votre consultant l'a peut-être "
        "remplacé par un nouveau. Demandez-lui le lien en cours.",
        "This invitation link does not work, or no longer does: your consultant may have "
        "replaced it with a new one. Ask them for the current link.",
    ),
    "/w/": t(
        "Ce lien de tableau de bord ne fonctionne pas ou plus : il a peut-être été remplacé par "
        "un nouveau, qui s'est affiché une seule fois à ce moment-là.",
        "This dashboard link does not work, or no longer does: it may have been replaced by a "
        "new one, shown only once at that moment.",
    ),
    "/r/": t(
        "Ce lien de partage ne fonctionne pas ou plus : l'évaluation a peut-être été supprimée, "
        "ou le partage arrêté. Demandez un nouveau lien à qui vous l'a envoyé.",
        "This share link does not work, or no longer does: the assessment may have been deleted "
        "or the sharing stopped. Ask whoever sent it for a new link.",
    ),
    "/m/": t(
        "Ce lien privé ne fonctionne pas : l'évaluation a peut-être été supprimée, ou le lien "
        "mal copié.",
        "This private link does not work: the assessment may have been deleted, or the link "
        "miscopied.",
    ),
}
"""What a 404 under a capability link most likely means, said to whoever followed it."""


def _page(request: Request, status: int) -> HTMLResponse:
    locale: Locale = parse_locale(getattr(request.state, "locale", None)) or "fr"
    title, message = _PAGES[status]
    if status == 404:
        path = request.url.path
        message = next((m for p, m in _DEAD_LINKS.items() if path.startswith(p)), message)
    return render(
        request,
        "error.html",
        {"title": title.in_(locale), "message": message.in_(locale)},
        status_code=status,
    )


def register(app: FastAPI) -> None:
    app.add_exception_handler(InvalidAnswers, invalid_answers)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, server_error)
