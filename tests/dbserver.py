"""A throw-away PostgreSQL cluster for the test run.

`ensure_postgres_binaries()` finds (and, as root on Debian, installs) the server binaries;
`PostgresServer` runs initdb into a fresh temporary directory, starts the server on 127.0.0.1
and a free port, and stops it and removes the directory on exit. See ENGINEERING.md, "PostgreSQL".

Cleanup happens in `__exit__`, in an `atexit` hook, and in a watchdog process that stops the
server when the test process dies without running either (SIGKILL, or SIGTERM, which skips atexit).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

PG_LIB = Path("/usr/lib/postgresql")
SERVER_USER = "postgres"
APT_UPDATE_TIMEOUT = 300
APT_INSTALL_TIMEOUT = 900
PG_TIMEOUT = 60
START_ATTEMPTS = 3

# Runs in its own session; the test process holds the write end of its stdin, so EOF on stdin
# means the test process is gone (however it died). It then stops the server and cleans up.
_WATCHDOG = """
import shutil, subprocess, sys
sys.stdin.buffer.read()
subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
shutil.rmtree(sys.argv[1], ignore_errors=True)
"""


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (0,)


def _find_binaries() -> Path | None:
    candidates = [
        bindir
        for bindir in PG_LIB.glob("*/bin")
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file()
    ]
    if candidates:
        return max(candidates, key=_version_key)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl and Path(initdb).parent == Path(pg_ctl).parent:
        return Path(initdb).parent
    return None


def _apt_has_candidate(package: str) -> bool:
    apt_cache = shutil.which("apt-cache")
    if apt_cache is None:
        return False
    result = subprocess.run(
        [apt_cache, "policy", package],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    match = re.search(r"Candidate:\s*(\S+)", result.stdout)
    return result.returncode == 0 and match is not None and match.group(1) != "(none)"


def _apt(*args: str, timeout: int) -> None:
    apt_get = shutil.which("apt-get") or "/usr/bin/apt-get"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    result = subprocess.run(
        [apt_get, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"apt-get {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )


def ensure_postgres_binaries() -> Path | None:
    """The bin directory holding initdb and pg_ctl; installs them as root on Debian if needed.

    Returns None when they are absent and cannot be installed here (not root, not Debian).
    Raises RuntimeError when an installation was attempted and failed.
    """
    found = _find_binaries()
    if found is not None:
        return found
    if os.geteuid() != 0 or not Path("/etc/debian_version").exists():
        return None
    if shutil.which("apt-get") is None:
        return None
    if not _apt_has_candidate("postgresql"):
        _apt("update", timeout=APT_UPDATE_TIMEOUT)
    _apt("install", "-y", "postgresql", timeout=APT_INSTALL_TIMEOUT)
    return _find_binaries()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """A PostgreSQL cluster in a temporary directory, trust auth, superuser `postgres`."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        self.port = 0
        self.tmpdir: Path | None = None
        self.init_seconds = 0.0
        self.start_seconds = 0.0
        self._running = False
        self._watchdog: subprocess.Popen[bytes] | None = None

    # -- commands -----------------------------------------------------------------------------

    def _cmd(self, tool: str, *args: str) -> list[str]:
        cmd = [str(self.bindir / tool), *args]
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        return [runuser, "-u", SERVER_USER, "--", *cmd] if self.as_root else cmd

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self._cmd(tool, *args),
            capture_output=True,
            text=True,
            timeout=PG_TIMEOUT,
            check=False,
            cwd=self.tmpdir,  # a directory the server user can enter
            start_new_session=True,  # Ctrl-C in the terminal must not reach the server
        )

    @property
    def datadir(self) -> Path:
        assert self.tmpdir is not None
        return self.tmpdir / "data"

    def _stop_cmd(self) -> list[str]:
        return self._cmd("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> PostgresServer:
        # As root the server runs as `postgres`, which must be able to reach the directory:
        # /tmp rather than a TMPDIR that may sit under /root.
        parent = "/tmp" if self.as_root and Path("/tmp").is_dir() else None  # noqa: S108
        self.tmpdir = Path(tempfile.mkdtemp(prefix="pgtest-", dir=parent))
        atexit.register(self.stop)
        try:
            if self.as_root:
                try:
                    entry = pwd.getpwnam(SERVER_USER)
                except KeyError:
                    raise RuntimeError(f"no {SERVER_USER!r} user to run the server as") from None
                os.chown(self.tmpdir, entry.pw_uid, entry.pw_gid)
            started = time.perf_counter()
            self._initdb()
            self.init_seconds = time.perf_counter() - started
            started = time.perf_counter()
            self._start_on_free_port()
            self.start_seconds = time.perf_counter() - started
            self._start_watchdog()
        except BaseException:
            self.stop()
            raise
        return self

    def _initdb(self) -> None:
        common = ["-D", str(self.datadir), "-U", SERVER_USER, "--auth=trust", "-E", "UTF8"]
        result = self._run("initdb", *common, "--locale=C.UTF-8")
        if result.returncode != 0 and "locale" in (result.stdout + result.stderr).lower():
            # C.UTF-8 is missing on some systems; plain C always exists and works with UTF8.
            shutil.rmtree(self.datadir, ignore_errors=True)
            result = self._run("initdb", *common, "--locale=C")
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{result.stdout}\n{result.stderr}")

    def _start_on_free_port(self) -> None:
        assert self.tmpdir is not None
        log = self.tmpdir / "server.log"
        for _ in range(START_ATTEMPTS):
            self.port = free_port()  # another process may take it before the server binds
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {shlex.quote(str(self.tmpdir))}"
            )
            result = self._run(
                "pg_ctl", "-D", str(self.datadir), "-l", str(log), "-w", "-o", options, "start"
            )
            if result.returncode == 0:
                self._running = True
                return
        server_log = log.read_text(errors="replace")[-4000:] if log.exists() else ""
        raise RuntimeError(
            f"pg_ctl start failed after {START_ATTEMPTS} attempts:\n"
            f"{result.stdout}\n{result.stderr}\n{server_log}"
        )

    def _start_watchdog(self) -> None:
        assert self.tmpdir is not None
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(self.tmpdir), *self._stop_cmd()],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd="/",
            start_new_session=True,
        )

    def stop(self) -> None:
        """Idempotent: stops the server, the watchdog, and removes the directory."""
        if self._watchdog is not None:
            self._watchdog.kill()
            self._watchdog.wait()
            if self._watchdog.stdin is not None:
                self._watchdog.stdin.close()
            self._watchdog = None
        if self._running:
            self._running = False
            with contextlib.suppress(subprocess.TimeoutExpired):
                subprocess.run(
                    self._stop_cmd(),
                    capture_output=True,
                    timeout=PG_TIMEOUT,
                    check=False,
                    cwd=self.tmpdir,
                    start_new_session=True,
                )
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None
        atexit.unregister(self.stop)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- databases ----------------------------------------------------------------------------

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> None:
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SERVER_USER, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
