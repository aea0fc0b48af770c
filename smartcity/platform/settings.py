"""The one settings object: every knob of the product, read from ``SMARTCITY_*`` variables or ``.env``.

Each field below is documented in the README's configuration table; a test keeps the two (and
``docker-compose.yml``) naming the same variables.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "SMARTCITY_"


TaskRunnerKind = Literal["default", "dask"]
TASK_RUNNERS: tuple[str, ...] = get_args(TaskRunnerKind)


def task_runner_kind(value: str) -> TaskRunnerKind:
    """A task-runner kind as given on the command line or a flow parameter, checked (one line if not)."""
    from smartcity.platform.errors import InputError

    if value not in TASK_RUNNERS:
        raise InputError(f"task runner must be one of {', '.join(TASK_RUNNERS)}, not {value!r}")
    return value  # type: ignore[return-value]


class Settings(BaseSettings):
    """Runtime configuration. Paths are relative to the working directory unless absolute."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    database_url: SecretStr | None = Field(
        default=None,
        description=(
            "SQLAlchemy/libpq URL of an existing PostGIS database. Unset: a project-local PostgreSQL "
            "cluster is created and started under the state folder."
        ),
    )
    state_dir: Path = Field(
        default=Path(".smartcity"),
        description="Project-local state: the local PostgreSQL cluster, Prefect home, caches.",
    )
    data_dir: Path = Field(
        default=Path("data"),
        description="Where input files (inbox of worksheets, boundary files) are looked for.",
    )
    inbox_dir: Path = Field(
        default=Path("data/inbox"),
        description="Folder where agencies' worksheets arrive; `smartcity run` ingests what is new there.",
    )
    output_dir: Path = Field(
        default=Path("output"), description="Where maps, reports and feedback files are written."
    )
    site_url: str | None = Field(
        default=None,
        description="Web address where SMARTCITY_OUTPUT_DIR/site is served (https://host/site), for the "
        "links of the run summary; unset: links are file:// paths.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="Console log of flows and tasks: text (Prefect's lines) or json (one JSON object per "
        "line, with our fields: event, file, region, counts; for Loki, Elasticsearch, journald).",
    )
    region_code: str = Field(
        default="64.01",
        description="Kemendagri code of the regency/city the pipeline serves (64.01 = Kabupaten Paser).",
    )
    regions: list[str] = Field(
        default=[],
        description="Regencies that `smartcity run` and the served pipeline run in one parent run (JSON "
        'list, e.g. ["64.01", "64.09"]); empty: SMARTCITY_REGION_CODE alone.',
    )
    task_runner: TaskRunnerKind = Field(
        default="default",
        description="How the pipeline runs its per-file and per-region tasks: default (one at a time, in "
        "the flow's process) or dask (in parallel on a Dask cluster, prefect-dask).",
    )
    dask_address: str | None = Field(
        default=None,
        description="Scheduler of an existing Dask cluster (tcp://host:8786) for the dask task runner. "
        "Unset: a local cluster of SMARTCITY_DASK_WORKERS processes for the run.",
    )
    dask_workers: int = Field(
        default=2, ge=1, description="Worker processes of the local Dask cluster (one thread each)."
    )
    metric_crs: str = Field(
        default="EPSG:32750",
        description="Projected CRS (metres) for areas, distances and buffers (UTM zone 50S for Paser).",
    )
    local_pg_port: int | None = Field(
        default=None,
        description=(
            "TCP port of the local cluster on 127.0.0.1. Unset: the first free port from 55432 is "
            "chosen when the cluster is created and kept from then on."
        ),
    )
    pg_bindir: Path | None = Field(
        default=None,
        description=(
            "Folder with the PostgreSQL server programs (initdb, pg_ctl) for the local cluster. "
            "Unset: found with pg_config or under /usr/lib/postgresql/*/bin."
        ),
    )
    local_pg_fast: bool = Field(
        default=False,
        description="Throwaway local cluster: fsync off and a larger WAL (tests and benchmarks only).",
    )
    connect_timeout: int = Field(
        default=10, description="Seconds to wait for the database to answer before giving up."
    )
    scoring_config: str | None = Field(
        default=None,
        description="Scoring model (TOML) merged over the shipped default by `smartcity run`; "
        "`smartcity score --config` overrides it.",
    )
    map_simplify_m: float = Field(
        default=25.0, ge=0, description="Tolerance in metres for simplifying village shapes on the maps."
    )
    map_popup_text_limit: int = Field(
        default=20_000,
        ge=0,
        description="Up to this many issues the map's popups carry the description; above, not.",
    )
    run_lock: Literal["wait", "fail"] = Field(
        default="wait",
        description="When a pipeline run finds another one of the same region running: wait for it, or fail.",
    )
    reader_database_url: SecretStr | None = Field(
        default=None,
        description="URL of the read-only role for `smartcity features` when SMARTCITY_DATABASE_URL is set "
        "(the local cluster's reader is used otherwise).",
    )
    features_port: int = Field(default=8081, ge=1, le=65535, description="Port of `smartcity features`.")
    intake_partition_rows: int = Field(
        default=50_000,
        ge=1,
        description="A worksheet with at least this many accepted rows gets a partition of core.issue of its "
        "own, loaded at bare-COPY speed; smaller ones share the default partition.",
    )
    schedule_cron: str = Field(
        default="0 2 * * 1",
        description="Cron schedule of the served pipeline deployment (default: Mondays 02:00).",
    )
    timezone: str = Field(default="Asia/Makassar", description="Timezone of the schedule (WITA).")
    boundaries_base_url: str = Field(
        default="https://raw.githubusercontent.com/cahyadsn/wilayah_boundaries/main",
        description="Where `smartcity regions fetch` downloads village boundaries (a mirror may be given).",
    )
    reference_source: Path | None = Field(
        default=None,
        description=(
            "Village boundary file the pipeline keeps loaded (reloaded when it changes). Unset: what is "
            "in the database stays; an empty database for 64.01 gets the shipped real villages of Paser "
            "(with IDM 2024)."
        ),
    )
    ikn_source: Path | None = Field(
        default=None,
        description="Official IKN boundary file for the pipeline. Unset: the shipped approximate boundary.",
    )
    ikn_rings_km: list[float] = Field(
        default=[25.0, 50.0, 100.0],
        description="Outer radii (km) of the IKN buffer zones; a last zone covers what lies beyond.",
    )

    @field_validator("region_code")
    @classmethod
    def _dotted_region_code(cls, value: str) -> str:
        from smartcity.reference.codes import normalise_code

        code = normalise_code(value)
        if code is None or code.count(".") != 1:
            raise ValueError(f"not a regency code like 64.01: {value!r}")
        return code

    @field_validator("regions")
    @classmethod
    def _dotted_regions(cls, values: list[str]) -> list[str]:
        return [cls._dotted_region_code(v) for v in values]

    @property
    def run_regions(self) -> list[str]:
        """The regions a pipeline run serves: SMARTCITY_REGIONS, else SMARTCITY_REGION_CODE alone."""
        return list(dict.fromkeys(self.regions)) or [self.region_code]

    @property
    def pg_dir(self) -> Path:
        """Folder of the local PostgreSQL cluster (data, socket, log, credentials)."""
        return self.state_dir / "pg"

    @property
    def prefect_home(self) -> Path:
        return self.state_dir / "prefect"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; call ``get_settings.cache_clear()`` after changing the environment."""
    return Settings()
