"""A partner's allowed origins go into CORS and CSP headers: only plain origins get in."""

from __future__ import annotations

import pytest

from app.services.partners import InvalidOrigin, normalise_origin
from app.web.middleware import framed_policy

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://www.Mag.example", "https://www.mag.example"),
        ("https://mag.example/", "https://mag.example"),
        ("https://mag.example:443", "https://mag.example"),
        ("http://localhost:8765", "http://localhost:8765"),
        (" http://127.0.0.1:9000 ", "http://127.0.0.1:9000"),
    ],
)
def test_an_origin_is_kept_as_a_browser_sends_it(given: str, kept: str) -> None:
    assert normalise_origin(given) == kept


@pytest.mark.parametrize(
    "given",
    [
        "https://a.example; script-src *",
        "https://a.example 'unsafe-inline'",
        "https://a.example *",
        "https://*.example",
        "https://user:pass@a.example",
        "https://a.example:99999",
        "https://a.example/path",
        "https://a.example?x=1",
        "ftp://a.example",
        "a.example",
        "https://",
    ],
)
def test_anything_else_is_refused(given: str) -> None:
    with pytest.raises(InvalidOrigin):
        normalise_origin(given)


def test_the_frame_policy_takes_only_plain_origins() -> None:
    policy = framed_policy(["https://ok.example", "https://bad.example; report-uri /x", "*"])
    assert policy.endswith("frame-ancestors https://ok.example")
    assert framed_policy([]).endswith("frame-ancestors 'none'")
