"""Who logs in to the project-local cluster: the names of its three roles and of its database, and
the credentials kept in its ``credentials.json`` (:class:`Credentials`, with the URLs they make).

:mod:`smartcity.platform.local_cluster` (which makes the cluster and keeps the file) and
:mod:`smartcity.platform.cluster_roles` (whose admin sets the roles up) both import these names from
here, so neither needs the other's: the cluster imports the roles module, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

ADMIN = "smartcity_admin"
OWNER = "smartcity"  # the application role
READER = "smartcity_reader"
DATABASE = "smartcity"
PREFECT = "smartcity_prefect"  # the local Prefect server's role, owner of its database of the same name


@dataclass(frozen=True)
class Credentials:
    port: int
    password: str  # the application role, OWNER
    reader_password: str
    admin_password: str | None = None  # None: made before the admin role (see local_cluster's docstring)
    owner_is_bootstrap: bool = False  # True until the split of such a cluster is done
    prefect_password: str | None = None  # set by the first `smartcity up` (the local Prefect server)

    def url(
        self,
        *,
        reader: bool = False,
        admin: bool = False,
        driver: str = "postgresql",
        database: str = DATABASE,
    ) -> str:
        """libpq URL (``driver='postgresql'``) or SQLAlchemy URL (``'postgresql+psycopg'``) of the
        application role, or of the reader or the admin."""
        user, password = (READER, self.reader_password) if reader else (OWNER, self.password)
        if admin:
            user, password = ADMIN, self.admin_password
        return f"{driver}://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def prefect_url(self) -> str:
        """The local Prefect server's database (asyncpg, as Prefect's server connects)."""
        return f"postgresql+asyncpg://{PREFECT}:{self.prefect_password}@127.0.0.1:{self.port}/{PREFECT}"
