"""The GIS kit of a run: the GeoPackage (``gpkg``), the QGIS project that opens it (``qgis_project``),
their QGIS styles (``qgis_style``, also the database's ``public.layer_styles`` of migration 015), the
layer list both writers read (``layers``), and the kit as the site writes it (``kit``). XML is written as
text, every value escaped: no QGIS is needed to publish.

May import: ``maps.common`` and ``maps.gis``, nothing of ``web``, ``figures`` or ``document``.
"""
