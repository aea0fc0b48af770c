"""Prefect tasks: thin wrappers that add retries, caching and logging to core functions."""
