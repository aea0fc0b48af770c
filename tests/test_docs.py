"""The documentation site builds strictly, its generated pages are up to date, and the README stays short."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from smartcity.platform.settings import ENV_PREFIX, Settings
from tests.helpers import REPO

SETTING_NAMES = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
README_LIMIT = 8192  # bytes


def load_module(relative: str) -> ModuleType:
    """A module of the repository that is not in a package (docs/hooks.py, scripts/schema_doc.py)."""
    path = REPO / relative
    spec = importlib.util.spec_from_file_location(path.stem + "_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_site_builds_strictly_with_the_generated_pages(tmp_path):
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    for page in ("index.html", "schema/index.html", "configuration/index.html", "intake/index.html"):
        assert (site / page).is_file(), page
    configuration = (site / "configuration" / "index.html").read_text(encoding="utf-8")
    assert "settings-table" not in configuration, "the hook did not replace the placeholder"
    missing = sorted(name for name in SETTING_NAMES if name not in configuration)
    assert missing == [], f"settings missing from the built configuration page: {missing}"
    assert not (site / "hooks.py").exists()


def test_the_configuration_page_holds_the_placeholder_the_hook_fills():
    hooks = load_module("docs/hooks.py")
    page = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert page.count(hooks.PLACEHOLDER) == 1
    built = hooks.on_page_markdown(page, page=None, config=None, files=None)
    assert hooks.configuration_table() in built


def test_readme_is_short_and_keeps_the_two_commands():
    readme = (REPO / "README.md").read_bytes()
    assert len(readme) < README_LIMIT, f"README.md is {len(readme)} bytes; move detail into docs/"
    text = readme.decode("utf-8")
    assert "./run.sh demo" in text and "./run.sh test" in text
    assert ".venv/bin/mkdocs serve" in text


def test_every_relative_link_of_the_readme_points_to_a_file():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    relative = [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t) and not t.startswith("#")]
    assert any(t.startswith("docs/") for t in relative), "the README should link into docs/"
    broken = [t for t in relative if not (REPO / t.split("#", 1)[0]).exists()]
    assert broken == []


def test_the_site_covers_the_pages_of_the_navigation():
    nav_pages = set(re.findall(r":\s*([\w-]+\.md)\s*$", (REPO / "mkdocs.yml").read_text(), re.M))
    on_disk = {p.name for p in (REPO / "docs").glob("*.md")}
    assert nav_pages == on_disk


@pytest.mark.db
def test_the_schema_page_is_generated_from_the_migrated_database(engine):
    schema_doc = load_module("scripts/schema_doc.py")
    committed = Path(schema_doc.OUTPUT).read_text(encoding="utf-8")
    assert schema_doc.schema_markdown(engine) == committed, (
        "docs/schema.md differs from the database's descriptions: run .venv/bin/python scripts/schema_doc.py"
    )
