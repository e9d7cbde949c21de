"""Consultant workspaces: create, dashboard (filters, pages), compare, progress, CSV export,
rotate links, and the client invitation. No accounts: the links are the keys."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from app.core.answers import parse_text_answers
from app.core.questionnaire import QUESTIONNAIRE, answer_label
from app.core.recommendations import CLUSTER_NAMES
from app.core.vocabulary import CLUSTERS, Locale
from app.services import assessments, share_links, workspaces
from app.services.presentation import whole_percentages
from app.storage.tables import Assessment, Workspace
from app.web.assessment import SessionDep, _redirect
from app.web.charts import progress_chart, result_charts
from app.web.clock import PARIS
from app.web.deps import LocaleDep, SettingsDep, csrf_protect
from app.web.i18n import percent_text
from app.web.results import NOINDEX
from app.web.templating import render

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)


def _workspace(session: SessionDep, secret: str) -> Workspace:
    workspace = workspaces.by_dashboard(session, secret)
    if workspace is None:
        raise HTTPException(status_code=404)
    return workspace


def _render(request: Request, name: str, context: dict[str, object], status: int = 200) -> Response:
    response = render(request, name, context, status_code=status)
    response.headers.update(NOINDEX)
    return response


def _row(a: Assessment, locale: Locale) -> dict[str, object]:
    sector = QUESTIONNAIRE["sector"].option(a.sector).label.in_(locale)
    # whole percentages adding up to 100, as on the result page
    percentages = whole_percentages([a.p_basiques, a.p_classiques, a.p_polyvalents])
    return {
        "public_id": a.public_id,
        "series": a.series,
        "company": a.company or "—",
        "sector": sector,
        "cluster": a.cluster,
        "cluster_name": CLUSTER_NAMES[a.cluster].in_(locale),  # type: ignore[index]
        "probabilities": percentages,
        "percentages": [percent_text(p, locale) for p in percentages],
        "date": _date(a.created_at, locale),
    }


def _date(moment: datetime, locale: Locale) -> str:
    """French time: the product serves the French market (the zone is printed in English)."""
    moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(PARIS)
    return moment.strftime("%d/%m/%Y %H:%M" if locale == "fr" else "%Y-%m-%d %H:%M (Paris)")


# --- creating a workspace ---------------------------------------------------------------------


@router.get("/workspaces/new", response_class=HTMLResponse)
def new_workspace(request: Request, name: str = "", colour: str = "#0b5cad") -> Response:
    """The form, filled with ``name`` and ``colour`` when the language switch of a form sent
    back with an error leads here."""
    colour = colour if workspaces.COLOUR.match(colour) else "#0b5cad"
    return _render(
        request, "workspace_new.html", {"name": name[:120], "colour": colour, "error": None}
    )


@router.post("/workspaces", response_class=HTMLResponse)
def create_workspace(
    request: Request,
    session: SessionDep,
    name: Annotated[str, Form()] = "",
    colour: Annotated[str, Form()] = "#0b5cad",
) -> Response:
    try:
        links = workspaces.create(session, name, colour)
    except workspaces.WorkspaceNameError:
        again = ("/workspaces/new", {"name": name, "colour": colour})
        return _render(
            request,
            "workspace_new.html",
            {"name": name, "colour": colour, "error": "name", "lang_again": again},
            422,
        )
    assert links.dashboard_secret is not None  # noqa: S101 - create always issues one
    return _links_redirect(links.dashboard_secret, "created")


LINKS_COOKIE = "workspace_links"
"""The dashboard secret just issued, kept 10 minutes for the page that shows it (so that a
reload or a language switch does not lose a link shown only once)."""


def _links_redirect(dashboard_secret: str, event: str) -> Response:
    response = RedirectResponse(f"/workspaces/links?event={event}", status_code=303)
    response.set_cookie(
        LINKS_COOKIE,
        dashboard_secret,
        max_age=600,
        path="/workspaces/links",
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/workspaces/links", response_class=HTMLResponse)
def links_page(request: Request, session: SessionDep, event: str = "created") -> Response:
    secret = request.cookies.get(LINKS_COOKIE, "")
    workspace = workspaces.by_dashboard(session, secret)
    if workspace is None:
        raise HTTPException(status_code=404)
    return _render(
        request,
        "workspace_links.html",
        {
            "workspace": workspace,
            "dashboard_url": f"{request.base_url}w/{secret}",
            "invite_url": f"{request.base_url}i/{workspace.invite_token}",
            "created": event == "created",
            "rotated": event if event in ("dashboard", "invite") else None,
        },
    )


# --- the dashboard ----------------------------------------------------------------------------


@router.get("/w/{secret}", response_class=HTMLResponse)
def dashboard(
    secret: str,
    request: Request,
    session: SessionDep,
    locale: LocaleDep,
    sector: str = "",
    cluster: str = "",
    page: str = "1",
) -> Response:
    workspace = _workspace(session, secret)
    sector = sector if sector in QUESTIONNAIRE["sector"].option_ids() else ""
    cluster = cluster if cluster in CLUSTERS else ""
    number = int(page) if page.isdigit() else 1
    listing = workspaces.listing(session, workspace, sector or None, cluster or None, number)
    filtered = bool(sector or cluster)
    # an empty filtered page: "nothing matches" if the workspace has assessments at all
    nothing_matches = (
        filtered and listing.total == 0 and workspaces.has_assessments(session, workspace)
    )
    return _render(
        request,
        "dashboard.html",
        {
            "workspace": workspace,
            "secret": secret,
            "invite_url": f"{request.base_url}i/{workspace.invite_token}",
            "rows": [_row(a, locale) for a in listing.rows],
            "listing": listing,
            "sector": sector,
            "cluster": cluster,
            "nothing_matches": nothing_matches,
            "sectors": QUESTIONNAIRE["sector"].options,
            "clusters": [(c, CLUSTER_NAMES[c].in_(locale)) for c in CLUSTERS],
        },
    )


def _csv(chunks: Iterator[str], filename: str) -> Response:
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', **NOINDEX},
    )


def _filters(sector: str, cluster: str) -> tuple[str | None, str | None]:
    """The dashboard's filters, an unknown value read as no filter (as the dashboard does)."""
    return (
        sector if sector in QUESTIONNAIRE["sector"].option_ids() else None,
        cluster if cluster in CLUSTERS else None,
    )


@router.get("/w/{secret}/export.csv")
def export(secret: str, session: SessionDep, sector: str = "", cluster: str = "") -> Response:
    """For programs: ids, fractions, UTC timestamps, commas (the columns are documented)."""
    workspace = _workspace(session, secret)
    chosen, level = _filters(sector, cluster)
    filename = f"assessments-{chosen or 'all'}{'-' + level if level else ''}.csv"
    return _csv(workspaces.export_csv(session, workspace, chosen, level), filename)


@router.get("/w/{secret}/spreadsheet.csv")
def export_spreadsheet(
    secret: str, session: SessionDep, locale: LocaleDep, sector: str = "", cluster: str = ""
) -> Response:
    """For a consultant's spreadsheet, in the dashboard's language (see export_sheet)."""
    workspace = _workspace(session, secret)
    chosen, level = _filters(sector, cluster)
    everyone = "toutes" if locale == "fr" else "all"
    name = "evaluations" if locale == "fr" else "assessments"
    filename = f"{name}-{chosen or everyone}{'-' + level if level else ''}.csv"
    rows = workspaces.export_sheet(session, workspace, locale, PARIS, chosen, level)
    return _csv(rows, filename)


@router.get("/w/{secret}/a/{public_id}", response_class=HTMLResponse)
def view_assessment(
    secret: str, public_id: str, request: Request, session: SessionDep, locale: LocaleDep
) -> Response:
    workspace = _workspace(session, secret)
    assessment = workspaces.by_public_id(session, workspace, public_id)
    if assessment is None:
        raise HTTPException(status_code=404)
    page = assessments.page_of(assessment, locale)
    token = share_links.consultant_share_of(assessment, secret)
    return _render(
        request,
        "result.html",
        {
            "page": page,
            "charts": result_charts(page, locale),
            "mode": "consultant",
            "company": assessment.company,
            "back_url": f"/w/{secret}",
            "view_url": f"/w/{secret}/a/{public_id}",
            "share_url": f"{request.base_url}r/{token}" if token else None,
            "earlier_share": token is None and assessment.consultant_share_hash is not None,
            "again_url": _again_url(request, workspace, assessment.series),
            "completed_on": _date(assessment.created_at, locale),
            "edition": assessment.edition,
        },
    )


@router.post("/w/{secret}/a/{public_id}/share", include_in_schema=False)
def consultant_share(
    secret: str, public_id: str, session: SessionDep, stop: Annotated[str, Form()] = ""
) -> Response:
    """Makes the consultant's share link of this result, or stops it (``stop``)."""
    workspace = _workspace(session, secret)
    assessment = workspaces.by_public_id(session, workspace, public_id)
    if assessment is None:
        raise HTTPException(status_code=404)
    share_links.set_consultant_share(session, assessment, None if stop else secret)
    return RedirectResponse(f"/w/{secret}/a/{public_id}#share", status_code=303)


def _again_url(request: Request, workspace: Workspace, series: str) -> str:
    """The link that invites a company to its next assessment, in the same series."""
    return f"{request.base_url}i/{workspace.invite_token}/again/{series}"


@router.get("/w/{secret}/compare", response_class=HTMLResponse)
def compare(
    secret: str,
    request: Request,
    session: SessionDep,
    locale: LocaleDep,
    a: str = "",
    b: str = "",
    pick: Annotated[list[str] | None, Query()] = None,
) -> Response:
    workspace = _workspace(session, secret)
    if pick and len(set(pick)) == 2:  # the dashboard's two ticked boxes
        a, b = pick
    elif pick is not None or not (a or b) or a == b:
        # one, three or no box ticked (no box sends no ``pick`` at all): say what to do
        return _render(
            request, "compare_pick.html", {"workspace": workspace, "secret": secret}, 422
        )
    first = workspaces.by_public_id(session, workspace, a)
    second = workspaces.by_public_id(session, workspace, b)
    if first is None or second is None:
        raise HTTPException(status_code=404)
    if (second.created_at, second.id or 0) < (first.created_at, first.id or 0):
        first, second = second, first  # the older on the left, as in a company's progress
    pages = [assessments.page_of(x, locale) for x in (first, second)]
    left = {row.kpi: row for row in pages[0].comparisons}
    right = {row.kpi: row for row in pages[1].comparisons}
    order = list(left) + [k for k in right if k not in left]  # every indicator of either
    rows = [
        {
            "label": (left.get(k) or right[k]).label,
            "a": left[k].answer if k in left else "—",
            "b": right[k].answer if k in right else "—",
        }
        for k in order
    ]
    return _render(
        request,
        "compare.html",
        {
            "workspace": workspace,
            "secret": secret,
            "columns": [_row(first, locale), _row(second, locale)],
            "pages": pages,
            "rows": rows,
        },
    )


@router.get("/w/{secret}/progress/{series}", response_class=HTMLResponse)
def progress(
    secret: str, series: str, request: Request, session: SessionDep, locale: LocaleDep
) -> Response:
    workspace = _workspace(session, secret)
    history = workspaces.series(session, workspace, series)
    if not history:
        raise HTTPException(status_code=404)
    rows = [_row(a, locale) for a in history]
    first, last = history[0], history[-1]
    changes = []
    for question in QUESTIONNAIRE.questions():
        before, after = first.answers.get(question.id), last.answers.get(question.id)
        if before != after:
            changes.append(
                {
                    "label": question.label.in_(locale),
                    "before": _answer_text(question.id, before, locale),
                    "after": _answer_text(question.id, after, locale),
                }
            )
    return _render(
        request,
        "progress.html",
        {
            "workspace": workspace,
            "secret": secret,
            "company": first.company or "—",
            "rows": rows,
            "single": len(history) == 1,
            "again_url": _again_url(request, workspace, series),
            "changes": changes,
            "chart": progress_chart(rows, locale),
        },
    )


def _answer_text(question_id: str, value: object, locale: Locale) -> str:
    """A stored (text) answer as the user saw it."""
    if value in (None, "", []):
        return "—"
    typed, _ = parse_text_answers({question_id: value})  # type: ignore[dict-item]
    read = typed.get(question_id, value)
    read = tuple(read) if isinstance(read, list) else read
    return answer_label(QUESTIONNAIRE[question_id], read).in_(locale)


@router.post("/w/{secret}/rotate", response_class=HTMLResponse)
def rotate(
    secret: str,
    request: Request,
    session: SessionDep,
    which: Annotated[str, Form()] = "invite",
) -> Response:
    workspace = _workspace(session, secret)
    if which not in ("dashboard", "invite"):
        raise HTTPException(status_code=404)
    new = workspaces.rotate(session, workspace, "dashboard" if which == "dashboard" else "invite")
    return _links_redirect(new if which == "dashboard" else secret, which)


# --- the client's side: the invitation ---------------------------------------------------------


@router.get("/i/{token}", response_class=HTMLResponse)
def invitation(token: str, request: Request, session: SessionDep) -> Response:
    workspace = workspaces.by_invite(session, token)
    if workspace is None:
        raise HTTPException(status_code=404)
    return _render(request, "invite.html", {"workspace": workspace, "token": token, "error": None})


@router.post("/i/{token}", response_class=HTMLResponse)
def accept_invitation(
    token: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    company: Annotated[str, Form()] = "",
) -> Response:
    workspace = workspaces.by_invite(session, token)
    if workspace is None:
        raise HTTPException(status_code=404)
    if not company.strip():
        return _render(
            request,
            "invite.html",
            {"workspace": workspace, "token": token, "error": "company"},
            422,
        )
    draft = workspaces.invited_draft(session, workspace, company)
    return _redirect("/assessment/step/profile", draft, settings)


def _latest(session: SessionDep, token: str, series: str) -> tuple[Workspace, Assessment]:
    workspace = workspaces.by_invite(session, token)
    history = workspaces.series(session, workspace, series) if workspace else []
    if workspace is None or not history:
        raise HTTPException(status_code=404)
    return workspace, history[-1]


@router.get("/i/{token}/again/{series}", response_class=HTMLResponse)
def invitation_again(token: str, series: str, request: Request, session: SessionDep) -> Response:
    """A company's next assessment, sent by its consultant: nothing is made until it starts
    (a link preview must not open a questionnaire)."""
    workspace, latest = _latest(session, token, series)
    return _render(
        request,
        "invite.html",
        {"workspace": workspace, "token": token, "error": None, "again": latest},
    )


@router.post("/i/{token}/again/{series}", response_class=HTMLResponse)
def accept_invitation_again(
    token: str, series: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Starts from the company's latest answers, to join its series (the dashboard's progress)."""
    _, latest = _latest(session, token, series)
    draft = assessments.retake_draft(session, latest)
    return _redirect("/assessment/step/profile", draft, settings)
