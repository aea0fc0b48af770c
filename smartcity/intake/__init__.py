"""Worksheet intake: agencies' files in the inbox read, judged, placed, loaded and answered.

At the top of the room: ``inbox`` (which region a file in the inbox is for), ``load`` (one file in:
read, validate, place, then one transaction into ``intake`` and ``core.issue``, and the agency's
feedback written) and ``roster`` (the agencies expected to send a worksheet, and who has). The rest
lives in three sub-rooms, each ``__init__`` saying what lives there and what it may import:

- ``read/``: files, sheets, tables and headers; rows that are not data; personal-data columns;
- ``locate/``: location cells (coordinates, map links, addresses) and rows placed by code, point or
  name;
- ``answer/``: the reasons, validation, the agency's feedback workbook and the blank template.

Imports go down only: ``answer`` < ``read``, ``locate`` < the top modules. ``answer`` imports neither
of the other sub-rooms (it holds the reasons and the readers both use); ``read`` and ``locate`` import
``answer`` but not each other; no sub-room imports ``inbox``, ``load`` or ``roster``.

May import: :mod:`smartcity.platform`, :mod:`smartcity.reference` and itself.
"""
