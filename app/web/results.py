"""Stored results: the read-only share link and the private manage link.

A wrong, rotated or deleted token all get the same 404 page: nothing tells them apart."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.services import assessments, share_links
from app.storage.tables import Assessment
from app.web.assessment import MANAGE_ONCE_COOKIE, SessionDep, _redirect
from app.web.charts import result_charts
from app.web.clock import PARIS
from app.web.deps import LocaleDep, SettingsDep, csrf_protect
from app.web.templating import render

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

NOINDEX = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "private, no-store",
    # the URL is the capability: not even our own assets get it in a Referer
    "Referrer-Policy": "no-referrer",
}


def _day(moment: datetime, locale: str) -> str:
    moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(PARIS)
    return moment.strftime("%d/%m/%Y" if locale == "fr" else "%Y-%m-%d")


def _not_found() -> HTTPException:
    return HTTPException(status_code=404)


def result_page(
    request: Request,
    assessment: Assessment,
    locale: LocaleDep,
    mode: str,
    share_url: str | None = None,
    manage_url: str | None = None,
    extra: dict[str, object] | None = None,
) -> Response:
    page = assessments.page_of(assessment, locale)
    response = render(
        request,
        "result.html",
        {
            "page": page,
            "charts": result_charts(page, locale),
            "edition": assessment.edition,
            "mode": mode,
            "share_url": share_url,
            "manage_url": manage_url,
            "completed_on": _day(assessment.created_at, locale),
            "company": assessment.company,
            **(extra or {}),
        },
    )
    response.headers.update(NOINDEX)
    return response


@router.get("/r/{token}", response_class=HTMLResponse)
def shared(token: str, request: Request, session: SessionDep, locale: LocaleDep) -> Response:
    assessment = assessments.by_share(session, token)
    if assessment is None:
        raise _not_found()
    share_url = f"{request.base_url}r/{token}"
    secret = request.cookies.get(MANAGE_ONCE_COOKIE)
    if secret and assessments.opens(assessment, secret):
        # the person who just completed it, in the 10 minutes that follow: the private link is
        # shown (a reload or a language switch keeps it), then only its digest remains
        return result_page(
            request, assessment, locale, "owner", share_url, f"{request.base_url}m/{secret}"
        )
    return result_page(request, assessment, locale, "shared", share_url)


@router.get("/m/{secret}", response_class=HTMLResponse)
def manage(secret: str, request: Request, session: SessionDep, locale: LocaleDep) -> Response:
    assessment = assessments.by_manage(session, secret)
    if assessment is None:
        raise _not_found()
    share_token = share_links.share_token_of(assessment, secret)
    return result_page(
        request,
        assessment,
        locale,
        "manage",
        share_url=f"{request.base_url}r/{share_token}" if share_token else None,
        manage_url=f"{request.base_url}m/{secret}",
    )


@router.post("/m/{secret}/share", include_in_schema=False)
def issue_share_link(secret: str, session: SessionDep) -> Response:
    """A share link for whoever kept only the private link: the share token drawn at completion
    is stored as a digest only, so a new one (derived from the secret) replaces it."""
    assessment = assessments.by_manage(session, secret)
    if assessment is None:
        raise _not_found()
    share_links.issue_share_token(session, assessment, secret)
    return RedirectResponse(f"/m/{secret}#share", status_code=303)


@router.post("/m/{secret}/retake", include_in_schema=False)
def retake(secret: str, session: SessionDep, settings: SettingsDep) -> Response:
    """A new questionnaire pre-filled with these answers; the new result joins this one's
    series (the consultant's dashboard shows the progress). This result stays as it was."""
    assessment = assessments.by_manage(session, secret)
    if assessment is None:
        raise _not_found()
    draft = assessments.retake_draft(session, assessment)
    return _redirect("/assessment/step/profile", draft, settings)


@router.post("/m/{secret}/delete", include_in_schema=False)
async def delete(secret: str, request: Request, session: SessionDep) -> Response:
    """Asks once more, then deletes for good."""
    assessment = assessments.by_manage(session, secret)
    if assessment is None:
        raise _not_found()
    form = await request.form()
    if form.get("confirm") != "yes":
        return _delete_confirmation(request, secret)
    assessments.delete(session, assessment)
    return RedirectResponse("/deleted", status_code=303)


@router.get("/m/{secret}/delete", response_class=HTMLResponse, include_in_schema=False)
def confirm_delete(secret: str, request: Request, session: SessionDep) -> Response:
    """The question alone (the language switch of the page the POST showed leads here)."""
    if assessments.by_manage(session, secret) is None:
        raise _not_found()
    return _delete_confirmation(request, secret)


def _delete_confirmation(request: Request, secret: str) -> Response:
    page: dict[str, object] = {"secret": secret, "lang_again": (f"/m/{secret}/delete", {})}
    response = render(request, "delete_confirm.html", page)
    response.headers.update(NOINDEX)
    return response


@router.get("/deleted", response_class=HTMLResponse, include_in_schema=False)
def deleted(request: Request) -> Response:
    return render(request, "deleted.html", {})
