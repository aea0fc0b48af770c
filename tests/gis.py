"""Real GIS clients for the tests: GDAL's command-line tools and QGIS (PyQGIS, run with Debian's Python
in a subprocess by ``tests/qgis_check.py``). Both come from Debian (``apt-get install gdal-bin
python3-qgis qgis-providers``; ``./run.sh test`` installs them); a test that needs them fails, never
skips, without them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEBIAN_PYTHON = "/usr/bin/python3"
INSTALL = (
    "apt-get install -y --no-install-recommends gdal-bin python3-qgis qgis-providers (./run.sh test does it)"
)


def gdal_tool(name: str) -> str:
    """Path of a GDAL command-line tool (``ogrinfo``, ``ogr2ogr``); fails the test when missing."""
    path = shutil.which(name)
    assert path, f"{name} is missing: {INSTALL}"
    return path


def ogr_layers(source: str) -> dict[str, tuple[str, int]]:
    """Layer name -> (geometry type, feature count) as ``ogrinfo -so -al`` reports them."""
    out = subprocess.run([gdal_tool("ogrinfo"), "-ro", "-so", "-al", source], capture_output=True, text=True,
                         check=True, timeout=120).stdout  # fmt: skip
    layers = {}
    for block in out.split("\nLayer name: ")[1:]:
        name = block.split("\n", 1)[0].strip()
        geometry = re.search(r"^Geometry: (.+)$", block, re.M)
        count = re.search(r"^Feature Count: (\d+)$", block, re.M)
        layers[name] = (geometry.group(1) if geometry else "None", int(count.group(1)) if count else -1)
    return layers


def qgis(*args: str, timeout: float = 300) -> object:
    """Run ``tests/qgis_check.py`` with PyQGIS and return its JSON answer."""
    probe = subprocess.run([DEBIAN_PYTHON, "-c", "import qgis.core"], capture_output=True)
    assert probe.returncode == 0, f"PyQGIS is missing for {DEBIAN_PYTHON}: {INSTALL}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([DEBIAN_PYTHON, str(HERE / "qgis_check.py"), *args], capture_output=True, text=True,
                          env=env, timeout=timeout)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
