"""Make ``geodata/ikn_approx.geojson``, the approximate IKN boundary, from ``geodata/sources/ikn_facts.csv``.

    python geodata/make_ikn_approx.py [--facts CSV] [--output GEOJSON]

The facts are the four extreme points and the land area of UU No. 21/2023 Pasal 6. The shape is
drawn by :func:`smartcity.reference.ikn.approximate_boundary` in UTM 50S: four quarter-superellipse arcs join
N -> E -> S -> W -> N, each inside the box of its two extreme points, with one exponent p found by
bisection so that the enclosed area is the legal land area. With today's facts p is about 0.90
(arcs bowed slightly inward), because the straight quadrilateral of the extreme points already
encloses about 2,855 km2, more than the 2,526.6 km2 of land. The file is written with the json module, with
coordinates rounded to 6 decimals (about 0.1 m), so a re-run gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import shapely
from shapely.geometry import mapping

from smartcity.reference.ikn import (
    APPROXIMATE_SOURCE,
    approximate_boundary,
    read_ikn_facts,
    superellipse_exponent,
)

HERE = Path(__file__).resolve().parent
FACTS = HERE / "sources" / "ikn_facts.csv"
OUTPUT = HERE / "ikn_approx.geojson"
NAME = "Ibu Kota Nusantara (approximate)"
DECIMALS = 6


def _rounded(coords):
    """Nested coordinate lists with every number rounded to DECIMALS."""
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], float | int):
        return [round(float(c), DECIMALS) for c in coords]
    return [_rounded(c) for c in coords]


def make_geojson(facts_csv: Path = FACTS, output: Path = OUTPUT) -> Path:
    """Build the approximate boundary and write it as a one-feature GeoJSON FeatureCollection."""
    geometry = mapping(approximate_boundary(read_ikn_facts(facts_csv)))
    geometry = {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}
    if not shapely.from_geojson(json.dumps(geometry)).is_valid:
        raise RuntimeError("rounding the coordinates made the boundary invalid")
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": NAME, "source": APPROXIMATE_SOURCE},
                "geometry": geometry,
            }
        ],
    }
    output.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=Path, default=FACTS, help="facts CSV (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="GeoJSON to write (default: %(default)s)")
    args = parser.parse_args()
    path = make_geojson(args.facts, args.output)
    facts = read_ikn_facts(args.facts)
    print(
        f"wrote {path} ({path.stat().st_size:,} bytes): superellipse exponent "
        f"p={superellipse_exponent(facts):.6f}, target land area {facts.land_area_km2:,.1f} km2"
    )


if __name__ == "__main__":
    main()
