"""Printable priority maps (PNG, 300 dpi, A4 landscape) for the master plan document.

Decisions:

* Figures are made with :class:`matplotlib.figure.Figure` on an Agg canvas, never through pyplot: no
  global figure registry holds them (nothing to close, nothing leaks), no GUI backend is ever chosen,
  and building them in a Prefect worker thread is safe.
* Drawn in longitude/latitude (EPSG:4326) with the axes' aspect set to 1/cos(latitude), so shapes look
  right near the equator without a projection step; the scale bar's kilometres come from the same
  latitude (111.32 km per degree of longitude at the equator, times cos(latitude)).
* The legend always lists the five classes in order, even when a class is empty, so every figure of the
  plan reads the same; "no data" appears only when some area has no class.
* The view is the villages' extent: the IKN rings (the outermost reaches far) are clipped to it.
* Titles and captions are drawn with ``parse_math=False``: a ``$`` in a name is text, not mathtext.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from maps.common.i18n import check_lang, class_label, dimension_label, t
from maps.common.provenance import source_line
from maps.common.style import (
    CLASS_COLOURS,
    DISTRICT_EDGE_COLOUR,
    IKN_COLOUR,
    NO_DATA_COLOUR,
    VILLAGE_EDGE_COLOUR,
    class_colour,
    class_number,
)
from smartcity.platform.errors import InputError
from smartcity.scoring.results import MapData

FIGSIZE = (11.7, 8.3)  # inches, A4 landscape
CAPTION_CHARS = 190  # characters of the 7 pt source line per line: 92 % of the figure's width
DPI = 300
KM_PER_DEGREE = 111.32  # of longitude at the equator, and of latitude
_MAP_RECT = (0.04, 0.07, 0.70, 0.83)  # left, bottom, width, height of the map axes (figure fraction)
_MARGIN = 0.04  # of the villages' extent, on each side


def priority_figure(
    villages: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    ikn_zones: gpd.GeoDataFrame | None,
    *,
    column: str = "class_no",
    title: str,
    lang: str = "id",
    caption: str | None = None,
) -> Figure:
    """A4 landscape map of villages coloured by the class numbers in ``column``; returns it, saves nothing."""
    check_lang(lang)
    if column not in villages.columns:
        raise InputError(f"villages have no column {column!r} to colour the map by")
    villages = _wgs84(villages)
    fig = Figure(figsize=FIGSIZE, dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(_MAP_RECT)

    # Step 1: the villages, one fill per class; then district outlines and the IKN rings above them.
    if len(villages):
        colours = [class_colour(v) for v in villages[column]]
        villages.geometry.plot(ax=ax, color=colours, edgecolor=VILLAGE_EDGE_COLOUR, linewidth=0.3)
    has_districts = districts is not None and len(districts) > 0
    if has_districts:
        _wgs84(districts).geometry.boundary.plot(ax=ax, color=DISTRICT_EDGE_COLOUR, linewidth=0.9)
    has_zones = ikn_zones is not None and len(ikn_zones) > 0
    if has_zones:
        _wgs84(ikn_zones).geometry.boundary.plot(ax=ax, color=IKN_COLOUR, linewidth=0.9, linestyle="--")

    # Step 2: the view (the villages' extent), true shapes at this latitude, light graticule labels.
    mid_lat = _set_view(ax, villages if len(villages) else districts)
    ax.set_xlabel("")  # geopandas labels the axes with the CRS's axis names: the ticks say degrees enough
    ax.set_ylabel("")
    ax.tick_params(labelsize=7, colors="#555555")
    for side in ax.spines.values():
        side.set_edgecolor("#999999")

    # Step 3: legend, north arrow, scale bar, title and caption.
    missing = any(class_number(v) is None for v in villages[column])
    _legend(fig, ax, lang, with_no_data=missing, with_districts=has_districts, with_zones=has_zones)
    _north_arrow(ax, lang)
    _scale_bar(ax, mid_lat)
    fig.suptitle(title, x=0.04, y=0.96, ha="left", fontsize=16, fontweight="bold", parse_math=False)
    if caption:  # wrapped to the page's width: a long list of sources is never cut off at the right
        text = textwrap.fill(f"{t('source', lang)}: {caption}", CAPTION_CHARS)
        fig.text(
            0.04, 0.01, text, fontsize=7, color="#444444", va="bottom", parse_math=False, linespacing=1.3
        )
    return fig


def write_figures(
    villages: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    ikn_zones: gpd.GeoDataFrame | None,
    dimension_classes: dict[str, pd.Series],
    folder: Path | str,
    lang: str = "id",
    caption: str | None = None,
) -> list[tuple[str, str]]:
    """Write ``priority_map.png`` and one ``priority_<dimension>.png`` per dimension; (title, file name)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(t("title", lang), "priority_map.png", villages, "class_no")]
    for dimension, classes in dimension_classes.items():
        frame = villages.assign(_dimension_class=pd.Series(classes).reindex(villages.index))
        title = f"{t('title', lang)} – {dimension_label(dimension, lang)}"
        jobs.append((title, f"priority_{dimension}.png", frame, "_dimension_class"))
    written = []
    for title, name, frame, column in jobs:
        fig = priority_figure(
            frame, districts, ikn_zones, column=column, title=title, lang=lang, caption=caption
        )
        try:
            fig.savefig(folder / name, dpi=DPI, format="png", metadata={"Title": title})
        finally:
            fig.clear()  # drop the artists now rather than at the next garbage collection
        written.append((title, name))
    return written


def run_caption(run: Mapping, lang: str) -> str:
    """The line under every figure of a run: run id, model, and where the inputs came from."""
    caption = f"{t('run_id', lang)} {run.get('run_id')} · {run.get('config_source')} {run.get('config_hash')}"
    sources = source_line(run, lang)
    return caption + (f" · {sources}" if sources else "")


def write_run_figures(data: MapData, folder: Path | str, lang: str = "id") -> list[tuple[str, str]]:
    """A run's figures (:func:`write_figures`: the priority map, then one per dimension with classes) in
    ``folder``, captioned with :func:`run_caption`; (title, file name) pairs."""
    classes = {
        c.removeprefix("class_no_"): data.villages[c]
        for c in data.villages.columns
        if c.startswith("class_no_")
    }
    return write_figures(
        data.villages, data.districts, data.ikn_zones, classes, folder, lang, run_caption(data.run, lang)
    )


def figures_for_document(data: MapData, folder: Path, lang: str) -> list[tuple[str, Path]]:
    """The run's 300 dpi figures written into ``folder`` for a document: (title, path) pairs."""
    return [(title, folder / name) for title, name in write_run_figures(data, folder, lang)]


def _wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` in EPSG:4326 (taken as such when it has no CRS)."""
    if frame.crs is None or frame.crs.to_epsg() == 4326:
        return frame
    return frame.to_crs(4326)


def _set_view(ax: Axes, frame: gpd.GeoDataFrame | None) -> float:
    """Limit the axes to ``frame``'s extent plus a margin, aspect 1/cos(lat); returns the middle latitude."""
    if frame is None or len(frame) == 0 or frame.geometry.is_empty.all():
        return 0.0
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)
    pad = _MARGIN * max(maxx - minx, maxy - miny, 1e-3)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    mid_lat = (miny + maxy) / 2.0
    ax.set_aspect(1.0 / max(math.cos(math.radians(mid_lat)), 0.01))
    return mid_lat


def _legend(
    fig: Figure, ax: Axes, lang: str, *, with_no_data: bool, with_districts: bool, with_zones: bool
) -> None:
    """Categorical legend: the five classes in order, then no data and the outlines when drawn."""
    handles: list = [
        Patch(facecolor=colour, edgecolor="#777777", label=class_label(n, lang))
        for n, colour in CLASS_COLOURS.items()
    ]
    if with_no_data:
        handles.append(Patch(facecolor=NO_DATA_COLOUR, edgecolor="#777777", label=t("no_data", lang)))
    if with_districts:
        handles.append(Line2D([], [], color=DISTRICT_EDGE_COLOUR, linewidth=1.2, label=t("district", lang)))
    if with_zones:
        handles.append(
            Line2D([], [], color=IKN_COLOUR, linewidth=1.2, linestyle="--", label=t("ikn_zones", lang))
        )
    fig.legend(
        handles=handles, title=t("priority_class", lang), loc="upper left", bbox_to_anchor=(0.77, 0.88),
        frameon=False, fontsize=10, title_fontsize=11, alignment="left",
    )  # fmt: skip


def _north_arrow(ax: Axes, lang: str) -> None:
    """A plain arrow pointing up with the letter for north above it (top right of the map)."""
    arrow = {"facecolor": "black", "edgecolor": "black", "width": 4, "headwidth": 12, "headlength": 10}
    ax.annotate("", xy=(0.95, 0.93), xytext=(0.95, 0.83), xycoords="axes fraction", arrowprops=arrow)
    ax.text(0.95, 0.94, t("north", lang), transform=ax.transAxes, ha="center", va="bottom", fontsize=12,
            fontweight="bold", parse_math=False,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})  # fmt: skip


def nice_length_km(map_width_km: float) -> float:
    """A round bar length (1, 2 or 5 x 10^k km) of at most a fifth of the map's width."""
    target = max(map_width_km / 5.0, 1e-3)
    power = 10.0 ** math.floor(math.log10(target))
    return max(step * power for step in (1.0, 2.0, 5.0) if step * power <= target)


def _scale_bar(ax: Axes, mid_lat: float) -> None:
    """A two-part black and white bar at the bottom left, its kilometres taken at the map's latitude."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    km_per_degree = KM_PER_DEGREE * math.cos(math.radians(mid_lat))
    length_km = nice_length_km((x1 - x0) * km_per_degree)
    length = length_km / km_per_degree
    left, bottom, height = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0), 0.012 * (y1 - y0)
    pad_x, pad_y = 0.015 * (x1 - x0), 0.02 * (y1 - y0)
    ax.add_patch(Rectangle((left - pad_x, bottom - pad_y), length + 2 * pad_x, 5 * height + 2 * pad_y,
                           facecolor="white", edgecolor="none", alpha=0.8, zorder=4))  # fmt: skip
    for i, colour in enumerate(("black", "white")):
        ax.add_patch(Rectangle((left + i * length / 2, bottom), length / 2, height, facecolor=colour,
                               edgecolor="black", linewidth=0.8, zorder=5))  # fmt: skip
    for x, label in ((left, "0"), (left + length, f"{length_km:g} km")):
        ax.text(
            x, bottom + 1.6 * height, label, ha="center", va="bottom", fontsize=8, zorder=5, parse_math=False
        )
