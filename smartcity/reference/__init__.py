"""Reference geography (administrative codes are words of ``smartcity.platform.vocabulary``): place
names and their spellings (``gazetteer``), reading boundary files (``boundaries``) and the upstream
village files (``wilayah_boundaries``), geometry checks and repairs (``geometry_checks``), village
attributes such as IDM and population (``attributes``), official names of districts and regencies
(``place_names``), where a region's reference data came from (``provenance``), loading a region's
districts and villages into ``ref`` (``load``), what the pipeline makes sure is in place
(``ensure``), the IKN boundary and zones (``ikn``: geometry; ``ikn_load``: into ``ref``).

May import: :mod:`smartcity.platform` and itself.
"""
