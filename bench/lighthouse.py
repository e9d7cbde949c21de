"""Lighthouse on the home, questionnaire and result pages (a script, not a test).

    .venv/bin/python bench/lighthouse.py            # needs: npm install -g lighthouse

Starts the app on a free local port with a throw-away database, completes the questionnaire
over HTTP to get a stored result (its share link, /r/...), runs Lighthouse with Debian's
Chromium in headless mode on each page and prints the category scores. The figures are
recorded in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.settings import Settings
from app.web.main import create_app
from tests.journey import CSRF, complete
from tests.personas import PERSONAS

CATEGORIES = ("performance", "accessibility", "best-practices")
GOALS = {"performance": 0.9, "accessibility": 0.95, "best-practices": 0.95}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(port: int, database: Path) -> uvicorn.Server:
    app = create_app(Settings(database_url=f"sqlite:///{database}"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    for _ in range(100):
        if server.started:
            return server
        time.sleep(0.05)
    raise RuntimeError("the server did not start")


async def stored_result(base: str) -> str:
    """Completes a questionnaire over HTTP and returns its stored result's path (/r/...)."""
    async with httpx.AsyncClient(base_url=base) as client:
        client.cookies.set("csrf", CSRF)
        result = await complete(client, PERSONAS["classiques"][0].answers)
        result.raise_for_status()
        return result.url.path


def lighthouse(url: str, out: Path, cookie: str | None, chrome: str) -> dict[str, float]:
    command = [
        shutil.which("lighthouse") or "lighthouse",
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking "
        "--disable-component-update --disable-sync --no-first-run",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chrome}, timeout=240)
    report = json.loads(out.read_text(encoding="utf-8"))
    return {c: report["categories"][c]["score"] for c in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chrome", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    port = free_port()
    server = serve(port, workdir / "app.db")
    base = f"http://127.0.0.1:{port}"
    result_path = asyncio.run(stored_result(base))
    pages = {
        "home": (f"{base}/", None),
        "questionnaire": (f"{base}/assessment/step/profile", None),
        "result": (f"{base}{result_path}", None),
    }
    failed = False
    try:
        for name, (url, page_cookie) in pages.items():
            scores = lighthouse(url, workdir / f"{name}.json", page_cookie, args.chrome)
            line = ", ".join(f"{c} {scores[c]:.2f}" for c in CATEGORIES)
            missed = [c for c in CATEGORIES if scores[c] < GOALS[c]]
            failed |= bool(missed)
            note = f"  (below goal: {', '.join(missed)})" if missed else ""
            print(f"{name:14} {line}{note}")
    finally:
        server.should_exit = True
    print(f"reports: {workdir}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
