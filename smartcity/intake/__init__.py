"""Worksheet intake: which region a file in the inbox is for (``inbox``), reading every sheet of a
worksheet of any shape (``worksheets``, with ``worksheet_headers``, ``worksheet_sheets`` and
``worksheet_csv``), telling rows that are not data from data (``rowkinds``), checking rows
(``validation``), what a one-cell location says (``locations``, with ``location_coordinates``,
``location_links`` and ``location_addresses``) and how it joins the row's own location columns
(``location_cell``), placing rows by code, point or name (``matching``), the reasons a row is rejected
or warned about (``reasons``), the agency's feedback workbook (``feedback``, written by ``sheetml``),
the blank template (``template``), the agency roster (``roster``) and the load into ``intake`` and
``core.issue`` (``load``).

May import: :mod:`smartcity.platform`, :mod:`smartcity.reference` and itself.
"""
