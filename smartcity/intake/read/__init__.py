"""Reading a worksheet file: bytes in, one table of cell texts per sheet out, with the roles of its
columns and the rows that are not data set apart.

- ``worksheets``: the reader's entry (``read_workbook``), what it returns (``Workbook``,
  ``Worksheet``) and the values a sheet's name supplies;
- ``worksheet_sheets``: spreadsheets (.xlsx, .xlsm, .xlsb, .xls, .ods) read with python-calamine, and
  which sheets are read;
- ``worksheet_csv``: CSV/TXT read with pandas' C parser;
- ``limits``: the limits a file is read within (``ReadLimits``) and the problems it can have
  (``WorkbookProblem``), with the checks that raise them;
- ``cells``: a cell as the text it shows, and the table found in one sheet (``SheetPart``), which
  both file readers return;
- ``worksheet_headers``: header names recognised as roles, the header row, the agency named above it;
- ``rowkinds``: rows under the header that are not data (numbering, totals, notes, signatures,
  untouched template rows);
- ``personal``: personal data (e-mail, phone, NIK/NIP, the filler's name): columns recognised when the
  sheet is read, never stored; values masked in published text;
- ``names``: the region's place names as the reader knows them (built by the caller from its gazetteer);
- ``legends``: codes a worksheet defines for itself (``1 = Smart Governance``), read through its legend;
- ``columns``: which column holds what, by header and by content, with the evidence;
- ``context``: values given once for the rows below: section rows, sub-titles, ditto marks, legend rows;
- ``marks``: a dimension or SWOT category ticked in one of several columns named after the values;
- ``documents``: worksheets typed as tables in Word or PDF, and the files the intake does not read.

Inside, imports go one way: ``limits``, ``cells``, ``worksheet_headers``, ``rowkinds``, ``personal``
and ``marks`` import no other module of the room; ``worksheet_sheets`` and ``worksheet_csv`` import the
first three; ``worksheets`` imports them all.

May import: :mod:`smartcity.platform`, :mod:`smartcity.reference`, :mod:`smartcity.intake.answer` and
itself.
"""
