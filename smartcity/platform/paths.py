"""Where the project's own files are: ``sql/`` and ``geodata/`` beside the package in a checkout,
``smartcity/_data/`` inside an installed wheel (see ``pyproject.toml``)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # smartcity/ (this file is smartcity/platform/paths.py)


def _project_folder(name: str) -> Path:
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the project folder {name}/ is missing next to {_PACKAGE}")


def sql_dir() -> Path:
    """Numbered migrations and published SQL."""
    return _project_folder("sql")


def geodata_dir() -> Path:
    """Demo region and IKN data shipped with the project."""
    return _project_folder("geodata")
