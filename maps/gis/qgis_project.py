"""The run as a QGIS project: ``data/prioritas_<region>.qgz`` beside the GeoPackage it opens.

A ``.qgz`` is a zip holding one ``.qgs`` (QGIS 3.22's project XML), written here as text: no QGIS is
needed to publish it. It opens the GeoPackage by a **relative** path (``./prioritas_64_01.gpkg``, the
project saved with relative paths), so the run folder can be copied anywhere and opened offline.

- **Layers**, grouped in the layer tree, each with the report's style (the renderer and labels of the
  QML of :mod:`maps.gis.qgis_style`, the same texts the GeoPackage carries in ``layer_styles``):
  *Priorities* (district outlines, districts by class - hidden -, villages by class, labelled by name),
  *Per dimension* (the villages once per dimension, coloured by that dimension's class, hidden),
  *Issues* (all issues, and one layer per dimension filtered with a subset string, all hidden: at
  100,000 points they would cover the classes) and *IKN* (boundary and distance zones). Groups are in
  drawing order (points over outlines over fills), so no custom rendering order is needed.
- **CRS**: the canvas and the print map are in the project's metric CRS, handed in by the caller from
  ``SMARTCITY_METRIC_CRS`` (by default WGS 84 / UTM zone 50S, EPSG:32750: true shapes and a scale bar in
  km for Kalimantan Timur, 114-120 E); the layers stay EPSG:4326 (QGIS reprojects on the fly). The
  extent is the villages' bounds.
- **Print layout** ``A3``: A3 landscape with the map, a legend (the visible layers), a scale bar (km), a
  north arrow (QGIS's built-in SVG, a resource inside QGIS itself, not a file path), the title (region,
  run) and the run's sources (from ``SOURCES.json``, as :mod:`maps.common.provenance` words them).

Every text that reaches the XML is escaped (names and sources come from files); ``[%`` is broken up
in layout labels so QGIS never evaluates a source text as an expression.
"""

from __future__ import annotations

import functools
import math
import uuid
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyproj

from maps.common.i18n import t
from maps.common.provenance import KINDS, describe_source
from maps.common.style import DIMENSION_COLOURS, DISTRICT_EDGE_COLOUR
from maps.gis.layers import LAYERS
from maps.gis.qgis_style import QGIS_VERSION, LayerStyle, layer_styles, outline_qml
from smartcity.platform.files import atomic_write

#: the layers' CRS; the canvas and the print map are in the project's metric CRS, which the caller hands in
#: (``SMARTCITY_METRIC_CRS``: the writers here read no settings)
LAYER_CRS = "EPSG:4326"
#: what QGIS needs to recognise a CRS (it reads the authid first), as QGIS 3.22 writes these two; any
#: other CRS is described from PROJ (:func:`proj_fields`)
KNOWN_CRS = {
    "EPSG:4326": {
        "proj4": "+proj=longlat +datum=WGS84 +no_defs",
        "srsid": "3452",
        "srid": "4326",
        "description": "WGS 84",
        "projectionacronym": "longlat",
        "ellipsoidacronym": "EPSG:7030",
        "geographicflag": "true",
    },
    "EPSG:32750": {
        "proj4": "+proj=utm +zone=50 +south +datum=WGS84 +units=m +no_defs",
        "srsid": "3200",
        "srid": "32750",
        "description": "WGS 84 / UTM zone 50S",
        "projectionacronym": "utm",
        "ellipsoidacronym": "EPSG:7030",
        "geographicflag": "false",
    },
}
#: used when a run has no village geometry: Kalimantan Timur's south, in metres of FALLBACK_CRS
#: (transformed into another project CRS)
FALLBACK_CRS = "EPSG:32750"
FALLBACK_EXTENT = (300_000.0, 9_700_000.0, 700_000.0, 10_000_000.0)

#: A3 landscape, mm
PAGE = (420.0, 297.0)
MAP_BOX = (10.0, 24.0, 300.0, 238.0)  # x, y, width, height
NORTH_ARROW = ":/images/north_arrows/layout_default_north_arrow.svg"


@dataclass(frozen=True)
class ProjectLayer:
    """One layer of the project: its id, title, GeoPackage table, style, filter and visibility."""

    id: str
    title: str
    table: str
    style: LayerStyle
    visible: bool = True
    subset: str = ""
    legend: bool = False  # listed in the print layout's legend

    @property
    def point(self) -> bool:
        return self.table == "issue"


def project_layers(lang: str) -> dict[str, list[ProjectLayer]]:
    """The layer tree: group key -> its layers, top (drawn last, on top) first."""
    styles = {(s.table, s.name): s for s in layer_styles(lang)}
    district_lines = LayerStyle(
        "district_priority", "outline", outline_qml(DISTRICT_EDGE_COLOUR, 0.6), "", False, ""
    )
    issues = styles[("issue", "dimension")]
    return {
        "issues": [
            ProjectLayer("issue", t("gis_all_issues", lang), "issue", issues, visible=False),
            *[
                ProjectLayer(f"issue_{d}", t(d, lang), "issue", issues, False, f"\"dimension\" = '{d}'")
                for d in DIMENSION_COLOURS
            ],
        ],
        "ikn": [
            ProjectLayer(
                "ikn_boundary",
                t("ikn_boundary", lang),
                "ikn_boundary",
                styles[("ikn_boundary", "outline")],
                legend=True,
            ),
            ProjectLayer(
                "ikn_zone", t("ikn_zones", lang), "ikn_zone", styles[("ikn_zone", "outline")], legend=True
            ),
        ],
        "dimensions": [
            ProjectLayer(
                f"village_priority_{d}",
                t(d, lang),
                "village_priority",
                styles[("village_priority", f"priority_{d}")],
                visible=False,
            )
            for d in DIMENSION_COLOURS
        ],
        "priorities": [
            ProjectLayer(
                "district_lines",
                t("districts_layer", lang),
                "district_priority",
                district_lines,
                legend=True,
            ),
            ProjectLayer(
                "district_priority",
                t("districts", lang),
                "district_priority",
                styles[("district_priority", "priority")],
                visible=False,
            ),
            ProjectLayer(
                "village_priority",
                t("villages", lang),
                "village_priority",
                styles[("village_priority", "priority")],
                legend=True,
            ),
        ],
    }


# --- XML pieces ----------------------------------------------------------------------------------------


def proj_fields(crs: str) -> dict[str, str]:
    """A CRS described from PROJ the way QGIS's ``<spatialrefsys>`` describes it (without QGIS's internal
    ``srsid``, which only QGIS's own database knows)."""
    found = pyproj.CRS.from_user_input(crs)
    authority = found.to_authority()
    with warnings.catch_warnings():  # a PROJ string is only a fallback for QGIS, which reads the authid first
        warnings.simplefilter("ignore", UserWarning)
        proj4 = found.to_proj4().replace(" +type=crs", "")
    projection = dict(part.lstrip("+").partition("=")[::2] for part in proj4.split()).get("proj", "")
    ellipsoid = (found.ellipsoid.to_json_dict().get("id") if found.ellipsoid else None) or {}
    return {
        "proj4": proj4,
        "srsid": "",
        "srid": authority[1] if authority and authority[0] == "EPSG" else "",
        "authid": ":".join(authority) if authority else "",
        "description": found.name,
        "projectionacronym": projection,
        "ellipsoidacronym": f"{ellipsoid['authority']}:{ellipsoid['code']}" if ellipsoid else "",
        "geographicflag": "true" if found.is_geographic else "false",
    }


@functools.cache
def crs_fields(crs: str) -> dict[str, str]:
    """What QGIS needs to recognise ``crs`` (any form PROJ reads): QGIS's own words for the CRSs of
    KNOWN_CRS, PROJ's for any other."""
    fields = proj_fields(crs)
    known = KNOWN_CRS.get(fields["authid"])
    return {**known, "authid": fields["authid"]} if known else fields


def spatialrefsys(crs: str) -> str:
    """A CRS as QGIS writes it (``<spatialrefsys>``; QGIS 3.22 reads the authid first)."""
    fields = crs_fields(crs)
    order = ("proj4", "srsid", "srid", "authid", "description", "projectionacronym", "ellipsoidacronym",
             "geographicflag")  # fmt: skip
    return "<spatialrefsys>" + "".join(f"<{k}>{escape(fields[k])}</{k}>" for k in order) + "</spatialrefsys>"


def style_parts(qml: str) -> tuple[str, bool]:
    """The renderer and labeling XML inside a QML document, and whether its labels are on."""
    root = ET.fromstring(qml.split("\n", 1)[1] if qml.startswith("<!DOCTYPE") else qml)
    inner = "".join(ET.tostring(child, encoding="unicode") for child in root)
    return inner, root.get("labelsEnabled") == "1"


def datasource(gpkg_file: str, layer: ProjectLayer) -> str:
    """The OGR datasource of a layer: the GeoPackage by relative path, its table, its filter."""
    source = f"./{gpkg_file}|layername={layer.table}"
    return source + (f"|subset={layer.subset}" if layer.subset else "")


def maplayer_xml(layer: ProjectLayer, gpkg_file: str, description: str) -> str:
    """One ``<maplayer>`` of ``<projectlayers>``: source, CRS, provider, renderer and labels."""
    styling, labels = style_parts(layer.style.qml)
    geometry, wkb = ("Point", "Point") if layer.point else ("Polygon", "MultiPolygon")
    return (
        f'<maplayer type="vector" geometry="{geometry}" wkbType="{wkb}" labelsEnabled="{int(labels)}" '
        'styleCategories="AllStyleCategories" hasScaleBasedVisibilityFlag="0" minScale="100000000" '
        'maxScale="0" readOnly="0" autoRefreshEnabled="0" refreshOnNotifyEnabled="0" '
        'simplifyDrawingHints="1" simplifyLocal="1" simplifyAlgorithm="0" simplifyDrawingTol="1" '
        'simplifyMaxScale="1">'
        f"<id>{escape(layer.id)}</id>"
        f"<datasource>{escape(datasource(gpkg_file, layer))}</datasource>"
        f"<layername>{escape(layer.title)}</layername>"
        f"<srs>{spatialrefsys(LAYER_CRS)}</srs>"
        f"<resourceMetadata><type>dataset</type><abstract>{escape(description)}</abstract></resourceMetadata>"
        '<provider encoding="UTF-8">ogr</provider>'
        f"{styling}"
        "<blendMode>0</blendMode><featureBlendMode>0</featureBlendMode><layerOpacity>1</layerOpacity>"
        '<legend type="default-vector" showLabelLegend="0"/>'
        "</maplayer>"
    )


def _checked(on: bool) -> str:
    return '"Qt::Checked"' if on else '"Qt::Unchecked"'


def tree_layer_xml(layer: ProjectLayer, gpkg_file: str) -> str:
    """A ``<layer-tree-layer>`` pointing at a project layer (checked = visible)."""
    return (
        f"<layer-tree-layer id={quoteattr(layer.id)} name={quoteattr(layer.title)} "
        f'source={quoteattr(datasource(gpkg_file, layer))} providerKey="ogr" '
        f'checked={_checked(layer.visible)} expanded="{int(layer.visible)}" legend_exp="" '
        'patch_size="-1,-1" legend_split_behavior="0"><customproperties/></layer-tree-layer>'
    )


def layer_tree_xml(groups: dict[str, list[ProjectLayer]], gpkg_file: str, lang: str) -> str:
    """The project's layer tree: one group per key, expanded when one of its layers is visible."""
    body = "".join(
        f'<layer-tree-group name={quoteattr(t(f"gis_group_{key}", lang))} checked="Qt::Checked" '
        f'expanded="{int(any(layer.visible for layer in layers))}"><customproperties/>'
        + "".join(tree_layer_xml(layer, gpkg_file) for layer in layers)
        + "</layer-tree-group>"
        for key, layers in groups.items()
    )
    order = "".join(f"<item>{escape(layer.id)}</item>" for layers in groups.values() for layer in layers)
    return (
        f'<layer-tree-group><customproperties/>{body}<custom-order enabled="0">{order}</custom-order>'
        "</layer-tree-group>"
    )


def fitted_extent(bounds: tuple[float, float, float, float], width: float, height: float, pad: float = 0.03):
    """``bounds`` grown by ``pad`` on each side, then to the ``width``:``height`` ratio, centred."""
    xmin, ymin, xmax, ymax = bounds
    dx, dy = max(xmax - xmin, 1.0), max(ymax - ymin, 1.0)
    dx, dy = dx * (1 + 2 * pad), dy * (1 + 2 * pad)
    if dx / dy < width / height:
        dx = dy * width / height
    else:
        dy = dx * height / width
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return (cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2)


def fallback_extent(project_crs: str) -> tuple[float, float, float, float]:
    """FALLBACK_EXTENT in ``project_crs`` (unchanged in FALLBACK_CRS itself: PROJ's no-op)."""
    transformer = pyproj.Transformer.from_crs(FALLBACK_CRS, project_crs, always_xy=True)
    return tuple(float(v) for v in transformer.transform_bounds(*FALLBACK_EXTENT))


def village_bounds(villages, project_crs: str) -> tuple[float, float, float, float]:
    """The villages' bounds in the project CRS (metres); a fixed box for a run without geometry."""
    if villages is None or len(villages) == 0:
        return fallback_extent(project_crs)
    frame = villages if villages.crs is not None else villages.set_crs(LAYER_CRS)
    bounds = tuple(float(v) for v in frame.to_crs(project_crs).total_bounds)
    return bounds if all(math.isfinite(v) for v in bounds) else fallback_extent(project_crs)


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


# --- print layout --------------------------------------------------------------------------------------

ITEM_TYPES = {"page": 65638, "map": 65639, "picture": 65640, "label": 65641, "legend": 65642,
              "scalebar": 65646}  # fmt: skip


class Ids:
    """Stable item uuids (the same run writes the same file)."""

    def __init__(self, seed: str):
        self.seed = seed

    def __call__(self, name: str) -> str:
        return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"smartcity:{self.seed}:{name}")) + "}"


def _item(
    kind: str,
    uid: str,
    box: tuple[float, float, float, float],
    z: int,
    attrs: str = "",
    body: str = "",
    frame: bool = False,
    background: bool = False,
    name: str = "",
) -> str:
    x, y, w, h = box
    return (
        f'<LayoutItem type="{ITEM_TYPES[kind]}" uuid="{uid}" templateUuid="{uid}" id={quoteattr(name)} '
        f'position="{_num(x)},{_num(y)},mm" positionOnPage="{_num(x)},{_num(y)},mm" '
        f'size="{_num(w)},{_num(h)},mm" zValue="{z}" frame="{str(frame).lower()}" '
        f'background="{str(background).lower()}" visibility="1" opacity="1" referencePoint="0" '
        f'itemRotation="0" positionLock="false" blendMode="0" excludeFromExports="0" groupUuid="" '
        f'outlineWidthM="0.3,mm" frameJoinStyle="miter" {attrs}>'
        '<FrameColor red="60" green="60" blue="60" alpha="255"/>'
        '<BackgroundColor red="255" green="255" blue="255" alpha="255"/>'
        f"{body}</LayoutItem>"
    )


def _font(size: float, bold: bool = False) -> str:
    """A Qt font description (family, point size, ..., weight 75 bold / 50 normal)."""
    return f"Sans Serif,{_num(size)},-1,5,{75 if bold else 50},0,0,0,0,0"


def safe_label(text: str) -> str:
    """Label text QGIS shows as written: ``[%`` would start an expression."""
    return text.replace("[%", "[ %")


def label_item(
    ids: Ids, name: str, box, z: int, text: str, size: float, bold: bool = False, background: bool = False
) -> str:
    attrs = (
        f'labelText={quoteattr(safe_label(text))} htmlState="0" marginX="1" marginY="1" halign="1" '
        'valign="32"'
    )
    body = (
        f'<LabelFont description="{_font(size, bold)}" style=""/>'
        '<FontColor red="26" green="26" blue="26" alpha="255"/>'
    )
    return _item("label", ids(name), box, z, attrs, body, background=background, name=name)


def legend_item(ids: Ids, layers: list[ProjectLayer], gpkg_file: str, box, z: int, lang: str) -> str:
    """The legend: the layers marked for it, linked to the map (a fixed list, not the whole tree)."""
    styles = "".join(
        f'<style name="{name}" alignment="1" indent="0" marginTop="{top}"{extra}>'
        f'<styleFont description="{_font(size, bold)}" style=""/></style>'
        for name, size, bold, top, extra in (
            ("title", 12, True, 0, ' marginBottom="3"'),
            ("group", 10, True, 2, ""),
            ("subgroup", 9, False, 2, ""),
            ("symbol", 8, False, 1.5, ""),
            ("symbolLabel", 8, False, 1.5, ' marginLeft="2"'),
        )
    )
    tree = "".join(
        f"<layer-tree-layer id={quoteattr(layer.id)} name={quoteattr(layer.title)} "
        f'source={quoteattr(datasource(gpkg_file, layer))} providerKey="ogr" checked="Qt::Checked" '
        'expanded="1" legend_exp="" patch_size="-1,-1" legend_split_behavior="0"><customproperties/>'
        "</layer-tree-layer>"
        for layer in layers
    )
    attrs = (
        f'title={quoteattr(t("gis_legend", lang))} map_uuid="{ids("map")}" resizeToContents="1" '
        'symbolWidth="7" symbolHeight="4" boxSpace="2" columnSpace="2" columnCount="1" lineSpacing="1" '
        'wrapChar="" splitLayer="0" equalColumnWidth="0" titleAlignment="1" symbolAlignment="1" '
        'legendFilterByAtlas="0" rasterBorder="1" rasterBorderColor="0,0,0,255" rasterBorderWidth="0" '
        'wmsLegendWidth="50" wmsLegendHeight="25" minSymbolSize="0" maxSymbolSize="0" fontColor="#1a1a1a"'
    )
    body = f"<styles>{styles}</styles><layer-tree-group><customproperties/>{tree}</layer-tree-group>"
    return _item("legend", ids("legend"), box, z, attrs, body, background=True, name="legend")


def scalebar_item(ids: Ids, box, z: int) -> str:
    """A scale bar in kilometres, its segments sized by QGIS to fit 30-80 mm."""
    attrs = (
        f'mapUuid="{ids("map")}" style="Single Box" unitType="km" unitLabel="km" '
        'numMapUnitsPerScaleBarUnit="1" segmentSizeMode="1" minBarWidth="30" maxBarWidth="80" '
        'numSegments="2" numSegmentsLeft="0" numSubdivisions="1" subdivisionsHeight="1.5" '
        'numUnitsPerSegment="10" segmentMillimeters="30" height="2.5" labelBarSpace="2" '
        'boxContentSpace="1" alignment="0" labelVerticalPlacement="0" labelHorizontalPlacement="0" '
        'outlineWidth="0.3" lineJoinStyle="miter" lineCapStyle="square"'
    )
    body = (
        '<text-style fontFamily="Sans Serif" fontSize="8" fontSizeUnit="Point" fontWeight="50" '
        'textColor="26,26,26,255" textOpacity="1" namedStyle="Regular"/>'
    )
    return _item("scalebar", ids("scalebar"), box, z, attrs, body, background=True, name="scalebar")


def north_arrow_item(ids: Ids, box, z: int) -> str:
    """QGIS's default north arrow (an SVG inside QGIS itself), following the map's rotation."""
    attrs = (
        f'file={quoteattr(NORTH_ARROW)} mode="0" resizeMode="0" anchorPoint="0" northMode="0" '
        f'northOffset="0" pictureRotation="0" mapUuid="{ids("map")}" pictureWidth="{_num(box[2])}" '
        f'pictureHeight="{_num(box[3])}" svgFillColor="26,26,26,255" svgBorderColor="26,26,26,255" '
        'svgBorderWidth="0.2"'
    )
    return _item("picture", ids("north"), box, z, attrs, name="north_arrow")


def map_item(ids: Ids, box, extent, z: int, project_crs: str) -> str:
    """The map: the project's visible layers, in the project CRS, at ``extent``."""
    xmin, ymin, xmax, ymax = extent
    body = (
        f'<Extent xmin="{xmin!r}" ymin="{ymin!r}" xmax="{xmax!r}" ymax="{ymax!r}"/>'
        f"<crs>{spatialrefsys(project_crs)}</crs><LayerSet/>"
        '<AtlasMap scalingMode="2" atlasDriven="0" margin="0.1"/><labelBlockingItems/>'
    )
    attrs = (
        'keepLayerSet="false" followPreset="false" followPresetName="" drawCanvasItems="true" '
        'mapRotation="0" mapFlags="0" labelMargin="0,mm" isTemporal="0"'
    )
    return _item("map", ids("map"), box, z, attrs, body, frame=True, background=True, name="map")


def provenance_lines(document: Mapping, gpkg_file: str, lang: str, project_crs: str) -> list[str]:
    """The run's sources as :mod:`maps.common.provenance` words them, then the model, run and CRS."""
    sources = document.get("sources") or {}
    lines = [f"{t(label, lang)}: {describe_source(sources[key], lang)}" for key, label in KINDS
             if sources.get(key)]  # fmt: skip
    model = document.get("model") or {}
    lines.append(
        f"{t('src_model', lang)}: {model.get('config_source')} {model.get('config_hash')} · "
        f"{t('gis_run', lang)} {document.get('run_id')} · {document.get('finished_at')}"
    )
    crs = crs_fields(project_crs)
    name = crs["authid"] or project_crs
    lines.append(f"{t('gis_crs', lang)}: {name} ({crs['description']}) · {gpkg_file} ({LAYER_CRS})")
    return lines


def layout_xml(groups, gpkg_file: str, document: Mapping, extent, lang: str, project_crs: str) -> str:
    """The ``A3`` print layout: map, legend, scale bar, north arrow, title and sources."""
    ids = Ids(str(document.get("run_id")))
    region = document.get("region") or {}
    title = f"{t('title', lang)}: {region.get('name')} ({region.get('code')})"
    subtitle = f"{t('gis_run', lang)} {document.get('run_id')} · {document.get('finished_at')}"
    x, y, w, h = MAP_BOX
    side = x + w + 8
    side_w = PAGE[0] - side - 10
    legend_layers = [layer for layers in groups.values() for layer in layers if layer.legend]
    page = _item("page", ids("page"), (0, 0, *PAGE), 0, name="")
    items = [
        map_item(ids, MAP_BOX, extent, 1, project_crs),
        legend_item(ids, legend_layers, gpkg_file, (side, y, side_w, 150), 2, lang),
        scalebar_item(ids, (side, y + h - 16, 60, 14), 3),
        north_arrow_item(ids, (x + w - 18, y + 4, 14, 18), 4),
        label_item(ids, "title", (10, 6, 400, 10), 5, title, 18, bold=True),
        label_item(ids, "subtitle", (10, 16, 400, 6), 6, subtitle, 9),
        label_item(
            ids,
            "sources",
            (10, y + h + 3, 400, PAGE[1] - y - h - 6),
            7,
            "\n".join(provenance_lines(document, gpkg_file, lang, project_crs)),
            6.5,
        ),
    ]
    return (
        '<Layouts><Layout name="A3" units="mm" printResolution="300" worldFileMap="">'
        '<Snapper tolerance="5" snapToGrid="0" snapToGuides="1" snapToItems="1"/>'
        '<Grid resolution="10" resUnits="mm" offsetX="0" offsetY="0" offsetUnits="mm"/>'
        f"<PageCollection>{page}</PageCollection>{''.join(items)}"
        '<Atlas enabled="0" hideCoverage="0" filterFeatures="0" sortFeatures="0" coverageLayer="" '
        'pageNameExpression="" filenamePattern="\'output_\'||@atlas_featurenumber"/>'
        "</Layout></Layouts>"
    )


def project_xml(gpkg_file: str, document: Mapping, bounds, lang: str = "id", *, project_crs: str) -> str:
    """The whole ``.qgs`` document of a run, its canvas and print map in ``project_crs`` (a metric CRS;
    ``bounds``: the villages' bounds in it)."""
    groups = project_layers(lang)
    _, _, w, h = MAP_BOX
    extent = fitted_extent(bounds, w, h)
    region = document.get("region") or {}
    title = f"{t('title', lang)}: {region.get('name')} ({region.get('code')}) · {document.get('run_id')}"
    layers = "".join(
        maplayer_xml(layer, gpkg_file, LAYERS[layer.table][1]) for items in groups.values() for layer in items
    )
    xmin, ymin, xmax, ymax = (repr(v) for v in extent)
    srs = spatialrefsys(project_crs)
    view = f'xmin="{xmin}" ymin="{ymin}" xmax="{xmax}" ymax="{ymax}"'
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        f"<qgis version={quoteattr(QGIS_VERSION)} projectname={quoteattr(title)}>"
        f'<homePath path=""/><title>{escape(title)}</title>'
        f"<projectCrs>{srs}</projectCrs>"
        f"{layer_tree_xml(groups, gpkg_file, lang)}"
        f"<projectlayers>{layers}</projectlayers>"
        '<mapcanvas name="theMapCanvas" annotationsVisible="1"><units>meters</units>'
        f"<extent><xmin>{xmin}</xmin><ymin>{ymin}</ymin><xmax>{xmax}</xmax><ymax>{ymax}</ymax></extent>"
        f"<rotation>0</rotation><destinationsrs>{srs}</destinationsrs><rendermaptile>0</rendermaptile>"
        "</mapcanvas>"
        "<properties>"
        '<Paths><Absolute type="bool">false</Absolute></Paths>'
        '<SpatialRefSys><ProjectionsEnabled type="int">1</ProjectionsEnabled></SpatialRefSys>'
        "</properties>"
        f'<ProjectViewSettings UseProjectScales="0" rotation="0"><Scales/>'
        f"<DefaultViewExtent {view}>{srs}</DefaultViewExtent></ProjectViewSettings>"
        f"{layout_xml(groups, gpkg_file, document, extent, lang, project_crs)}"
        "</qgis>\n"
    )


def write_qgis_project(
    data, path: Path, document: Mapping, gpkg_file: str, lang: str = "id", *, project_crs: str
) -> Path:
    """Write ``path`` (a ``.qgz``, replaced atomically) opening ``gpkg_file`` in the same folder; its
    canvas and print map in ``project_crs``, the project's metric CRS (``SMARTCITY_METRIC_CRS``)."""
    path = Path(path)
    bounds = village_bounds(getattr(data, "villages", None), project_crs)
    text = project_xml(gpkg_file, document, bounds, lang, project_crs=project_crs)
    with atomic_write(path) as work, zipfile.ZipFile(work, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(path.with_suffix(".qgs").name, text.encode("utf-8"))
    return path
