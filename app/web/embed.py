"""The assessment embedded in a partner's page, in an iframe.

Only the origins a partner key allows may frame it (CSP frame-ancestors, per partner). In a
frame on another site the browser keeps our cookies away (SameSite, third-party cookie
blocking), so this flow uses none: the draft travels in the URL, as the resume link already
does, and the POSTs are protected by the same-origin checks of CsrfMiddleware (a forged POST
would also need the draft's 128-bit token). The result opens in the frame with its two links,
which leave the frame for our own site.

Coming back after the partner's page reloads (which loads the frame's first URL again): the
frame keeps one cookie, ``embed_draft``, naming its unfinished questionnaire and its language.
It is a partitioned cookie (CHIPS: ``Partitioned``, ``SameSite=None``, ``Secure``), which
browsers that support it keep for a frame per top-level site even when they block third-party
cookies: only this partner's site gets it back, only under this partner's embed path. It is set
only in answer to a POST of the questionnaire, which CsrfMiddleware accepts from our own pages
only: a page elsewhere on the partner's site cannot plant a draft of its own in a visitor's
frame (a GET could, with an image). It is dropped when the questionnaire is finished or started
again from the frame; the private link of the result is never in it. A browser that refuses it
starts again, as before.

    /embed/<partner prefix>                          the first step
    /embed/<partner prefix>/<draft|new>/step/<id>    a step (GET shows it, POST submits it)
    /embed/<partner prefix>/done/<share>/<secret>    the result, just after completion
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.core.questionnaire import FormStep
from app.core.vocabulary import Locale
from app.services import assessments, drafts, partners, questionnaire_flow
from app.storage.tables import Draft, PartnerKey
from app.web import results
from app.web.assessment import SessionDep, _step_context, advance, complete
from app.web.deps import AssessorDep, LocaleDep
from app.web.i18n import parse_locale
from app.web.middleware import cookie_header, framed_policy
from app.web.templating import render

router = APIRouter(prefix="/embed/{partner}", include_in_schema=False)
NEW = "new"
DRAFT_COOKIE = "embed_draft"


def embedding_partner(partner: str, session: SessionDep) -> PartnerKey:
    record = partners.by_prefix(session, partner)
    if record is None:
        raise HTTPException(status_code=404)
    return record


PartnerDep = Annotated[PartnerKey, Depends(embedding_partner)]


def _framed(response: Response, partner: PartnerKey) -> Response:
    response.headers["Content-Security-Policy"] = framed_policy(partner.origins)
    # the URLs carry the draft and, at the end, the private link: never in a Referer
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _step_url(partner: PartnerKey, draft: str, step_id: str, locale: str) -> str:
    # the language rides in every URL: a framed page cannot count on its cookie
    return f"/embed/{partner.prefix}/{draft}/step/{step_id}?lang={locale}"


def _in_frame(partner: PartnerKey) -> dict[str, object]:
    """What a framed page needs: the origins app/static/js/embed.js may tell its height to."""
    return {
        "embed": True,
        "embed_origins": " ".join(partners.safe_origins(partner.origins)),
    }


def _remember(
    response: Response, partner: PartnerKey, draft: Draft | None, locale: str = ""
) -> Response:
    """Sets (a draft, in ``locale``) or drops (None) the frame's cookie naming its unfinished
    questionnaire. Call it only for a request from our own pages (see the module's doc)."""
    options: dict[str, Any] = {
        "path": f"/embed/{partner.prefix}",
        "secure": True,
        "httponly": True,
        "samesite": "none",
    }
    if draft is None:
        name, value = cookie_header(DRAFT_COOKIE, "", max_age=0, expires=0, **options)
    else:
        lifetime = int(drafts.DRAFT_LIFETIME.total_seconds())
        name, value = cookie_header(
            DRAFT_COOKIE, f"{draft.token}.{locale}", max_age=lifetime, **options
        )
    # Partitioned written out: Starlette before 0.39 has no such option, and from 0.39 it
    # refuses it before Python 3.14
    response.raw_headers.append((name, value + b"; Partitioned"))
    return response


def _remembered(request: Request) -> tuple[str | None, Locale | None]:
    """The draft token and the language the frame's cookie names, if any."""
    token, _, language = request.cookies.get(DRAFT_COOKIE, "").partition(".")
    return token or None, parse_locale(language)


def _from_the_frame(request: Request) -> bool:
    """A navigation of the frame from one of our own pages (the "start a new questionnaire"
    link), not a request another page made, with an image for instance (a browser that sends
    no Fetch Metadata gets the benefit of the doubt)."""
    site = request.headers.get("sec-fetch-site")
    return site is None or site == "same-origin"


def _go(url: str, partner: PartnerKey) -> Response:
    return _framed(RedirectResponse(url, status_code=303), partner)


def _draft(session: SessionDep, token: str) -> Draft | str | None:
    """The draft named in the URL; ``None`` for a new one; the token itself if it is gone."""
    if token == NEW:
        return None
    return drafts.load(session, token) or token


def _step(step_id: str) -> FormStep:
    step = questionnaire_flow.step_by_id(step_id)
    if step is None:
        raise HTTPException(status_code=404)
    return step


@router.get("", response_class=HTMLResponse)
def start(
    request: Request,
    session: SessionDep,
    partner: PartnerDep,
    locale: LocaleDep,
) -> Response:
    """The snippet's URL: the unfinished questionnaire this frame remembers, at its first
    step left to answer and in the language it was in, or a new one. ``restart=1`` from the
    frame itself: a new one, and the old one forgotten (any other value is no restart, not an
    error page in the partner's frame)."""
    restart = request.query_params.get("restart") == "1" and _from_the_frame(request)
    token, language = _remembered(request)
    draft = None if restart else drafts.load(session, token)
    if draft is None:
        first = questionnaire_flow.active_steps({})[0]
        response = _go(_step_url(partner, NEW, first.id, locale), partner)
        # forgotten: on request, or because the draft is gone
        return _remember(response, partner, None) if token else response
    raw = draft.answers
    step = questionnaire_flow.first_incomplete(raw) or questionnaire_flow.active_steps(raw)[0]
    return _go(_step_url(partner, draft.token, step.id, language or locale), partner)


def _start_url(partner: PartnerKey, locale: str) -> str:
    """A new questionnaire, forgetting the frame's unfinished one (expired, finished, or the
    visitor chose to start again)."""
    return f"/embed/{partner.prefix}?lang={locale}&restart=1"


@router.get("/{token}/step/{step_id}", response_class=HTMLResponse)
def show_step(
    token: str,
    step_id: str,
    request: Request,
    session: SessionDep,
    partner: PartnerDep,
    locale: LocaleDep,
) -> Response:
    step = _step(step_id)
    draft = _draft(session, token)
    if isinstance(draft, str):  # expired, or already completed: start again
        return _go(_start_url(partner, locale), partner)
    raw = draft.answers if draft else {}
    view = questionnaire_flow.view(step, raw)
    if not view.questions:
        target = view.next or questionnaire_flow.active_steps(raw)[0].id
        return _go(_step_url(partner, token, target, locale), partner)
    context = _step_context(view, raw, {}, draft, _step_url(partner, token, step.id, locale))
    page = render(request, "assessment_step.html", {**context, **_step_frame(partner, locale)})
    return _framed(page, partner)


def _step_frame(partner: PartnerKey, locale: str) -> dict[str, object]:
    return {**_in_frame(partner), "embed_restart": _start_url(partner, locale)}


@router.post("/{token}/step/{step_id}", response_class=HTMLResponse)
async def submit_step(
    token: str,
    step_id: str,
    request: Request,
    session: SessionDep,
    partner: PartnerDep,
    assessor: AssessorDep,
    locale: LocaleDep,
) -> Response:
    step = _step(step_id)
    found = _draft(session, token)
    if isinstance(found, str):
        return _go(_start_url(partner, locale), partner)
    outcome = await advance(request, session, step, found)
    draft = outcome.draft
    if outcome.errors:
        action = _step_url(partner, draft.token, step.id, locale)
        context = _step_context(outcome.view, draft.answers, outcome.errors, draft, action)
        frame = _step_frame(partner, locale)
        page = render(request, "assessment_step.html", {**context, **frame}, 422)
        return _framed(_remember(page, partner, draft, locale), partner)
    if outcome.lang or outcome.to is not None:
        to, language = outcome.to or step.id, outcome.lang or locale
        moved = _go(_step_url(partner, draft.token, to, language), partner)
        return _remember(moved, partner, draft, language)
    created = complete(session, draft, assessor, locale)
    if isinstance(created, FormStep):
        moved = _go(_step_url(partner, draft.token, created.id, locale), partner)
        # set again at each step: it expires with the draft, whose 30 days restart as it changes
        return _remember(moved, partner, draft, locale)
    done_url = f"/embed/{partner.prefix}/done/{created.share_token}/{created.manage_secret}"
    return _go(f"{done_url}?lang={locale}", partner)


@router.get("/done/{share}/{secret}", response_class=HTMLResponse)
def done(
    share: str,
    secret: str,
    request: Request,
    session: SessionDep,
    partner: PartnerDep,
    locale: LocaleDep,
) -> Response:
    """The result with its share and private links, which open on our own site. The URL
    carries both tokens, as the two links themselves do."""
    assessment = assessments.by_share(session, share)
    if assessment is None or not assessments.opens(assessment, secret):
        raise HTTPException(status_code=404)
    base = str(request.base_url)
    page = results.result_page(
        request,
        assessment,
        locale,
        "owner",
        share_url=f"{base}r/{share}",
        manage_url=f"{base}m/{secret}",
        extra=_in_frame(partner),
    )
    # finished: the frame no longer comes back to it (nor could: the draft is gone)
    return _framed(_remember(page, partner, None), partner)
