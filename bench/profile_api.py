"""CPU time per request of POST /api/v1/score in process: the ASGI app called directly (no
network, no server, one request after another), beside the bare echo of bench/bare_echo.py and
the endpoint's own work (validation, assessment, payload, JSON). With ``--profile`` it prints
cProfile's top functions for the product's requests.

    .venv/bin/python bench/profile_api.py                 # timings
    .venv/bin/python bench/profile_api.py --profile 25    # and the 25 costliest functions
    .venv/bin/python bench/profile_api.py --steps         # and each step inside the app

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

from fastapi import Request  # noqa: E402
from starlette.responses import Response  # noqa: E402

from app.api.problems import api_locale  # noqa: E402
from app.api.rendering import loads_json  # noqa: E402
from app.api.routing import ApiRoute  # noqa: E402
from app.core.answers import validate_answers, validate_partial_answers  # noqa: E402
from app.services.assessment_service import assessor_for  # noqa: E402
from app.services.result_payload import result_json  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.web.deps import assessor_of  # noqa: E402
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


async def per_request(
    app: ASGIApp, path: str, bodies: list[bytes], count: int, passes: int = 3
) -> float:
    """Milliseconds of this process's CPU per request, best of ``passes`` passes (CPU time
    rather than the wall clock: what another process takes meanwhile is not counted)."""
    for body in bodies[:50]:  # warm-up
        assert await call(app, path, body) == 200  # noqa: S101
    best = float("inf")
    for _ in range(passes):
        start = time.process_time()
        for i in range(count):
            status = await call(app, path, bodies[i % len(bodies)])
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
        best = min(best, (time.process_time() - start) / count * 1000)
    return best


STEPS_PATH = "/api/v1/_steps"


def add_step_routes(app: Any, bodies: list[bytes]) -> list[tuple[str, str]]:
    """Routes beside the score, in the same app and behind the same middleware, that stop
    after one step more each: reading and validating (then answering a stored result of the
    score's size), then assessing, then the payload. Their differences are what each step costs
    inside a served request, where caches and branch predictors are no longer warm from the
    step before, unlike in ``endpoint_work``'s loop."""
    assessor = assessor_for(app.state.settings.reference_data_dir)
    results = [
        result_json(assessor.assess(validate_partial_answers(loads_json(body)).answers), "fr")
        for body in bodies[:200]
    ]
    mean = sum(map(len, results)) / len(results)
    stored = min(results, key=lambda result: abs(len(result) - mean))  # of the usual size

    async def validated(request: Request) -> Response:
        validate_partial_answers(loads_json(await request.body()))
        return Response(stored, media_type="application/json")

    async def assessed(request: Request) -> Response:
        answers = validate_partial_answers(loads_json(await request.body()))
        assessor_of(request).assess(answers.answers)
        return Response(stored, media_type="application/json")

    async def rendered(request: Request) -> Response:
        answers = validate_partial_answers(loads_json(await request.body()))
        result = assessor_of(request).assess(answers.answers)
        body = result_json(result, api_locale(request), {"ignored_answers": []})
        return Response(body, media_type="application/json")

    steps = [("validated", validated), ("assessed", assessed), ("rendered", rendered)]
    for name, endpoint in steps:
        app.router.add_api_route(
            f"{STEPS_PATH}/{name}", endpoint, methods=["POST"], route_class_override=ApiRoute
        )
    return [(name, f"{STEPS_PATH}/{name}") for name, _ in steps]


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
    parser.add_argument(
        "--steps", action="store_true", help="also each step's cost inside a served request"
    )
    parser.add_argument("--passes", type=int, default=5, help="passes, the best kept (5)")
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
        n, passes = args.requests, args.passes
        score = loop.run_until_complete(per_request(app, "/api/v1/score", bodies, n, passes))
        bare = loop.run_until_complete(per_request(bare_app, ECHO_PATH, bodies, n, passes))
        print(f"POST /api/v1/score, the app as served: {score:.3f} ms/request")
        print(f"bare POST {ECHO_PATH}:                  {bare:.3f} ms/request")
        print(f"in-process ratio score/bare:           {bare / score:.2f}")
        print("each step alone, in a loop:")
        for name, ms in endpoint_work(raw, args.requests, settings).items():
            print(f"  {name:<30} {ms:.3f} ms")
        if args.steps:
            print("served requests that stop after each step (same app, same middleware):")
            before = 0.0
            for name, path in add_step_routes(app, bodies):
                ms = loop.run_until_complete(per_request(app, path, bodies, n, passes))
                print(f"  {name:<10} {ms:.3f} ms/request ({ms - before:+.3f} ms)")
                before = ms
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
