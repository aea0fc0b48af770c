"""What a browser opens: the report page (``report``: ``index.html``, rendered from ``templates/`` by one
autoescaping Jinja environment, and the tables it links to), its weights panel (``weights``; the
script in ``static/report/``), the Folium priority map (``priority_map`` with ``layers``), the rule and
tools that keep data out of Folium's templates (``folium_safe``), and the offline assets (``assets``,
``static/vendor/``, fetched by hand from npm by ``fetch_assets``, a developer's script).

May import: ``maps.common`` and ``maps.web``, nothing of ``figures``, ``gis`` or ``document``.
"""
