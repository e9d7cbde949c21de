"""Consultant workspaces without accounts: a private dashboard link and a client invitation
link, both capabilities that can be rotated (the old link stops working at once)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any, Literal

from sqlalchemy import select as sa_select
from sqlalchemy.orm import defer
from sqlmodel import Session, col, func, select

from app.core.questionnaire import QUESTIONNAIRE
from app.core.recommendations import CLUSTER_NAMES
from app.core.text import t
from app.core.vocabulary import CLUSTERS, Locale
from app.services.presentation import whole_percentages
from app.services.tokens import digest, new_token, plausible
from app.storage.tables import Assessment, Draft, Workspace

PAGE_SIZE = 25
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Links:
    workspace: Workspace
    dashboard_secret: str | None = None
    invite_token: str | None = None


class WorkspaceNameError(ValueError):
    """The workspace name is missing or too long."""


def create(session: Session, name: str, colour: str = "#0b5cad") -> Links:
    name = name.strip()
    if not 1 <= len(name) <= 120:
        raise WorkspaceNameError(name)
    dashboard, invite = new_token(), new_token()
    workspace = Workspace(
        name=name,
        colour=colour if COLOUR.match(colour or "") else "#0b5cad",
        dashboard_hash=digest(dashboard),
        invite_token=invite,
    )
    session.add(workspace)
    session.commit()
    session.refresh(workspace)
    return Links(workspace, dashboard, invite)


def by_dashboard(session: Session, secret: str) -> Workspace | None:
    if not plausible(secret):
        return None
    query = select(Workspace).where(col(Workspace.dashboard_hash) == digest(secret))
    return session.exec(query).first()


def by_invite(session: Session, token: str) -> Workspace | None:
    if not plausible(token):
        return None
    query = select(Workspace).where(col(Workspace.invite_token) == token)
    return session.exec(query).first()


def rotate(session: Session, workspace: Workspace, which: Literal["dashboard", "invite"]) -> str:
    """A new secret for one of the two links; the old one stops working."""
    secret = new_token()
    if which == "dashboard":
        workspace.dashboard_hash = digest(secret)
    else:
        workspace.invite_token = secret
    session.add(workspace)
    session.commit()
    return secret


def invited_draft(session: Session, workspace: Workspace, company: str) -> Draft:
    draft = Draft(token=new_token(), workspace_id=workspace.id, company=company.strip()[:200])
    session.add(draft)
    session.commit()
    session.refresh(draft)
    return draft


@dataclass(frozen=True)
class Listing:
    rows: list[Assessment]
    total: int
    page: int
    pages: int


def listing(
    session: Session,
    workspace: Workspace,
    sector: str | None = None,
    cluster: str | None = None,
    page: int = 1,
) -> Listing:
    """One page of the workspace's assessments, newest first, filtered by sector and cluster
    (indexed on workspace + filter + date, so a page costs the same at any size)."""
    conditions = [col(Assessment.workspace_id) == workspace.id]
    if sector:
        conditions.append(col(Assessment.sector) == sector)
    if cluster:
        conditions.append(col(Assessment.cluster) == cluster)
    total = session.exec(select(func.count()).select_from(Assessment).where(*conditions)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.exec(
        select(Assessment)
        # the stored result pages (100 KB and more each) are not needed to list a row
        .options(defer(Assessment.result), defer(Assessment.answers))  # type: ignore[arg-type]
        .where(*conditions)
        .order_by(col(Assessment.created_at).desc(), col(Assessment.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return Listing(list(rows), total, page, pages)


def has_assessments(session: Session, workspace: Workspace) -> bool:
    """Whether the workspace holds any assessment at all (one indexed row, whatever the size)."""
    query = select(Assessment.id).where(col(Assessment.workspace_id) == workspace.id).limit(1)
    return session.exec(query).first() is not None


def by_public_id(session: Session, workspace: Workspace, public_id: str) -> Assessment | None:
    query = select(Assessment).where(
        col(Assessment.workspace_id) == workspace.id, col(Assessment.public_id) == public_id
    )
    return session.exec(query).first()


def series(session: Session, workspace: Workspace, series_id: str) -> list[Assessment]:
    """A company's assessments across retakes, oldest first."""
    query = (
        select(Assessment)
        .where(col(Assessment.workspace_id) == workspace.id, col(Assessment.series) == series_id)
        .order_by(col(Assessment.created_at), col(Assessment.id))
    )
    return list(session.exec(query).all())


_EXPORTED = (
    "company",
    "sector",
    "cluster",
    "p_basiques",
    "p_classiques",
    "p_polyvalents",
    "edition",
    "locale",
    "created_at",
    "series",
)
CSV_COLUMNS = tuple("completed_at" if c == "created_at" else c for c in _EXPORTED)


def _cell(value: str) -> str:
    """A client-chosen text that a spreadsheet would read as a formula is written as text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_csv(
    session: Session, workspace: Workspace, sector: str | None = None, cluster: str | None = None
) -> Iterator[str]:
    """The workspace's assessments as CSV for programs: ids, fractions, UTC timestamps, commas.
    Streamed in chunks (constant memory). Starts with a byte-order mark so that spreadsheet
    software reads the accents right."""
    return _stream(session, workspace, sector, cluster, CSV_COLUMNS, ",", _data_row)


def export_sheet(
    session: Session,
    workspace: Workspace,
    locale: Locale,
    zone: tzinfo,
    sector: str | None = None,
    cluster: str | None = None,
) -> Iterator[str]:
    """The same assessments for a spreadsheet, in the reader's language: labels rather than
    ids, whole percentages as the dashboard shows them, local dates. French spreadsheet
    software splits columns on semicolons (the comma is the decimal mark), English on commas."""
    header = tuple(text.in_(locale) for text in _SHEET_HEADER)

    def row(values: tuple[Any, ...]) -> list[str]:
        company, sector_id, cluster_id, pb, pc, pp, edition, _, created, _ = values
        moment = (created if created.tzinfo else created.replace(tzinfo=UTC)).astimezone(zone)
        return [
            _cell(company or ""),
            QUESTIONNAIRE["sector"].option(sector_id).label.in_(locale),
            CLUSTER_NAMES[cluster_id].in_(locale),
            *(str(p) for p in whole_percentages([pb, pc, pp])),
            moment.strftime("%d/%m/%Y %H:%M" if locale == "fr" else "%Y-%m-%d %H:%M"),
            edition,
        ]

    return _stream(session, workspace, sector, cluster, header, ";" if locale == "fr" else ",", row)


_SHEET_HEADER = (
    t("Entreprise", "Company"),
    t("Secteur", "Sector"),
    t("Niveau", "Level"),
    *(t(f"{CLUSTER_NAMES[c].fr} (%)", f"{CLUSTER_NAMES[c].en} (%)") for c in CLUSTERS),
    t("Date (heure de Paris)", "Date (Paris time)"),
    t("Édition du baromètre", "Barometer edition"),
)


def _data_row(values: tuple[Any, ...]) -> list[str]:
    company, sector_id, cluster_id, pb, pc, pp, edition, locale, created, series_id = values
    return [
        _cell(company or ""),
        sector_id,
        cluster_id,
        f"{pb:.3f}",
        f"{pc:.3f}",
        f"{pp:.3f}",
        edition,
        locale,
        created.isoformat(),
        series_id,
    ]


def _stream(
    session: Session,
    workspace: Workspace,
    sector: str | None,
    cluster: str | None,
    header: tuple[str, ...],
    delimiter: str,
    row: Callable[[tuple[Any, ...]], list[str]],
) -> Iterator[str]:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    conditions = [col(Assessment.workspace_id) == workspace.id]
    if sector:
        conditions.append(col(Assessment.sector) == sector)
    if cluster:
        conditions.append(col(Assessment.cluster) == cluster)
    query = (
        sa_select(*(col(getattr(Assessment, name)) for name in _EXPORTED))
        .where(*conditions)
        .order_by(col(Assessment.created_at).desc(), col(Assessment.id).desc())
        .execution_options(yield_per=1000)
    )
    # plain columns, not the rows with their stored result pages: constant memory at any size
    for n, values in enumerate(session.connection().execute(query)):
        writer.writerow(row(tuple(values)))
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
