"""The printable figures of a run (``priority``: PNG, 300 dpi, A4 landscape), drawn with matplotlib
without pyplot, for the report's figure list and the master plan document.

May import: ``maps.common`` and ``maps.figures``, nothing of ``web``, ``gis`` or ``document``.
"""
