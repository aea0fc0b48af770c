"""The report's "try the weights" panel: what the page needs to re-score the villages in the browser.

Decisions:

* Nothing is re-computed from issues in the browser: the weights only multiply the **normalised** criteria
  that the run stored in each village's ``components`` (docs/scoring.md: score = 100 x sum(w x n)). A
  slider moves the share of a criterion (or of a dimension within the pressure); the script scales them
  exactly as :mod:`smartcity.scoring.model` and :mod:`smartcity.scoring.scores` do (criteria to sum 1,
  dimensions to sum 1, pressure x dimension share, criteria no area has data for left out, the rest
  scaled to sum 1), so ``smartcity score --config <the copied file>`` ranks the villages the same way.
* Classes follow the run's method (Fisher-Jenks, quantiles or equal interval) and count, computed by the
  script the way :mod:`smartcity.scoring.classes` does.
* The copied model file is the run's whole effective model with ``[criteria]`` and ``[dimensions]``
  replaced (``method = "direct"``): keys a data engineer leaves out would otherwise fall back to the
  defaults, which may differ from the run's model (``pressure.per``, ``ikn.method``, the classes).
* The data travel in ``data-*`` attributes (HTML-escaped by the template, read with ``JSON.parse``): no
  inline script, so the page keeps a Content-Security-Policy of ``script-src 'self'``. Village names are
  never in the data: the script moves the server-rendered (escaped) table rows and SVG paths by code.
* The small map is an SVG drawn here: village polygons in a local equirectangular projection, simplified
  as a coverage (neighbours stay glued), one ``<path>`` per village, coordinates to 0.1 px.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping
from importlib import resources

import numpy as np
import pandas as pd
import shapely

from maps.common.i18n import LABELS, class_label
from maps.common.style import CLASS_COLOURS, CLASS_TEXT_COLOURS, NO_DATA_COLOUR, class_colour
from smartcity.platform.vocabulary import DIMENSIONS
from smartcity.scoring.model import CRITERIA, default_toml

PRESSURE_CRITERIA = tuple(f"pressure_{d}" for d in DIMENSIONS)
#: the order of the criteria in ``components`` and in the scoring code (weights are summed in this order)
COMPONENT_ORDER = (*PRESSURE_CRITERIA, "ikn", "idm", "assets")
SVG_WIDTH = 640.0
SIMPLIFY_PX = 0.6  # simplification tolerance, in SVG pixels
SCRIPT_NAME = "report_weights.js"


def weights_script() -> bytes:
    """The panel's script as shipped (``maps/web/static/report/report_weights.js``), the report's only
    script: a local file, as the page's Content-Security-Policy (``script-src 'self'``) asks."""
    return resources.files("maps.web").joinpath("static", "report", SCRIPT_NAME).read_bytes()


def components_of(value: object) -> dict:
    """A village's ``components`` as a dict (stored as JSON text or a dict; anything else: empty)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return dict(value) if isinstance(value, Mapping) else {}


def run_model(run: Mapping) -> dict:
    """The run's effective model (``mart.scoring_run.config``), else the shipped default."""
    config = run.get("config")
    if isinstance(config, str):
        config = json.loads(config)
    return dict(config) if isinstance(config, Mapping) and config else tomllib.loads(default_toml())


def initial_weights(model: Mapping, run_weights: Mapping | None = None) -> dict[str, dict[str, float]]:
    """Slider start values (percent shares): criteria as the model weighs them, dimensions within the
    pressure (direct weights, or the AHP weights the run recorded)."""
    criteria = {c: float(model["criteria"].get(c, 0) or 0) for c in CRITERIA}
    total = sum(criteria.values()) or 1.0
    shares = {c: 100.0 * v / total for c, v in criteria.items()}
    dims = model["dimensions"]
    if dims.get("method") == "direct":
        raw = {d: float(dims["weights"].get(d, 0) or 0) for d in DIMENSIONS}
    else:  # AHP: the weights the run derived, as recorded in mart.scoring_run.weights
        recorded = (run_weights or {}).get("village") or {}
        raw = {d: float(recorded.get(f"pressure_{d}", 0) or 0) for d in DIMENSIONS}
    dim_total = sum(raw.values())
    dimensions = {
        d: (100.0 * v / dim_total if dim_total else 100.0 / len(DIMENSIONS)) for d, v in raw.items()
    }
    return {"criteria": shares, "dimensions": dimensions}


def toml_value(value: object) -> str:
    """One TOML value: string, boolean, number, list or inline table (the model uses nothing else)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "0.0"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def model_rest_toml(model: Mapping) -> str:
    """The model's sections other than ``[criteria]`` and ``[dimensions]``, as TOML text."""
    lines = []
    for section, table in model.items():
        if section in ("version", "criteria", "dimensions") or not isinstance(table, Mapping):
            continue  # the page writes these (dimensions as direct weights)
        lines.append(f"\n[{section}]")
        lines += [f"{key} = {toml_value(value)}" for key, value in table.items()]
    return "\n".join(lines).lstrip("\n") + "\n"


def panel_model(run: Mapping, villages: pd.DataFrame) -> dict:
    """The JSON the panel's script reads: criteria, start weights, class method, and per village its
    code and normalised criteria (no names: the page holds them, escaped)."""
    model = run_model(run)
    weights = run.get("weights")
    if isinstance(weights, str):
        weights = json.loads(weights)
    parts = [components_of(c) for c in villages.get("components", pd.Series(dtype=object))]
    present = [c for c in COMPONENT_ORDER if any(c in p for p in parts)]
    all_missing = {c: all(bool((p.get(c) or {}).get("missing")) for p in parts) for c in present}
    rows = []
    for code, part in zip(villages["code"], parts, strict=True):
        values = [float((part.get(c) or {}).get("normalised") or 0.0) for c in present]
        rows.append([str(code), values])
    classes = model.get("classes", {})
    return {
        "runId": str(run.get("run_id", "")),
        "criteria": present,
        "missing": [c for c in present if all_missing[c]],
        "start": initial_weights(model, weights),
        "classes": {"method": classes.get("method", "jenks"), "count": int(classes.get("count", 5))},
        "colours": [CLASS_COLOURS[n] for n in sorted(CLASS_COLOURS)] + [NO_DATA_COLOUR],
        "villages": rows,
        "tomlRest": model_rest_toml(model),
    }


def panel_json(payload: Mapping) -> str:
    """``payload`` as compact JSON for a ``data-*`` attribute (the template escapes it)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


# --- the small map -------------------------------------------------------------------------------------


def svg_paths(geometries: object, width: float = SVG_WIDTH) -> tuple[list[str], float]:
    """Path data (``d``) per village polygon in a local equirectangular projection scaled to ``width``
    pixels, simplified as a coverage; and the drawing's height."""
    geoms = np.asarray(geometries, dtype=object)
    if geoms.size == 0:
        return [], 0.0
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    lat0 = math.radians((miny + maxy) / 2.0)
    kx = math.cos(lat0)
    span = max((maxx - minx) * kx, maxy - miny, 1e-9)
    scale = width / span
    height = (maxy - miny) * scale

    def project(coords: np.ndarray) -> np.ndarray:
        out = np.empty_like(coords)
        out[:, 0] = (coords[:, 0] - minx) * kx * scale
        out[:, 1] = (maxy - coords[:, 1]) * scale
        return out

    projected = shapely.transform(geoms, project)
    try:
        simplified = shapely.coverage_simplify(projected, SIMPLIFY_PX)
    except (shapely.errors.GEOSException, ValueError):  # not a valid coverage: each on its own
        simplified = shapely.simplify(projected, SIMPLIFY_PX, preserve_topology=True)
    return [_path(g) for g in simplified], round(height, 1)


def _path(geometry: object) -> str:
    """SVG path data of a (multi)polygon: one closed subpath per ring."""
    if geometry is None or shapely.is_empty(geometry):
        return ""
    polygons = getattr(geometry, "geoms", [geometry])
    parts = []
    for polygon in polygons:
        if polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.round(np.asarray(ring.coords)[:-1], 1)
            if len(xy) < 3:
                continue
            points = " ".join(f"{x:g} {y:g}" for x, y in xy)
            parts.append(f"M{points}Z")
    return "".join(parts)


# --- what the report's template shows ------------------------------------------------------------------


def panel_context(run: Mapping, villages: pd.DataFrame, rows: list[dict], script: str, lang: str) -> dict:
    """The template's view of the panel: sliders, the data attribute, the re-rankable rows (the report's
    village rows, by rank) and the small map's paths."""
    labels = LABELS[lang]
    payload = panel_model(run, villages)
    start = payload["start"]
    has_data = {c: c in payload["criteria"] and c not in payload["missing"] for c in COMPONENT_ORDER}
    has_data["pressure"] = any(has_data[c] for c in PRESSURE_CRITERIA)
    sliders = [
        _slider("criterion", c, labels[f"w_{c}"], start["criteria"][c], not has_data[c], labels)
        for c in CRITERIA
    ] + [
        _slider(
            "dimension", d, labels[f"dim_{d}"], start["dimensions"][d], not has_data[f"pressure_{d}"], labels
        )
        for d in DIMENSIONS
    ]
    script_labels = {
        key: labels[key] for key in ("no_criterion", "no_dimension", "copied", "copy_by_hand", "toml_comment")
    }
    script_labels["classes"] = [class_label(n, lang) for n in range(1, 6)]
    script_labels["text_colours"] = [CLASS_TEXT_COLOURS[n] for n in range(1, 6)]
    fills = dict(zip(villages["code"], villages.get("class_no", pd.Series(dtype=float)), strict=False))
    names = dict(zip(villages["code"], villages.get("name", villages["code"]), strict=False))
    paths, height = [], 0.0
    if "geometry" in villages.columns and len(villages):
        ds, height = svg_paths(villages.geometry.to_numpy())
        paths = [
            {"code": str(code), "d": d, "fill": class_colour(fills.get(code)), "name": str(names.get(code))}
            for code, d in zip(villages["code"], ds, strict=True)
            if d
        ]
    return {
        "model": panel_json(payload),
        "labels": panel_json(script_labels),
        "script": script,
        "criteria_sliders": sliders[: len(CRITERIA)],
        "dimension_sliders": sliders[len(CRITERIA) :],
        "rows": rows,
        "svg": {"width": SVG_WIDTH, "height": height, "paths": paths},
    }


def _slider(kind: str, key: str, label: str, start: float, disabled: bool, labels: Mapping) -> dict:
    """One slider: ids, label, start value (as the script reads it back: full precision)."""
    return {
        "id": f"sc-w-{kind[0]}-{key}", "kind": kind, "key": key, "label": label, "start": repr(float(start)),
        "disabled": disabled, "note": labels["w_no_data"] if disabled else "",
    }  # fmt: skip
