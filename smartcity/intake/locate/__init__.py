"""Where a row is: what a one-cell location says, and each row placed in the region by code, point or
name.

- ``locations``: what one free-text location cell says (a point, village and district names, the
  whole regency; every form and decision in its docstring), read with ``location_coordinates``
  (decimal, DDM/DMS, the order of a pair, UTM; ``ParsedLocation``), ``location_links`` (map links)
  and ``location_addresses`` (addresses, the regency);
- ``location_cell``: the location cell merged into the row's own location columns, before matching;
- ``matching``: rows placed by code, point or name against the region's gazetteer (``Gazetteer``).

Inside, imports go one way: ``location_coordinates`` < ``location_links``, ``location_addresses`` <
``locations`` < ``location_cell`` < ``matching``.

May import: :mod:`smartcity.platform`, :mod:`smartcity.reference`, :mod:`smartcity.intake.answer`
and itself.
"""
