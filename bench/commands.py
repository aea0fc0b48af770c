"""Benchmark: how long the commands a data engineer types take, wall clock, as they type them.

Run: .venv/bin/python bench/commands.py [--baseline 027f2eb] [--repeat 3] [--dirty 1000000]

Each command is a ``smartcity`` process of its own from a fresh project folder (its own local cluster,
fast mode), timed from start to exit; the median of ``--repeat`` runs is printed. In order:

- a cold demo: ``smartcity run --inbox geodata/demo/worksheets`` on a new project folder (the cluster
  made, Paser's villages and the IKN boundary loaded, eight worksheets, scoring, publishing): what
  ``./run.sh demo`` costs after the installs;
- ``smartcity db url`` and ``smartcity status``;
- without the local Prefect server: a re-sent demo worksheet (``smartcity ingest``: a duplicate) and
  ``smartcity run`` on the unchanged inbox;
- ``smartcity up`` (the first start of the Prefect server), then with it up: the re-sent worksheet, a
  corrected worksheet (new content: read, placed, loaded, its feedback written, a flow run in the
  server), the unchanged run; then ``smartcity down``.

``--baseline REV``: the same commands run by the code of git revision REV (a temporary worktree, this
venv) as it was installed before this change: without bytecode (``PYTHONDONTWRITEBYTECODE=1`` and an
empty ``PYTHONPYCACHEPREFIX``, so every module is compiled from source at every start, as on a machine
where bootstrap installed no ``.pyc``). Commands the baseline does not have print ``-``.

``--dirty N``: also item 4 of issue 28, the dirty N-row CSV against ogr2ogr and against the clean file,
by ``bench/ingest.py --dirty N`` (with the same baseline), in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "geodata" / "demo" / "worksheets"
ROSTER = REPO / "geodata" / "demo" / "agency_roster.csv"
GOALS = {
    "cold demo (smartcity run, new project)": 20.0,
    "smartcity db url": 1.0,
    "smartcity status": 1.0,
    "re-sent worksheet, no server": 3.0,
    "unchanged run, no server": 3.0,
    "re-sent worksheet, server up": 2.0,
    "corrected worksheet, server up": 2.0,
    "unchanged run, server up": 3.0,
}


class Project:
    """A project folder, and how to run the CLI of one code tree in it."""

    def __init__(self, folder: Path, code: Path | None, without_bytecode: bool) -> None:
        self.folder, self.code = folder, code
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SMARTCITY_", "PREFECT_"))}
        env.update(SMARTCITY_LOCAL_PG_FAST="true", SMARTCITY_AGENCY_ROSTER=str(ROSTER))
        if code is not None:
            env["PYTHONPATH"] = str(code)
        if without_bytecode:
            env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=str(folder / "no-pycache"))
        self.env = env
        self.count = 0

    def run(self, *args: str, ok: tuple[int, ...] = (0,)) -> float:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "smartcity", *args], env=self.env, cwd=self.folder,
                              capture_output=True, text=True, check=False)  # fmt: skip
        seconds = time.perf_counter() - start
        if done.returncode not in ok:
            raise RuntimeError(
                f"smartcity {' '.join(args)} failed ({done.returncode}): {done.stderr[-1500:]}"
            )
        return seconds

    def corrected_worksheet(self) -> Path:
        """A demo worksheet as an agency sends it corrected: new content (a row's text changed)."""
        self.count += 1
        text = (DEMO / "dlh.csv").read_text(encoding="utf-8-sig")
        path = self.folder / "corrected" / f"dlh_{self.count}.csv"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text.rstrip("\n") + "\n" * (self.count + 1), encoding="utf-8")
        return path


def measure(project: Project, repeat: int, has_server: bool) -> dict[str, float | None]:
    figures: dict[str, float | None] = {}
    figures["cold demo (smartcity run, new project)"] = project.run("run", "--inbox", str(DEMO))
    median = lambda f: statistics.median(f() for _ in range(repeat))  # noqa: E731
    figures["smartcity db url"] = median(lambda: project.run("db", "url"))
    figures["smartcity status"] = median(lambda: project.run("status"))
    resent = str(DEMO / "dlh.csv")
    figures["re-sent worksheet, no server"] = median(lambda: project.run("ingest", resent))
    project.run("run", "--inbox", str(DEMO))  # the inbox unchanged since this run
    figures["unchanged run, no server"] = median(lambda: project.run("run", "--inbox", str(DEMO)))
    if not has_server:
        return figures
    figures["smartcity up (first start of the Prefect server)"] = project.run("up")
    try:
        figures["re-sent worksheet, server up"] = median(lambda: project.run("ingest", resent))
        figures["corrected worksheet, server up"] = median(
            lambda: project.run("ingest", str(project.corrected_worksheet()), "--replace")
        )
        project.run("run", "--inbox", str(DEMO))  # score once after the corrected files
        figures["unchanged run, server up"] = median(lambda: project.run("run", "--inbox", str(DEMO)))
    finally:
        figures["smartcity down"] = project.run("down")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="also time the code of this git revision, installed as before")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dirty", type=int, nargs="*", default=[])
    args = parser.parse_args()

    results: dict[str, dict[str, float | None]] = {}
    with tempfile.TemporaryDirectory(prefix="smartcity-bench-commands-") as tmp:
        variants = [("this checkout", None, False, True)]
        tree = None
        if args.baseline:
            tree = Path(tmp) / "baseline-code"
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), args.baseline],
                           check=True, capture_output=True)  # fmt: skip
            variants.append((f"baseline {args.baseline}", tree, True, False))
        try:
            for label, code, without_bytecode, has_server in variants:
                folder = Path(tmp) / label.replace(" ", "-")
                folder.mkdir()
                project = Project(folder, code, without_bytecode)
                print(f"timing {label} ...", flush=True)
                try:
                    results[label] = measure(project, args.repeat, has_server)
                finally:
                    subprocess.run([sys.executable, "-m", "smartcity", "down"], env=project.env, cwd=folder,
                                   capture_output=True, check=False)  # fmt: skip
        finally:
            if tree is not None:
                subprocess.run(
                    ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False
                )
    report(results, args.repeat)
    for n in args.dirty:
        argv = [sys.executable, str(REPO / "bench" / "ingest.py"), "--rows", "--xlsx-rows", "--dirty", str(n)]
        if args.baseline:
            argv += ["--baseline", args.baseline]
        print(f"\n== item 4: the dirty {n:,}-row CSV (bench/ingest.py --dirty {n})", flush=True)
        subprocess.run(argv, cwd=REPO, check=False)


def report(results: dict[str, dict[str, float | None]], repeat: int) -> None:
    labels = list(results)
    rows = list(dict.fromkeys(name for figures in results.values() for name in figures))
    print(
        f"\n== commands, wall clock in seconds (median of {repeat}; one process each, {os.cpu_count()} cores)"
    )
    print(f"  {'command':<48}" + "".join(f"{label:>22}" for label in labels) + f"{'goal':>8}")
    for name in rows:
        cells = []
        for label in labels:
            value = results[label].get(name)
            cells.append(f"{'-' if value is None else f'{value:.2f}':>22}")
        goal = GOALS.get(name)
        print(f"  {name:<48}" + "".join(cells) + f"{'' if goal is None else f'< {goal:g}':>8}")


if __name__ == "__main__":
    main()
