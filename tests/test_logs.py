"""Structured logs: our tasks' log records carry their event and fields, and SMARTCITY_LOG_FORMAT=json
turns Prefect's console lines into JSON objects with those fields, also in a process where Prefect was
imported before our settings were read (a work-pool worker's flow run)."""

from __future__ import annotations

import io
import json
import logging

import pytest
from prefect import flow, task
from prefect.logging.handlers import PrefectConsoleHandler

from tasks.logs import console_handlers, log_event, use_log_format, worker

pytestmark = pytest.mark.e2e


class Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@task
def ingest_something() -> None:
    log_event("worksheet_ingested", "%s: %d rows", "dlh.csv", 24, file="dlh.csv", rows=24, loaded=22)


@flow
def small_flow() -> None:
    ingest_something()


def test_a_task_log_record_carries_its_event_fields_and_worker(prefect_harness):
    keep = Keep()
    logger = logging.getLogger("prefect.task_runs")
    logger.addHandler(keep)
    try:
        small_flow()
    finally:
        logger.removeHandler(keep)
    (record,) = [r for r in keep.records if getattr(r, "event", None) == "worksheet_ingested"]
    assert record.getMessage() == "dlh.csv: 24 rows"
    assert (record.file, record.rows, record.loaded) == ("dlh.csv", 24, 22)
    assert record.worker == worker() and record.worker.startswith("pid ")
    assert record.task_run_id and record.flow_run_id  # Prefect's own fields beside ours


def test_json_format_reaches_console_handlers_that_already_exist():
    stream = io.StringIO()
    handler = PrefectConsoleHandler(stream=stream)
    logger = logging.getLogger("smartcity.test.console")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    before = {h: h.formatter for h in console_handlers()}  # the session's own, restored after
    try:
        use_log_format("text")  # leaves them alone
        logger.info("plain", extra={"event": "x"})
        use_log_format("json")
        logger.info("file %s loaded", "dlh.csv", extra={"event": "worksheet_ingested", "loaded": 22})
    finally:
        logger.removeHandler(handler)
        for other, formatter in before.items():
            other.setFormatter(formatter)
    first, second = stream.getvalue().strip().splitlines()
    assert not first.startswith("{")
    record = json.loads(second)
    assert (record["event"], record["loaded"], record["levelname"]) == ("worksheet_ingested", 22, "INFO")
    assert record["msg"] == "file %s loaded" and record["args"] == ["dlh.csv"]
