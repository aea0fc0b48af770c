"""MkDocs hook: the configuration table of docs/configuration.md, built from the settings themselves.

``mkdocs.yml`` loads this file (``hooks:``). The page holds the placeholder :data:`PLACEHOLDER`; at build
time it is replaced by one row per field of ``smartcity.platform.settings.Settings``: the environment
variable, its default and the field's description. ``tests/test_docs.py`` calls
:func:`configuration_table` to check that the table lists exactly every setting.
"""

from __future__ import annotations

import json
from pathlib import PurePath

PLACEHOLDER = "<!-- settings-table -->"


def _plain(value):
    """JSON-friendly form of a default: whole floats as integers (25.0 -> 25), paths as text."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, PurePath):
        return str(value)
    return value


def _default(field) -> str:
    value = _plain(field.get_default(call_default_factory=True))
    if value is None:
        return "unset"
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = json.dumps(value)
    else:
        text = str(value)
    return "`" + text.replace("|", "\\|") + "`"


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def configuration_table() -> str:
    """The Markdown table ``| `SMARTCITY_X` | default | meaning |`` of every setting, in field order."""
    from smartcity.platform.settings import ENV_PREFIX, Settings

    lines = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for name, field in Settings.model_fields.items():
        variable = ENV_PREFIX + name.upper()
        lines.append(f"| `{variable}` | {_default(field)} | {_cell(field.description)} |")
    return "\n".join(lines) + "\n"


def on_page_markdown(markdown: str, page, config, files) -> str:
    if PLACEHOLDER in markdown:
        return markdown.replace(PLACEHOLDER, configuration_table())
    return markdown
