"""Prefect defaults for this project, set before Prefect is first imported.

Prefect reads its settings when it is imported, so the CLI calls :func:`configure_prefect` first.
Values a user already exported (``PREFECT_API_URL`` for a real server, say) are left alone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from smartcity.errors import SetupError
from smartcity.settings import Settings


def configure_prefect(settings: Settings) -> None:
    """Keep Prefect's state in the project, quiet its analytics, give the ephemeral API time to start."""
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
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    # Prefect creates its home without parents, and then fails obscurely: make the whole path.
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)


def api_configured() -> bool:
    """Whether a Prefect API (a server, or Prefect Cloud) is configured for this process."""
    return bool(os.environ.get("PREFECT_API_URL"))


@contextlib.contextmanager
def local_prefect_server(settings: Settings) -> Iterator[str]:
    """A Prefect server on loopback for the duration of the block, its API URL exported to this process
    and to every process it starts (the Dask workers).

    Why: the ephemeral API lives inside one process; Dask workers would each start their own (about
    30 s each) and their task runs would be lost from the run history. ``prefect server start`` uses
    the same PREFECT_HOME database as the ephemeral API, so the history stays in one place. The server
    dies with this process (PR_SET_PDEATHSIG), even when it is killed.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    log = Path(os.environ["PREFECT_HOME"]).expanduser() / "server.log"
    prefect = Path(sys.executable).with_name("prefect")
    command = [str(prefect) if prefect.exists() else "prefect", "server", "start", "--host", "127.0.0.1",
               "--port", str(port)]  # fmt: skip
    with open(log, "ab") as output:
        server = subprocess.Popen(
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,  # noqa: PLW1509
        )
    try:
        _wait_healthy(server, url, log, float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        _drain_prefect_workers()  # the logs and events still queued, while the server can take them
        os.environ.pop("PREFECT_API_URL", None)
        server.send_signal(signal.SIGINT)
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
            raise SetupError(f"the local Prefect server exited at start (code {code}); see {log}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.25)
    server.kill()
    raise SetupError(f"the local Prefect server did not answer within {seconds:.0f} s; see {log}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child, before exec: receive SIGTERM when the parent dies (Linux), so no server outlives us."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
    except OSError:
        pass
