"""The pipeline as a real Prefect flow: `smartcity run` (ephemeral API) and `smartcity serve` (server)."""

from __future__ import annotations

import json
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import db_url
from tests.helpers import REPO, clean_env, run_cli

pytestmark = [pytest.mark.db, pytest.mark.e2e]


def test_smartcity_run_completes_a_real_prefect_flow_with_a_summary(tmp_path, pg_creds, engine):
    state = tmp_path / "state"
    env = clean_env(
        SMARTCITY_DATABASE_URL=db_url(pg_creds, engine.url.database, driver="postgresql"),
        SMARTCITY_STATE_DIR=str(state), SMARTCITY_LOG_FORMAT="json",
    )  # fmt: skip
    inbox = REPO / "geodata" / "demo" / "worksheets"
    result = run_cli("run", "--inbox", str(inbox), env=env, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    # structured logs: one JSON object per line, our fields beside Prefect's run ids
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    events = {}
    for record in records:
        events.setdefault(record.get("event"), []).append(record)
    ingested = events["worksheet_ingested"]
    assert sorted(r["file"] for r in ingested) == sorted(p.name for p in inbox.iterdir())
    assert all(r["task_run_id"] and r["flow_run_id"] and r["region"] == "64.01" for r in ingested)
    # the demo's planted mistakes: four rejected rows; an unreadable urgency (dinas_pendidikan) is a warning
    assert sum(r["loaded"] for r in ingested) == 196 and sum(r["rejected"] for r in ingested) == 4
    assert {r["worker"].split()[0] for r in ingested} == {"pid"}  # the default runner: in this process
    (scored,) = events["region_scored"]
    assert (scored["villages"], scored["issues"]) == (144, 196)
    (published,) = events["pages_published"]
    assert published["index"].endswith("index.html") and published["levelname"] == "INFO"
    assert "database ready: 127.0.0.1:" in result.stdout
    assert "reference geography: loaded 144 villages from paser_desa_kelurahan.geojson" in result.stdout
    assert "IKN boundary: loaded from ikn_approx.geojson" in result.stdout
    with engine.connect() as conn:
        counts = conn.execute(
            sa.text(
                "SELECT (SELECT count(*) FROM ref.village), (SELECT count(*) FROM ref.district), "
                "(SELECT count(*) FROM ref.ikn_zone), "
                "(SELECT count(*) FROM ref.village WHERE ikn_zone_id IS NULL)"
            )
        ).one()
    assert tuple(counts) == (144, 10, 4, 0)
    assert "8 files:" in result.stdout and "0 files failed" in result.stdout
    assert "priority scores: run " in result.stdout and "Top priority villages" in result.stdout
    index = Path(result.stdout.strip().splitlines()[-1].removeprefix("open: "))
    assert index.name == "index.html" and (index if index.is_absolute() else tmp_path / index).is_file()
    assert list((tmp_path / "output" / "site").glob("*/peta_prioritas.html"))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM intake.submission")).scalar() == 8
    # Prefect kept its state in the project's state folder; the run and its artifact are recorded.
    with sqlite3.connect(state / "prefect" / "prefect.db") as prefect_db:
        runs = prefect_db.execute(
            "SELECT fr.state_type FROM flow_run fr JOIN flow f ON f.id = fr.flow_id WHERE f.name = ?",
            ["smartcity-pipeline"],
        ).fetchall()
        artifacts = prefect_db.execute(
            "SELECT type, data FROM artifact WHERE key = 'pipeline-summary'"
        ).fetchall()
        tasks = prefect_db.execute(
            "SELECT count(*) FROM task_run WHERE state_type = 'COMPLETED' AND name LIKE 'ingest-%'"
        ).fetchone()[0]
    assert runs == [("COMPLETED",)]
    assert tasks == 8  # the API the CLI started recorded every task run (one per worksheet)
    assert len(artifacts) == 1 and artifacts[0][0] == "markdown"
    assert "PostGIS" in json.loads(artifacts[0][1])
    # the local API stopped with the run: its port no longer answers
    port = int(re.search(r"View at http://127\.0\.0\.1:(\d+)/", result.stdout + result.stderr).group(1))
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0


def children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def gone(pid: int) -> bool:
    """Exited (or a zombie nobody has reaped yet, as an orphan in a container may stay)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_the_local_prefect_api_dies_with_a_killed_run(tmp_path, pg_creds, engine):
    """kill -9 of `smartcity run` leaves no Prefect API process behind (it holds a port and memory)."""
    env = clean_env(
        SMARTCITY_DATABASE_URL=db_url(pg_creds, engine.url.database, driver="postgresql"),
        SMARTCITY_STATE_DIR=str(tmp_path / "state"),
    )
    command = [
        sys.executable,
        "-m",
        "smartcity",
        "run",
        "--inbox",
        str(REPO / "geodata" / "demo" / "worksheets"),
    ]
    run = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not (
            api := [c for c in children(run.pid) if "uvicorn" in Path(f"/proc/{c}/cmdline").read_text()]
        ):
            assert time.monotonic() < deadline and run.poll() is None, "no Prefect API process started"
            time.sleep(0.1)
        run.send_signal(signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 20
        while not gone(api[0]):
            assert time.monotonic() < deadline, "the Prefect API outlived its killed run"
            time.sleep(0.2)
    finally:
        run.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback test server
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


def post_json(url: str, body: dict) -> list | dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return json.load(response)


def test_smartcity_serve_registers_the_weekly_deployment_on_a_prefect_server(tmp_path):
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    server_env = clean_env(PREFECT_HOME=str(tmp_path / "server"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                           PREFECT_UI_ENABLED="false")  # fmt: skip
    prefect = str(__import__("pathlib").Path(sys.executable).parent / "prefect")
    server = subprocess.Popen(
        [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    serve = None
    try:
        wait_for(f"{api}/health", 120)
        env = clean_env(PREFECT_API_URL=api, SMARTCITY_STATE_DIR=str(tmp_path / "state"),
                        SMARTCITY_SCHEDULE_CRON="30 3 * * 2")  # fmt: skip
        serve = subprocess.Popen(
            [sys.executable, "-m", "smartcity", "serve"], env=env, cwd=tmp_path,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        deployments: list = []
        deadline = time.monotonic() + 120
        while not deployments and time.monotonic() < deadline and serve.poll() is None:
            time.sleep(1)
            deployments = post_json(f"{api}/deployments/filter", {})
        assert serve.poll() is None, serve.stdout.read()
        assert [d["name"] for d in deployments] == ["smartcity-scheduled"]
        schedules = [s["schedule"] for s in deployments[0]["schedules"]]
        assert schedules == [{"cron": "30 3 * * 2", "timezone": "Asia/Makassar", "day_or": True}]
        # prefect.yaml deploys the same flow to a work pool, as the README and the compose worker do it
        client = clean_env(PREFECT_API_URL=api, PREFECT_HOME=str(tmp_path / "client"))
        for command in (["work-pool", "create", "smartcity-pool", "--type", "process", "--overwrite"],
                        ["--no-prompt", "deploy", "--all"]):  # fmt: skip
            done = subprocess.run([prefect, *command], env=client, cwd=REPO, capture_output=True, text=True,
                                  timeout=180, check=False)  # fmt: skip
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        deployed = {d["name"]: d for d in post_json(f"{api}/deployments/filter", {})}
        weekly = deployed["smartcity-weekly"]
        assert (
            weekly["work_pool_name"] == "smartcity-pool"
            and weekly["entrypoint"] == "flows/pipeline.py:pipeline"
        )
        assert [s["schedule"]["cron"] for s in weekly["schedules"]] == ["0 2 * * 1"]
    finally:
        for proc in (serve, server):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
