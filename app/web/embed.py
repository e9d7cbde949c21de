"""The assessment embedded in a partner's page, in an iframe.

Only the origins a partner key allows may frame it (CSP frame-ancestors, per partner). In a
frame on another site the browser keeps our cookies away (SameSite, third-party cookie
blocking), so this flow uses none: the draft travels in the URL, as the resume link already
does, and the POSTs are protected by the same-origin checks of CsrfMiddleware (a forged POST
would also need the draft's 128-bit token). The result opens in the frame with its two links,
which leave the frame for our own site.

    /embed/<partner prefix>                          the first step
    /embed/<partner prefix>/<draft|new>/step/<id>    a step (GET shows it, POST submits it)
    /embed/<partner prefix>/done/<share>/<secret>    the result, just after completion
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.core.questionnaire import FormStep
from app.services import assessments, drafts, partners, questionnaire_flow
from app.storage.tables import Draft, PartnerKey
from app.web import results
from app.web.assessment import SessionDep, _step_context, advance, complete
from app.web.deps import AssessorDep, LocaleDep
from app.web.middleware import framed_policy
from app.web.templating import render

router = APIRouter(prefix="/embed/{partner}", include_in_schema=False)
NEW = "new"


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
def start(partner: PartnerDep, locale: LocaleDep) -> Response:
    first = questionnaire_flow.active_steps({})[0]
    return _go(_step_url(partner, NEW, first.id, locale), partner)


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
        return start(partner, locale)
    raw = draft.answers if draft else {}
    view = questionnaire_flow.view(step, raw)
    if not view.questions:
        target = view.next or questionnaire_flow.active_steps(raw)[0].id
        return _go(_step_url(partner, token, target, locale), partner)
    context = _step_context(view, raw, {}, draft, _step_url(partner, token, step.id, locale))
    return _framed(render(request, "assessment_step.html", {**context, "embed": True}), partner)


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
        return start(partner, locale)
    outcome = await advance(request, session, step, found)
    draft = outcome.draft
    if outcome.errors:
        action = _step_url(partner, draft.token, step.id, locale)
        context = _step_context(outcome.view, draft.answers, outcome.errors, draft, action)
        page = render(request, "assessment_step.html", {**context, "embed": True}, 422)
        return _framed(page, partner)
    if outcome.lang or outcome.to is not None:
        to = outcome.to or step.id
        return _go(_step_url(partner, draft.token, to, outcome.lang or locale), partner)
    created = complete(session, draft, assessor, locale)
    if isinstance(created, FormStep):
        return _go(_step_url(partner, draft.token, created.id, locale), partner)
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
        extra={"embed": True},
    )
    return _framed(page, partner)
