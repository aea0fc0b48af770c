"""The one settings object: every knob of the product, read from ``SMARTCITY_*`` variables or ``.env``.

Each field's description is the documentation: docs/configuration.md is generated from them when the
site is built (docs/hooks.py), and a test keeps ``docker-compose.yml`` naming the same variables.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from smartcity.platform.vocabulary import regency_code

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
    regions: Annotated[list[str], NoDecode] = Field(
        default=[],
        description="Regencies that `smartcity run` and the served pipeline run in one parent run (JSON "
        'list, e.g. ["64.01", "64.09"], or comma-separated: 64.01,64.09); empty: SMARTCITY_REGION_CODE '
        "alone.",
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
        ge=1,
        le=65535,
        description=(
            "TCP port of the local cluster on 127.0.0.1. Unset: the first free port from 55432 is "
            "chosen when the cluster is created and kept from then on."
        ),
    )
    prefect_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description=(
            "TCP port of the local Prefect server (`smartcity up`) on 127.0.0.1. Unset: 4200, Prefect's "
            "own, or the first free port after it; kept from then on."
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
        default=10, ge=1, le=3600, description="Seconds to wait for the database to answer before giving up."
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
    map_marker_limit: int = Field(
        default=100_000,
        ge=0,
        description="Up to this many issues the map shows one marker per issue (and a heat map of them); "
        "above, one marker per village (or district) with its count of issues, so that a million issues "
        "still make a page within its 25 MB budget.",
    )
    intake_max_file_mb: float = Field(
        default=500.0,
        gt=0,
        description="A worksheet file larger than this (MB) is refused (a failed submission, one line).",
    )
    intake_max_expanded_mb: float = Field(
        default=1000.0,
        gt=0,
        description="An .xlsx/.xlsm/.ods workbook is a zip archive: one whose contents would expand to more "
        "than this (MB), or more than 1000 times its size, is refused before it is opened.",
    )
    intake_max_rows: int = Field(
        default=1_048_576,
        ge=1,
        description="Most rows a worksheet may have (default: Excel's own limit); more is refused.",
    )
    intake_max_columns: int = Field(
        default=512, ge=1, description="Most columns a worksheet may have; more is refused."
    )
    intake_max_cell_chars: int = Field(
        default=32_767,
        ge=1,
        description="Most characters in one cell (default: Excel's own limit); a longer cell refuses the "
        "file.",
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
    features_statement_timeout_s: float = Field(
        default=5.0,
        gt=0,
        le=3600,
        description="Longest a database statement of `smartcity features` may run, in seconds; a request "
        "past it gets a generic error (the details go to the server's log).",
    )
    features_max_connections: int = Field(
        default=10,
        ge=1,
        le=1000,
        description="Most database connections `smartcity features` holds at once (its pool's size).",
    )
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
    timezone: str = Field(
        default="Asia/Makassar",
        description="The region's time zone, an IANA name (Asia/Makassar is WITA): the served schedule and "
        "the times printed in the master plan document.",
    )
    feedback_contact: str | None = Field(
        default=None,
        description="Who agencies send their corrected worksheet back to, as the feedback workbook says it "
        "(e.g. 'Bappedalitbang Kabupaten Paser, smartcity@paserkab.go.id'). Unset: the team that sent the "
        "feedback.",
    )
    feedback_deadline: str | None = Field(
        default=None,
        description="By when agencies send the corrected worksheet back, in words (e.g. '15 Januari 2027'). "
        "Unset: as soon as possible.",
    )
    paper: Literal["a4", "f4"] = Field(
        default="a4",
        description="Paper of the master plan document and its issue workbook: a4, or f4 (21.5 x 33 cm, "
        "common in Indonesian offices).",
    )
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
    ikn_rings_km: Annotated[list[float], NoDecode] = Field(
        default=[25.0, 50.0, 100.0],
        description="Outer radii (km) of the IKN buffer zones, increasing (JSON list or comma-separated: "
        "25,50,100); a last zone covers what lies beyond.",
    )
    agency_roster: Path | None = Field(
        default=None,
        description="CSV of the region's agencies (name, short_name, aliases): the report, the master plan "
        "document and `smartcity status --agencies` show who has submitted and who has not (`./run.sh "
        "demo` uses geodata/demo/agency_roster.csv). Unset: submissions are listed by agency as written.",
    )

    @field_validator("database_url", "reader_database_url", mode="before")
    @classmethod
    def _postgres_url(cls, value: object) -> object:
        if value is None:
            return None
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if not text.strip():
            raise ValueError(
                "is empty: unset it (the project-local database is used) or give a postgresql:// URL"
            )
        scheme = text.split("://", 1)[0].lower() if "://" in text else ""
        if scheme.split("+", 1)[0] not in ("postgres", "postgresql"):
            raise ValueError("must be a postgresql://user:password@host:port/database URL")
        return value

    @field_validator("state_dir", "data_dir", "inbox_dir", "output_dir", mode="before")
    @classmethod
    def _folder(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError("is empty: unset it for the default folder, or name a folder")
        return value

    @field_validator("pg_bindir", "reference_source", "ikn_source", "scoring_config", mode="before")
    @classmethod
    def _optional_path(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError("is empty: unset it, or name a file or folder")
        return value

    @field_validator("metric_crs")
    @classmethod
    def _projected_in_metres(cls, value: str) -> str:
        return check_metric_crs(value)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}: an IANA name such as Asia/Makassar") from None
        return value

    @field_validator("regions", mode="before")
    @classmethod
    def _region_list(cls, value: object) -> object:
        return _list_setting(value, "a list of regency codes like 64.01,64.09")

    @field_validator("ikn_rings_km", mode="before")
    @classmethod
    def _ring_list(cls, value: object) -> object:
        return _list_setting(value, "a list of radii in km like 25,50,100")

    @field_validator("ikn_rings_km")
    @classmethod
    def _increasing_rings(cls, values: list[float]) -> list[float]:
        if not values:
            raise ValueError("needs at least one radius in km")
        if not all(math.isfinite(v) and v > 0 for v in values):
            raise ValueError(f"radii must be positive numbers of km, not {values}")
        if any(b <= a for a, b in zip(values, values[1:], strict=False)):
            raise ValueError(f"radii must increase, not {values}")
        return values

    @field_validator("region_code")
    @classmethod
    def _dotted_region_code(cls, value: str) -> str:
        return regency_code(value)

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


def _list_setting(value: object, expected: str) -> object:
    """A list setting as given in the environment: a JSON list, or comma-separated values."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            raise ValueError(f"not a JSON list: {text[:60]!r} (expected {expected})") from None
        if not isinstance(parsed, list):
            raise ValueError(f"expected {expected}")
        return parsed
    return [part.strip() for part in text.split(",") if part.strip()]


def check_metric_crs(value: str) -> str:
    """``value`` if it names a projected CRS whose axes are in metres; ValueError (one line) if not."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        crs = CRS.from_user_input(value)
    except CRSError:
        raise ValueError(f"{value!r} is not a known CRS (e.g. EPSG:32750, UTM zone 50S)") from None
    units = {(axis.unit_name or "").lower() for axis in crs.axis_info}
    if not crs.is_projected or not units or not units <= {"metre", "meter"}:
        raise ValueError(
            f"{value} ({crs.name}) is not a projected CRS in metres: distances and areas need one, "
            "e.g. EPSG:32750 (UTM zone 50S)"
        )
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; call ``get_settings.cache_clear()`` after changing the environment."""
    return Settings()
