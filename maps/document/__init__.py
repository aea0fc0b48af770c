"""The master plan analysis document (``masterplan``: a Word ``.docx`` built with python-docx), which
``smartcity masterplan`` and every published run write. Worksheet text goes in as plain text runs, never
fields or markup.

May import: ``maps.common`` and ``maps.document``, nothing of ``web``, ``figures`` or ``gis`` (the
figures it shows are handed in as files).
"""
