"""What QGIS itself sees, run with Debian's Python and PyQGIS (not the venv's): ``tests/gis.py`` starts it
as ``/usr/bin/python3 tests/qgis_check.py <command> <args>`` with ``QT_QPA_PLATFORM=offscreen`` and reads
one JSON document from its standard output.

Commands:
  gpkg PATH                  every layer of a GeoPackage: valid, geometry type, count, renderer and its
                             categories (value, colour) as QGIS loaded them from the embedded styles
  postgres URI               one PostGIS layer (a QgsDataSourceUri string): valid, type, count, renderer
  project PATH PNG           open a .qgz offline: every layer valid (and where its file resolved), its
                             renderer; the layer tree (groups, layers, visibility); the project CRS and
                             path setting; the print layouts (page size, item types, linked legend and
                             scale bar, the north arrow found); export the first one to PNG and measure it
                             (size, distinct colours on a sample grid)
"""

from __future__ import annotations

import json
import sys

from qgis.core import (  # noqa: E402 - PyQGIS only exists for Debian's Python
    QgsApplication,
    QgsLayoutExporter,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)


def describe(layer: QgsVectorLayer) -> dict:
    """Validity, geometry type, feature count and renderer (with categories) of a loaded layer."""
    renderer = layer.renderer() if layer.isValid() else None
    out = {
        "name": layer.name(),
        "valid": layer.isValid(),
        "geometry": QgsWkbTypes.displayString(layer.wkbType()) if layer.isValid() else None,
        "count": layer.featureCount() if layer.isValid() else None,
        "renderer": renderer.type() if renderer else None,
        "labels": bool(layer.labelsEnabled()) if layer.isValid() else False,
        "subset": layer.subsetString(),
    }
    if renderer is not None and renderer.type() == "categorizedSymbol":
        out["field"] = renderer.classAttribute()
        out["categories"] = [[str(c.value()), c.symbol().color().name()] for c in renderer.categories()]
    return out


def gpkg(path: str) -> list[dict]:
    """Every spatial layer of a GeoPackage as QGIS loads it (styles from its layer_styles table)."""
    found = []
    probe = QgsVectorLayer(path, "probe", "ogr")
    for sub in probe.dataProvider().subLayers():
        name = sub.split("!!::!!")[1]
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        if layer.isSpatial():
            found.append(describe(layer))
    return found


def postgres(uri: str) -> dict:
    """One PostGIS layer (its default style from public.layer_styles, if any)."""
    return describe(QgsVectorLayer(uri, "layer", "postgres"))


def tree(group) -> list[dict]:
    """The groups of a layer tree: name, checked, and each layer's name and visibility."""
    groups = []
    for node in group.children():
        if node.nodeType() == 0:  # a group
            layers = [{"name": n.name(), "visible": n.isVisible(), "checked": n.itemVisibilityChecked()}
                      for n in node.findLayers()]  # fmt: skip
            groups.append({"name": node.name(), "checked": node.itemVisibilityChecked(), "layers": layers})
    return groups


def image_stats(png: str) -> dict:
    """Size of an exported image and how many distinct colours a 64 x 64 sample grid of it holds."""
    from qgis.PyQt.QtGui import QImage

    image = QImage(png)
    if image.isNull():
        return {"width": 0, "height": 0, "colours": 0}
    w, h = image.width(), image.height()
    colours = {
        image.pixel(int(x * (w - 1) / 63), int(y * (h - 1) / 63)) for x in range(64) for y in range(64)
    }
    return {"width": w, "height": h, "colours": len(colours)}


def layout_items(layout) -> list[dict]:
    """The items of a print layout: type, id, and what each is linked to or shows."""
    from qgis.core import QgsLayoutItemLabel, QgsLayoutItemLegend, QgsLayoutItemPicture, QgsLayoutItemScaleBar

    items = []
    for item in layout.items():
        if not hasattr(item, "uuid") or item.type() == 65638:  # pages and non-items
            continue
        out = {"type": item.type(), "id": item.id()}
        if isinstance(item, QgsLayoutItemLabel):
            out["text"] = item.text()
        elif isinstance(item, QgsLayoutItemLegend):
            out["linked"] = item.linkedMap() is not None
            out["layers"] = [n.name() for n in item.model().rootGroup().findLayers()]
        elif isinstance(item, QgsLayoutItemScaleBar):
            out["linked"] = item.linkedMap() is not None
            out["units"] = int(item.units())
        elif isinstance(item, QgsLayoutItemPicture):
            out["missing"] = bool(item.isMissingImage()) if hasattr(item, "isMissingImage") else None
        elif item.type() == 65639:
            out["crs"] = item.crs().authid()
            extent = item.extent()
            out["extent"] = [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()]
        items.append(out)
    return sorted(items, key=lambda i: i["type"])


def project(path: str, png: str) -> dict:
    """Open a project offline: its layers and tree; export its first print layout to ``png``."""
    proj = QgsProject.instance()
    ok = proj.read(path)
    layers = [{**describe(layer), "source": layer.source()} for layer in proj.mapLayers().values()]
    layouts = proj.layoutManager().layouts()
    result, size, items = None, None, []
    if layouts:
        page = layouts[0].pageCollection().page(0).pageSize()
        size = [round(page.width()), round(page.height())]
        items = layout_items(layouts[0])
        exporter = QgsLayoutExporter(layouts[0])
        settings = QgsLayoutExporter.ImageExportSettings()
        settings.dpi = 100
        settings.generateWorldFile = False
        result = exporter.exportToImage(png, settings)
    return {"read": ok, "layers": layers, "groups": [g["name"] for g in tree(proj.layerTreeRoot())],
            "tree": tree(proj.layerTreeRoot()), "crs": proj.crs().authid(),
            "absolute": proj.readBoolEntry("Paths", "/Absolute", True)[0],
            "layouts": [x.name() for x in layouts], "page": size, "items": items,
            "export": None if result is None else int(result), "image": image_stats(png)}  # fmt: skip


def main() -> None:
    """Run one command and print its JSON."""
    app = QgsApplication([], False)
    app.initQgis()
    command, *args = sys.argv[1:]
    out = {"gpkg": gpkg, "postgres": postgres, "project": project}[command](*args)
    print(json.dumps(out))
    sys.stdout.flush()
    QgsProject.instance().clear()
    app.exitQgis()


if __name__ == "__main__":
    main()
