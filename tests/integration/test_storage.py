"""Stored assessments and workspaces on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import Session

from app.core.answers import as_text, validate_answers
from app.core.assessment import Assessor
from app.services import assessments, workspaces
from app.storage.db import MIGRATIONS, engine_for, migrate
from app.storage.tables import Draft
from tests.personas import PERSONAS

pytestmark = pytest.mark.integration

ALL = [p.answers for ps in PERSONAS.values() for p in ps]


def _store(
    session: Session, assessor: Assessor, answers: dict[str, object], draft: Draft | None = None
):  # type: ignore[no-untyped-def]
    result = assessor.assess(validate_answers(answers))
    return assessments.store(session, result, assessor.reference, as_text(answers), "fr", draft)


def test_migrations_are_idempotent(database_url: str) -> None:
    engine = engine_for(database_url)
    migrate(engine)  # a second run finds nothing to do
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert version == ScriptDirectory.from_config(config).get_current_head()


def test_a_stored_result_is_found_by_its_share_and_manage_links_only(
    database_url: str, assessor: Assessor
) -> None:
    with Session(engine_for(database_url)) as session:
        created = _store(session, assessor, PERSONAS["classiques"][0].answers)
        found = assessments.by_share(session, created.share_token)
        assert found is not None
        assert found.id == created.assessment.id
        assert assessments.by_manage(session, created.manage_secret) == found
        # the two capabilities are not interchangeable
        assert assessments.by_manage(session, created.share_token) is None
        assert assessments.by_share(session, created.manage_secret) is None
        page = assessments.page_of(found, "en")
        assert page.cluster == "classiques"
        assert page.cluster_name == "Classics"
        assert assessments.page_of(found, "fr").cluster_name == "Classiques"


def test_secrets_are_stored_only_as_digests(database_url: str, assessor: Assessor) -> None:
    engine = engine_for(database_url)
    with Session(engine) as session:
        created = _store(session, assessor, PERSONAS["basiques"][0].answers)
        links = workspaces.create(session, "Cabinet")
    with engine.connect() as connection:
        dump = " ".join(
            str(value)
            for table in ("assessment", "workspace")
            for row in connection.execute(text(f"SELECT * FROM {table}"))  # noqa: S608 - fixed names
            for value in row
        )
    assert created.manage_secret not in dump
    assert created.share_token not in dump
    assert links.dashboard_secret is not None
    assert links.dashboard_secret not in dump


def test_deleting_removes_the_row_for_good(database_url: str, assessor: Assessor) -> None:
    with Session(engine_for(database_url)) as session:
        created = _store(session, assessor, PERSONAS["polyvalents"][0].answers)
        assessments.delete(session, created.assessment)
        assert assessments.by_share(session, created.share_token) is None
        assert assessments.by_manage(session, created.manage_secret) is None
        count = session.connection().execute(text("SELECT count(*) FROM assessment")).scalar_one()
        assert count == 0


def test_a_retake_joins_the_series_and_keeps_the_first_result(
    database_url: str, assessor: Assessor
) -> None:
    with Session(engine_for(database_url)) as session:
        links = workspaces.create(session, "Cabinet")
        draft = workspaces.invited_draft(session, links.workspace, "Acme")
        first = _store(session, assessor, PERSONAS["classiques"][0].answers, draft)
        retake = assessments.retake_draft(session, first.assessment)
        assert retake.answers == first.assessment.answers
        second = _store(session, assessor, PERSONAS["polyvalents"][1].answers, retake)
        history = workspaces.series(session, links.workspace, first.assessment.series)
        assert [a.cluster for a in history] == ["classiques", "polyvalents"]
        assert {a.company for a in history} == {"Acme"}
        assert second.assessment.workspace_id == links.workspace.id


def test_dashboard_listing_filters_pages_and_exports(database_url: str, assessor: Assessor) -> None:
    with Session(engine_for(database_url)) as session:
        links = workspaces.create(session, "Cabinet", "#123456")
        other = workspaces.create(session, "Someone else")
        workspace = links.workspace
        base = datetime(2026, 1, 1, tzinfo=UTC)
        for n in range(30):
            answers = ALL[n % len(ALL)]
            draft = workspaces.invited_draft(session, workspace, f"Client {n:02d}")
            created = _store(session, assessor, answers, draft)
            created.assessment.created_at = base + timedelta(days=n)
            session.add(created.assessment)
        _store(session, assessor, ALL[0], workspaces.invited_draft(session, other.workspace, "X"))
        session.commit()

        first = workspaces.listing(session, workspace)
        assert first.total == 30
        assert first.pages == 2
        assert len(first.rows) == workspaces.PAGE_SIZE
        assert first.rows[0].company == "Client 29"  # newest first
        second = workspaces.listing(session, workspace, page=2)
        assert [r.company for r in second.rows][-1] == "Client 00"
        banking = workspaces.listing(session, workspace, sector="banking_insurance")
        assert banking.total > 0
        assert {r.sector for r in banking.rows} == {"banking_insurance"}
        top = workspaces.listing(session, workspace, cluster="polyvalents")
        assert {r.cluster for r in top.rows} == {"polyvalents"}

        exported = "".join(workspaces.export_csv(session, workspace, "banking_insurance")).lstrip(
            "\ufeff"
        )
        rows = list(csv.DictReader(io.StringIO(exported)))
        assert len(rows) == banking.total
        assert {r["sector"] for r in rows} == {"banking_insurance"}
        assert all(r["company"].startswith("Client") for r in rows)

        # the spreadsheet export: labels, whole percentages, the reader's separator and time
        sheet = "".join(
            workspaces.export_sheet(session, workspace, "en", UTC, "banking_insurance")
        ).lstrip("\ufeff")
        lines = list(csv.reader(io.StringIO(sheet)))
        assert lines[0] == [
            "Company",
            "Sector",
            "Level",
            "Basics (%)",
            "Classics (%)",
            "All-rounders (%)",
            "Date (Paris time)",
            "Barometer edition",
        ]
        assert len(lines) == banking.total + 1
        assert {line[1] for line in lines[1:]} == {"Banking, mutual, insurance"}
        assert {line[2] for line in lines[1:]} <= {"Basics", "Classics", "All-rounders"}
        assert all(sum(int(p) for p in line[3:6]) == 100 for line in lines[1:])
        newest = max(a.created_at for a in banking.rows)
        assert lines[1][6] == newest.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        french = "".join(workspaces.export_sheet(session, workspace, "fr", UTC)).lstrip("\ufeff")
        assert french.splitlines()[0].startswith("Entreprise;Secteur;Niveau;Basiques (%);")


def test_rotating_a_link_invalidates_the_old_one(database_url: str) -> None:
    with Session(engine_for(database_url)) as session:
        links = workspaces.create(session, "Cabinet")
        assert links.dashboard_secret is not None
        assert links.invite_token is not None
        new_dashboard = workspaces.rotate(session, links.workspace, "dashboard")
        assert workspaces.by_dashboard(session, links.dashboard_secret) is None
        assert workspaces.by_dashboard(session, new_dashboard) == links.workspace
        new_invite = workspaces.rotate(session, links.workspace, "invite")
        assert workspaces.by_invite(session, links.invite_token) is None
        assert workspaces.by_invite(session, new_invite) == links.workspace
