"""The local Prefect server of ``smartcity up``: Prefect's own server with its UI, on 127.0.0.1, its
history in a database of its own in the local PostgreSQL cluster.

Layout, under ``settings.prefect_home`` (``.smartcity/prefect``, gitignored)::

    server.json    pid and port of the running server (written the moment it is started)
    port           the port of the last start, used again when free
    server.log     its output
    server.lock    serialises up and down between processes

Decisions:
- It is ``prefect server start``, unchanged: the same API, UI and services (scheduler, late runs) a
  Prefect user runs anywhere, so the UI, ``prefect`` commands and ``smartcity serve`` work against it.
- Its database is ``smartcity_prefect`` in the project's local cluster, owned by the role of the same
  name (:func:`smartcity.platform.local_cluster.ensure_prefect_database`): PostgreSQL, as Prefect
  advises for a server that several processes write to at once. With ``SMARTCITY_DATABASE_URL`` set
  (a database that is not ours to create databases in) it keeps Prefect's SQLite file in
  ``PREFECT_HOME``.
- It runs in a session of its own, so it outlives the command that started it (and one killed by
  SIGKILL), and stops with ``smartcity down``. Its pid is written before ``up`` waits for it, so even
  an ``up`` killed while the server was starting leaves nothing nobody knows of: the next ``up``
  waits for that server, ``down`` stops it. A pid is trusted only while that process is still a
  ``prefect server`` (a pid the system gave to another program since is never signalled).
- Every command that runs a flow uses this server when it answers (``configure_prefect``), and starts
  its own temporary API as before when it does not; a ``PREFECT_API_URL`` the user set wins over both.

This module imports neither Prefect nor SQLAlchemy: ``smartcity status`` asks it in milliseconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from smartcity.platform.errors import SetupError
from smartcity.platform.files import locked, write_text
from smartcity.platform.settings import Settings

FIRST_PORT = 4200  # Prefect's own default
START_SECONDS = 180.0  # first start: Prefect's migrations on an empty database take ~20-40 s on 2 cores


@dataclass(frozen=True)
class Server:
    """A local Prefect server as recorded in ``server.json``."""

    pid: int
    port: int
    database: str  # "postgresql" (the local cluster) or "sqlite" (in PREFECT_HOME)
    started: float  # time.time() at start

    @property
    def url(self) -> str:
        """The UI's address (the API is under ``/api``)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"


def _home(settings: Settings) -> Path:
    return settings.prefect_home.absolute()


def recorded(settings: Settings) -> Server | None:
    """The server ``server.json`` names, while that process is alive and still a Prefect server."""
    try:
        data = json.loads((_home(settings) / "server.json").read_text())
        server = Server(**data)
    except (OSError, ValueError, TypeError):
        return None
    return server if _is_prefect_server(server.pid, _home(settings)) else None


def answers(server: Server, timeout: float = 1.0) -> bool:
    """Whether the server's API answers its health check."""
    try:
        with urllib.request.urlopen(f"{server.api_url}/health", timeout=timeout):  # noqa: S310 - loopback
            return True
    except OSError:
        return False


def running(settings: Settings) -> Server | None:
    """The local server when it is up and answering; None otherwise (not started, stopped, starting)."""
    server = recorded(settings)
    return server if server is not None and answers(server) else None


def status(settings: Settings) -> dict:
    """What a person wants to know about the local Prefect server, as plain values."""
    server = recorded(settings)
    up = server is not None and answers(server)
    state = "running" if up else ("starting" if server is not None else "stopped")
    return {
        "state": state,
        "url": server.url if server else None,
        "pid": server.pid if server else None,
        "log": str(_home(settings) / "server.log"),
    }


def database_url(settings: Settings) -> str | None:
    """Prefect's own database for this project's server or temporary API: the local cluster's (made
    the first time), or None (Prefect's SQLite file) when SMARTCITY_DATABASE_URL names a database
    that is not ours to make databases beside."""
    if settings.database_url is not None:
        return None
    from smartcity.platform import local_cluster

    return local_cluster.ensure_prefect_database(settings).prefect_url()


def start(settings: Settings, database_url: str | None, *, wait: float = START_SECONDS) -> Server:
    """Start the local server (or find the one already up, or still starting after a killed ``up``),
    and wait until it answers. ``database_url``: Prefect's own database (asyncpg URL), None for SQLite.
    Raises SetupError naming the log."""
    home = _home(settings)
    home.mkdir(parents=True, exist_ok=True)
    with first_migration(settings, database_url):
        with locked(home / "server.lock"):
            server = recorded(settings) or _spawn(settings, home, database_url)
        _wait_healthy(server, home / "server.log", wait)
    return server


@contextlib.contextmanager
def first_migration(settings: Settings, database_url: str | None) -> Iterator[None]:
    """Hold, for the block, the lock under which an API starts on the cluster's Prefect database.

    Prefect's server migrates its database as it starts (all of it the first time, the new
    migrations after an upgrade of Prefect), and guards that with a lock of its own process only:
    two APIs starting at once (``smartcity up`` and a command, two commands from cron) would both
    run the migrations and one would fail. The block starts an API and waits until it answers (4-5 s
    on a migrated database); another start waits here meanwhile. A lock file, not a look at
    ``alembic_version``: Prefect's migrations commit one by one, so a half-migrated database looks
    migrated. SQLite (None) is left to Prefect."""
    if database_url is None:
        yield
        return
    with locked(settings.pg_dir.absolute() / "prefect-migrate.lock"):
        yield


def stop(settings: Settings, timeout: float = 30.0) -> bool:
    """Stop the local server and everything it started (its process group); True if one was running."""
    home = _home(settings)
    if not home.exists():
        return False
    with locked(home / "server.lock"):
        server = recorded(settings)
        (home / "server.json").unlink(missing_ok=True)
        if server is None:
            return False
        _stop_group(server.pid, timeout)
        return True


# --- the process -------------------------------------------------------------------------------


def _spawn(settings: Settings, home: Path, database_url: str | None) -> Server:
    port = _port(settings, home)
    write_text(home / "port", f"{port}\n", mode=0o600)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="true",
        PREFECT_SERVER_API_HOST="127.0.0.1",
        PREFECT_SERVER_API_PORT=str(port),
        PREFECT_UI_API_URL=f"http://127.0.0.1:{port}/api",
    )
    if database_url is not None:
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database_url
    else:
        env.pop("PREFECT_API_DATABASE_CONNECTION_URL", None)
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    fd = os.open(home / "server.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "ab") as log:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives the command; stopped as a group by stop()
        )
    server = Server(process.pid, port, "postgresql" if database_url else "sqlite", time.time())
    write_text(home / "server.json", json.dumps(asdict(server)), mode=0o600)
    return server


def _port(settings: Settings, home: Path) -> int:
    """SMARTCITY_PREFECT_PORT; else the port of the last start when it is free (bookmarks keep
    working), else the first free one from Prefect's own 4200."""
    if settings.prefect_port is not None:
        if not _free(settings.prefect_port):
            raise SetupError(
                f"SMARTCITY_PREFECT_PORT {settings.prefect_port}: the port is in use on 127.0.0.1"
            )
        return settings.prefect_port
    with contextlib.suppress(OSError, ValueError):
        last = int((home / "port").read_text())
        if _free(last):
            return last
    for port in range(FIRST_PORT, FIRST_PORT + 200):
        if _free(port):
            return port
    raise SetupError(f"no free TCP port on 127.0.0.1 between {FIRST_PORT} and {FIRST_PORT + 199}")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is free
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_healthy(server: Server, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(server.pid):
            raise SetupError(f"the local Prefect server stopped at start: {_last_line(log)}; see {log}")
        if answers(server, timeout=2):
            return
        time.sleep(0.25)
    raise SetupError(
        f"the local Prefect server did not answer within {seconds:.0f} s at {server.url}; see {log} "
        "(`smartcity down` stops it)"
    )


def _stop_group(pid: int, timeout: float) -> None:
    """SIGTERM to the server's process group (it is its leader), then SIGKILL after ``timeout``."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _group_alive(pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    while _group_alive(pid) and time.monotonic() < deadline + 10:
        time.sleep(0.1)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie leader (our own child, never waited for) still counts as a member: look at the states
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":  # fields: state, ppid, pgrp, ...
            return True
    return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _is_prefect_server(pid: int, home: Path) -> bool:
    """Whether ``pid`` is alive and runs ``prefect server start`` in ``home`` (where it was started):
    a pid the system gave since to another program, or to another project's server, is not ours."""
    if not _alive(pid):
        return False
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        cwd = os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return False
    return b"prefect" in args and b"server" in args and b"start" in args and Path(cwd) == home.resolve()


def _last_line(log: Path) -> str:
    try:
        with open(log, "rb") as handle:
            handle.seek(0, 2)
            handle.seek(max(handle.tell() - 4096, 0))
            lines = [line.strip() for line in handle.read().decode("utf-8", "replace").splitlines()]
    except OSError:
        return "no log"
    lines = [line for line in lines if line]
    return lines[-1] if lines else "no output"
