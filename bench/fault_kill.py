"""Fault test: acknowledged submissions survive SIGKILL of the server (a script, run in CI).

    .venv/bin/python bench/fault_kill.py --database sqlite
    .venv/bin/python bench/fault_kill.py --database postgresql --clients 8 --kills 10

Starts the app with uvicorn as a subprocess in its own process group, on a throw-away database
(a SQLite file, or a PostgreSQL cluster of its own started through tests/dbserver.py). Concurrent
clients complete assessments over HTTP from the test personas (answers varied a little) and
record every acknowledged submission: the 303 to ``/r/<token>`` after the last step, with the
answers sent. Meanwhile the server's process group is killed with SIGKILL at random moments and
restarted. A connection error means "not acknowledged": the client starts a new submission.

At the end, with the server up again:

- every acknowledged token resolves (``GET /r/<token>`` is 200) and shows the cluster that the
  core computes for the answers that were sent;
- reading the database directly, nothing is half-written: every row has its share and manage
  digests, answers that validate and give the row's cluster and probabilities, and a complete
  result in both locales (``fr`` and ``en``, each a valid result page whose cluster is the
  row's; other keys are allowed); each acknowledged row holds
  exactly the answers that were sent;
- acknowledged <= rows <= acknowledged + submissions left in doubt (a POST sent without an
  answer): no acknowledged write lost, none stored twice.

Prints a summary and exits 1 on any violation (2 when it cannot run). Everything it started
(server, PostgreSQL, temporary files) is stopped and removed on exit, failure included.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func
from sqlmodel import Session, col, select

from app.core.answers import Answers, InvalidAnswers, validate_answers, validate_text_answers
from app.core.assessment import Assessor
from app.core.questionnaire import QUESTIONNAIRE
from app.reference.loader import default_reference
from app.services.assessments import page_of
from app.services.tokens import digest
from app.storage.tables import Assessment, Draft
from bench.processes import stop_group
from tests.dbserver import PostgresServer, ensure_postgres_binaries, free_port
from tests.journey import CSRF, form_for
from tests.personas import PERSONAS

ROOT = Path(__file__).resolve().parents[1]
DIGEST = re.compile(r"^[0-9a-f]{64}$")
CLUSTER_ATTR = re.compile(r'id="cluster"[^>]*data-cluster="([a-z]+)"')
START_TIMEOUT = 30.0
REQUEST_TIMEOUT = httpx.Timeout(15.0, connect=2.0)


class Violation(Exception):
    """The run found a lost or damaged write."""


class SetupError(Exception):
    """The test could not run (no PostgreSQL, the server would not start...)."""


# --- answers ------------------------------------------------------------------------------------


PERSONA_ANSWERS = [p.answers for group in PERSONAS.values() for p in group]
SECTORS = QUESTIONNAIRE["sector"].option_ids()


def varied(answers: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A persona's answers changed a little (scales, percentages, sector), still valid."""
    changed = dict(answers)
    for question_id, value in answers.items():
        question = QUESTIONNAIRE[question_id]
        if rng.random() > 0.3 or isinstance(value, bool) or not isinstance(value, int):
            continue
        step = 1 if question.kind == "scale" else 10
        low = question.minimum if question.minimum is not None else value
        high = question.maximum if question.maximum is not None else value
        changed[question_id] = min(high, max(low, value + rng.choice((-step, step))))
    if rng.random() < 0.3:
        changed["sector"] = rng.choice(SECTORS)
    try:
        validate_answers(changed)
    except InvalidAnswers:
        return dict(answers)
    return changed


# --- the server -----------------------------------------------------------------------------------


class AppServer:
    """uvicorn in a subprocess of its own process group, so that SIGKILL takes all of it."""

    def __init__(self, database_url: str, port: int, log: Path) -> None:
        self.database_url = database_url
        self.port = port
        self.log_path = log
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.kills = 0

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "app.web.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
        ]
        env = {**os.environ, "CSMB_DATABASE_URL": self.database_url}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches every process
            )
        self.starts += 1
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SetupError(f"the server exited ({self.process.returncode}):\n{self.tail()}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.base}/healthz", timeout=1.0).status_code == 200:
                    return
            time.sleep(0.05)
        raise SetupError(f"the server did not answer within {START_TIMEOUT:.0f} s:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no shutdown handler, no flush, no goodbye."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None
        self.kills += 1

    def stop(self) -> None:
        """A normal stop at the end (SIGTERM, then SIGKILL if it lingers)."""
        if self.process is None:
            return
        stop_group(self.process)
        self.process = None

    def exited(self) -> int | None:
        """The exit status if the server ended other than by this script's kill."""
        return None if self.process is None else self.process.poll()

    def tail(self) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-3000:]


# --- the clients ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Acknowledged:
    token: str
    answers: dict[str, Any]


@dataclass
class Ledger:
    """What the clients saw, shared between their threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    attempted: int = 0
    acknowledged: list[Acknowledged] = field(default_factory=list)
    in_doubt: int = 0
    """POSTs sent that got no answer (or an error status): each may or may not have stored."""
    interrupted: int = 0
    """Submissions cut by a connection error after they started."""
    statuses: Counter[int] = field(default_factory=Counter)
    """Unexpected HTTP statuses (a non-303 answer to a step)."""

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)


class NoAnswer(Exception):
    def __init__(self, posted: bool) -> None:
        super().__init__()
        self.posted = posted


def submit(http: httpx.Client, answers: dict[str, Any], ledger: Ledger) -> str | None:
    """One submission from a blank questionnaire; the share token if acknowledged."""
    http.cookies.clear()
    http.cookies.set("csrf", CSRF)
    try:
        response = http.get("/assessment")
    except httpx.TransportError:
        return None  # the server is down: not a submission yet
    ledger.add(attempted=1)
    url = str(response.headers.get("location", ""))
    if response.status_code != 303:
        with ledger.lock:
            ledger.statuses[response.status_code] += 1
        return None
    for _ in range(20):
        if url.startswith("/r/"):
            return url.removeprefix("/r/")
        step_id = url.rsplit("/", 1)[-1]
        try:
            response = http.post(url, data=form_for(step_id, answers))
        except (httpx.ConnectError, httpx.ConnectTimeout):
            raise NoAnswer(posted=False) from None  # never reached the server
        except httpx.TransportError:
            raise NoAnswer(posted=True) from None
        if response.status_code != 303:
            with ledger.lock:
                ledger.statuses[response.status_code] += 1
                ledger.in_doubt += 1
            return None
        url = response.headers["location"]
    return None


def client(
    number: int, base: str, stop: threading.Event, ledger: Ledger, seed: int, deadline: float
) -> None:
    rng = random.Random(seed * 1000 + number)
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT, follow_redirects=False) as http:
        while not stop.is_set() and time.monotonic() < deadline:
            answers = varied(rng.choice(PERSONA_ANSWERS), rng)
            try:
                token = submit(http, answers, ledger)
            except NoAnswer as lost:
                ledger.add(interrupted=1, in_doubt=int(lost.posted))
                continue
            if token is None:
                stop.wait(rng.uniform(0.05, 0.15))  # down, or refused: try again shortly
            else:
                with ledger.lock:
                    ledger.acknowledged.append(Acknowledged(token, answers))


# --- the checks -----------------------------------------------------------------------------------


@dataclass
class Findings:
    violations: list[str] = field(default_factory=list)
    resolved: int = 0
    rows: int = 0
    rows_intact: int = 0
    drafts: int = 0

    def fail(self, message: str) -> None:
        if len(self.violations) < 200:
            self.violations.append(message)


def check_over_http(
    base: str, acknowledged: list[Acknowledged], assessor: Assessor, findings: Findings
) -> None:
    def one(ack: Acknowledged) -> str | None:
        expected = assessor.model.place(validate_answers(ack.answers)).cluster
        try:
            with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as http:
                response = http.get(f"/r/{ack.token}")
        except httpx.TransportError as error:
            return f"GET /r/{ack.token}: {error!r}"
        if response.status_code != 200:
            return f"acknowledged /r/{ack.token} answers {response.status_code}"
        shown = CLUSTER_ATTR.search(response.text)
        if shown is None or shown.group(1) != expected:
            found = shown.group(1) if shown else None
            return f"/r/{ack.token} shows cluster {found!r}, the core gives {expected!r}"
        return None

    with ThreadPoolExecutor(max_workers=4) as pool:
        for problem in pool.map(one, acknowledged):
            if problem is None:
                findings.resolved += 1
            else:
                findings.fail(problem)


def validated(stored: dict[str, Any]) -> Answers:
    """Stored answers, typed: as the form keeps them (text), or already typed (JSON)."""
    if all(isinstance(v, str | list) for v in stored.values()):
        return validate_text_answers(stored)
    return validate_answers(stored, drop_inapplicable=True)


def _row_problems(row: Assessment, assessor: Assessor) -> Iterator[str]:
    who = f"row id={row.id}"
    for name in ("share_hash", "manage_hash"):
        if not DIGEST.match(getattr(row, name) or ""):
            yield f"{who}: {name} missing or malformed ({getattr(row, name)!r})"
    if not row.public_id or not row.series:
        yield f"{who}: public_id or series missing"
    result = row.result
    if not isinstance(result, dict) or not {"fr", "en"} <= set(result):
        yield f"{who}: result is not complete in both locales (keys {list(result or {})})"
    else:
        for locale in ("fr", "en"):
            try:
                page = page_of(row, locale)
            except Exception as error:  # any failure to read it back is the finding
                yield f"{who}: result[{locale!r}] is not a valid result page: {error!r:.200}"
                continue
            if page.cluster != row.cluster or page.locale != locale:
                said = f"{page.cluster}/{page.locale}"
                yield f"{who}: result[{locale!r}] says {said}, the row {row.cluster}"
    try:
        answers = validated(row.answers)
    except (InvalidAnswers, AttributeError, TypeError) as error:
        yield f"{who}: stored answers do not validate: {error!r:.200}"
        return
    placement = assessor.model.place(answers)
    if placement.cluster != row.cluster:
        yield f"{who}: answers give {placement.cluster}, row says {row.cluster}"
    stored = (row.p_basiques, row.p_classiques, row.p_polyvalents)
    computed = tuple(placement.probabilities[c] for c in ("basiques", "classiques", "polyvalents"))
    if not all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        for a, b in zip(stored, computed, strict=True)
    ):
        yield f"{who}: stored probabilities {stored} differ from the answers' {computed}"


def check_database(
    url: str, ledger: Ledger, assessor: Assessor, findings: Findings
) -> dict[str, Answers]:
    """Reads every row directly (no app code path but the table definition)."""
    wanted = {digest(ack.token): ack for ack in ledger.acknowledged}
    stored_answers: dict[str, Answers] = {}
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            findings.drafts = session.exec(select(func.count()).select_from(Draft)).one()
            query = select(Assessment).order_by(col(Assessment.id)).execution_options(yield_per=200)
            for row in session.exec(query):
                findings.rows += 1
                problems = list(_row_problems(row, assessor))
                for problem in problems:
                    findings.fail(problem)
                findings.rows_intact += not problems
                if row.share_hash in wanted and not problems:
                    stored_answers[row.share_hash] = validated(row.answers)
                session.expunge(row)
    finally:
        engine.dispose()
    for share_hash, ack in wanted.items():
        if share_hash not in stored_answers:
            findings.fail(f"acknowledged /r/{ack.token} has no intact row in the database")
        elif stored_answers[share_hash] != validate_answers(ack.answers):
            findings.fail(f"/r/{ack.token}: stored answers differ from those sent")
    acked = len(ledger.acknowledged)
    if findings.rows < acked:
        findings.fail(f"{findings.rows} rows < {acked} acknowledged submissions")
    if findings.rows > acked + ledger.in_doubt:
        findings.fail(
            f"{findings.rows} rows > {acked} acknowledged + {ledger.in_doubt} in doubt: "
            "a submission was stored twice"
        )
    return stored_answers


# --- the run --------------------------------------------------------------------------------------


def _terminate(signum: int, _: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # run the finally blocks: stop the server and PostgreSQL


@contextlib.contextmanager
def database(kind: str, workdir: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir}/app.db"
        return
    bindir = ensure_postgres_binaries()
    if bindir is None:
        raise SetupError("PostgreSQL binaries not found and cannot be installed here")
    with PostgresServer(bindir) as server:
        server.create_database("fault")
        yield server.url("fault")


def run(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    assessor = Assessor(default_reference())
    workdir = Path(tempfile.mkdtemp(prefix="fault-kill-"))
    started = time.monotonic()
    hard_deadline = started + args.max_seconds
    server: AppServer | None = None
    stop = threading.Event()
    threads: list[threading.Thread] = []
    ledger = Ledger()
    findings = Findings()
    try:
        with database(args.database, workdir) as url:
            server = AppServer(url, free_port(), workdir / "server.log")
            server.start()
            loading = time.monotonic()
            for number in range(args.clients):
                thread = threading.Thread(
                    target=client,
                    args=(number, server.base, stop, ledger, args.seed, hard_deadline),
                    name=f"client-{number}",
                    daemon=True,
                )
                thread.start()
                threads.append(thread)
            for _ in range(args.kills):
                time.sleep(rng.uniform(args.min_interval, args.max_interval))
                server.kill()
                time.sleep(rng.uniform(0.0, args.max_down))
                if time.monotonic() > hard_deadline:
                    raise SetupError(f"the run exceeded --max-seconds {args.max_seconds}")
                server.start()
            time.sleep(args.tail)  # some submissions on the last restart, too
            stop.set()
            for thread in threads:
                thread.join(timeout=max(1.0, hard_deadline - time.monotonic()))
            if any(thread.is_alive() for thread in threads):
                raise SetupError("a client did not stop in time")
            checking = time.monotonic()
            # the server is up: every acknowledged result must resolve, unchanged
            check_over_http(server.base, ledger.acknowledged, assessor, findings)
            if server.exited() is not None:
                findings.fail(
                    f"the server process exited by itself (status {server.exited()}) during the "
                    "checks: not a kill of this script; see its log"
                )
            server.stop()  # nothing writes any more: read the database directly
            check_database(url, ledger, assessor, findings)
            timings = {
                "load": checking - loading,
                "checks": time.monotonic() - checking,
                "total": time.monotonic() - started,
            }
            print_summary(args, ledger, findings, server, timings)
            if findings.violations:
                print(f"server log (last lines):\n{server.tail()}", file=sys.stderr)
    except SetupError as error:
        print(f"fault test on {args.database} could not run: {error}", file=sys.stderr)
        return 2
    finally:
        stop.set()
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if findings.violations else 0


def print_summary(
    args: argparse.Namespace,
    ledger: Ledger,
    findings: Findings,
    server: AppServer,
    timings: dict[str, float],
) -> None:
    acked = len(ledger.acknowledged)
    unexpected = ", ".join(f"{s}: {n}" for s, n in sorted(ledger.statuses.items())) or "none"
    lines = [
        f"fault test on {args.database}: {args.clients} clients, {args.kills} kills, "
        f"seed {args.seed}, {timings['total']:.1f} s",
        f"  submissions attempted {ledger.attempted}, acknowledged {acked}, "
        f"interrupted {ledger.interrupted} (of which in doubt: {ledger.in_doubt})",
        f"  server SIGKILLed {server.kills} times, started {server.starts} times; "
        f"load {timings['load']:.1f} s, checks {timings['checks']:.1f} s",
        f"  unexpected HTTP statuses: {unexpected}",
        f"  rows {findings.rows} (acknowledged {acked} <= rows <= "
        f"acknowledged + in doubt {acked + ledger.in_doubt}), intact {findings.rows_intact}, "
        f"drafts left {findings.drafts}",
        f"  acknowledged results resolving with the core's cluster: {findings.resolved}/{acked}",
    ]
    if acked == 0:
        findings.fail("no submission was acknowledged: the test proved nothing")
    if server.kills < args.kills:
        findings.fail(f"only {server.kills} of {args.kills} kills happened")
    shown = 25
    lines.extend(f"  VIOLATION {violation}" for violation in findings.violations[:shown])
    if len(findings.violations) > shown:
        lines.append(f"  ... and {len(findings.violations) - shown} more violations")
    lines.append("FAILED" if findings.violations else "OK")
    print("\n".join(lines), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=6, help="concurrent clients (6)")
    parser.add_argument("--kills", type=int, default=5, help="SIGKILLs of the server (5)")
    parser.add_argument("--min-interval", type=float, default=1.0, help="seconds (1.0)")
    parser.add_argument("--max-interval", type=float, default=3.0, help="seconds (3.0)")
    parser.add_argument("--max-down", type=float, default=0.3, help="seconds down, at most (0.3)")
    parser.add_argument("--tail", type=float, default=1.5, help="seconds after the last restart")
    parser.add_argument("--seed", type=int, default=None, help="random by default (printed)")
    parser.add_argument("--max-seconds", type=float, default=300, help="hard limit (300)")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1_000_000)
    if not 1 <= args.clients <= 64 or args.kills < 0:
        parser.error("--clients must be 1..64 and --kills >= 0")
    signal.signal(signal.SIGTERM, _terminate)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
