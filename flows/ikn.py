"""Flow: the IKN boundary and its buffer zones."""

from __future__ import annotations

from prefect import flow

from tasks.database import ensure_database
from tasks.reference import load_ikn_file


@flow(name="load-ikn", log_prints=True)
def load_ikn_flow(path: str | None = None) -> dict:
    """Load an official IKN boundary (or the shipped approximate one), its zones and area distances."""
    ensure_database()
    return load_ikn_file(path)
