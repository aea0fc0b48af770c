"""Everything published: the priority map, the report page, figures, the GIS kit and the document.

The rule of this room: data is never code. A string that came from a worksheet, a boundary file, the
roster, a scoring model, a file or sheet name or a setting is only ever a *value* to a template or a
writer, never template source, markup we did not escape, or a formula: Folium pages follow
:mod:`maps.folium_safe` (escape with ``text``, fixed HTML in ``Html``, render with ``render_page``),
the report page is rendered once by an autoescaping Jinja environment from our own template text, and
table writers neutralise formula triggers. See ``docs/security.md``.
"""
