"""Prefect defaults for this project, set before Prefect is first imported.

Prefect reads its settings when it is imported, so the CLI calls :func:`configure_prefect` first.
Values a user already exported (``PREFECT_API_URL`` for a real server, say) are left alone.
"""

from __future__ import annotations

import os
from pathlib import Path

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
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    # Prefect creates its home without parents, and then fails obscurely: make the whole path.
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
