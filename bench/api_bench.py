"""Benchmark: POST /api/v1/score against a bare FastAPI endpoint that validates the same answer
set and echoes it (bench/bare_echo.py), served the same way and loaded the same way, in one run.

    make bench-api    # or: .venv/bin/python bench/api_bench.py --threads 2 --connections 32 \\
                      #         --duration 20 --warmup 3

Both apps are served by uvicorn[standard] (uvloop, httptools) with 2 workers on 127.0.0.1, each
in a subprocess of its own process group, killed at exit (errors and Ctrl-C included). The
product runs on a throw-away SQLite database (migrated once before the workers start) with the
anonymous API rate raised out of the way (or, with ``--key``, a partner key made by
``csmb-admin`` with the same high rate: the key is then looked up on every call, as a partner's
would be). Each endpoint must answer the payload with 200 before it is loaded: the product with a
result naming a cluster, the bare app with the answers it was sent (validated: a multiple choice
comes back in the questionnaire's order); every body of the pool is checked.

The load is wrk (``apt-get install -y wrk``; installed by the script when it runs as root) with
a Lua script that POSTs, request after request, the answer sets of a pool as JSON: 1,000
distinct valid answer sets by default, drawn with a fixed seed from the questionnaire
(``tests.strategies.answer_set_pool``), each wrk thread cycling through all of them from its
own starting point. The same pool, threads, connections and duration for both, a warm-up before
each measured run. No two consecutive requests of a connection send the same answers, so a
cache of whole results could not help (``--persona`` sends one test persona on every request
instead). The script prints requests per second and the p50/p99 latency of each (wrk
``--latency``) and the ratio score/bare. With ``--rounds N`` the two are measured alternately
N times and the medians are reported. It also reports the share of the CPU that other processes
used during each run (from /proc) and flags runs above 10%: the machine may be shared. A
benchmark is a script, not a test: it exits 0 whatever the ratio, 1 if any response was not 2xx
(the figures would then be meaningless), 2 if it cannot run.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.answers import validate_answers  # noqa: E402
from app.storage.db import engine_for  # noqa: E402
from bench.bare_echo import ECHO_PATH  # noqa: E402
from bench.processes import stop_group  # noqa: E402
from tests.personas import PERSONAS  # noqa: E402
from tests.strategies import answer_set_pool  # noqa: E402

SCORE_PATH = "/api/v1/score"
START_TIMEOUT = 60.0
GOAL = 0.6
OTHERS_LIMIT = 0.1
"""Above this share of the CPU used by other processes during a run, its figures are flagged."""


def percent(share: float | None) -> str:
    return "?" if share is None else f"{share:.0%}"


class SetupError(Exception):
    """The benchmark cannot run (no wrk, a server that does not start or answer 200...)."""


# --- wrk ------------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    """The path of wrk; installed with apt when missing and the script runs as root."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if os.geteuid() == 0 and apt:
        print("wrk is not installed: apt-get install -y wrk ...", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        installed = subprocess.run(
            [apt, "install", "-y", "-q", "wrk"], env=env, capture_output=True, check=False
        )
        if installed.returncode != 0:  # a stale package index: refresh it once and retry
            subprocess.run([apt, "update", "-q"], env=env, capture_output=True, check=False)
            subprocess.run(
                [apt, "install", "-y", "-q", "wrk"], env=env, capture_output=True, check=False
            )
        found = shutil.which("wrk")
        if found:
            return found
    raise SetupError(
        "wrk is not installed and could not be installed here: "
        "run `apt-get install -y wrk` as root (Debian package wrk 4.1), then retry."
    )


def wrk_version(wrk: str) -> str:
    shown = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    first = (shown.stdout + shown.stderr).strip().splitlines()
    return first[0].split(" Copyright")[0] if first else "wrk"


def lua_script(bodies: list[str], headers: dict[str, str]) -> str:
    """POSTs the bodies in turn, each wrk thread from its own starting point in the list. Only
    ASCII JSON goes in (json.dumps escapes the rest), and a JSON string literal is a valid Lua
    string literal once it is ASCII."""
    if not all(body.isascii() for body in bodies):
        raise SetupError("the bodies must be ASCII JSON")
    lines = ['wrk.method = "POST"']
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    lines.append("bodies = {")
    lines += [f"  {json.dumps(body)}," for body in bodies]
    lines.append("}")
    lines.append(
        """
local threads = 0
function setup(thread)
  thread:set("start", threads * 7919)
  threads = threads + 1
end
function init(args)
  -- each request formatted once, not on every call: wrk then spends no more per request
  -- than with a fixed body
  requests = {}
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format(nil, nil, nil, body)
  end
  position = start or 0
end
function request()
  position = position % #requests + 1
  return requests[position]
end"""
    )
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: str | None
    others: float | None
    """Share of the machine's CPU used by other processes during the run (steal included)."""
    output: str
    steal: float | None = None
    """Of which taken by the hypervisor for other virtual machines."""


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_PERCENTILE = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_TOTAL = re.compile(r"^\s+(\d+) requests in ", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors:\s+(.+)")


def parse_wrk(output: str, others: float | None = None, steal: float | None = None) -> WrkResult:
    rps, total = _RPS.search(output), _TOTAL.search(output)
    percentiles = {p: float(v) * _UNITS_MS[u] for p, v, u in _PERCENTILE.findall(output)}
    if rps is None or total is None or set(percentiles) != {"50", "99"}:
        raise SetupError(f"could not read wrk's output:\n{output}")
    non_2xx = _NON_2XX.search(output)
    socket_errors = _SOCKET_ERRORS.search(output)
    return WrkResult(
        requests_per_second=float(rps.group(1)),
        p50_ms=percentiles["50"],
        p99_ms=percentiles["99"],
        requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=socket_errors.group(1).strip() if socket_errors else None,
        others=others,
        output=output,
        steal=steal,
    )


def run_wrk(wrk: str, url: str, script: Path, args: argparse.Namespace, seconds: float) -> str:
    command = [
        wrk,
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={seconds:g}s",
        "--timeout=10s",
        "--latency",
        f"--script={script}",
        url,
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if done.returncode != 0:
        raise SetupError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


# --- the servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """uvicorn in a subprocess of its own process group: stopping it reaches every worker."""

    def __init__(self, name: str, app: str, path: str, env: dict[str, str], log: Path) -> None:
        self.name = name
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}{path}"
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pgid(self) -> int:
        """Its process group: the pid of the uvicorn parent (start_new_session)."""
        return self.process.pid if self.process is not None else -1

    def command(self, args: argparse.Namespace) -> list[str]:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            self.app,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(args.workers),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--log-level",
            "warning",
        ]
        return command if args.access_log else [*command, "--no-access-log"]

    def start(self, args: argparse.Namespace) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(args),
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches the workers
            )

    def check(self, pool: list[tuple[str, dict[str, Any]]], headers: dict[str, str]) -> int:
        """Waits until the endpoint answers, then requires a 200 with the expected JSON for
        every body of the pool. Returns the mean size of the answers, in bytes."""
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process is None or self.process.poll() is not None:
                code = None if self.process is None else self.process.returncode
                raise SetupError(f"{self.name}: the server exited ({code}):\n{self.tail()}")
            try:
                httpx.get(self.url.rsplit("/", 1)[0], timeout=10.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise SetupError(
                        f"{self.name}: no answer within {START_TIMEOUT:.0f} s:\n{self.tail()}"
                    ) from None
                time.sleep(0.1)
        size = 0
        with httpx.Client(headers=headers, timeout=10.0) as client:
            for body, sent in pool:
                response = client.post(self.url, content=body.encode())
                self._check_one(response, sent)
                size += len(response.content)
        return size // len(pool)

    def _check_one(self, response: httpx.Response, sent: dict[str, Any]) -> None:
        if response.status_code != 200:
            raise SetupError(
                f"{self.name}: POST {self.url} answered {response.status_code}, not 200:\n"
                f"{response.text[:2000]}"
            )
        payload = response.json()
        if self.name == "score" and not isinstance(payload.get("cluster"), str):
            raise SetupError(f"score: the answer names no cluster:\n{response.text[:2000]}")
        if self.name == "bare" and payload != validate_answers(sent).to_json():
            raise SetupError(f"bare: the echo differs from the body:\n{response.text[:2000]}")

    def stop(self) -> None:
        """SIGTERM to the process group, then SIGKILL if it lingers."""
        if self.process is None:
            return
        stop_group(self.process)
        self.process = None

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


@contextlib.contextmanager
def serving(servers: list[Server], args: argparse.Namespace) -> Iterator[None]:
    try:
        for server in servers:
            server.start(args)
        yield
    finally:
        for server in servers:
            server.stop()


def _terminate(signum: int, _: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # runs the finally blocks: the servers are stopped


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def machine_ticks() -> tuple[int, int, int] | None:
    """(total, busy, steal) CPU ticks of the whole machine since boot (Linux /proc/stat).
    Steal is time the hypervisor gave to other virtual machines: counted as busy, since the
    benchmark did not get it either."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    return sum(fields), sum(fields) - fields[3] - fields[4], fields[7]  # minus idle and iowait


def own_ticks(groups: set[int]) -> int:
    """CPU ticks used so far by this script, its waited children (wrk) and the server groups."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[2]) in groups:  # pgrp
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
    mine = os.times()
    return ticks + round(
        (mine.user + mine.system + mine.children_user + mine.children_system) * TICKS
    )


class CpuWatch:
    """How much of the machine's CPU went to something other than this benchmark: the machine
    may be shared, and anything else running lowers the figures."""

    def __init__(self, groups: set[int]) -> None:
        self.groups = groups
        self.start = machine_ticks()
        self.own = own_ticks(groups)

    def others(self) -> float | None:
        """Share of the CPU the benchmark did not use nor leave idle, since the watch began."""
        shares = self.shares()
        return shares[0] if shares else None

    def shares(self) -> tuple[float, float] | None:
        """(others, steal): ``others`` includes the hypervisor's steal, shown apart."""
        end = machine_ticks()
        if self.start is None or end is None or end[0] == self.start[0]:
            return None
        elapsed = end[0] - self.start[0]
        busy = end[1] - self.start[1] - (own_ticks(self.groups) - self.own)
        return max(0.0, busy / elapsed), (end[2] - self.start[2]) / elapsed


def create_key(env: dict[str, str]) -> str:
    """A partner key with a rate high enough never to limit the run, made by csmb-admin."""
    command = [
        sys.executable,
        "-c",
        "import sys; from app.cli.admin import main; sys.exit(main())",
        "keys",
        "create",
        "--name",
        "bench",
        "--rate",
        "100000000",
    ]
    made = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if made.returncode != 0 or not made.stdout.strip():
        raise SetupError(f"csmb-admin keys create failed:\n{made.stdout}{made.stderr}")
    return made.stdout.strip().splitlines()[0]


# --- the run --------------------------------------------------------------------------------------


def persona_answers(spec: str) -> dict[str, Any]:
    cluster, _, index = spec.partition(":")
    try:
        answers: dict[str, Any] = PERSONAS[cluster][int(index or 0)].answers  # type: ignore[index]
    except (KeyError, IndexError, ValueError):
        raise SetupError(f"no persona {spec!r}: use CLUSTER:INDEX, e.g. classiques:0") from None
    return answers


def median_result(results: list[WrkResult]) -> tuple[float, float, float]:
    return (
        statistics.median(r.requests_per_second for r in results),
        statistics.median(r.p50_ms for r in results),
        statistics.median(r.p99_ms for r in results),
    )


def run(args: argparse.Namespace) -> int:
    for module in ("uvloop", "httptools"):
        if importlib.util.find_spec(module) is None:
            raise SetupError(f"{module} is missing: install uvicorn[standard] in this venv")
    wrk = ensure_wrk()
    if args.persona:
        answer_sets = [persona_answers(args.persona)]
        described = f"persona {args.persona} on every request"
    else:
        answer_sets = answer_set_pool(args.pool)
        described = f"a pool of {args.pool:,} distinct answer sets (seed 2022), in turn"
    pool = [
        (json.dumps(answers, ensure_ascii=True, separators=(",", ":")), answers)
        for answers in answer_sets
    ]
    bodies = [body for body, _ in pool]
    headers = {"Content-Type": "application/json"}
    if args.gzip:
        headers["Accept-Encoding"] = "gzip"

    with tempfile.TemporaryDirectory(prefix="api-bench-") as tmp:
        folder = Path(tmp)
        database_url = f"sqlite:///{folder / 'app.db'}"
        env = {
            **os.environ,
            "CSMB_DATABASE_URL": database_url,
            "CSMB_ANONYMOUS_API_RATE_PER_MINUTE": "100000000",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        engine_for(database_url).dispose()  # migrate once, not in two workers at the same time
        score_headers = dict(headers)
        if args.key:
            score_headers["X-API-Key"] = create_key(env)
        servers = [
            Server("score", "app.web.main:app", SCORE_PATH, env, folder / "score.log"),
            Server("bare", "bench.bare_echo:app", ECHO_PATH, env, folder / "bare.log"),
        ]
        scripts = {"score": folder / "score.lua", "bare": folder / "bare.lua"}
        scripts["score"].write_text(lua_script(bodies, score_headers))
        scripts["bare"].write_text(lua_script(bodies, headers))

        print(
            f"python {platform.python_version()} on {platform.machine()}, "
            f"{os.cpu_count()} CPUs shared by wrk and the servers; {wrk_version(wrk)}"
        )
        print(
            f"uvicorn --workers {args.workers} --loop uvloop --http httptools "
            f"({'with' if args.access_log else 'no'} access log); "
            f"wrk {args.threads} threads, {args.connections} connections, "
            f"{args.warmup:g} s warm-up + {args.duration:g} s, {args.rounds} round(s)"
        )
        answers_count = sum(len(answers) for answers in answer_sets) / len(answer_sets)
        body_size = sum(len(body) for body in bodies) / len(bodies)
        print(
            f"bodies: {described}; {answers_count:.1f} answers, {body_size:,.0f} bytes on average"
            f"{', Accept-Encoding: gzip' if args.gzip else ''}"
            f"{', partner key' if args.key else ', anonymous'}"
        )

        idle = CpuWatch(set())
        time.sleep(1.0)
        before = idle.shares()
        if before is not None:
            busy, steal = before
            note = "" if busy < OTHERS_LIMIT else " (warning: something else is using the CPU)"
            print(
                f"CPU used by other processes before the run: {busy:.0%}, of which the "
                f"hypervisor (steal: other virtual machines on the host) {steal:.0%}{note}"
            )
        results: dict[str, list[WrkResult]] = {"score": [], "bare": []}
        with serving(servers, args):
            sizes = {
                server.name: server.check(
                    pool, score_headers if server.name == "score" else headers
                )
                for server in servers
            }
            print(
                f"every body answered 200 by both; answers of {sizes['score']:,} bytes (score) "
                f"and {sizes['bare']:,} bytes (bare) on average"
            )
            for round_number in range(1, args.rounds + 1):
                for server in servers:
                    script = scripts[server.name]
                    if args.warmup > 0:
                        run_wrk(wrk, server.url, script, args, args.warmup)
                    watch = CpuWatch({s.pgid for s in servers})
                    output = run_wrk(wrk, server.url, script, args, args.duration)
                    shares = watch.shares()
                    result = parse_wrk(output) if shares is None else parse_wrk(output, *shares)
                    results[server.name].append(result)
                    if args.verbose:
                        print(f"--- {server.name}, round {round_number}\n{result.output}")
                    print(
                        f"  round {round_number} {server.name:<5} "
                        f"{result.requests_per_second:9.1f} req/s  "
                        f"p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms  "
                        f"other processes {percent(result.others)} of the CPU"
                        f" (hypervisor {percent(result.steal)})"
                    )

    print()
    print("| endpoint | requests/s | p50 latency | p99 latency | requests | non-2xx |")
    print("|---|---:|---:|---:|---:|---:|")
    labels = {"score": f"POST {SCORE_PATH}", "bare": f"bare POST {ECHO_PATH}"}
    medians = {}
    for name, runs in results.items():
        rps, p50, p99 = medians[name] = median_result(runs)
        print(
            f"| {labels[name]} | {rps:,.0f} | {p50:.2f} ms | {p99:.2f} ms "
            f"| {sum(r.requests for r in runs):,} | {sum(r.non_2xx for r in runs)} |"
        )
    ratio = medians["score"][0] / medians["bare"][0]
    verdict = "met" if ratio >= GOAL else "not met"
    print(f"\nratio score/bare (requests/s): {ratio:.2f}  (goal >= {GOAL}: {verdict})")
    # each round's score beside the bare run right after it: the VM's speed drifts over
    # minutes, so these show how much of the spread is the machine's
    pairs = [
        s.requests_per_second / b.requests_per_second
        for s, b in zip(results["score"], results["bare"], strict=True)
    ]
    print(
        "ratio per round: "
        + " · ".join(f"{r:.2f}" for r in pairs)
        + f"  (median {statistics.median(pairs):.2f})"
    )

    failed = False
    for name, runs in results.items():
        for result in runs:
            if result.non_2xx:
                print(f"{name}: {result.non_2xx} responses were not 2xx", file=sys.stderr)
                failed = True
            if result.others is not None and result.others >= OTHERS_LIMIT:
                print(
                    f"{name}: other processes used {result.others:.0%} of the CPU during a run "
                    f"(the hypervisor {percent(result.steal)}): its figures are lower than on "
                    "an idle machine",
                    file=sys.stderr,
                )
            if result.socket_errors:
                print(f"{name}: socket errors: {result.socket_errors}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--duration", type=float, default=20, help="measured seconds (20)")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds (3)")
    parser.add_argument("--rounds", type=int, default=1, help="alternate runs, medians (1)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers (2)")
    parser.add_argument(
        "--pool", type=int, default=1000, help="distinct answer sets sent in turn (1000)"
    )
    parser.add_argument(
        "--persona", help="send one test persona (CLUSTER:INDEX, e.g. classiques:0) instead"
    )
    parser.add_argument("--key", action="store_true", help="call the API with a partner key")
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip")
    parser.add_argument("--access-log", action="store_true", help="keep uvicorn's access log")
    parser.add_argument("--verbose", action="store_true", help="print wrk's own output")
    args = parser.parse_args(argv)
    if (
        min(args.threads, args.connections, args.rounds, args.workers, args.pool) < 1
        or args.duration <= 0
    ):
        parser.error("threads, connections, rounds, workers, pool and duration must be positive")
    if args.connections < args.threads:
        parser.error("wrk needs at least one connection per thread")

    signal.signal(signal.SIGTERM, _terminate)
    try:
        return run(args)
    except SetupError as error:
        print(f"api_bench: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
