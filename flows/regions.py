"""Flows: reference geography from a file, or downloaded for any regency by its code."""

from __future__ import annotations

from prefect import flow

from tasks.database import ensure_database
from tasks.regions import download_villages, load_reference_file


@flow(name="load-regions", log_prints=True)
def load_regions(path: str, options: dict) -> dict:
    """Load a district or village boundary file into ref (see smartcity.reference.load.LoadOptions)."""
    ensure_database()
    return load_reference_file(path, options)


@flow(name="fetch-regions", log_prints=True)
def fetch_regions(code: str, base_url: str, options: dict) -> dict:
    """Download the public village boundaries of regency ``code`` and load them."""
    ensure_database()
    path = download_villages(code, base_url)
    return load_reference_file(path, {**options, "level": "village", "regions": [code]})
