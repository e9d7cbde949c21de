"""Filling the online questionnaire over HTTP, step by step, as a browser without JavaScript
would post it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from app.core.questionnaire import FORM_STEPS

UNKNOWN = "__unknown"
CSRF = "test-csrf-token-0123456789abcdef"
"""The integration clients carry this value in their csrf cookie; forms send it back."""


def form_for(step_id: str, answers: Mapping[str, Any], action: str = "next") -> dict[str, Any]:
    step = next(s for s in FORM_STEPS if s.id == step_id)
    form: dict[str, Any] = {"action": action, "csrf": CSRF}
    for question in step.questions:
        if question.id not in answers:
            continue
        value = answers[question.id]
        if isinstance(value, bool):
            form[question.id] = "true" if value else "false"
        elif isinstance(value, list):
            form[question.id] = value
        elif value == "dont_know" and question.kind == "percent":
            form[question.id + UNKNOWN] = "dont_know"
        else:
            form[question.id] = str(value)
    return form


async def complete(
    client: httpx.AsyncClient, answers: Mapping[str, Any], lang: str = "fr"
) -> httpx.Response:
    """Posts every step from the first; returns the stored result page (its share link)."""
    response = await client.get("/assessment")
    url = response.headers["location"]
    for _ in range(len(FORM_STEPS) + 1):
        if url.startswith("/r/"):
            break
        step_id = url.rsplit("/", 1)[-1]
        response = await client.post(url, data=form_for(step_id, answers))
        assert response.status_code == 303, (step_id, response.status_code, response.text[:2000])
        url = response.headers["location"]
    assert url.startswith("/r/"), url
    return await client.get(f"{url}?lang={lang}")
