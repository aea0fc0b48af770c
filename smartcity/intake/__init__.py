"""Worksheet intake: which region a file in the inbox is for (``inbox``), reading worksheets of any
shape (``worksheets``), checking rows (``validation``), placing them by code, name or point
(``matching``), the reasons a row is rejected or warned about (``reasons``), the agency's feedback
workbook (``feedback``), the blank template (``template``) and the load into ``intake`` and
``core.issue`` (``load``).

May import: :mod:`smartcity.platform`, :mod:`smartcity.reference` and itself.
"""
