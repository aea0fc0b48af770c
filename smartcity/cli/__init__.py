"""``smartcity``: the command line. Every command is a few lines that call a flow or a core function.

One module per command group, each registering its commands on the one Typer ``app``
(:mod:`smartcity.cli.app`): ``database`` (``db up/down/status/url/migrate``), ``pipeline`` (``run``,
``status``, ``serve``), ``stack`` (``up``, ``down``: PostGIS and the Prefect server together),
``reference`` (``regions load/fetch``, ``ikn load``), ``intake`` (``ingest``, ``template``),
``scoring`` (``score``, ``publish``, ``masterplan``), ``features``. What they share is in
:mod:`smartcity.cli.common`: errors meant for the user (:class:`~smartcity.platform.errors.SmartCityError`,
a bad setting, the database gone) print as one line on stderr and exit non-zero, never as a traceback;
:func:`~smartcity.cli.common.prefect_api` is the one way a command gets a Prefect API.

Heavy imports (Prefect, GeoPandas, the flows, the map builders) happen inside the commands that need
them, so ``smartcity db url`` answers fast.

May import: every room of :mod:`smartcity`, and ``flows`` and ``maps`` inside commands.
"""

from smartcity.cli import database, features, intake, pipeline, reference, scoring, stack  # noqa: F401 - registers
from smartcity.cli.app import app

__all__ = ["app"]
