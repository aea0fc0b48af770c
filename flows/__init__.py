"""Prefect flows: they only sequence tasks; parameters in, summary out."""
