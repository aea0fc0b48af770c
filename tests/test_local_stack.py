"""`smartcity up`, `status` and `down`: the local PostGIS and Prefect server, as a data engineer runs them.

Every step is the real command in a subprocess from a fresh project folder: the server is the one
`smartcity up` starts (Prefect's own, its history in the local cluster), a flow run goes through it,
Prefect's client and the UI in headless Chromium show that run with its task runs, and `smartcity down`
leaves no process of ours. The tests of this module run in order on one stack.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest

from smartcity.platform import local_cluster
from tests.browser import open_page, requested_urls
from tests.conftest import make_settings
from tests.helpers import REPO, clean_env, run_cli

pytestmark = [pytest.mark.db, pytest.mark.e2e]

WORKSHEET = REPO / "geodata" / "demo" / "worksheets" / "dlh.csv"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """A project folder (the state in its .smartcity/), a one-worksheet inbox; stopped at the end
    whatever the tests did."""
    folder = tmp_path_factory.mktemp("project")
    inbox = folder / "inbox"
    inbox.mkdir()
    (inbox / WORKSHEET.name).write_bytes(WORKSHEET.read_bytes())
    env = clean_env(SMARTCITY_LOCAL_PG_FAST="true")
    yield folder, inbox, env
    run_cli("down", env=env, cwd=folder)
    local_cluster.destroy(make_settings(state_dir=folder / ".smartcity"))


def record(folder: Path) -> dict:
    return json.loads((folder / ".smartcity" / "prefect" / "server.json").read_text())


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def our_processes(folder: Path, pgid: int) -> list[str]:
    """Processes of this project's stack still alive: the server's process group, and any process
    whose command line or working folder is in the project folder (postgres, a leftover worker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            args = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(entry / "cwd") if fields[0] != "Z" else ""
        except OSError:
            continue
        if fields[0] == "Z":
            continue
        if int(fields[2]) == pgid or str(folder) in args or cwd.startswith(str(folder)):
            found.append(f"{entry.name}: {args[:200]}")
    return found


def test_up_killed_while_the_server_starts_is_never_left_orphaned(stack):
    folder, _, env = stack
    up = subprocess.Popen([sys.executable, "-m", "smartcity", "up"], env=env, cwd=folder,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    server_json = folder / ".smartcity" / "prefect" / "server.json"
    deadline = time.monotonic() + 180
    while not server_json.exists():
        assert up.poll() is None, up.stdout.read().decode()
        assert time.monotonic() < deadline, "smartcity up never started the Prefect server"
        time.sleep(0.05)
    up.send_signal(signal.SIGKILL)
    up.wait()
    first = record(folder)["pid"]

    again = run_cli("up", env=env, cwd=folder)
    assert again.returncode == 0, again.stdout + again.stderr
    assert record(folder)["pid"] == first  # the server the killed `up` started, waited for, not a second one
    lines = again.stdout.splitlines()
    assert lines[0].startswith("PostGIS: 127.0.0.1:")
    ui = next(line for line in lines if line.startswith("Prefect UI: "))
    assert ui.startswith(f"Prefect UI: http://127.0.0.1:{record(folder)['port']}")
    assert "its own database in the local cluster" in ui


def test_status_shows_both_and_prefect_keeps_its_history_in_its_own_database(stack):
    folder, _, env = stack
    shown = run_cli("status", env=env, cwd=folder)
    assert shown.returncode == 0, shown.stderr
    first, second = shown.stdout.splitlines()[:2]
    assert first.startswith("PostGIS: local cluster running, 127.0.0.1:")
    server = record(folder)
    assert second == f"Prefect server: running, UI http://127.0.0.1:{server['port']} (pid {server['pid']})"

    creds = local_cluster.read_credentials(folder / ".smartcity" / "pg")
    with psycopg.connect(creds.prefect_url().replace("+asyncpg", ""), connect_timeout=10) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename IN ('flow_run', 'task_run', 'log')"
        )
        assert tables.fetchone()[0] == 3  # Prefect migrated its own database in the local cluster
    # the application's role cannot read Prefect's history, nor the reader
    for url in (
        creds.url(database="smartcity_prefect"),
        creds.url(reader=True, database="smartcity_prefect"),
    ):
        with pytest.raises(psycopg.OperationalError, match="permission denied"):
            psycopg.connect(url, connect_timeout=10).close()


def prefect_view(api: str, home: Path) -> list[dict]:
    """What Prefect's own client reads from the server: flow runs with their task runs, logs, artifacts."""
    script = """
import json, sys
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (ArtifactFilter, FlowRunFilter, FlowRunFilterId, LogFilter,
    LogFilterFlowRunId)
out = []
with get_client(sync_client=True) as client:
    flows = {f.id: f.name for f in client.read_flows()}
    for run in client.read_flow_runs():
        only = FlowRunFilter(id=FlowRunFilterId(any_=[run.id]))
        out.append({
            "id": str(run.id), "flow": flows[run.flow_id], "name": run.name, "state": run.state.type.value,
            "task_names": sorted(t.name for t in client.read_task_runs(flow_run_filter=only)),
            "logs": len(client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id]))))
                    ,
            "artifacts": sorted(a.key or "" for a in client.read_artifacts(flow_run_filter=only)),
        })
print(json.dumps(out))
"""
    env = clean_env(PREFECT_API_URL=api, PREFECT_HOME=str(home))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_a_run_goes_through_the_server_and_is_seen_in_prefects_client_and_ui(stack):
    folder, inbox, env = stack
    ran = run_cli("run", "--inbox", str(inbox), env=env, cwd=folder, timeout=600)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]

    server = record(folder)
    runs = prefect_view(f"http://127.0.0.1:{server['port']}/api", folder / "client")
    pipeline = [r for r in runs if r["flow"] == "smartcity-pipeline"]
    assert len(pipeline) == 1, runs
    run = pipeline[0]
    assert run["state"] == "COMPLETED"
    for task in ("ensure-reference", "ensure-ikn", "ingest-", "score-region", "write-site", "run-log-finish"):
        assert any(name.startswith(task) for name in run["task_names"]), (task, run["task_names"])
    assert run["logs"] > 10
    assert any(key.startswith("intake-summary") for key in run["artifacts"]), run["artifacts"]

    url = f"http://127.0.0.1:{server['port']}"
    with open_page(f"{url}/runs/flow-run/{run['id']}") as driver:
        text = _wait_for_text(driver, [run["name"], "ensure-ikn"])
        assert run["name"] in text and "ensure-ikn" in text
        # the UI comes from the installed package: nothing but the local server was asked for
        foreign = [u for u in requested_urls(driver) if not u.startswith((url, "data:", "blob:", "about:"))]
        assert foreign == []
    with open_page(f"{url}/runs") as driver:
        assert run["name"] in _wait_for_text(driver, [run["name"]])


def _wait_for_text(driver, wanted: list[str], seconds: float = 60) -> str:
    """The page's visible text once every string of ``wanted`` is in it (the UI renders as data comes)."""
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        text = driver.execute_script("return document.body ? document.body.innerText : ''")
        if all(w in text for w in wanted):
            return text
        time.sleep(0.5)
    raise AssertionError(f"the Prefect UI never showed {wanted}; it showed: {text[:1500]}")


def running_flow_runs(url: str) -> list[dict]:
    body = json.dumps({"flow_runs": {"state": {"type": {"any_": ["RUNNING"]}}}}).encode()
    request = urllib.request.Request(f"{url}/api/flow_runs/filter", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
        return json.loads(answer.read())


def test_a_command_killed_with_sigkill_leaves_the_server_up_and_usable(stack):
    """A corrected worksheet in the inbox, so the run has work to do: killed while its flow run is
    running in the server, the server stays up and the next run completes."""
    folder, inbox, env = stack
    server = record(folder)
    url = f"http://127.0.0.1:{server['port']}"
    corrected = inbox / "dlh_perbaikan.csv"
    corrected.write_bytes(WORKSHEET.read_bytes() + b"\n")
    run = subprocess.Popen([sys.executable, "-m", "smartcity", "run", "--inbox", str(inbox)], env=env,
                           cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 180
    while not running_flow_runs(url):
        assert run.poll() is None, "the run ended before its flow run was seen running"
        assert time.monotonic() < deadline, "no flow run started in the server"
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)
    assert run.wait() == -signal.SIGKILL
    with urllib.request.urlopen(f"{url}/api/health", timeout=5) as answer:  # noqa: S310 - loopback
        assert answer.status == 200
    assert record(folder)["pid"] == server["pid"]
    again = run_cli("run", "--inbox", str(inbox), env=env, cwd=folder, timeout=600)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "open: " in again.stdout
    settled = run_cli("run", "--inbox", str(inbox), env=env, cwd=folder, timeout=600)
    assert "nothing to do: answered from the database, no flow run" in settled.stdout


def test_a_resent_worksheet_is_answered_without_a_flow_run(stack):
    folder, inbox, env = stack
    server = record(folder)
    before = len(prefect_view(f"http://127.0.0.1:{server['port']}/api", folder / "client"))
    again = run_cli("ingest", str(inbox / WORKSHEET.name), env=env, cwd=folder)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "every file was received before: nothing read again, no flow run" in again.stdout
    assert "1 duplicates (already loaded)" in again.stdout
    assert len(prefect_view(f"http://127.0.0.1:{server['port']}/api", folder / "client")) == before


def test_serve_registers_its_deployment_and_schedule_with_the_local_server(stack):
    folder, _, env = stack
    url = f"http://127.0.0.1:{record(folder)['port']}"
    serve = subprocess.Popen([sys.executable, "-m", "smartcity", "serve"], env=env, cwd=folder,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while True:
            assert serve.poll() is None, serve.stdout.read().decode(errors="replace")[-3000:]
            request = urllib.request.Request(f"{url}/api/deployments/filter", data=b"{}", method="POST",
                                             headers={"Content-Type": "application/json"})  # fmt: skip
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
                deployments = json.loads(answer.read())
            if deployments:
                break
            assert time.monotonic() < deadline, "smartcity serve registered no deployment"
            time.sleep(0.5)
        (deployment,) = deployments
        assert deployment["name"] == "smartcity-scheduled"
        (schedule,) = deployment["schedules"]
        assert schedule["schedule"]["cron"] == "0 2 * * 1"
        assert schedule["schedule"]["timezone"] == "Asia/Makassar"
        with open_page(f"{url}/deployments/deployment/{deployment['id']}") as driver:
            _wait_for_text(driver, ["smartcity-scheduled", "smartcity-pipeline"])
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()


def test_down_stops_both_and_leaves_no_process_of_ours(stack):
    folder, _, env = stack
    server = record(folder)
    down = run_cli("down", env=env, cwd=folder)
    assert down.returncode == 0, down.stderr
    assert down.stdout.splitlines() == ["Prefect server stopped", "local database stopped"]
    assert not alive(server["pid"])
    assert our_processes(folder, server["pid"]) == []
    shown = run_cli("status", env=env, cwd=folder)
    assert "Prefect server: stopped" in shown.stdout
    assert "PostGIS: local cluster stopped" in shown.stdout


def test_two_apis_starting_at_once_on_a_fresh_prefect_database_both_come_up(tmp_path):
    """`smartcity up` and a command's temporary API, started together on a Prefect database nobody
    migrated yet: one migrates while the other waits (without the lock, both ran Prefect's
    migrations and one died on the objects the other had made)."""
    env = clean_env(SMARTCITY_LOCAL_PG_FAST="true")
    try:
        assert run_cli("db", "up", env=env, cwd=tmp_path).returncode == 0
        started = [
            subprocess.Popen(
                [sys.executable, "-m", "smartcity", *args],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )  # fmt: skip
            for args in (["up"], ["ikn", "load"])
        ]
        outputs = [process.communicate(timeout=600)[0] for process in started]
        for process, output in zip(started, outputs, strict=True):
            assert process.returncode == 0, output[-3000:]
        assert "Prefect UI: http://127.0.0.1:" in outputs[0]
        assert "IKN" in outputs[1]
    finally:
        run_cli("down", env=env, cwd=tmp_path)
        local_cluster.destroy(make_settings(state_dir=tmp_path / ".smartcity"))
