"""Make the APPROXIMATE demo village layer of Kabupaten Paser from ``sources/paser_places.csv``.

Each village gets the Voronoi cell of its centroid, clipped to a rough regency outline (the concave
hull of all village centroids, buffered). The cells tile the outline and each holds its own
centroid, which is all the demo needs; they are not village boundaries and must never be used as
such. The output is written with the json module, so the same input gives byte-identical output.

    python geodata/make_demo_region.py [--places CSV] [--output GEOJSON]
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import shapely
from pyproj import Transformer
from shapely.geometry import MultiPoint, MultiPolygon, Polygon, mapping
from shapely.geometry.polygon import orient

HERE = Path(__file__).resolve().parent
PLACES_CSV = HERE / "sources" / "paser_places.csv"
OUTPUT_GEOJSON = HERE / "demo" / "paser_villages_demo.geojson"

METRIC_CRS = "EPSG:32750"  # UTM 50S, metres
HULL_RATIO = 0.3  # shapely.concave_hull ratio: 0 = tightest, 1 = convex hull
OUTLINE_BUFFER_M = 8_000.0  # how far the outline reaches beyond the outermost centroids
OUTLINE_SIMPLIFY_M = 250.0  # tolerance for thinning the buffered outline
DECIMALS = 5  # about 1 m in WGS 84
VILLAGE_KINDS = ("desa", "kelurahan")


def read_villages(places_csv: Path = PLACES_CSV) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Village rows (sorted by code) and the regency's name by code, from the places table."""
    with open(places_csv, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    villages = sorted((r for r in rows if r["kind"] in VILLAGE_KINDS), key=lambda r: r["code"])
    regencies = {r["code"]: r["name"] for r in rows if r["kind"] == "kabupaten"}
    return villages, regencies


def regency_outline(points: MultiPoint) -> Polygon:
    """Rough regency outline in metres: buffered concave hull of the village centroids."""
    hull = shapely.concave_hull(points, ratio=HULL_RATIO)
    outline = hull.buffer(OUTLINE_BUFFER_M, quad_segs=4)
    return shapely.simplify(outline, OUTLINE_SIMPLIFY_M, preserve_topology=True)


def voronoi_cells(points: MultiPoint, outline: Polygon) -> list[Polygon | MultiPolygon]:
    """One cell per point, in the points' order, clipped to ``outline``."""
    # the diagram reaches past the outline; its cells come in no promised order
    cells = list(shapely.voronoi_polygons(points, extend_to=outline).geoms)
    # pair each point with the one cell that contains it, then clip that cell
    tree = shapely.STRtree(cells)
    clipped = []
    for point in points.geoms:
        hits = [cells[i] for i in tree.query(point, predicate="within")]
        if len(hits) != 1:
            raise ValueError(f"{len(hits)} Voronoi cells contain the point {point.wkt}; duplicate centroid?")
        clipped.append(shapely.intersection(hits[0], outline))
    return clipped


def _round_and_orient(geometry: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    """Round to DECIMALS, orient rings as RFC 7946 asks (exterior counter-clockwise), check validity."""
    rounded = shapely.transform(geometry, lambda xy: xy.round(DECIMALS))
    if isinstance(rounded, MultiPolygon):
        rounded = MultiPolygon([orient(part) for part in rounded.geoms])
    else:
        rounded = orient(rounded)
    if not rounded.is_valid:
        raise ValueError(f"rounding made an invalid geometry: {shapely.is_valid_reason(rounded)}")
    return rounded


def build_features(places_csv: Path = PLACES_CSV) -> list[dict]:
    """GeoJSON features of the demo village cells, sorted by village code."""
    villages, regencies = read_villages(places_csv)
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    to_wgs84 = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)

    # project the centroids, build the outline and the clipped cells in metres
    xs, ys = to_metric.transform([float(v["lon"]) for v in villages], [float(v["lat"]) for v in villages])
    points = MultiPoint(list(zip(xs, ys, strict=True)))
    cells = voronoi_cells(points, regency_outline(points))

    # back to WGS 84, rounded, with the village's codes and names
    features = []
    for village, cell in zip(villages, cells, strict=True):
        geometry = _round_and_orient(shapely.transform(cell, lambda xy: _reproject(to_wgs84, xy)))
        regency_code = village["code"][:5]
        properties = {
            "kode": village["code"],
            "nama": village["name"],
            "jenis": village["kind"],
            "kec_kode": village["district_code"],
            "kec_nama": village["district_name"],
            "kab_kode": regency_code,
            "kab_nama": regencies[regency_code],
        }
        features.append({"type": "Feature", "properties": properties, "geometry": mapping(geometry)})
    return features


def _reproject(transformer: Transformer, xy):
    """Apply ``transformer`` to an (N, 2) coordinate array, as shapely.transform expects."""
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    xy = xy.copy()
    xy[:, 0], xy[:, 1] = x, y
    return xy


def write_geojson(features: list[dict], output: Path) -> Path:
    """Write a FeatureCollection, one feature per line, byte-for-byte reproducibly."""
    output.parent.mkdir(parents=True, exist_ok=True)
    header = {
        "type": "FeatureCollection",
        "name": "paser_villages_demo",
        "description": "APPROXIMATE demo shapes (Voronoi cells of village centroids), not boundaries",
    }
    lines = [json.dumps(header, ensure_ascii=False)[:-1] + ', "features": [']
    for index, feature in enumerate(features):
        separator = "," if index < len(features) - 1 else ""
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + separator)
    lines.append("]}")
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return output


def make_demo_region(places_csv: Path = PLACES_CSV, output: Path = OUTPUT_GEOJSON) -> Path:
    """Build the demo village cells from ``places_csv`` and write them to ``output``."""
    return write_geojson(build_features(places_csv), output)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=Path, default=PLACES_CSV, help="places table (CSV)")
    parser.add_argument("--output", type=Path, default=OUTPUT_GEOJSON, help="GeoJSON to write")
    args = parser.parse_args(argv)
    path = make_demo_region(args.places, args.output)
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
