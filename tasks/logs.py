"""Structured log lines from our tasks and flows.

Each line is a readable message (what Prefect's UI and the text console show) plus fields: ``event``
(what happened: worksheet_ingested, region_scored, ...), the counts and names that go with it, and
``worker`` (the Dask worker that ran the task, or the process). With SMARTCITY_LOG_FORMAT=json the
console prints one JSON object per line with these fields as keys, beside Prefect's own (flow_run_id,
task_run_id, task_run_name, levelname, ...), for log collectors (Loki, Elasticsearch, journald).
Messages stay in English; values from worksheets are passed as fields, never formatted into code.
"""

from __future__ import annotations

import logging
import os

from prefect import get_run_logger


def log_event(event: str, message: str, *args: object, level: int = logging.INFO, **fields: object) -> None:
    """Log ``message % args`` at ``level`` on the run logger, with ``event`` and ``fields`` attached.

    On a Dask worker the message also says which one (Prefect's UI shows only the message)."""
    where = worker()
    if where.startswith("dask "):
        message += f" (on Dask worker {where.removeprefix('dask ')})".replace("%", "%%")
    get_run_logger().log(level, message, *args, extra={"event": event, "worker": where, **fields})


def use_log_format(log_format: str) -> None:
    """Give Prefect's console handlers the JSON formatter when SMARTCITY_LOG_FORMAT=json.

    The CLI sets Prefect's own variable before Prefect is imported (smartcity.platform.prefect_env); a flow
    run that a work-pool worker starts has Prefect imported already, so the pipeline calls this first.
    """
    if log_format != "json":
        return
    from prefect.logging.formatters import JsonFormatter

    for handler in console_handlers():
        if not isinstance(handler.formatter, JsonFormatter):
            handler.setFormatter(JsonFormatter("default", None, "%"))


def console_handlers() -> list[logging.Handler]:
    """Prefect's console handlers, on whichever loggers its logging setup attached them to."""
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [
        logging.getLogger(),
        *(logging.getLogger(name) for name in list(logging.root.manager.loggerDict)),
    ]
    return [h for lg in loggers for h in getattr(lg, "handlers", []) if isinstance(h, PrefectConsoleHandler)]


def worker() -> str:
    """Where this task runs: 'dask tcp://host:port' inside a Dask worker, else 'pid N'."""
    try:
        from distributed import get_worker

        return f"dask {get_worker().address}"
    except (ImportError, ValueError):  # not in a Dask worker (ValueError: "No worker found")
        return f"pid {os.getpid()}"


class ProductErrorFilter(logging.Filter):
    """Drops the traceback Prefect attaches when a task or flow fails on an error the product classified
    itself (:class:`~smartcity.platform.errors.SmartCityError`: bad input, a setting, the database
    away): its message is the one line the person needs, and the CLI prints it once. Tracebacks of
    anything else (a bug) are kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        from smartcity.platform.errors import SmartCityError

        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, SmartCityError):
            record.exc_info, record.exc_text = None, None
        return True


PREFECT_RUN_LOGGERS = ("prefect.task_runs", "prefect.flow_runs", "prefect.flow_engine", "prefect.task_engine")


def quiet_product_errors() -> None:
    """Attach :class:`ProductErrorFilter` to Prefect's run loggers (idempotent; done on import)."""
    for name in PREFECT_RUN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ProductErrorFilter) for f in logger.filters):
            logger.addFilter(ProductErrorFilter())


quiet_product_errors()
