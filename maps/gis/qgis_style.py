"""QGIS layer styles (QML) and their SLD twins, written as text: no QGIS is needed to publish them.

The styles are the report's (:mod:`maps.common.style`): a categorised renderer on the priority class
number with exactly the class colours, grey for an area without a class; outlines for districts and the
IKN boundary and zones; issue points coloured by dimension. The QML is the subset of QGIS 3.22's own format
that QGIS needs (it fills every attribute left out with its default); the GeoPackage (``maps/gis/gpkg.py``),
the QGIS project (``maps/gis/qgis_project.py``) and migration 015 (the database's ``public.layer_styles``)
all carry these same texts. Every value that reaches the XML is escaped (labels may come from a file).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from maps.common.i18n import class_label, t
from maps.common.style import (
    CLASS_COLOURS,
    DIMENSION_COLOURS,
    DISTRICT_EDGE_COLOUR,
    IKN_COLOUR,
    NO_DATA_COLOUR,
    VILLAGE_EDGE_COLOUR,
)

QML_HEADER = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
QGIS_VERSION = "3.22.16-Białowieża"
SYMBOL_CLASS = {"fill": "SimpleFill", "marker": "SimpleMarker", "line": "SimpleLine"}


@dataclass(frozen=True)
class Category:
    """One class of a categorised renderer: the field's value, its legend label and its fill colour."""

    value: str
    label: str
    colour: str


def rgba(colour: str, alpha: int = 255) -> str:
    """``#rrggbb`` as QGIS writes a colour: ``r,g,b,a``."""
    colour = colour.lstrip("#")
    return ",".join(str(int(colour[i : i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"


def _options(props: dict[str, str]) -> str:
    """A symbol layer's properties, in both forms QGIS reads (``Option`` map, then ``prop``)."""
    options = "".join(
        f'<Option type="QString" name={quoteattr(k)} value={quoteattr(v)}/>' for k, v in props.items()
    )
    legacy = "".join(f"<prop k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in props.items())
    return f'<Option type="Map">{options}</Option>{legacy}'


def symbol_xml(kind: str, name: str, props: dict[str, str]) -> str:
    """One QGIS symbol (``fill``, ``marker`` or ``line``) of one simple symbol layer."""
    return (
        f'<symbol type={quoteattr(kind)} name={quoteattr(name)} alpha="1" clip_to_extent="1" force_rhr="0">'
        f'<layer class={quoteattr(SYMBOL_CLASS[kind])} enabled="1" locked="0" pass="0">'
        f"{_options(props)}</layer>"
        "</symbol>"
    )


def fill_props(colour: str, edge: str, width: float = 0.2, filled: bool = True, dashed: bool = False) -> dict:
    """Properties of a polygon fill: its colour (or none), outline colour and width in mm."""
    return {
        "color": rgba(colour),
        "style": "solid" if filled else "no",
        "outline_color": rgba(edge),
        "outline_width": str(width),
        "outline_width_unit": "MM",
        "outline_style": "dash" if dashed else "solid",
    }


def marker_props(colour: str, size: float = 2.4) -> dict:
    """Properties of a round point marker of ``size`` mm with a thin white outline."""
    return {
        "name": "circle",
        "color": rgba(colour),
        "outline_color": rgba("#ffffff"),
        "outline_width": "0.2",
        "outline_width_unit": "MM",
        "size": str(size),
        "size_unit": "MM",
    }


def labeling_xml(field: str, size: float = 7.0) -> str:
    """Simple labels on ``field``: dark text with a white buffer, placed inside polygons."""
    return (
        '<labeling type="simple"><settings calloutType="simple">'
        f'<text-style fieldName={quoteattr(field)} isExpression="0" fontSize="{size}" fontSizeUnit="Point" '
        'textColor="26,26,26,255" fontFamily="Sans Serif" namedStyle="Regular">'
        '<text-buffer bufferDraw="1" bufferSize="0.7" bufferSizeUnits="MM" bufferColor="255,255,255,255" '
        'bufferOpacity="0.8"/></text-style>'
        '<placement placement="0" centroidInside="1" fitInPolygonOnly="0"/>'
        '<rendering obstacle="1" scaleVisibility="0" displayAll="0" labelPerPart="0"/>'
        "</settings></labeling>"
    )


def qml_document(renderer: str, labels_field: str | None = None) -> str:
    """A whole QML style: the renderer and, when given, labels on a field."""
    labels = labeling_xml(labels_field) if labels_field else ""
    return (
        f'{QML_HEADER}<qgis version={quoteattr(QGIS_VERSION)} styleCategories="Symbology|Labeling" '
        f'labelsEnabled="{1 if labels_field else 0}">{renderer}{labels}</qgis>\n'
    )


def categorised_renderer(field: str, kind: str, categories: list[Category], props) -> str:
    """A ``categorizedSymbol`` renderer on ``field``: one symbol per category, ``props(colour)`` each."""
    rows = "".join(
        f'<category value={quoteattr(c.value)} label={quoteattr(c.label)} symbol="{i}" render="true"/>'
        for i, c in enumerate(categories)
    )
    symbols = "".join(symbol_xml(kind, str(i), props(c.colour)) for i, c in enumerate(categories))
    return (
        f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(field)} symbollevels="0" '
        f'enableorderby="0" forceraster="0"><categories>{rows}</categories>'
        f"<symbols>{symbols}</symbols></renderer-v2>"
    )


def single_renderer(kind: str, props: dict) -> str:
    """A ``singleSymbol`` renderer."""
    return (
        '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
        f"<symbols>{symbol_xml(kind, '0', props)}</symbols></renderer-v2>"
    )


def class_categories(lang: str) -> list[Category]:
    """The five priority classes with the report's colours, then "no data" (an empty class) in grey."""
    classes = [Category(str(n), f"{n} {class_label(n, lang)}", colour) for n, colour in CLASS_COLOURS.items()]
    return [*classes, Category("", class_label(None, lang), NO_DATA_COLOUR)]


def dimension_categories(lang: str) -> list[Category]:
    """The six smart city dimensions with their point colours."""
    return [Category(d, t(d, lang), colour) for d, colour in DIMENSION_COLOURS.items()]


def priority_qml(
    field: str,
    lang: str,
    edge: str = VILLAGE_EDGE_COLOUR,
    width: float = 0.2,
    labels_field: str | None = "name",
) -> str:
    """Areas coloured by the class number in ``field`` (the report's colours), labelled by name."""
    renderer = categorised_renderer(
        field, "fill", class_categories(lang), lambda c: fill_props(c, edge, width)
    )
    return qml_document(renderer, labels_field)


def outline_qml(colour: str, width: float, dashed: bool = False, labels_field: str | None = None) -> str:
    """Outlines only (no fill): districts, the IKN boundary and its zones."""
    return qml_document(
        single_renderer("fill", fill_props(colour, colour, width, False, dashed)), labels_field
    )


def issue_qml(lang: str) -> str:
    """Issue points coloured by dimension."""
    return qml_document(categorised_renderer("dimension", "marker", dimension_categories(lang), marker_props))


def _sld_symbolizer(kind: str, colour: str, edge: str, width: float) -> str:
    fill = f'<se:Fill><se:SvgParameter name="fill">{colour}</se:SvgParameter></se:Fill>'
    stroke = (
        f'<se:Stroke><se:SvgParameter name="stroke">{edge}</se:SvgParameter>'
        f'<se:SvgParameter name="stroke-width">{width}</se:SvgParameter></se:Stroke>'
    )
    if kind == "marker":
        return (
            f"<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName>{fill}"
            f"{stroke}</se:Mark><se:Size>7</se:Size></se:Graphic></se:PointSymbolizer>"
        )
    return f"<se:PolygonSymbolizer>{fill if colour else ''}{stroke}</se:PolygonSymbolizer>"


def _sld_rule(title: str, body: str, field: str | None = None, value: str | None = None) -> str:
    test = ""
    if field is not None:
        test = (
            f"<ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>{escape(field)}</ogc:PropertyName>"
            f"<ogc:Literal>{escape(value or '')}</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>"
        )
    return f"<se:Rule><se:Name>{escape(title)}</se:Name>{test}{body}</se:Rule>"


def sld_document(layer: str, rules: list[str]) -> str:
    """An SLD 1.1 document of one named layer and its rules (for GeoServer, QGIS' SLD import)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<StyledLayerDescriptor xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" '
        'xmlns:se="http://www.opengis.net/se" version="1.1.0">'
        f"<NamedLayer><se:Name>{escape(layer)}</se:Name><UserStyle><se:Name>{escape(layer)}</se:Name>"
        f"<se:FeatureTypeStyle>{''.join(rules)}</se:FeatureTypeStyle></UserStyle></NamedLayer>"
        "</StyledLayerDescriptor>\n"
    )


def categorised_sld(
    layer: str, field: str, kind: str, categories: list[Category], edge: str = "#ffffff"
) -> str:
    """The SLD twin of a categorised style (empty-valued categories are left out)."""
    rules = [
        _sld_rule(c.label, _sld_symbolizer(kind, c.colour, edge, 0.5), field, c.value)
        for c in categories
        if c.value
    ]
    return sld_document(layer, rules)


def outline_sld(layer: str, colour: str, width: float) -> str:
    """The SLD twin of an outline style."""
    return sld_document(layer, [_sld_rule(layer, _sld_symbolizer("fill", "", colour, width))])


@dataclass(frozen=True)
class LayerStyle:
    """One row of a ``layer_styles`` table: the layer, the style's name, QML and SLD, default or not."""

    table: str
    name: str
    qml: str
    sld: str
    default: bool
    description: str


def dimension_field(dimension: str) -> str:
    """The village column holding a dimension's class number."""
    return f"class_no_{dimension}"


def layer_styles(lang: str, dimensions: tuple[str, ...] = tuple(DIMENSION_COLOURS)) -> list[LayerStyle]:
    """Every style the published GeoPackage carries: the default of each layer, then one style per
    dimension for the villages (not default)."""
    classes = class_categories(lang)
    styles = [
        LayerStyle(
            "village_priority",
            "priority",
            priority_qml("class_no", lang),
            categorised_sld("village_priority", "class_no", "fill", classes),
            True,
            "Villages by priority class (report colours), labelled by name",
        ),
        LayerStyle(
            "district_priority",
            "priority",
            priority_qml("class_no", lang, DISTRICT_EDGE_COLOUR, 0.6),
            categorised_sld("district_priority", "class_no", "fill", classes, DISTRICT_EDGE_COLOUR),
            True,
            "Districts by priority class (report colours), labelled by name",
        ),
        LayerStyle(
            "issue",
            "dimension",
            issue_qml(lang),
            categorised_sld("issue", "dimension", "marker", dimension_categories(lang)),
            True,
            "Issue points by smart city dimension",
        ),
        LayerStyle(
            "ikn_boundary",
            "outline",
            outline_qml(IKN_COLOUR, 0.8),
            outline_sld("ikn_boundary", IKN_COLOUR, 2),
            True,
            "IKN boundary (approximate)",
        ),
        LayerStyle(
            "ikn_zone",
            "outline",
            outline_qml(IKN_COLOUR, 0.5, dashed=True, labels_field="name"),
            outline_sld("ikn_zone", IKN_COLOUR, 1),
            True,
            "IKN distance zones",
        ),
    ]
    for dim in dimensions:
        field = dimension_field(dim)
        styles.append(
            LayerStyle(
                "village_priority",
                f"priority_{dim}",
                priority_qml(field, lang),
                categorised_sld("village_priority", field, "fill", classes),
                False,
                f"Villages by priority class within the {dim} dimension",
            )
        )
    return styles


def database_styles(lang: str = "id") -> list[tuple[str, LayerStyle]]:
    """The default styles migration 015 puts in the database's ``public.layer_styles``: (schema, style)
    for the mart priority layers (and their per-dimension views), ``mart.issue`` and the IKN layers of ref."""
    by_table = {s.table: s for s in layer_styles(lang) if s.default}
    rows = [
        ("mart", by_table["village_priority"]),
        ("mart", by_table["district_priority"]),
        ("mart", by_table["issue"]),
        ("ref", by_table["ikn_boundary"]),
        ("ref", by_table["ikn_zone"]),
    ]
    classes = class_categories(lang)
    for dim in DIMENSION_COLOURS:
        table = f"village_priority_{dim}"
        rows.append(
            (
                "mart",
                LayerStyle(
                    table,
                    "priority",
                    priority_qml("class_no", lang),
                    categorised_sld(table, "class_no", "fill", classes),
                    True,
                    f"Villages by priority class within the {dim} dimension",
                ),
            )
        )
    return rows
