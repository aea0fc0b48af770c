"""Core of the Smart City spatial pipeline: five rooms, named after the domain.

- :mod:`smartcity.platform`: settings, the database gate, the local cluster, named SQL, paths, errors
- :mod:`smartcity.reference`: codes, names, boundaries, the reference load, IKN
- :mod:`smartcity.intake`: agencies' worksheets, from the inbox to ``core.issue``, and their feedback
- :mod:`smartcity.scoring`: the priority model and the scores recorded in ``mart``
- :mod:`smartcity.pipeline`: the pipeline's bookkeeping and the pure decisions its flow asks about

Imports go one way, down this list (a room imports the rooms above it, never one below); the core
never imports Prefect, ``flows``, ``tasks`` or ``maps`` (the command line, ``cli/``, calls flows, lazily).
``tests/test_layout.py`` checks both.
"""

import os as _os

# openpyxl writes with the standard library's XML writer, whether or not lxml is installed (python-docx
# brings it): the worksheet template and the demo worksheets stay byte-for-byte reproducible, whatever
# else the environment has. Set OPENPYXL_LXML=True to override. Must run before openpyxl is imported.
_os.environ.setdefault("OPENPYXL_LXML", "False")
