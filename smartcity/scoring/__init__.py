"""Priority scoring: the model file and its checks (``model``, with the shipped
``scoring_default.toml``), AHP weights (``ahp``), priority classes (``classes``), the scores of areas
(``scores``), hot spots (``hotspots``), robustness under weight changes (``robustness``), a region's
scoring run recorded in ``mart`` (``runs``) and a run's results read back for the maps and reports
(``results``).

Words: a scoring run is *recorded* (mart rows, one transaction); a run's pages and files are
*published* (``smartcity publish``, ``maps/site.py``); Prefect *artifacts* are summaries in the UI.

May import: :mod:`smartcity.platform`, :mod:`smartcity.reference` and itself.
"""
