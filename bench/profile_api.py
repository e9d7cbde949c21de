"""CPU time per request of POST /api/v1/score in process: the ASGI app called directly (no
network, no server, one request after another), beside the bare echo of bench/bare_echo.py and
the endpoint's own work (validation, assessment, payload, JSON). With ``--profile`` it prints
cProfile's top functions for the product's requests.

    .venv/bin/python bench/profile_api.py                 # timings
    .venv/bin/python bench/profile_api.py --profile 25    # and the 25 costliest functions

The bodies are the API benchmark's pool of distinct answer sets (tests/strategies.py,
``answer_set_pool``), cycled, so that nothing can be computed once and reused.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.api.problems import api_locale  # noqa: E402, F401 - imported for its side effects
from app.core.answers import validate_answers  # noqa: E402
from app.services.assessment_service import assessor_for  # noqa: E402
from app.services.result_payload import result_json  # noqa: E402
from app.settings import Settings  # noqa: E402
from bench.bare_echo import ECHO_PATH  # noqa: E402
from bench.bare_echo import app as bare_app  # noqa: E402
from tests.strategies import answer_set_pool  # noqa: E402

ASGIApp = Callable[..., Any]


async def call(app: ASGIApp, path: str, body: bytes) -> int:
    """One POST through the ASGI app; returns the status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def per_request(app: ASGIApp, path: str, bodies: list[bytes], count: int) -> float:
    """Milliseconds per request, best of three passes."""
    for body in bodies[:50]:  # warm-up
        assert await call(app, path, body) == 200  # noqa: S101
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for i in range(count):
            status = await call(app, path, bodies[i % len(bodies)])
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
        best = min(best, (time.perf_counter() - start) / count * 1000)
    return best


def endpoint_work(raw: list[dict[str, Any]], count: int, settings: Settings) -> dict[str, float]:
    """The endpoint's own steps, milliseconds each per request (one request after another)."""
    assessor = assessor_for(settings.reference_data_dir)
    steps = ("validate_answers", "Assessor.assess", "result_json (payload + JSON)")
    totals = dict.fromkeys(steps, 0.0)
    clock = time.perf_counter
    for i in range(count):
        t0 = clock()
        answers = validate_answers(raw[i % len(raw)])
        t1 = clock()
        result = assessor.assess(answers)
        t2 = clock()
        result_json(result, "fr")
        t3 = clock()
        for step, spent in zip(steps, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            totals[step] += spent
    return {k: v / count * 1000 for k, v in totals.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per pass (2000)")
    parser.add_argument("--pool", type=int, default=1000, help="distinct answer sets (1000)")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args(argv)

    from app.web.main import create_app

    raw = answer_set_pool(args.pool)
    bodies = [json.dumps(a).encode() for a in raw]
    with tempfile.TemporaryDirectory(prefix="profile-api-") as tmp:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/app.db", anonymous_api_rate_per_minute=100_000_000
        )
        app = create_app(settings)
        assessor_for(settings.reference_data_dir)
        loop = asyncio.new_event_loop()
        score = loop.run_until_complete(per_request(app, "/api/v1/score", bodies, args.requests))
        bare = loop.run_until_complete(per_request(bare_app, ECHO_PATH, bodies, args.requests))
        print(f"POST /api/v1/score, the app as served: {score:.3f} ms/request")
        print(f"bare POST {ECHO_PATH}:                  {bare:.3f} ms/request")
        print(f"in-process ratio score/bare:           {bare / score:.2f}")
        for name, ms in endpoint_work(raw, args.requests, settings).items():
            print(f"  {name:<30} {ms:.3f} ms")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            loop.run_until_complete(per_request(app, "/api/v1/score", bodies, args.requests))
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(args.profile)
            stats.sort_stats("cumulative").print_stats(args.profile)
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
