"""Access logs keep no capability token (app/web/logging.py)."""

from __future__ import annotations

import pytest

from app.services.tokens import new_token
from app.web.logging import redact

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "template",
    [
        "/r/{a}",
        "/m/{a}/retake",
        "/w/{a}?sector=retail",
        "/i/{a}",
        "/assessment/resume/{a}",
        "/embed/1a2b3c4d/{a}/step/profile?lang=fr",
        "/embed/1a2b3c4d/done/{a}/{b}?lang=en",
        "/m/{a}%20",
        "/r/{a};x",
    ],
)
def test_tokens_leave_no_trace_in_a_logged_request_line(template: str) -> None:
    a, b = new_token(), new_token()
    line = f'127.0.0.1:5000 - "GET {template.format(a=a, b=b)} HTTP/1.1" 200'
    logged = redact(line)
    assert a not in logged
    assert b not in logged
    assert a[:4] in logged  # enough to tell two requests apart


@pytest.mark.parametrize(
    "path",
    [
        "/assessment/step/satisfaction",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js?v=0123456789abcdef",
        "/embed/1a2b3c4d",
        "/api/v1/questionnaire",
    ],
)
def test_page_and_asset_paths_are_kept(path: str) -> None:
    assert redact(path) == path
