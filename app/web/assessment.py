"""The online assessment: one page per step, then the result. Works without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.core.answers import validate_text_answers
from app.core.assessment import Assessor
from app.core.questionnaire import FORM_STEPS, FormStep
from app.core.vocabulary import Locale
from app.services import assessments, drafts, questionnaire_flow
from app.storage.db import sessions
from app.storage.tables import Draft
from app.web.deps import AssessorDep, LocaleDep, SettingsDep, csrf_protect
from app.web.templating import render

router = APIRouter(
    prefix="/assessment", dependencies=[Depends(csrf_protect)], include_in_schema=False
)
MANAGE_ONCE_COOKIE = "manage_once"


def get_session(settings: SettingsDep) -> object:
    yield from sessions(settings.database_url)


SessionDep = Annotated[Session, Depends(get_session)]


def current_draft(request: Request, session: SessionDep, settings: SettingsDep) -> Draft | None:
    return drafts.load(session, request.cookies.get(settings.draft_cookie))


DraftDep = Annotated[Draft | None, Depends(current_draft)]


def _redirect(
    url: str, draft: Draft | None = None, settings: SettingsDep | None = None
) -> Response:
    response = RedirectResponse(url, status_code=303)
    if draft is not None and settings is not None:
        response.set_cookie(
            settings.draft_cookie,
            draft.token,
            max_age=int(drafts.DRAFT_LIFETIME.total_seconds()),
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
        )
    return response


LOST = "lost"
"""Query flag of a step reached because the questionnaire a page was sent for was gone."""


def _before(one: FormStep, other: FormStep) -> bool:
    return FORM_STEPS.index(one) < FORM_STEPS.index(other)


def _step_url(step_id: str | None) -> str:
    return f"/assessment/step/{step_id}" if step_id else "/assessment/result"


@router.get("", include_in_schema=False)
def start(draft: DraftDep) -> Response:
    """Resume where the answers stop; a complete draft (a retake) starts again from the top so
    that every pre-filled answer can be reviewed."""
    raw = draft.answers if draft else {}
    step = questionnaire_flow.first_incomplete(raw) if raw else None
    return _redirect(_step_url((step or questionnaire_flow.active_steps(raw)[0]).id))


@router.get("/step/{step_id}", response_class=HTMLResponse)
def show_step(step_id: str, request: Request, draft: DraftDep) -> Response:
    step = questionnaire_flow.step_by_id(step_id)
    if step is None:
        raise HTTPException(status_code=404)
    raw = draft.answers if draft else {}
    view = questionnaire_flow.view(step, raw)
    if not view.questions:  # nothing to ask here with these answers
        return _redirect(_step_url(view.next))
    context = _step_context(view, raw, {}, draft)
    context["lost"] = request.query_params.get(LOST) == "1"
    return render(request, "assessment_step.html", context)


def _step_context(
    view: questionnaire_flow.StepView,
    raw: questionnaire_flow.RawAnswers,
    errors: dict[str, object],
    draft: Draft | None,
    action: str | None = None,
) -> dict[str, object]:
    first_error = next((q.id for q in view.questions if q.id in errors), None)
    return {
        "view": view,
        "values": raw,
        "errors": errors,
        "first_error": first_error,
        "resume_token": draft.token if draft else None,
        "unknown_suffix": questionnaire_flow.UNKNOWN_SUFFIX,
        "action": action or _step_url(view.step.id),
        "step_form": "step-form",  # the header's language switch submits it (base.html)
    }


@dataclass(frozen=True)
class Advance:
    """Where a submitted step leads: ``to`` another step (``None``: the questionnaire is
    finished), in language ``lang`` if the user switched, or back to the same step with
    ``errors``. The draft already holds everything typed, valid or not."""

    draft: Draft
    view: questionnaire_flow.StepView
    to: str | None = None
    lang: str | None = None
    errors: dict[str, object] = field(default_factory=dict)


async def advance(
    request: Request, session: Session, step: FormStep, draft: Draft | None
) -> Advance:
    """The one reading of a submitted step, for the site and for the embedded questionnaire."""
    form = await request.form()
    values: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            values.setdefault(key, []).append(value)
    action = (values.get("action") or ["next"])[-1]
    # keep everything typed, valid or not, before deciding where to go
    draft = drafts.save(session, draft, questionnaire_flow.collect(step, values))
    view = questionnaire_flow.view(step, draft.answers)
    if action.startswith("lang:"):  # the language switch inside the form: save, then switch
        return Advance(draft, view, to=step.id, lang=action.removeprefix("lang:"))
    if action == "back":
        return Advance(draft, view, to=view.previous or step.id)
    # the answers' own errors first: a number out of range says more than the conflict
    errors = {
        **questionnaire_flow.conflicts(step, values),
        **questionnaire_flow.errors(draft.answers, view.questions),
    }
    if errors:
        return Advance(draft, view, to=step.id, errors=errors)
    return Advance(draft, view, to=view.next)


def complete(
    session: Session, draft: Draft, assessor: Assessor, locale: Locale
) -> assessments.Created | FormStep:
    """Stores the assessment if every step is complete; otherwise the first step to finish."""
    incomplete = questionnaire_flow.first_incomplete(draft.answers)
    if incomplete is not None:
        return incomplete
    outcome = assessor.assess(validate_text_answers(draft.answers))
    return assessments.store(session, outcome, assessor.reference, draft.answers, locale, draft)


@router.post("/step/{step_id}", response_class=HTMLResponse)
async def submit_step(
    step_id: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    draft: DraftDep,
    assessor: AssessorDep,
    locale: LocaleDep,
) -> Response:
    step = questionnaire_flow.step_by_id(step_id)
    if step is None:
        raise HTTPException(status_code=404)
    had_draft = draft is not None
    outcome = await advance(request, session, step, draft)
    draft = outcome.draft
    if not had_draft:
        # a page sent with no questionnaire behind it (already finished, or expired, then
        # sent again from the browser's history): its answers are kept in a new one, which
        # starts where the earlier steps are missing, and the page says why
        missing = questionnaire_flow.first_incomplete(draft.answers)
        if missing is not None and _before(missing, step):
            return _redirect(f"{_step_url(missing.id)}?{LOST}=1", draft, settings)
    if outcome.errors:
        context = _step_context(outcome.view, draft.answers, outcome.errors, draft)
        return render(request, "assessment_step.html", context, status_code=422)
    if outcome.lang:
        return _redirect(f"{_step_url(step.id)}?lang={outcome.lang}", draft, settings)
    if outcome.to is not None:
        return _redirect(_step_url(outcome.to), draft, settings)
    created = complete(session, draft, assessor, locale)
    if isinstance(created, FormStep):
        return _redirect(_step_url(created.id), draft, settings)
    response = _redirect(f"/r/{created.share_token}")
    response.delete_cookie(settings.draft_cookie)
    # the manage link is shown once, on the next page, then only its digest remains
    response.set_cookie(
        MANAGE_ONCE_COOKIE,
        created.manage_secret,
        max_age=600,
        path=f"/r/{created.share_token}",
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
    )
    return response


@router.get("/result", include_in_schema=False)
def result(draft: DraftDep) -> Response:
    """Where a finished questionnaire used to show its result: back to the step to complete."""
    raw = draft.answers if draft else {}
    incomplete = questionnaire_flow.first_incomplete(raw) if raw else None
    first = questionnaire_flow.active_steps(raw)[0]
    return _redirect(_step_url((incomplete or first).id))


@router.post("/restart", include_in_schema=False)
def restart(request: Request, settings: SettingsDep) -> Response:
    """A blank questionnaire: forget the draft cookie (the old draft expires by itself)."""
    response = _redirect(_step_url(questionnaire_flow.active_steps({})[0].id))
    response.delete_cookie(settings.draft_cookie)
    return response


@router.get("/resume/{token}", include_in_schema=False)
def resume(token: str, session: SessionDep, settings: SettingsDep) -> Response:
    draft = drafts.load(session, token)
    if draft is None:
        raise HTTPException(status_code=404)
    return _redirect("/assessment", draft, settings)
