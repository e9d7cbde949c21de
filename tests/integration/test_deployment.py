"""The container image's server settings, as uvicorn applies them (no Docker engine here: the
Dockerfile's command and environment are read and given to uvicorn's own configuration)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import uvicorn

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

DOCKERFILE = Path(__file__).resolve().parents[2] / "Dockerfile"


def _image() -> tuple[list[str], str]:
    """The image's command and its FORWARDED_ALLOW_IPS."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    command = re.search(r"^CMD (\[.*\])$", text, re.MULTILINE)
    allowed = re.search(r"FORWARDED_ALLOW_IPS=(\S+)", text)
    assert command is not None
    assert allowed is not None
    return json.loads(command.group(1)), allowed.group(1)


async def _client_seen(trusted: str, peer: str, forwarded_for: str) -> str:
    """The client address the app is given, for a request from ``peer`` that claims to be for
    ``forwarded_for``, under the image's command with FORWARDED_ALLOW_IPS set to ``trusted``."""
    command, _ = _image()
    seen: dict[str, Any] = {}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen["client"] = scope["client"]

    with pytest.MonkeyPatch.context() as env:
        env.setenv("FORWARDED_ALLOW_IPS", trusted)
        config = uvicorn.Config(app, proxy_headers="--proxy-headers" in command)
        config.load()
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [(b"x-forwarded-for", forwarded_for.encode())],
        "client": (peer, 40000),
        "scheme": "http",
    }
    await config.loaded_app(scope, None, None)
    return str(seen["client"][0])


async def test_a_client_reaching_the_container_directly_cannot_choose_its_address() -> None:
    """The anonymous API limit counts by address: with X-Forwarded-For believed from anyone,
    each call could claim a new address and a fresh limit."""
    command, allowed = _image()
    assert "*" not in command
    assert "*" not in allowed
    assert await _client_seen(allowed, "203.0.113.9", "198.51.100.7") == "203.0.113.9"


async def test_the_proxy_named_in_forwarded_allow_ips_passes_the_real_client() -> None:
    assert await _client_seen("10.0.0.2", "10.0.0.2", "198.51.100.7") == "198.51.100.7"
