"""The embedded questionnaire: framed only by the partner's own origins, and complete without
any cookie (a frame on another site may not get ours); its one cookie, partitioned, only brings
the frame back to its unfinished questionnaire."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest
from sqlmodel import Session

from app.core.answers import validate_answers
from app.core.assessment import Assessor
from app.services import partners
from app.settings import Settings
from app.storage.db import engine_for
from app.web import embed
from app.web.main import create_app
from tests.journey import form_for
from tests.personas import PERSONAS

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

PARTNER_ORIGINS = ["https://mag.example", "http://localhost:8765"]
BASE = "http://testserver"


@pytest.fixture
async def site(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        yield http


@pytest.fixture
def partner(settings: Settings) -> str:
    with Session(engine_for(settings.database_url)) as session:
        return partners.create(session, "Trade magazine", PARTNER_ORIGINS).record.prefix


def _frame_ancestors(response: httpx.Response) -> str:
    policy = response.headers["content-security-policy"]
    found = re.search(r"frame-ancestors ([^;]+)", policy)
    assert found is not None, policy
    return found.group(1).strip()


def _assert_frame_cookie(cookie: str, partner: str) -> None:
    """The embed's only cookie: its own name, partitioned per top-level site (CHIPS), sent to
    this partner's embed path only, out of reach of scripts."""
    name, _, attributes = cookie.partition(";")
    assert name.startswith(f"{embed.DRAFT_COOKIE}=")
    parts = {part.strip().lower() for part in attributes.split(";")}
    assert {"partitioned", "secure", "httponly", "samesite=none"} <= parts
    assert f"path=/embed/{partner}" in parts


async def _walk(
    site: httpx.AsyncClient, partner: str, answers: dict[str, object], lang: str = "fr"
) -> list[httpx.Response]:
    """Every response of a cookieless walk through the embed, first GET to result page."""
    seen = []
    site.cookies.clear()
    response = await site.get(f"/embed/{partner}?lang={lang}")
    seen.append(response)
    for _ in range(40):
        url = response.headers["location"]
        site.cookies.clear()  # a third-party frame keeps none
        if "/done/" in url:
            seen.append(await site.get(url))
            return seen
        page = await site.get(url)
        seen.append(page)
        if page.status_code == 303:
            response = page
            continue
        assert page.status_code == 200, (url, page.text[:500])
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert action is not None
        step_id = action.group(1).rsplit("/", 1)[-1].split("?")[0]
        site.cookies.clear()
        response = await site.post(
            action.group(1), data=form_for(step_id, answers), headers={"Origin": BASE}
        )
        seen.append(response)
        assert response.status_code == 303, (step_id, response.text[:1500])
    raise AssertionError("the embedded questionnaire did not finish")


async def test_a_cookieless_embedded_walk_reaches_the_cluster_the_core_gives(
    site: httpx.AsyncClient, partner: str, assessor: Assessor
) -> None:
    answers = PERSONAS["polyvalents"][0].answers
    site.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
    responses = await _walk(site, partner, dict(answers), "en")
    result = responses[-1]
    assert result.status_code == 200
    expected = assessor.assess(validate_answers(answers)).placement.cluster
    assert f'data-cluster="{expected}"' in result.text
    # the language rode in the URLs, not in a cookie, whatever the browser's own language
    assert '<html lang="en">' in result.text
    set_cookies = [c for r in responses for c in r.headers.get_list("set-cookie")]
    assert set_cookies  # the frame was told which questionnaire to come back to, and then not
    for cookie in set_cookies:
        _assert_frame_cookie(cookie, partner)
    assert "max-age=0" in responses[-1].headers["set-cookie"].lower()  # finished: forgotten
    share = re.search(r'id="share-link" target="_blank" rel="noopener">([^<]+)<', result.text)
    manage = re.search(r'id="manage-link" target="_blank" rel="noopener">([^<]+)<', result.text)
    assert share is not None
    assert manage is not None
    # both links work on the site itself
    assert (await site.get(urlsplit(share.group(1)).path)).status_code == 200
    assert (await site.get(urlsplit(manage.group(1)).path)).status_code == 200


async def test_every_embedded_response_may_be_framed_by_the_partner_only(
    site: httpx.AsyncClient, partner: str
) -> None:
    answers = dict(PERSONAS["classiques"][0].answers)
    for response in await _walk(site, partner, answers):
        assert _frame_ancestors(response) == " ".join(sorted(PARTNER_ORIGINS))
        assert "x-frame-options" not in response.headers
    # a step sent back with errors too
    first = await site.get(f"/embed/{partner}", follow_redirects=True)
    action = re.search(r'<form method="post" action="([^"]+)"', first.text)
    assert action is not None
    invalid = await site.post(action.group(1), data={"action": "next"})
    assert invalid.status_code == 422
    assert _frame_ancestors(invalid) == " ".join(sorted(PARTNER_ORIGINS))
    # no autofocus in a frame on another site: browsers refuse it, on the partner's console
    assert 'aria-invalid="true"' in invalid.text
    assert "autofocus" not in invalid.text


async def test_the_rest_of_the_site_is_never_framed(site: httpx.AsyncClient, partner: str) -> None:
    for path in ("/", "/assessment/step/profile", "/methodology"):
        response = await site.get(path)
        assert _frame_ancestors(response) == "'none'"
        assert response.headers["x-frame-options"] == "DENY"


async def test_an_unknown_or_revoked_partner_gets_no_frame(
    site: httpx.AsyncClient, partner: str, settings: Settings
) -> None:
    unknown = await site.get("/embed/00000000")
    assert unknown.status_code == 404
    assert _frame_ancestors(unknown) == "'none'"
    with Session(engine_for(settings.database_url)) as session:
        partners.revoke(session, partner)
    revoked = await site.get(f"/embed/{partner}")
    assert revoked.status_code == 404
    assert _frame_ancestors(revoked) == "'none'"


async def test_a_partner_without_origins_cannot_be_framed_anywhere(
    site: httpx.AsyncClient, settings: Settings
) -> None:
    with Session(engine_for(settings.database_url)) as session:
        prefix = partners.create(session, "API only", []).record.prefix
    response = await site.get(f"/embed/{prefix}", follow_redirects=True)
    assert response.status_code == 200
    assert _frame_ancestors(response) == "'none'"


async def test_a_cross_site_post_into_an_embedded_draft_is_refused(
    site: httpx.AsyncClient, partner: str
) -> None:
    first = await site.get(f"/embed/{partner}", follow_redirects=True)
    action = re.search(r'<form method="post" action="([^"]+)"', first.text)
    assert action is not None
    forged = await site.post(
        action.group(1),
        data=form_for("profile", PERSONAS["basiques"][0].answers),
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert forged.status_code == 403


async def test_a_finished_or_unknown_draft_starts_again_instead_of_failing(
    site: httpx.AsyncClient, partner: str
) -> None:
    response = await site.get(f"/embed/{partner}/{'x' * 22}/step/channels?lang=en")
    assert response.status_code == 303
    # a new questionnaire, and the frame forgets the one that is gone
    assert response.headers["location"] == f"/embed/{partner}?lang=en&restart=1"
    restarted = await site.get(response.headers["location"])
    assert restarted.headers["location"].startswith(f"/embed/{partner}/new/step/")
    assert restarted.headers["location"].endswith("?lang=en")


async def test_the_done_page_needs_both_tokens(site: httpx.AsyncClient, partner: str) -> None:
    responses = await _walk(site, partner, dict(PERSONAS["basiques"][1].answers))
    done_url = responses[-2].headers["location"].split("?")[0]
    share, secret = done_url.rsplit("/", 2)[-2:]
    assert (await site.get(f"/embed/{partner}/done/{share}/{secret}")).status_code == 200
    wrong = f"/embed/{partner}/done/{share}/{secret[:-2]}xx"
    assert (await site.get(wrong)).status_code == 404


async def _first_step_answered(
    site: httpx.AsyncClient, partner: str, answers: dict[str, object]
) -> httpx.Response:
    """The POST of the embed's first step (from the frame's own page), a 303 to the next."""
    first = await site.get(f"/embed/{partner}?lang=fr", follow_redirects=True)
    action = re.search(r'<form method="post" action="([^"]+)"', first.text)
    assert action is not None
    step_id = action.group(1).rsplit("/", 1)[-1].split("?")[0]
    posted = await site.post(
        action.group(1), data=form_for(step_id, answers), headers={"Origin": BASE}
    )
    assert posted.status_code == 303
    return posted


async def test_the_snippet_url_comes_back_to_the_frames_unfinished_questionnaire(
    site: httpx.AsyncClient, partner: str
) -> None:
    """What a reload of the partner's page does: the frame's cookie names its draft and its
    language, and the snippet's URL opens that draft at its first step left to answer."""
    posted = await _first_step_answered(site, partner, dict(PERSONAS["classiques"][0].answers))
    next_step = posted.headers["location"]
    token = next_step.split("/")[3]
    # set by the POST, which only our own pages may send
    _assert_frame_cookie(posted.headers["set-cookie"], partner)
    assert f"{embed.DRAFT_COOKIE}={token}.fr;" in posted.headers["set-cookie"]
    shown = await site.get(next_step)
    assert shown.status_code == 200
    assert "set-cookie" not in shown.headers  # a GET never sets it: see the next test

    cookie = {"Cookie": f"{embed.DRAFT_COOKIE}={token}.fr"}
    site.cookies.clear()
    back = await site.get(f"/embed/{partner}?lang=fr", headers=cookie)
    assert back.status_code == 303
    assert back.headers["location"] == next_step
    # in the language the visitor had switched to, whatever the snippet says
    english = {"Cookie": f"{embed.DRAFT_COOKIE}={token}.en"}
    back_in_english = await site.get(f"/embed/{partner}?lang=fr", headers=english)
    assert back_in_english.headers["location"] == next_step.replace("lang=fr", "lang=en")
    odd = await site.get(f"/embed/{partner}?lang=fr&restart=yes", headers=cookie)
    assert odd.headers["location"] == next_step  # only restart=1 restarts; no error page
    # "start a new questionnaire", from the frame, forgets it; a request from another page
    # (an image on the partner's site) does not
    elsewhere = {**cookie, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "image"}
    not_again = await site.get(f"/embed/{partner}?lang=fr&restart=1", headers=elsewhere)
    assert not_again.headers["location"] == next_step
    assert "set-cookie" not in not_again.headers
    from_frame = {**cookie, "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Dest": "iframe"}
    again = await site.get(f"/embed/{partner}?lang=fr&restart=1", headers=from_frame)
    assert again.headers["location"].startswith(f"/embed/{partner}/new/step/")
    _assert_frame_cookie(again.headers["set-cookie"], partner)
    assert "max-age=0" in again.headers["set-cookie"].lower()
    # a cookie naming a draft that is gone (expired, finished) starts a new one and is dropped
    stale = {"Cookie": f"{embed.DRAFT_COOKIE}={'x' * 22}.fr"}
    gone = await site.get(f"/embed/{partner}?lang=fr", headers=stale)
    assert gone.headers["location"].startswith(f"/embed/{partner}/new/step/")
    assert "max-age=0" in gone.headers["set-cookie"].lower()
    # the restart link on each step of an unfinished questionnaire
    assert f'href="/embed/{partner}?lang=fr&amp;restart=1" id="embed-restart"' in shown.text


async def test_no_other_page_can_plant_a_draft_in_a_visitors_frame(
    site: httpx.AsyncClient, partner: str
) -> None:
    """Another page on the partner's site (or anywhere) that loads a draft's URL, with an
    image or a fetch, gets no cookie set: the visitor's frame would otherwise come back to
    the other page's draft and fill in its answers."""
    answers = dict(PERSONAS["basiques"][0].answers)
    draft = await _first_step_answered(site, partner, answers)
    site.cookies.clear()
    as_image = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "image"}
    loaded = await site.get(draft.headers["location"], headers=as_image)
    assert loaded.status_code == 200
    assert "set-cookie" not in loaded.headers
    # nor can a cross-site POST into that draft (CsrfMiddleware), which would set it
    forged = await site.post(
        draft.headers["location"],
        data=form_for("profile", answers),
        headers={"Origin": "https://blog.mag.example", "Sec-Fetch-Site": "same-site"},
    )
    assert forged.status_code == 403
    assert "set-cookie" not in forged.headers
