"""The platform every other room stands on: the one Settings object (``settings``), the only gate to
the database (``db``: engines without side effects, transactions, COPY, migrations, the region lock),
the project-local PostgreSQL cluster (``local_cluster``), its roles (``cluster_roles``) and the
logins both use (``cluster_credentials``: role names, database name, the credentials), named SQL
statements (``queries``), where the project's files are (``paths``), the error types and their
one-line text (``errors``), COPY text formatting (``copyformat``), the Prefect environment the CLI
prepares (``prefect_env``), terminal progress (``progress``), a streaming .xlsx writer (``sheetml``: the
agencies' feedback workbooks, the master plan's issue workbook), the OGC API Features server
(``feature_server``, with what it lets a visitor ask in ``feature_guard``), and the domain's words
defined once (``vocabulary``: dimensions, SWOT, region codes, Indonesia's bounds, formula triggers,
worksheet suffixes).

May import: the standard library, third-party packages and itself (the ground floor imports nothing
above it).
"""
