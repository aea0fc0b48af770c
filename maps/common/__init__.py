"""What every reader of a run shares: the labels in both languages (``i18n``: every user-visible label
lives there, looked up with ``t()``, which refuses an unknown language or key; the master plan document's
labels are written in ``i18n_document`` and merged into it), the colours (``style``),
where the inputs came from (``provenance``), and the views more than one reader shows (``views``: a
village's score breakdown, what changed since the previous run, the roster).

May import: ``maps.common`` only, nothing of ``web``, ``figures``, ``gis``, ``document`` or the site.
Every other room imports this one.
"""
