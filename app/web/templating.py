"""Jinja2 with the i18n extension: one environment per language, each with its catalog
installed once (installing per request would race between threads)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.core.vocabulary import Locale
from app.web.deps import assessor_of
from app.web.i18n import translations
from app.web.static import asset_url

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"


@cache
def templates_for(locale: Locale) -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.globals["static_url"] = asset_url
    env.globals["lang_url"] = lang_url
    return Jinja2Templates(env=env)


def lang_url(request: Request, locale: str, again: tuple[str, dict[str, str]] | None = None) -> str:
    """This page in another language: same path and query, ``lang`` replaced. A page that
    answers a POST (a form sent back with its errors, a confirmation) cannot be asked for again
    by a link: it names in ``again`` (path, query) the GET that shows it with what was sent."""
    if again is not None:
        path, query = again[0], [*again[1].items()]
    else:
        path = request.url.path
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    query.append(("lang", locale))
    return f"{path}?{urlencode(query)}"


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """A page in the request's language. ``reference_edition`` (the footer's) comes from the
    reference data the app serves, for every page: no route passes it."""
    locale: Locale = request.state.locale
    csrf = getattr(request.state, "csrf", "")
    base = {
        "locale": locale,
        "csrf": csrf,
        "reference_edition": assessor_of(request).reference.edition,
        "lang_again": None,
    }
    return templates_for(locale).TemplateResponse(
        request, name, {**base, **context}, status_code=status_code
    )
