"""Installs are locked: uv.lock agrees with pyproject.toml, and this environment holds exactly the
locked versions (what scripts/bootstrap.sh installs). Both checks run offline, with the venv's uv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def uv() -> str:
    beside = Path(sys.executable).with_name("uv")  # the venv's own uv (a locked dev dependency)
    found = str(beside) if beside.exists() else shutil.which("uv")
    assert found, "uv is missing: it is a dev dependency, installed by scripts/bootstrap.sh"
    return found


def run_uv(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(Path(sys.prefix))}
    return subprocess.run([uv(), *args, "--offline"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def test_the_lock_file_agrees_with_pyproject():
    done = run_uv("lock", "--check")
    assert done.returncode == 0, f"uv.lock is out of date: run `.venv/bin/uv lock`\n{done.stderr[-2000:]}"


def test_the_environment_holds_exactly_the_locked_versions():
    done = run_uv("sync", "--locked", "--check", "--extra", "dev", "--python", sys.executable)
    assert done.returncode == 0, f"the venv differs from uv.lock: run scripts/bootstrap.sh\n{done.stderr}"
