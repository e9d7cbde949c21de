"""A consultant's journey through the real pages: a workspace, a client's assessment made from
the invitation link, the dashboard, the share link read-only in another browser, a retake by
the client that moves the company up a level, the movement on the dashboard and the CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from app.core.questionnaire import QUESTIONNAIRE
from tests.browser.helpers import (
    ConsoleErrors,
    assert_checked,
    complete_questionnaire,
    core_cluster,
    core_probabilities,
    current_step,
    on_result,
    persona,
    step_questions,
    submit,
)

COMPANY = "Maison Dupont & Fils"
CSV_HEADER = [
    "company",
    "sector",
    "cluster",
    "p_basiques",
    "p_classiques",
    "p_polyvalents",
    "edition",
    "locale",
    "completed_at",
    "series",
]


def _improved(answers: dict[str, Any]) -> dict[str, Any]:
    """A year later: chat and social media opened and fast, satisfaction measured always."""
    return {
        **answers,
        "chat_open": True,
        "chat_delay": "lt_5min",
        "social_open": True,
        "social_delay": "lt_1h",
        "satisfaction_measured": "systematic",
        "satisfaction_indicators": ["nps", "csat"],
    }


def _company_rows(page: Page) -> Any:
    return page.locator(f'table#assessments tbody tr[data-company="{COMPANY}"]')


def test_consultant_follows_a_client_from_invitation_to_retake_and_csv(
    page: Page, new_context: Any
) -> None:
    first = persona("classiques", 0)
    second = _improved(first)
    assert core_cluster(first) == "classiques"
    assert core_cluster(second) == "polyvalents", "the retake's answers no longer move up"
    changed = sorted(qid for qid in second if second[qid] != first.get(qid))

    # --- the consultant creates a workspace ---------------------------------------------------
    consultant = page
    console = ConsoleErrors(consultant)
    consultant.goto("/workspaces/new")
    consultant.fill("#name", "Cabinet Martin Conseil")
    consultant.fill("#colour", "#2a7f62")
    assert submit(consultant, 'form[action="/workspaces"] button[type="submit"]') == 200
    dashboard_url = consultant.locator("a#dashboard-link").get_attribute("href")
    invite_url = consultant.locator("a#invite-link").get_attribute("href")
    assert dashboard_url is not None
    assert "/w/" in dashboard_url, dashboard_url
    assert invite_url is not None
    assert "/i/" in invite_url, invite_url
    expect(consultant.locator("a#dashboard-link")).to_have_text(dashboard_url)
    expect(consultant.locator("a#invite-link")).to_have_text(invite_url)

    consultant.goto(dashboard_url)
    expect(consultant.locator("h1")).to_have_text("Cabinet Martin Conseil")
    expect(consultant.locator("table#assessments tbody tr[data-cluster]")).to_have_count(0)

    # --- the client completes the assessment from the invitation ------------------------------
    client = new_context().new_page()
    client.goto(invite_url)
    client.fill("#company", COMPANY)
    assert submit(client, 'form[action^="/i/"] button[type="submit"]') == 200
    assert current_step(client) == "profile", client.url
    complete_questionnaire(client, first, start=False)
    assert on_result(client), client.url
    expect(client.locator("h1#cluster")).to_have_attribute("data-cluster", "classiques")
    expect(client.locator("body")).to_contain_text(COMPANY)
    share_url = client.locator("a#share-link").get_attribute("href")
    manage_url = client.locator("a#manage-link").get_attribute("href")
    assert share_url is not None
    assert share_url.split("?")[0] == client.url.split("?")[0], share_url
    assert manage_url is not None
    assert "/m/" in manage_url, manage_url
    # a reload in the next minutes keeps it (a link shown once must survive an accidental
    # reload); a fresh browser with the share link never sees it (checked below)
    client.reload()
    expect(client.locator("h1#cluster")).to_have_attribute("data-cluster", "classiques")
    expect(client.locator("#manage-link")).to_have_attribute("href", manage_url)

    # --- it is on the consultant's dashboard ---------------------------------------------------
    consultant.goto(dashboard_url)
    expect(_company_rows(consultant)).to_have_count(1)
    expect(_company_rows(consultant)).to_have_attribute("data-cluster", "classiques")
    expect(consultant.locator("table#assessments tbody tr[data-cluster]")).to_have_count(1)

    # --- a colleague opens the share link in a browser of their own: read-only ----------------
    colleague = new_context().new_page()
    response = colleague.goto(share_url)
    assert response is not None
    assert response.status == 200
    assert "noindex" in (response.headers.get("x-robots-tag") or "")
    expect(colleague.locator('meta[name="robots"]')).to_have_attribute(
        "content", "noindex, nofollow"
    )
    expect(colleague.locator("h1#cluster")).to_have_attribute("data-cluster", "classiques")
    expect(colleague.locator("#manage-link")).to_have_count(0)
    expect(colleague.locator('form[action*="/m/"]')).to_have_count(0)
    expect(colleague.locator('a[href*="/m/"]')).to_have_count(0)
    expect(colleague.locator('form[method="post"]')).to_have_count(0)

    # --- the client retakes from the private link, pre-filled, with better answers ------------
    client.goto(manage_url)
    expect(client.locator("h1#cluster")).to_have_attribute("data-cluster", "classiques")
    expect(client.locator('form[action$="/retake"]')).to_have_count(1)
    expect(client.locator('form[action$="/delete"]')).to_have_count(1)
    assert submit(client, 'form[action$="/retake"] button[type="submit"]') == 200
    assert current_step(client) == "profile", client.url
    assert_checked(client, first, [q.id for q in step_questions(client)])  # pre-filled
    complete_questionnaire(client, second, start=False)
    assert on_result(client), client.url
    expect(client.locator("h1#cluster")).to_have_attribute("data-cluster", "polyvalents")
    second_share = client.locator("a#share-link").get_attribute("href")
    assert second_share is not None
    assert second_share != share_url

    # a stored result stays as it was computed
    colleague.reload()
    expect(colleague.locator("h1#cluster")).to_have_attribute("data-cluster", "classiques")

    # --- the movement on the dashboard ---------------------------------------------------------
    consultant.goto(dashboard_url)
    rows = _company_rows(consultant)
    expect(rows).to_have_count(2)
    expect(consultant.locator("table#assessments tbody tr[data-cluster]")).to_have_count(2)
    assert [r.get_attribute("data-cluster") for r in rows.all()] == [
        "polyvalents",  # newest first
        "classiques",
    ]
    history_links = {r.locator('a[href*="/progress/"]').get_attribute("href") for r in rows.all()}
    assert len(history_links) == 1, f"the retake is not in the same series: {history_links}"
    progress_href = history_links.pop()
    assert progress_href is not None
    series = progress_href.rsplit("/", 1)[1]

    assert submit(consultant, f'a[href="{progress_href}"] >> nth=0') == 200
    history = consultant.locator("table#history tbody tr[data-cluster]")
    expect(history).to_have_count(2)
    assert [r.get_attribute("data-cluster") for r in history.all()] == [
        "classiques",  # oldest first
        "polyvalents",
    ]
    labels = sorted(consultant.locator("table#changes tbody tr th").all_inner_texts())
    assert labels == sorted(QUESTIONNAIRE[qid].label.in_("fr") for qid in changed), labels
    expect(consultant.locator(".chart-box.drawn")).to_have_count(1, timeout=10_000)

    # --- the CSV export --------------------------------------------------------------------------
    consultant.goto(dashboard_url)
    with consultant.expect_download() as download_info:
        consultant.click("a#export-link")
    download = download_info.value
    assert download.suggested_filename == "assessments-all.csv"
    raw = Path(download.path()).read_text(encoding="utf-8")
    assert raw.startswith("\ufeff")  # the BOM spreadsheet software needs for accents
    text = raw.removeprefix("\ufeff")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == CSV_HEADER
    records = [dict(zip(CSV_HEADER, row, strict=True)) for row in table[1:]]
    assert len(records) == 2, text
    records.sort(key=lambda r: r["completed_at"])
    for record, answers in zip(records, (first, second), strict=True):
        expected = core_probabilities(answers)
        assert record["company"] == COMPANY
        assert record["sector"] == answers["sector"]
        assert record["cluster"] == core_cluster(answers)
        for cluster, p in expected.items():
            assert record[f"p_{cluster}"] == f"{p:.3f}", (cluster, record)
        assert record["series"] == series
        assert record["locale"] == "fr"
        assert record["edition"]
    assert [r["cluster"] for r in records] == ["classiques", "polyvalents"]
    assert records[0]["edition"] == records[1]["edition"]

    # --- the spreadsheet export, in the dashboard's language ------------------------------------
    with consultant.expect_download() as download_info:
        consultant.click("a#spreadsheet-link")
    download = download_info.value
    assert download.suggested_filename == "evaluations-toutes.csv"
    sheet = Path(download.path()).read_text(encoding="utf-8").removeprefix("\ufeff")
    lines = list(csv.reader(io.StringIO(sheet), delimiter=";"))
    assert lines[0][:3] == ["Entreprise", "Secteur", "Niveau"], lines[0]
    assert len(lines) == 3
    levels = sorted(line[2] for line in lines[1:])
    assert levels == ["Classiques", "Polyvalents"], lines
    for line in lines[1:]:
        assert sum(int(p) for p in line[3:6]) == 100, line
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", line[6]), line

    assert console.messages == []
