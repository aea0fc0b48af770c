"""The pipeline's bookkeeping and decisions: the run log in ``smartcity.pipeline_run`` (``run_log``),
the run summary artifact (``summary``), the typed state of a run and its regions (``state``) and the
pure decisions the pipeline flow asks about (``decisions``: did a region change, can its pages be
reused, how many files in flight, how a failure is classified).

May import: every other room of :mod:`smartcity`; never Prefect (``flows/pipeline.py`` sequences
the tasks and asks these functions).
"""
