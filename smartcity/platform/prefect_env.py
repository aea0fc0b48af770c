"""Prefect defaults for this project, set before Prefect is first imported.

Prefect reads its settings when it is imported, so the CLI calls :func:`configure_prefect` first.
Values a user already exported (``PREFECT_API_URL`` for a real server, say) are left alone.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from smartcity.platform.errors import SetupError
from smartcity.platform.settings import Settings


def configure_prefect(settings: Settings) -> None:
    """Keep Prefect's state in the project, quiet its analytics, give the ephemeral API time to start;
    point Prefect at the local server of ``smartcity up`` when it answers and the user set no API."""
    defaults = {
        "PREFECT_HOME": str(settings.prefect_home.absolute()),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # Measured: the ephemeral API needs ~22 s on a first start with a fresh home on 2 cores;
        # Prefect's default of 20 s times out on a slow machine.
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_UI_ENABLED": "false",
        # Dask's own INFO lines (scheduler, nanny, workers) would bury the pipeline's log
        "DASK_LOGGING__DISTRIBUTED": "warning",
    }
    if settings.log_format == "json":  # Prefect's own JSON formatter on the console handler
        defaults["PREFECT_LOGGING_HANDLERS_CONSOLE_FORMATTER"] = "json"
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    # Prefect creates its home without parents, and then fails obscurely: make the whole path.
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
    if not api_configured():
        from smartcity.platform import prefect_server

        server = prefect_server.running(settings)
        if server is not None:
            os.environ["PREFECT_API_URL"] = server.api_url


def api_configured() -> bool:
    """Whether a Prefect API (a server, or Prefect Cloud) is configured for this process."""
    return bool(os.environ.get("PREFECT_API_URL"))


class LocalApi:
    """A Prefect API started by :func:`local_prefect_api`: its URL at once, :meth:`ready` to wait for it."""

    def __init__(self, server: subprocess.Popen, url: str, log: Path, seconds: float) -> None:
        self.server, self.url, self.log, self.seconds = server, url, log, seconds
        self.when_ready: contextlib.ExitStack = contextlib.ExitStack()  # closed once it answers (or not)

    def ready(self) -> str:
        """Block until the API answers; its URL. Raises SetupError (one line, naming the log) if not."""
        with self.when_ready:  # e.g. the lock of a first migration, held until the API answers
            _wait_healthy(self.server, self.url, self.log, self.seconds)
        return self.url


@contextlib.contextmanager
def local_prefect_api(settings: Settings, database_url: str | None = None) -> Iterator[LocalApi]:
    """Prefect's own ephemeral API app, started in a process of its own for the duration of the block,
    its URL exported (``PREFECT_API_URL``) to this process and to every process it starts (Dask workers).
    Call before Prefect is imported; call ``.ready()`` before the first flow run.

    Why not let Prefect start it: Prefect starts its ephemeral API on the first client call, and first
    imports the whole server in the calling process (about 6 s here) before it starts the same server
    in a subprocess (8-10 s), all in series after our own imports. Started here, the server comes up on
    the second core while this process imports the pipeline, and this process never imports the server:
    an unchanged ``smartcity run`` takes about 5 s less. And Dask workers reach one API, where with
    Prefect's ephemeral mode each would start a temporary API of its own and their task runs would be
    missing from the history. It is the same app Prefect runs (``create_app`` with the ephemeral
    services: task run recorder, event persister). It dies with this process (PR_SET_PDEATHSIG), even
    when this one is killed.

    ``database_url``: Prefect's database (asyncpg URL). The CLI passes the one of the local cluster,
    the database the server of ``smartcity up`` keeps its history in, so every run is in one history
    whichever API recorded it, and a first start migrates it in ~7 s where a fresh SQLite file takes
    ~13 s (2 cores). None: Prefect's SQLite file in PREFECT_HOME (a configured SMARTCITY_DATABASE_URL).
    """
    site = Path(importlib.util.find_spec("prefect").origin).parents[1]  # what Prefect passes, unimported
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    log = Path(os.environ["PREFECT_HOME"]).expanduser() / "api.log"
    command = [sys.executable, "-m", "uvicorn", "--app-dir", str(site), "--factory",
               "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
               "--log-level", "error", "--lifespan", "on"]  # fmt: skip
    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }
    if database_url is not None:
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database_url
    with open(log, "ab") as output:
        server = subprocess.Popen(
            command,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent(os.getpid()),  # noqa: PLW1509
        )
    os.environ["PREFECT_API_URL"] = url
    try:
        yield LocalApi(
            server, url, log, float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
        )
    finally:
        if server.poll() is None:
            _drain_prefect_workers()  # the logs and events still queued, while the server can take them
        os.environ.pop("PREFECT_API_URL", None)
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _drain_prefect_workers() -> None:
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):  # nothing was started, or the server is gone already
            worker.drain_all(timeout=10)


def _wait_healthy(server: subprocess.Popen, url: str, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            code = server.returncode
            raise SetupError(f"the local Prefect API exited at start (code {code}); see {log}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SetupError(f"the local Prefect API did not answer within {seconds:.0f} s; see {log}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent(parent: int):
    """A ``preexec_fn``: in the child, before exec, ask for SIGTERM when the parent dies (Linux), so no
    server outlives us; and end at once if the parent already died before the request was made."""

    def arrange() -> None:
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
        except OSError:
            return
        if os.getppid() != parent:  # the parent died between fork and prctl: nobody would signal us
            os.kill(os.getpid(), signal.SIGTERM)

    return arrange
