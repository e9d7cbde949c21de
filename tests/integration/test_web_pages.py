"""What the pages say in the cases a browser review found wrong: the top level with nothing
left to suggest, the footer's edition, the dashboard's compare and filters, the manage page's
share link, a company's first assessment, a gap's unit, and the methodology's adjustments."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from app.core.answers import validate_answers
from app.core.assessment import Assessor
from app.core.questionnaire import QUESTIONNAIRE
from app.core.vocabulary import CLUSTERS
from app.settings import Settings
from app.storage.db import engine_for
from tests.journey import CSRF, complete
from tests.personas import BEST_EVERYWHERE, PERSONAS

pytestmark = [pytest.mark.integration, pytest.mark.anyio]


def _text(page: str) -> str:
    """The page's visible words, tags dropped and entities decoded, spaces folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _link(page: str, element_id: str, prefix: str) -> str:
    match = re.search(rf'id="{element_id}">http://testserver({prefix}[^<]+)<', page)
    assert match is not None, f"no #{element_id} on the page"
    return match.group(1)


async def _workspace(client: httpx.AsyncClient, name: str = "Cabinet") -> tuple[str, str]:
    """(dashboard path, invitation path) of a new workspace."""
    created = await client.post(
        "/workspaces", data={"name": name, "csrf": CSRF}, follow_redirects=True
    )
    return _link(created.text, "dashboard-link", "/w/"), _link(created.text, "invite-link", "/i/")


async def _invited(
    client: httpx.AsyncClient, invite: str, company: str, answers: dict[str, Any]
) -> None:
    client.cookies.delete("draft")
    await client.post(invite, data={"company": company, "csrf": CSRF})
    await complete(client, answers)


# --- M6: the top level with nothing left to suggest -------------------------------------------


async def test_the_top_level_with_no_move_left_says_so_instead_of_an_empty_list(
    client: httpx.AsyncClient, assessor: Assessor
) -> None:
    result = assessor.assess(validate_answers(BEST_EVERYWHERE))
    assert result.placement.cluster == "polyvalents"
    assert result.next_level.consolidation is not None
    assert result.next_level.consolidation.best_moves == ()  # the case under test
    share = _link((await complete(client, BEST_EVERYWHERE)).text, "share-link", "/r/")
    for lang, widen, none_left in (
        ("fr", "Ce qui creuserait l’écart", "aucun changement isolé dans le périmètre"),
        ("en", "What would widen your lead", "no single change within the questionnaire"),
    ):
        page = (await client.get(f"{share}?lang={lang}")).text
        assert not re.search(r'<ul class="path">\s*</ul>', page), lang
        assert widen not in page, lang
        assert 'id="no-consolidation"' in page
        assert none_left in _text(page), lang


async def test_the_top_level_with_moves_still_lists_them(
    client: httpx.AsyncClient, assessor: Assessor
) -> None:
    answers = PERSONAS["polyvalents"][2].answers
    consolidation = assessor.assess(validate_answers(answers)).next_level.consolidation
    assert consolidation is not None
    assert consolidation.best_moves
    page = (await complete(client, answers, lang="en")).text
    assert "What would widen your lead:" in page
    moves = re.search(r'<ul class="path">(.*?)</ul>', page, re.S)
    assert moves is not None
    assert moves.group(1).count("<li>") == len(consolidation.best_moves)
    assert 'id="no-consolidation"' not in page


# --- minor 1: the footer's edition, on every page ---------------------------------------------


async def test_every_page_footer_names_the_reference_edition(
    client: httpx.AsyncClient, assessor: Assessor
) -> None:
    edition = assessor.reference.edition
    share = _link(
        (await complete(client, PERSONAS["basiques"][0].answers)).text, "share-link", "/r/"
    )
    dashboard, invite = await _workspace(client)
    paths = [
        "/",
        "/methodology",
        "/docs",
        "/deleted",
        "/workspaces/new",
        "/assessment/step/profile",
        "/assessment/step/delays",
        "/assessment/step/team",
        share,
        dashboard,
        f"{dashboard}/compare",
        invite,
        "/nowhere",
    ]
    for lang, words in (("fr", "Données de référence, édition"), ("en", "Reference data edition")):
        for path in paths:
            response = await client.get(f"{path}?lang={lang}", headers={"Accept": "text/html"})
            footer = response.text.rsplit('<footer class="site-footer">', 1)[-1]
            assert f"{words} {edition}." in footer, (lang, path, _text(footer))


# --- minor 3 and 4: the dashboard's compare button and filters --------------------------------


async def test_compare_with_no_box_ticked_asks_for_two_like_one_or_three(
    client: httpx.AsyncClient,
) -> None:
    dashboard, invite = await _workspace(client)
    for company in ("Acme", "Globex", "Initech"):
        await _invited(client, invite, company, PERSONAS["classiques"][0].answers)
    picks = re.findall(r'name="pick" value="([^"]+)"', (await client.get(dashboard)).text)
    assert len(picks) == 3
    for lang, message in (
        ("fr", "Cochez exactement deux évaluations"),
        ("en", "Tick exactly two assessments"),
    ):
        for ticked in ([], picks[:1], picks):  # the form sends no ``pick`` at all for none
            response = await client.get(
                f"{dashboard}/compare", params=[("lang", lang)] + [("pick", p) for p in ticked]
            )
            assert response.status_code == 422, (lang, len(ticked))
            assert message in response.text
        two = await client.get(f"{dashboard}/compare", params=[("pick", p) for p in picks[:2]])
        assert two.status_code == 200
        twice = await client.get(
            f"{dashboard}/compare", params=[("lang", lang), ("pick", picks[0]), ("pick", picks[0])]
        )
        assert twice.status_code == 422  # the same assessment ticked twice is not a comparison
        assert message in twice.text


async def test_filters_with_no_match_say_so_and_offer_to_clear_them(
    client: httpx.AsyncClient,
) -> None:
    dashboard, invite = await _workspace(client)
    empty = (await client.get(dashboard, params={"cluster": "polyvalents"})).text
    assert "Aucune évaluation pour l'instant" in html.unescape(empty)  # nothing at all yet
    assert 'id="clear-filters"' not in empty

    await _invited(client, invite, "Acme", PERSONAS["basiques"][0].answers)
    for lang, no_match, clear, not_yet in (
        (
            "fr",
            "Aucune évaluation ne correspond à ces filtres.",
            "Effacer les filtres",
            "Aucune évaluation pour l'instant",
        ),
        ("en", "No assessment matches these filters.", "Clear the filters", "No assessment yet"),
    ):
        params = {"sector": "banking_insurance", "cluster": "polyvalents", "lang": lang}
        page = html.unescape((await client.get(dashboard, params=params)).text)
        assert no_match in page
        assert f'<a href="{dashboard}" id="clear-filters">{clear}</a>' in page
        assert not_yet not in page
    unfiltered = (await client.get(dashboard)).text
    assert 'data-company="Acme"' in unfiltered
    assert 'id="no-match"' not in unfiltered


# --- minor 12: the share link on the manage page -----------------------------------------------


async def test_the_manage_page_gives_a_working_share_link(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    owner = (await complete(client, PERSONAS["classiques"][0].answers)).text
    first_share = _link(owner, "share-link", "/r/")
    manage = _link(owner, "manage-link", "/m/")
    client.cookies.delete("manage_once")  # later, with only the private link

    # the share link follows from the private one: the manage page shows it as it was given
    shown = (await client.get(manage)).text
    assert _link(shown, "share-link", "/r/") == first_share
    assert f'action="http://testserver{manage}/share"' not in shown

    # an assessment stored before that (its share token drawn apart) gets one on demand
    with engine_for(settings.database_url).begin() as connection:
        connection.execute(text("UPDATE assessment SET share_hash = :h"), {"h": "0" * 64})
    first_share = "/r/" + "drawn-before"  # that older link is unknown to the page
    before = (await client.get(manage)).text
    assert 'id="share"' in before
    assert 'id="share-link"' not in before  # only its digest is kept: it cannot be shown
    assert f'action="http://testserver{manage}/share"' in before

    created = await client.post(f"{manage}/share", data={"csrf": CSRF})
    assert created.status_code == 303
    assert created.headers["location"] == f"{manage}#share"
    for lang, label in (("fr", "Lien de partage"), ("en", "Share link")):
        page = (await client.get(f"{manage}?lang={lang}")).text
        assert label in page
        share = _link(page, "share-link", "/r/")
        assert share != first_share
    shared = await client.get(share)
    assert shared.status_code == 200
    assert "/m/" not in shared.text  # read-only: the share page never leads to the private one
    assert "/retake" not in shared.text

    # asking again keeps the same link; the share token cannot reach a manage action
    await client.post(f"{manage}/share", data={"csrf": CSRF})
    assert _link((await client.get(manage)).text, "share-link", "/r/") == share
    token = share.removeprefix("/r/")
    with engine_for(settings.database_url).connect() as connection:
        stored = " ".join(
            str(v) for row in connection.execute(text("SELECT * FROM assessment")) for v in row
        )
    assert token not in stored  # only its digest, like the link drawn at completion
    assert manage.removeprefix("/m/") not in stored
    assert (await client.post(f"/m/{token}/share", data={"csrf": CSRF})).status_code == 404
    assert (await client.post(f"{manage}/share", data={})).status_code == 403  # no CSRF token


async def test_an_unknown_manage_secret_cannot_issue_a_share_link(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/m/AAAAAAAAAAAAAAAAAAAAAA/share", data={"csrf": CSRF})
    assert response.status_code == 404


# --- minor 14: progress with one assessment ----------------------------------------------------


async def test_progress_with_one_assessment_says_there_is_only_one(
    client: httpx.AsyncClient,
) -> None:
    dashboard, invite = await _workspace(client)
    await _invited(client, invite, "Acme", PERSONAS["classiques"][0].answers)
    history = re.search(r'href="(/w/[^"]+/progress/[^"]+)"', (await client.get(dashboard)).text)
    assert history is not None
    for lang, only_one, unchanged in (
        ("fr", "n'a encore qu'une évaluation", "Aucune réponse n'a changé"),
        ("en", "only one assessment of this company so far", "No answer has changed"),
    ):
        page = html.unescape((await client.get(f"{history.group(1)}?lang={lang}")).text)
        assert only_one in page, lang
        assert unchanged not in page, lang


async def test_progress_after_an_unchanged_retake_says_no_answer_changed(
    client: httpx.AsyncClient,
) -> None:
    dashboard, invite = await _workspace(client)
    client.cookies.delete("draft")
    await client.post(invite, data={"company": "Acme", "csrf": CSRF})
    owner = (await complete(client, PERSONAS["classiques"][0].answers)).text
    await client.post(f"{_link(owner, 'manage-link', '/m/')}/retake", data={"csrf": CSRF})
    await complete(client, PERSONAS["classiques"][0].answers)
    history = re.search(r'href="(/w/[^"]+/progress/[^"]+)"', (await client.get(dashboard)).text)
    assert history is not None
    page = html.unescape((await client.get(history.group(1))).text)
    assert "Aucune réponse n'a changé" in page
    assert 'id="single-assessment"' not in page


# --- minor 13: a gap's unit ---------------------------------------------------------------------


async def test_the_result_page_writes_fractional_gaps_in_points(client: httpx.AsyncClient) -> None:
    share = _link(
        (await complete(client, PERSONAS["basiques"][0].answers)).text, "share-link", "/r/"
    )
    english = _text((await client.get(f"{share}?lang=en")).text)
    gaps = re.findall(r"Gap: [+-]?\d+\.\d+ points?\.", english)
    assert gaps, "expected the orientation score's gaps, with decimals"
    assert all(gap.endswith("points.") for gap in gaps), gaps
    french = _text((await client.get(f"{share}?lang=fr")).text)
    small = [
        gap
        for gap in re.findall(r"Écart : ([+-]?\d+,\d+) points?\.", french)
        if abs(float(gap.replace(",", "."))) < 2
    ]
    assert small
    for gap in small:
        assert f"Écart : {gap} point." in french


# --- minor 8: the methodology's adjustments -----------------------------------------------------


async def test_the_methodology_counts_and_names_its_adjustments(
    client: httpx.AsyncClient, assessor: Assessor
) -> None:
    profiles = assessor.reference.profiles
    adjusted = [  # in the page's order: factor by factor, levels from the least mature
        (factor, cluster, factor.clusters[cluster].departs_from)
        for factor in profiles.factors
        for cluster in CLUSTERS
        if factor.clusters[cluster].departs_from is not None
    ]
    assert len(adjusted) >= 2
    for lang in ("fr", "en"):
        page = (await client.get(f"/methodology?lang={lang}")).text
        text = _text(page)
        count = (
            f"Pour que ce soit toujours vrai, {len(adjusted)} chiffres du rapport"
            if lang == "fr"
            else f"For this to hold, {len(adjusted)} of the report's figures"
        )
        assert count in text, lang
        assert "Trois chiffres" not in text
        assert "Three of the report" not in text
        table = re.search(r'<table class="data" id="adjustments">(.*?)</table>', page, re.S)
        assert table is not None
        body = table.group(1).split("<tbody>", 1)[1]
        rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
        assert len(rows) == len(adjusted)
        names = assessor.reference.benchmarks.clusters
        for row, (factor, cluster, departure) in zip(rows, adjusted, strict=True):
            cells = [_text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            assert cells[0] == QUESTIONNAIRE[factor.question].label.in_(lang)
            assert cells[1] != "—", cells  # the answers the figure is the share of
            assert cells[2] == names[cluster].name.in_(lang)
            printed = f"{departure.printed:g}"
            used = f"{departure.used:g}"
            if lang == "fr":
                printed, used = printed.replace(".", ","), used.replace(".", ",")
            assert cells[3].startswith(printed)
            assert cells[4].startswith(used)
        for factor, cluster, _ in adjusted:  # the review saw "delay_phone — classiques: 92 → 87"
            assert f"{factor.id} —" not in text, (lang, factor.id)
            assert f"{cluster}:" not in text, (lang, cluster)
            assert factor.id not in page or "_" not in factor.id, (lang, factor.id)
        if lang == "en":
            for french in ("Basiques", "basiques", "classiques", "polyvalents"):
                assert french not in text, french
            assert "Basics are 22% of respondents, Classics 35%, All-rounders 43%." in text
        else:
            assert "Les Basiques représentent 22 % des répondants" in text.replace("\u202f", " ")


async def test_the_methodology_tables_scroll_in_labelled_focusable_regions(
    client: httpx.AsyncClient,
) -> None:
    page = (await client.get("/methodology?lang=en")).text
    regions = re.findall(r'<div class="table-scroll"([^>]*)>', page)
    assert len(regions) == 2
    for attributes in regions:
        assert 'role="region"' in attributes
        assert 'tabindex="0"' in attributes
        label = re.search(r'aria-labelledby="([^"]+)"', attributes)
        assert label is not None
        assert f'id="{label.group(1)}"' in page


# --- a consultant's share link and the link to a company's next assessment --------------------


async def test_a_consultant_shares_a_result_without_touching_the_clients_link(
    client: httpx.AsyncClient,
) -> None:
    dashboard, invite = await _workspace(client)
    client.cookies.delete("draft")
    await client.post(invite, data={"company": "Acme", "csrf": CSRF})
    owner = (await complete(client, PERSONAS["classiques"][0].answers)).text
    client_share = _link(owner, "share-link", "/r/")
    client.cookies.delete("manage_once")
    view = re.search(r'href="(/w/[^"]+/a/[^"]+)"', (await client.get(dashboard)).text)
    assert view is not None
    page = (await client.get(view.group(1))).text
    assert 'id="share-link"' not in page  # none made yet
    assert f'action="{view.group(1)}/share"' in page

    made = await client.post(f"{view.group(1)}/share", data={"csrf": CSRF})
    assert made.status_code == 303
    for lang, label in (("fr", "Votre lien de partage"), ("en", "Your share link")):
        page = html.unescape((await client.get(f"{view.group(1)}?lang={lang}")).text)
        assert label in page
    share = _link(page, "share-link", "/r/")
    assert share != client_share
    shared = await client.get(share)
    assert shared.status_code == 200
    assert "/w/" not in shared.text  # read-only: nothing leads back to the dashboard
    assert (await client.get(client_share)).status_code == 200

    # made again: the same link; stopped: it no longer opens, the client's still does
    await client.post(f"{view.group(1)}/share", data={"csrf": CSRF})
    assert _link((await client.get(view.group(1))).text, "share-link", "/r/") == share
    await client.post(f"{view.group(1)}/share", data={"csrf": CSRF, "stop": "1"})
    assert (await client.get(share)).status_code == 404
    assert (await client.get(client_share)).status_code == 200
    assert 'id="share-link"' not in (await client.get(view.group(1))).text

    # a share token or another workspace's dashboard cannot make one
    other, _ = await _workspace(client, "Other")
    public_id = view.group(1).rsplit("/", 1)[-1]
    refused = await client.post(f"{other}/a/{public_id}/share", data={"csrf": CSRF})
    assert refused.status_code == 404


async def test_a_consultant_sends_a_company_to_its_next_assessment_in_the_same_series(
    client: httpx.AsyncClient,
) -> None:
    dashboard, invite = await _workspace(client)
    await _invited(client, invite, "Acme", PERSONAS["classiques"][0].answers)
    history = re.search(r'href="(/w/[^"]+/progress/[^"]+)"', (await client.get(dashboard)).text)
    assert history is not None
    again = _link((await client.get(history.group(1))).text, "again-link", "/i/")
    assert again.startswith(invite + "/again/")

    client.cookies.delete("draft")
    landing = await client.get(f"{again}?lang=en")
    assert landing.status_code == 200
    assert "invites Acme to assess its customer service again" in html.unescape(landing.text)
    assert "draft" not in landing.cookies  # nothing made before the company starts
    started = await client.post(again, data={"csrf": CSRF})
    assert started.status_code == 303
    step = await client.get(started.headers["location"])
    assert 'value="Acme"' in step.text or step.status_code == 200
    await complete(client, PERSONAS["polyvalents"][1].answers)

    listing = (await client.get(dashboard)).text
    assert len(re.findall(r'name="pick"', listing)) == 2
    assert len(set(re.findall(r'href="(/w/[^"]+/progress/[^"]+)"', listing))) == 1
    progress = html.unescape((await client.get(history.group(1))).text)
    assert 'id="single-assessment"' not in progress

    # a series of another workspace, or a rotated invitation, opens nothing
    _, other_invite = await _workspace(client, "Other")
    series = again.rsplit("/", 1)[-1]
    assert (await client.get(f"{other_invite}/again/{series}")).status_code == 404
    assert (
        await client.post(f"{other_invite}/again/{series}", data={"csrf": CSRF})
    ).status_code == 404
    await client.post(f"{dashboard}/rotate", data={"csrf": CSRF, "which": "invite"})
    assert (await client.get(again)).status_code == 404


# --- the language switch of a page that answered a POST -------------------------------------


def _switch(page: str, lang: str) -> str:
    match = re.search(rf'<a href="([^"]+)" hreflang="{lang}"', page)
    assert match is not None, f"no switch to {lang}"
    return html.unescape(match.group(1))


async def test_the_language_switch_of_a_page_answering_a_post_keeps_what_was_sent(
    client: httpx.AsyncClient,
) -> None:
    refused = await client.post(
        "/workspaces", data={"name": "   ", "colour": "#123456", "csrf": CSRF}
    )
    assert refused.status_code == 422
    switched = await client.get(_switch(refused.text, "en"))
    assert switched.status_code == 200
    assert 'lang="en"' in switched.text
    assert 'value="#123456"' in switched.text  # what was sent comes back

    owner = (await complete(client, PERSONAS["classiques"][0].answers)).text
    manage = _link(owner, "manage-link", "/m/")
    asked = await client.post(f"{manage}/delete", data={"csrf": CSRF})
    assert asked.status_code == 200
    english = await client.get(_switch(asked.text, "en"))
    assert english.status_code == 200
    assert f'action="{manage}/delete"' in english.text  # the same question, in English
    assert 'lang="en"' in english.text
    assert (await client.get(manage)).status_code == 200  # nothing deleted by asking
    assert (await client.get("/m/AAAAAAAAAAAAAAAAAAAAAA/delete")).status_code == 404


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/i/AAAAAAAAAAAAAAAAAAAAAA", "invitation link does not work"),
        ("/w/AAAAAAAAAAAAAAAAAAAAAA", "dashboard link does not work"),
        ("/r/AAAAAAAAAAAAAAAAAAAAAA", "share link does not work"),
        ("/m/AAAAAAAAAAAAAAAAAAAAAA", "private link does not work"),
        ("/no-such-page", "This address matches no page"),
    ],
)
async def test_a_dead_link_says_what_kind_of_link_it_was(
    client: httpx.AsyncClient, path: str, says: str
) -> None:
    response = await client.get(f"{path}?lang=en", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert says in html.unescape(response.text)
