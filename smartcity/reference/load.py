"""Load reference geography (districts, villages) into ``ref``: checked, derived, swapped atomically.

A recipe in four steps:
1. read the file into the canonical frame (:mod:`smartcity.reference.boundaries`) and keep the regions
   asked for;
2. repair geometries and look for problems (:mod:`smartcity.reference.geometry_checks`), join attributes;
3. derive what the file does not give: districts from villages when no official districts are loaded
   (or when asked), and the regency from its districts, always;
4. in ONE transaction: stage with COPY, replace the regions' rows, refresh aliases and IKN distances,
   record the load. Any failure rolls everything back: the previous reference stays as it was.

The same content loaded again (same fingerprint as the last load of that level and regions) changes
nothing and says so.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import geopandas as gpd
import pyproj
import shapely
import sqlalchemy as sa

from smartcity.platform import db
from smartcity.platform.errors import InputError
from smartcity.platform.paths import geodata_dir
from smartcity.platform.queries import query
from smartcity.platform.settings import Settings
from smartcity.reference.attributes import read_attributes
from smartcity.reference.boundaries import read_boundaries
from smartcity.reference.gazetteer import aliases_for
from smartcity.reference.geometry_checks import (
    dissolve,
    repair_polygons,
    share_inside_parent,
    sibling_overlaps,
)
from smartcity.reference.place_names import read_names, shipped_names

LOAD_LOCK_KEY = 7_460_102
DERIVED = "derived"


@dataclass
class LoadOptions:
    """How to read and check a boundary file; the defaults suit official Indonesian data."""

    level: str = "village"
    code_field: str | None = None
    name_field: str | None = None
    parent_field: str | None = None
    crs: str | None = None
    regions: list[str] | None = None  # regency codes to keep; None: every regency in the file
    attributes: Path | None = None
    names: Path | None = None  # CSV of district/regency names (code, name), over the shipped lists
    derive_districts: bool | None = None  # None: derive unless official districts are loaded
    overlap_tolerance_km2: float = 0.05
    outside_share: float = 0.5  # a village with less of its area inside its district is reported


@dataclass
class LoadReport:
    """What a load did, for the terminal, the Prefect artifact and ``ref.boundary_load.report``."""

    source: str
    level: str
    regencies: list[str]
    features: int = 0
    districts: int = 0
    districts_derived: bool = False
    regencies_loaded: int = 0
    repaired: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    aliases: int = 0
    ikn_distances: bool = False
    unchanged: bool = False
    sha256: str = ""
    seconds: float = 0.0
    attributes: str | None = None  # the attributes file joined (its name), for provenance

    def summary(self) -> str:
        """One line a person reads first."""
        noun = "villages" if self.level == "village" else "districts"
        where = ", ".join(self.regencies[:5])
        if len(self.regencies) > 5:
            where += f" and {len(self.regencies) - 5} more regencies"
        if self.unchanged:
            return (
                f"{self.source}: unchanged since the last load ({self.features} {noun} of {where}); "
                "nothing done"
            )
        derived = f", {self.districts} districts derived" if self.districts_derived else ""
        return (
            f"{self.source}: {self.features} {noun} of {where} loaded{derived}; "
            f"{len(self.repaired)} geometries repaired, {len(self.dropped)} dropped (empty), "
            f"{len(self.warnings)} warnings ({self.seconds:.1f} s)"
        )

    def lines(self) -> list[str]:
        """The summary, then every warning and what was repaired or dropped."""
        out = [self.summary()]
        if self.repaired:
            out.append("repaired: " + ", ".join(self.repaired))
        if self.dropped:
            out.append("dropped (no polygonal geometry): " + ", ".join(self.dropped))
        if self.merged:
            out.append("merged multi-part features: " + ", ".join(self.merged))
        out += [f"warning: {w}" for w in self.warnings]
        if not self.ikn_distances and not self.unchanged:
            out.append("note: no IKN boundary loaded yet, so no distances to IKN (smartcity ikn load)")
        return out


def load_reference(
    engine: sa.Engine, path: Path, settings: Settings, options: LoadOptions, flow_run_id: str | None = None
) -> LoadReport:
    """Read, check and load one boundary file; see the module docstring for the steps."""
    started = time.perf_counter()
    path = Path(path)
    # 1. read and keep the regions asked for
    read = read_boundaries(
        path, options.level, code_field=options.code_field, name_field=options.name_field,
        parent_field=options.parent_field, crs=options.crs,
    )  # fmt: skip
    frame = _keep_regions(read.frame, options.regions, path.name)
    regencies = sorted(frame["regency_code"].unique())
    report = LoadReport(source=path.name, level=options.level, regencies=regencies, merged=read.merged)
    report.attributes = Path(options.attributes).name if options.attributes else None
    report.warnings += read.warnings
    # 2. repair and check
    frame, repair = repair_polygons(frame)
    report.repaired, report.dropped = repair.repaired, repair.dropped
    if report.dropped:
        report.warnings.append(f"{len(report.dropped)} feature(s) dropped: no polygonal geometry")
    frame = _join_attributes(frame, options.attributes, report)
    report.features = len(frame)
    fingerprint = _fingerprint(frame, options)
    report.sha256 = fingerprint
    srid = metric_srid(settings.metric_crs)
    if _last_fingerprint(engine, options.level, regencies) == fingerprint:  # same content: nothing to do
        report.unchanged = True
        report.seconds = time.perf_counter() - started
        return report
    metric = frame.to_crs(settings.metric_crs)
    frame["area_km2"] = metric.area.to_numpy() / 1e6
    for a, b, km2 in sibling_overlaps(metric, "parent_code", options.overlap_tolerance_km2):
        report.warnings.append(f"{a} and {b} overlap by {km2} km²")

    with engine.begin() as conn:
        conn.execute(query("ref_load", "lock"), {"key": LOAD_LOCK_KEY})
        if _last_fingerprint(conn, options.level, regencies) == fingerprint:  # a concurrent load won
            report.unchanged = True
            report.seconds = time.perf_counter() - started
            return report
        names = _known_names(conn, regencies, frame, options.names)
        # 3. derive what the file does not give
        if options.level == "village":
            districts = _districts_for_villages(conn, frame, names, options, report, settings)
        else:
            districts = frame.assign(source=path.name)
            _check_villages_inside(conn, districts, regencies, options, report, settings)
        regency_frame = dissolve(districts, "regency_code", names).assign(source=f"{DERIVED} from districts")
        _fill_missing_names(regency_frame, "regency", report)
        # 4. stage and swap, all in this transaction
        if options.level == "village":
            _stage(conn, "village", frame.assign(source=path.name))
            _replace(conn, "villages", regencies)
        if options.level == "district" or report.districts_derived:
            _stage(conn, "district", districts)
            _replace(conn, "districts", regencies)
        _stage(conn, "regency", regency_frame)
        _replace(conn, "regencies", regencies)
        report.districts = len(districts)
        report.regencies_loaded = len(regency_frame)
        report.aliases = _refresh_aliases(conn, regencies)
        report.ikn_distances = refresh_ikn_distances(conn, srid, regencies)
        report.seconds = time.perf_counter() - started
        conn.execute(
            query("ref_load", "record_load"),
            {
                "level": options.level, "regencies": regencies, "source": str(path), "sha256": fingerprint,
                "features": report.features, "repaired": len(report.repaired),
                "dropped": len(report.dropped), "warnings": report.warnings,
                "report": json.dumps(asdict(report), default=str), "flow_run_id": flow_run_id,
            },
        )  # fmt: skip
    return report


def _replace(conn: sa.Connection, table: str, regencies: list[str]) -> None:
    """Swap the staged rows in for the regions' rows (keeping attributes joined earlier)."""
    steps = {  # statements named literally, so tests/test_queries.py can check each one exists
        "villages": [query("ref_load", "stash_villages"), query("ref_load", "delete_villages"),
                     query("ref_load", "insert_villages")],
        "districts": [query("ref_load", "stash_districts"), query("ref_load", "delete_districts"),
                      query("ref_load", "insert_districts")],
        "regencies": [query("ref_load", "delete_regencies"), query("ref_load", "insert_regencies")],
    }  # fmt: skip
    for statement in steps[table]:
        conn.execute(statement, {"regencies": regencies})


def _last_fingerprint(connectable: sa.Engine | sa.Connection, level: str, regencies: list[str]) -> str | None:
    statement = query("ref_load", "last_fingerprint")
    params = {"level": level, "regencies": regencies}
    if isinstance(connectable, sa.Engine):
        with connectable.connect() as conn:
            return conn.execute(statement, params).scalar()
    return connectable.execute(statement, params).scalar()


def _keep_regions(frame: gpd.GeoDataFrame, regions: list[str] | None, source: str) -> gpd.GeoDataFrame:
    if not regions:
        return frame
    kept = frame[frame["regency_code"].isin(regions)]
    if kept.empty:
        found = ", ".join(sorted(frame["regency_code"].unique()))
        raise InputError(f"{source}: no areas of {', '.join(regions)} in the file (it has {found})")
    return kept.copy()


def _fingerprint(frame: gpd.GeoDataFrame, options: LoadOptions) -> str:
    """SHA-256 of what would be loaded: codes, names, kinds, geometry, attributes, and the options."""
    digest = hashlib.sha256()
    digest.update(json.dumps([options.level, options.derive_districts, options.regions]).encode())
    if options.names is not None:  # other names for the same areas are a change worth loading
        digest.update(Path(options.names).read_bytes())
    ordered = frame.sort_values("code")
    columns = [c for c in ("code", "name", "kind", "population", "idm_score", "idm_status") if c in ordered]
    digest.update(ordered[columns].astype(str).to_csv(index=False).encode())
    for wkb in shapely.to_wkb(ordered.geometry.values, output_dimension=2):
        digest.update(wkb)
    return digest.hexdigest()


def metric_srid(metric_crs: str) -> int:
    epsg = pyproj.CRS.from_user_input(metric_crs).to_epsg()
    if epsg is None:
        raise InputError(f"SMARTCITY_METRIC_CRS {metric_crs!r} has no EPSG code PostGIS knows")
    return epsg


def _join_attributes(frame: gpd.GeoDataFrame, path: Path | None, report: LoadReport) -> gpd.GeoDataFrame:
    if path is None:
        return frame
    table = read_attributes(path)
    unknown = sorted(set(table["code"]) - set(frame["code"]))
    matched = len(set(table["code"]) & set(frame["code"]))
    if unknown:
        report.warnings.append(
            f"{Path(path).name}: {len(unknown)} code(s) not among the loaded areas (e.g. {unknown[0]})"
        )
    if matched == 0:
        raise InputError(f"{Path(path).name}: none of its codes are among the loaded areas")
    joined = frame.merge(table.drop(columns=[c for c in ("area_km2",) if c in table]), on="code", how="left")
    if "area_km2" in table:  # an official area replaces the computed one where given
        official = frame[["code"]].merge(table[["code", "area_km2"]], on="code", how="left")["area_km2"]
        joined["area_km2"] = official.fillna(joined["area_km2"]).to_numpy()
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=frame.crs)


def _known_names(
    conn: sa.Connection, regencies: list[str], frame: gpd.GeoDataFrame, names_file: Path | None = None
) -> dict[str, str]:
    """Names for parents, weakest first: the database, the file's own parent fields, the shipped code
    lists and places tables, then ``names_file`` (see :mod:`smartcity.reference.place_names`)."""
    names = dict(conn.execute(query("ref_load", "known_names"), {"regencies": regencies}).all())
    for column, code_column in (("parent_name", "parent_code"), ("regency_name", "regency_code")):
        if column in frame:
            given = frame[[code_column, column]].dropna().drop_duplicates(code_column)
            names.update(
                {code: name for code, name in zip(given[code_column], given[column], strict=True) if name}
            )
    names.update(shipped_names())
    if names_file is not None:
        names.update(read_names(names_file))
    return names


def _fill_missing_names(frame: gpd.GeoDataFrame, level: str, report: LoadReport) -> None:
    missing = frame["name"].isna()
    if missing.any():
        label = {"district": "Kecamatan", "regency": "Kabupaten/Kota"}[level]
        frame.loc[missing, "name"] = [f"{label} {code}" for code in frame.loc[missing, "code"]]
        report.warnings.append(
            f"no name known for {int(missing.sum())} {level}(ies) "
            f"(e.g. {frame.loc[missing, 'code'].iloc[0]}): placeholder names used; "
            "give names with --names CSV (code, name), a file with names, or load official districts"
        )


def _districts_for_villages(conn, villages, names, options, report, settings) -> gpd.GeoDataFrame:
    """Official districts when loaded (and villages are checked against them), else dissolved villages."""
    existing = db.read_geoframe(conn, query("ref_load", "districts_of"), {"regencies": report.regencies})
    official = existing[~existing["source"].fillna("").str.startswith(DERIVED)] if len(existing) else existing
    derive = options.derive_districts if options.derive_districts is not None else official.empty
    if not derive:
        _warn_outside(villages, official, options, report, settings)
        return official.assign(regency_code=official["code"].str.slice(0, 5))
    report.districts_derived = True
    districts = dissolve(villages, "parent_code", names)
    districts["regency_code"] = districts["code"].str.slice(0, 5)
    districts["area_km2"] = districts.to_crs(settings.metric_crs).area.to_numpy() / 1e6
    if "population" in villages and villages["population"].notna().all():
        districts["population"] = (
            villages.groupby("parent_code")["population"].sum().reindex(districts["code"]).to_numpy()
        )
    districts["source"] = f"{DERIVED} from villages ({report.source})"
    _fill_missing_names(districts, "district", report)
    return districts


def _check_villages_inside(conn, districts, regencies, options, report, settings) -> None:
    villages = db.read_geoframe(conn, query("ref_load", "villages_of"), {"regencies": regencies})
    if len(villages):
        _warn_outside(
            villages.rename(columns={"district_code": "parent_code"}), districts, options, report, settings
        )


def _warn_outside(villages, districts, options, report, settings) -> None:
    share = share_inside_parent(villages.to_crs(settings.metric_crs), districts.to_crs(settings.metric_crs))
    for code, inside in zip(villages["code"], share, strict=True):
        if inside < options.outside_share:
            report.warnings.append(f"village {code} lies mostly outside its district ({inside:.0%} inside)")


_STAGE_COLUMNS = {
    "village": ["code", "name", "kind", "district_code", "area_km2", "population", "idm_score", "idm_status",
                "source", "geom"],
    "district": ["code", "name", "regency_code", "area_km2", "population", "source", "geom"],
    "regency": ["code", "name", "source", "geom"],
}  # fmt: skip


def _stage(conn: sa.Connection, level: str, frame: gpd.GeoDataFrame) -> None:
    """COPY the frame into a temporary ``stage_<level>`` table (dropped at commit)."""
    create = {"village": query("ref_load", "create_stage_village"),
              "district": query("ref_load", "create_stage_district"),
              "regency": query("ref_load", "create_stage_regency")}  # fmt: skip
    conn.execute(create[level])
    frame = frame.rename(columns={"parent_code": "district_code"}) if level == "village" else frame
    columns = _STAGE_COLUMNS[level]
    geoms = shapely.to_wkb(shapely.set_srid(frame.geometry.values, 4326), hex=True, include_srid=True)
    values = [db.column_values(frame, c) if c in frame else [None] * len(frame) for c in columns[:-1]]
    db.copy_rows(conn, f"stage_{level}", columns, zip(*values, geoms.tolist(), strict=True))


def _refresh_aliases(conn: sa.Connection, regencies: list[str]) -> int:
    """Rebuild ``ref.place_alias`` for these regencies from names and the shipped variant lists."""
    conn.execute(query("ref_load", "delete_aliases"), {"regencies": regencies})
    rows = conn.execute(query("ref_load", "names_of"), {"regencies": regencies}).all()
    extra: dict[tuple[str, str], list[str]] = {}
    for aliases_file in sorted((geodata_dir() / "sources").glob("*_aliases.csv")):
        with open(aliases_file, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                extra.setdefault((row["level"], row["code"]), []).append(row["alias"])
    aliases = [
        (alias, level, code)
        for level, code, name in rows
        for alias in sorted(aliases_for(name, extra.get((level, code), ())))
    ]
    conn.execute(query("ref_load", "create_stage_alias"))
    db.copy_rows(conn, "stage_alias", ["alias", "level", "code"], aliases)
    conn.execute(query("ref_load", "insert_aliases"))
    return len(aliases)


def refresh_ikn_distances(conn: sa.Connection, srid: int, regencies: list[str]) -> bool:
    """Distance to IKN (km) and zone of each district and village of ``regencies`` ([] = all)."""
    has_ikn = conn.execute(sa.text("SELECT EXISTS (SELECT 1 FROM ref.ikn_boundary)")).scalar()
    conn.execute(query("ref_load", "no_jit"))
    conn.execute(query("ref_load", "update_village_ikn"), {"srid": srid, "regencies": regencies})
    conn.execute(query("ref_load", "update_district_ikn"), {"srid": srid, "regencies": regencies})
    return bool(has_ikn)
