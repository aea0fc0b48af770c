"""Everything published: the priority map, the report page, figures, the GIS kit and the document.

One room per reader, and one entry:

- ``common/``: labels (``i18n``), colours (``style``), provenance and the views several readers show;
  it imports nothing else of ``maps``.
- ``web/`` (report page, weights panel, Folium map, offline assets), ``figures/`` (PNG), ``gis/``
  (GeoPackage, QGIS project and styles) and ``document/`` (the Word document): each imports ``common``
  and itself, never another of these rooms.
- ``site.py``: the one entry that publishes a run (:func:`maps.site.write_site`); it may import every
  room. No builder opens a database connection: they take the run's ``MapData``.

``tests/test_layout_maps.py`` checks these imports, and that no two modules of ``maps`` import each other
in a circle.

The rule of this package: data is never code. A string that came from a worksheet, a boundary file, the
roster, a scoring model, a file or sheet name or a setting is only ever a *value* to a template or a
writer, never template source, markup we did not escape, or a formula: Folium pages follow
:mod:`maps.web.folium_safe` (escape with ``text``, fixed HTML in ``Html``, render with ``render_page``);
the report page is rendered by one autoescaping Jinja environment from our own template files
(``maps/web/templates/``: its loader reads those and nothing else), data only ever passed in as values;
the QGIS and GeoPackage writers escape every value that reaches their XML; the document writes worksheet
text as plain text runs; and table writers neutralise formula triggers. See ``docs/security.md``.
"""
