"""The online assessment over HTTP, as a browser without JavaScript uses it."""

from __future__ import annotations

import html
import json
import re

import httpx
import pytest

from app.core.answers import validate_answers
from app.core.assessment import Assessor
from tests.journey import CSRF, complete, form_for
from tests.personas import PERSONAS

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

ALL = [(c, p) for c, ps in PERSONAS.items() for p in ps]


def cluster_of(html: str) -> str:
    match = re.search(r'<h1 id="cluster" data-cluster="([a-z]+)"', html)
    assert match, html[:500]
    return match.group(1)


async def test_start_leads_to_the_first_step(client: httpx.AsyncClient) -> None:
    response = await client.get("/assessment")
    assert response.status_code == 303
    assert response.headers["location"] == "/assessment/step/profile"
    page = await client.get("/assessment/step/profile")
    assert page.status_code == 200
    assert "Étape 1 sur" in page.text
    assert '<progress max="9" value="1"' in page.text


@pytest.mark.parametrize(("cluster", "persona"), ALL, ids=[p.name for _, p in ALL])
async def test_the_result_page_places_as_the_core_does(
    client: httpx.AsyncClient, assessor: Assessor, cluster: str, persona: object
) -> None:
    answers = persona.answers  # type: ignore[attr-defined]
    result = await complete(client, answers)
    assert result.status_code == 200
    expected = assessor.model.place(validate_answers(answers)).cluster
    assert cluster_of(result.text) == expected == cluster


async def test_a_missing_answer_is_flagged_next_to_its_field_and_nothing_is_lost(
    client: httpx.AsyncClient,
) -> None:
    answers = dict(PERSONAS["classiques"][0].answers)
    form = form_for("profile", answers)
    del form["monthly_volume"]
    response = await client.post("/assessment/step/profile", data=form)
    assert response.status_code == 422
    html = response.text
    assert 'class="error-summary" role="alert"' in html
    assert 'id="monthly_volume-error"' in html
    assert "Merci de répondre à cette question." in html
    # the first faulty field gets the focus, without JavaScript
    first = re.search(r'name="monthly_volume" value="lt_1k"[^>]*>', html)
    assert first is not None
    assert "autofocus" in first.group(0)
    # what was given is still there
    assert re.search(r'name="sector" value="retail_consumer_goods" checked', html)
    assert re.search(r'name="headcount" value="200_to_999" checked', html)


async def test_an_invalid_number_is_shown_back_with_its_message(client: httpx.AsyncClient) -> None:
    answers = dict(PERSONAS["classiques"][0].answers)
    for step in ("profile", "channels", "delays"):
        await client.post(f"/assessment/step/{step}", data=form_for(step, answers))
    form = form_for("handling", answers)
    form["phone_fcr"] = "150"
    response = await client.post("/assessment/step/handling", data=form)
    assert response.status_code == 422
    assert 'value="150"' in response.text
    assert "entre 0 et 100" in response.text


async def test_a_number_typed_with_dont_know_ticked_is_kept_and_questioned(
    client: httpx.AsyncClient,
) -> None:
    answers = dict(PERSONAS["classiques"][0].answers)
    for step in ("profile", "channels", "delays"):
        await client.post(f"/assessment/step/{step}", data=form_for(step, answers))
    form = form_for("handling", answers)
    form["phone_fcr"] = "70"
    form["phone_fcr__unknown"] = "dont_know"
    response = await client.post("/assessment/step/handling", data=form)
    assert response.status_code == 422
    field = re.search(r'id="phone_fcr" name="phone_fcr" value="([^"]*)"', response.text)
    assert field is not None
    assert field.group(1) == "70"  # what was typed is not lost
    assert "Le chiffre est gardé et la case décochée" in html.unescape(response.text)
    assert 'id="phone_fcr-error"' in response.text
    # confirmed as it is shown (the box now unticked): accepted, the number kept
    del form["phone_fcr__unknown"]
    confirmed = await client.post("/assessment/step/handling", data=form)
    assert confirmed.status_code == 303
    back = await client.get("/assessment/step/handling")
    assert re.search(r'id="phone_fcr" name="phone_fcr" value="70"', back.text)


async def test_a_page_sent_after_its_questionnaire_is_gone_keeps_its_answers_and_says_why(
    client: httpx.AsyncClient,
) -> None:
    """The browser's Back after the result, or a tab left open past the draft's life: the last
    step is sent with no questionnaire behind it."""
    answers = dict(PERSONAS["classiques"][0].answers)
    client.cookies.delete("draft")
    sent = await client.post("/assessment/step/handling", data=form_for("handling", answers))
    assert sent.status_code == 303
    assert sent.headers["location"] == "/assessment/step/profile?lost=1"
    page = await client.get(sent.headers["location"])
    assert 'id="lost-questionnaire"' in page.text
    assert "déjà envoyé ou expiré" in html.unescape(page.text)
    kept = await client.get("/assessment/step/handling")
    assert re.search(r'id="phone_fcr" name="phone_fcr" value="70"', kept.text)
    # a first step sent by a newcomer is the usual start, with no notice
    client.cookies.delete("draft")
    first = await client.post("/assessment/step/profile", data=form_for("profile", answers))
    assert "lost" not in first.headers["location"]


async def test_delays_are_asked_only_for_open_channels(client: httpx.AsyncClient) -> None:
    answers = dict(PERSONAS["classiques"][0].answers)  # phone and email only
    await client.post("/assessment/step/profile", data=form_for("profile", answers))
    response = await client.post("/assessment/step/channels", data=form_for("channels", answers))
    assert response.headers["location"] == "/assessment/step/delays"
    page = (await client.get("/assessment/step/delays")).text
    assert 'name="phone_delay"' in page
    assert 'name="email_delay"' in page
    assert 'name="chat_delay"' not in page
    assert 'name="mail_delay"' not in page


async def test_handling_is_skipped_when_neither_phone_nor_email_is_open(
    client: httpx.AsyncClient,
) -> None:
    answers = {
        **PERSONAS["basiques"][0].answers,
        "email_open": False,
        "chat_open": True,
        "chat_delay": "gt_30min",
    }
    answers.pop("email_delay")
    answers.pop("email_aht")
    answers.pop("email_fcr")
    await client.post("/assessment/step/profile", data=form_for("profile", answers))
    await client.post("/assessment/step/channels", data=form_for("channels", answers))
    response = await client.post("/assessment/step/delays", data=form_for("delays", answers))
    assert response.headers["location"] == "/assessment/step/satisfaction"
    skipped = await client.get("/assessment/step/handling")
    assert skipped.status_code == 303
    assert skipped.headers["location"] == "/assessment/step/satisfaction"
    result = await complete(client, answers)
    assert cluster_of(result.text) == "basiques"


async def test_switching_language_mid_way_keeps_the_answers(client: httpx.AsyncClient) -> None:
    answers = dict(PERSONAS["polyvalents"][1].answers)
    await client.post("/assessment/step/profile", data=form_for("profile", answers))
    form = form_for("channels", answers, action="lang:en")
    response = await client.post("/assessment/step/channels", data=form)
    assert response.headers["location"] == "/assessment/step/channels?lang=en"
    page = (await client.get(response.headers["location"])).text
    assert '<html lang="en">' in page
    assert re.search(r'name="whatsapp_open" value="true" checked', page)
    back = (await client.get("/assessment/step/profile")).text
    assert "Step 1 of" in back
    assert re.search(r'name="sector" value="transport_tourism" checked', back)
    result = await complete(client, answers, lang="en")
    assert cluster_of(result.text) == "polyvalents"
    assert "All-rounders" in result.text


async def test_a_draft_survives_a_closed_tab_and_can_be_resumed_elsewhere(
    client: httpx.AsyncClient, settings: object
) -> None:
    answers = dict(PERSONAS["basiques"][1].answers)
    await client.post("/assessment/step/profile", data=form_for("profile", answers))
    await client.post("/assessment/step/channels", data=form_for("channels", answers))
    # "closed tab": same cookie jar, a fresh start
    again = await client.get("/assessment")
    assert again.headers["location"] == "/assessment/step/delays"
    token = client.cookies.get("draft")
    assert token
    assert len(token) >= 22
    # another device: no cookie, only the resume link
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with other:
        assert (await other.get("/assessment")).headers["location"] == "/assessment/step/profile"
        resumed = await other.get(f"/assessment/resume/{token}")
        assert resumed.status_code == 303
        nxt = await other.get("/assessment")
        assert nxt.headers["location"] == "/assessment/step/delays"
        assert (await other.get("/assessment/resume/not-a-real-token")).status_code == 404


async def test_retake_from_the_private_link_is_prefilled_and_restart_is_blank(
    client: httpx.AsyncClient,
) -> None:
    answers = dict(PERSONAS["classiques"][1].answers)
    owner_page = (await complete(client, answers)).text
    manage = re.search(r'id="manage-link">http://testserver(/m/[^<]+)<', owner_page)
    assert manage is not None
    retake = await client.post(f"{manage.group(1)}/retake", data={"csrf": CSRF})
    assert retake.headers["location"] == "/assessment/step/profile"
    page = (await client.get("/assessment/step/profile")).text
    assert re.search(r'name="sector" value="retail_consumer_goods" checked', page)
    restart = await client.post("/assessment/restart", data={"csrf": CSRF})
    assert restart.status_code == 303
    blank = (await client.get("/assessment/step/profile")).text
    assert " checked" not in blank


async def test_the_result_needs_a_complete_questionnaire(client: httpx.AsyncClient) -> None:
    response = await client.get("/assessment/result")
    assert response.headers["location"] == "/assessment/step/profile"
    await client.post(
        "/assessment/step/profile", data=form_for("profile", PERSONAS["basiques"][0].answers)
    )
    partial = await client.get("/assessment/result")
    assert partial.headers["location"] == "/assessment/step/channels"
    assert (await client.get("/assessment/step/nope")).status_code == 404


async def test_the_result_page_shows_sources_charts_and_their_text_alternatives(
    client: httpx.AsyncClient,
) -> None:
    html = (await complete(client, PERSONAS["classiques"][0].answers)).text
    # the report's figure and its source travel together
    assert "87\u202f%" in html or "87 %" in html
    assert "décrochent en moins de 2 minutes" in html
    assert "Baromètre des KPIs de la Relation Client 2022" in html
    assert "Le rapport ne donne pas de chiffre" in html
    # each chart: server-built figure data, a text alternative, and an equivalent table nearby
    blocks = re.findall(
        r'<script type="application/json" id="(chart-[a-z]+)-data">(.*?)</script>', html, re.S
    )
    assert {b[0] for b in blocks} >= {"chart-probabilities", "chart-pulls"}
    for _, payload in blocks:
        figure = json.loads(payload)
        assert figure["data"]
        assert figure["layout"]
    assert html.count('role="img" aria-label=') == len(blocks)
    # recommendations with why and what they rest on
    assert "Pourquoi ce conseil" in html
    assert "S'appuie sur" in html
    # the path to the next level
    assert "Le chemin vers les Polyvalents" in html


async def test_the_result_page_in_english_has_no_french_interface_text(
    client: httpx.AsyncClient,
) -> None:
    html = (await complete(client, PERSONAS["polyvalents"][0].answers, lang="en")).text
    for french in ("Pourquoi ce conseil", "Votre service client", "Étape", "Le rapport ne donne"):
        assert french not in html
    assert "Why this advice" in html
    assert "Staying at the top" in html


async def test_pages_allow_no_inline_script(client: httpx.AsyncClient) -> None:
    html = (await complete(client, PERSONAS["basiques"][0].answers)).text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attributes, body in scripts:
        assert 'type="application/json"' in attributes or (
            "src=" in attributes and not body.strip()
        )
    policy = (await client.get("/")).headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "unsafe" not in policy
