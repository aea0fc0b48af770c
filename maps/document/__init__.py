"""The master plan analysis document (``masterplan``: a Word ``.docx`` built with python-docx, in the
chapters of Kominfo's masterplan guide), which ``smartcity masterplan`` and every published run write, and
the complete list of issues beside it (``annex``: an .xlsx). Inside: ``docx_kit`` (paper, language, page
numbers, bookmarks, lists with page references, tables sized to their words), ``strategies`` (the draft
TOWS strategies, pairing what agencies reported), ``readiness`` (the region's readiness per dimension).
Worksheet text goes in as plain text runs, never fields or markup.

May import: ``maps.common`` and ``maps.document``, nothing of ``web``, ``figures`` or ``gis`` (the
figures it shows are handed in as files).
"""
