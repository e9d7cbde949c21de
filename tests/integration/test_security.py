"""Share links, manage links and forms: what an outsider can and cannot do (SQLite and
PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text

from app.settings import Settings
from app.storage.db import engine_for
from app.web.main import create_app
from tests.journey import CSRF, complete
from tests.personas import PERSONAS

pytestmark = [pytest.mark.integration, pytest.mark.anyio]


@pytest.fixture
async def web(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(Settings(database_url=database_url)))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        http.cookies.set("csrf", CSRF)
        yield http


async def _completed(web: httpx.AsyncClient) -> tuple[str, str]:
    """(share path, manage path) of a freshly completed assessment."""
    page = await complete(web, PERSONAS["classiques"][0].answers)
    share = re.search(r'id="share-link">http://testserver(/r/[^<]+)<', page.text)
    manage = re.search(r'id="manage-link">http://testserver(/m/[^<]+)<', page.text)
    assert share is not None
    assert manage is not None
    return share.group(1), manage.group(1)


async def test_the_manage_link_is_shown_only_to_its_owner_and_only_for_a_while(
    web: httpx.AsyncClient,
) -> None:
    share, manage = await _completed(web)
    # the owner may reload or switch language in the next minutes and still see it
    again = await web.get(f"{share}?lang=en")
    assert f'id="manage-link">http://testserver{manage}<' in again.text
    # anyone else with the share link never does, nor the owner once the cookie has gone
    web.cookies.delete("manage_once")
    later = await web.get(share)
    assert later.status_code == 200
    assert 'id="manage-link"' not in later.text
    assert "/m/" not in later.text


async def test_a_share_token_cannot_reach_a_manage_action(web: httpx.AsyncClient) -> None:
    share, _ = await _completed(web)
    token = share.removeprefix("/r/")
    assert (await web.get(f"/m/{token}")).status_code == 404
    assert (await web.post(f"/m/{token}/delete", data={"csrf": CSRF})).status_code == 404
    assert (await web.post(f"/m/{token}/retake", data={"csrf": CSRF})).status_code == 404
    assert (await web.get(share)).status_code == 200  # still there


async def test_wrong_rotated_and_deleted_tokens_are_indistinguishable(
    web: httpx.AsyncClient,
) -> None:
    share, manage = await _completed(web)
    created = await web.post(
        "/workspaces", data={"name": "Cabinet", "csrf": CSRF}, follow_redirects=True
    )
    dashboard = re.search(r'id="dashboard-link">http://testserver(/w/[^<]+)<', created.text)
    assert dashboard is not None
    old_dashboard = dashboard.group(1)
    await web.post(f"{old_dashboard}/rotate", data={"which": "dashboard", "csrf": CSRF})
    deleted = await web.post(f"{manage}/delete", data={"csrf": CSRF, "confirm": "yes"})
    assert deleted.status_code == 303

    headers = {"Accept": "text/html"}
    answers = [
        await web.get("/r/AAAAAAAAAAAAAAAAAAAAAA", headers=headers),  # wrong
        await web.get(share, headers=headers),  # deleted
        await web.get(manage, headers=headers),  # deleted
        await web.get(old_dashboard, headers=headers),  # rotated
        await web.get("/w/AAAAAAAAAAAAAAAAAAAAAA", headers=headers),  # wrong
        await web.get(manage.replace(manage[3:], "A" * 22), headers=headers),  # wrong
    ]
    assert {a.status_code for a in answers} == {404}
    # the pages echo the address asked for (the language links) and say what kind of link it
    # was (its path says so anyway); nothing tells a wrong token from a rotated or deleted one
    bodies: dict[str, set[str]] = {}
    for a in answers:
        page = re.sub(r'csrf" value="[^"]*"', "", a.text.replace(a.request.url.path, "PATH"))
        bodies.setdefault(a.request.url.path[:3], set()).add(page)
    assert sorted(bodies) == ["/m/", "/r/", "/w/"]
    for kind, pages in bodies.items():
        assert len(pages) == 1, f"every unknown {kind} token must get the very same page"


async def test_manage_secrets_are_not_in_the_database_in_clear(
    web: httpx.AsyncClient, database_url: str
) -> None:
    share, manage = await _completed(web)
    secret = manage.removeprefix("/m/")
    with engine_for(database_url).connect() as connection:
        rows = connection.execute(text("SELECT * FROM assessment")).all()
    assert rows
    dump = " ".join(str(value) for row in rows for value in row)
    with engine_for(database_url).connect() as connection:
        for table in ("idempotent_request", "workspace", "partner_key"):
            for row in connection.execute(text(f"SELECT * FROM {table}")):  # noqa: S608
                dump += " ".join(str(value) for value in row)
    assert secret not in dump
    assert share.removeprefix("/r/") not in dump


async def test_a_forged_cross_site_post_is_refused(web: httpx.AsyncClient) -> None:
    _, manage = await _completed(web)
    # another site's page posting the victim's browser to the delete action
    forged = await web.post(
        f"{manage}/delete", data={"csrf": CSRF}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403
    fetch_metadata = await web.post(
        f"{manage}/delete", data={"csrf": CSRF}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert fetch_metadata.status_code == 403
    without_token = await web.post(f"{manage}/delete", data={})
    assert without_token.status_code == 403
    wrong_token = await web.post(f"{manage}/delete", data={"csrf": "not-the-cookie-value-xyz"})
    assert wrong_token.status_code == 403
    assert (await web.get(manage)).status_code == 200  # nothing was deleted


async def test_shared_results_are_not_indexed(web: httpx.AsyncClient) -> None:
    share, _ = await _completed(web)
    response = await web.get(share)
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


async def test_no_sequential_id_is_visible(web: httpx.AsyncClient) -> None:
    await _completed(web)
    created = await web.post(
        "/workspaces", data={"name": "Cabinet", "csrf": CSRF}, follow_redirects=True
    )
    dashboard = re.search(r'id="dashboard-link">http://testserver(/w/[^<]+)<', created.text)
    assert dashboard is not None
    page = (await web.get(dashboard.group(1))).text
    for link in re.findall(r'href="(/[^"]+)"', page):
        for part in link.split("/"):
            assert not part.isdigit(), link


async def test_the_dashboard_compares_the_two_ticked_assessments(web: httpx.AsyncClient) -> None:
    created = await web.post(
        "/workspaces", data={"name": "Cabinet", "csrf": CSRF}, follow_redirects=True
    )
    dashboard = re.search(r'id="dashboard-link">http://testserver(/w/[^<]+)<', created.text)
    invite = re.search(r'id="invite-link">http://testserver(/i/[^<]+)<', created.text)
    assert dashboard is not None
    assert invite is not None
    for company, answers in (
        ("Acme", PERSONAS["basiques"][0]),
        ("Globex", PERSONAS["polyvalents"][0]),
    ):
        web.cookies.delete("draft")
        await web.post(invite.group(1), data={"company": company, "csrf": CSRF})
        await complete(web, answers.answers)
    page = (await web.get(dashboard.group(1))).text
    picks = re.findall(r'name="pick" value="([^"]+)"', page)
    assert len(picks) == 2
    both = await web.get(f"{dashboard.group(1)}/compare", params=[("pick", p) for p in picks])
    assert both.status_code == 200
    assert "Acme" in both.text
    assert "Globex" in both.text
    one = await web.get(f"{dashboard.group(1)}/compare", params=[("pick", picks[0])])
    assert one.status_code == 422


async def test_deleting_asks_for_confirmation_first(web: httpx.AsyncClient) -> None:
    share, manage = await _completed(web)
    asked = await web.post(f"{manage}/delete", data={"csrf": CSRF})
    assert asked.status_code == 200
    assert 'name="confirm" value="yes"' in asked.text
    assert (await web.get(share)).status_code == 200  # not yet
    done = await web.post(f"{manage}/delete", data={"csrf": CSRF, "confirm": "yes"})
    assert done.status_code == 303
    assert (await web.get(share)).status_code == 404


async def test_the_csv_export_is_safe_for_spreadsheets(web: httpx.AsyncClient) -> None:
    created = await web.post(
        "/workspaces", data={"name": "Cabinet", "csrf": CSRF}, follow_redirects=True
    )
    dashboard = re.search(r'id="dashboard-link">http://testserver(/w/[^<]+)<', created.text)
    invite = re.search(r'id="invite-link">http://testserver(/i/[^<]+)<', created.text)
    assert dashboard is not None
    assert invite is not None
    await web.post(invite.group(1), data={"company": "=HYPERLINK(1)", "csrf": CSRF})
    await complete(web, PERSONAS["basiques"][0].answers)
    exported = (await web.get(f"{dashboard.group(1)}/export.csv")).text
    assert exported.startswith("\ufeff")
    assert "'=HYPERLINK(1)" in exported
    filtered = await web.get(f"{dashboard.group(1)}/export.csv", params={"cluster": "polyvalents"})
    assert len(filtered.text.strip().splitlines()) == 1  # the header only
