"""A project-local PostgreSQL + PostGIS cluster that starts itself: used when no database URL is set.

Layout, under ``settings.pg_dir`` (``.smartcity/pg``, gitignored)::

    data/               the cluster (owned by the server's OS user)
    run/                private Unix socket directory
    postgres.log        server log
    credentials.json    port and generated passwords of the three roles (mode 0600, never committed)
    cluster.lock        serialises create/start/stop between processes

Decisions:
- PostgreSQL refuses to run as root, so when we are root the server runs as the ``postgres`` OS user
  (created by Debian's postgresql package) through ``runuser``. When that user cannot reach the project
  folder (a checkout under /root, say), the cluster lives in ``/var/lib/smartcity/clusters/<hash>`` and
  ``.smartcity/pg`` is a symlink to it.
- The server listens on 127.0.0.1 only, on a port chosen once (first free from 55432) and kept; logins
  use SCRAM passwords generated at creation, so other local users cannot connect without the file.
- Three roles (:mod:`smartcity.platform.cluster_roles` sets them up): ``smartcity_admin``, the cluster's
  superuser, which only creates roles, databases and the PostGIS extension; ``smartcity``, the
  application, not a superuser, owner of the database and of everything the migrations make in it; and
  ``smartcity_reader`` (read-only, for QGIS/psql; its grants come from the migrations). The admin makes
  the databases (``CREATE DATABASE ... OWNER smartcity``), so the application needs no CREATEDB.
- A cluster made before the admin role existed (its credentials have no ``admin_password``) logs the
  application in as the bootstrap superuser. Its next start splits that role: the bootstrap role
  becomes ``smartcity_admin`` with a new password and a new, ordinary ``smartcity`` keeps the old one,
  so URLs already handed out keep working, now without superuser rights
  (:func:`smartcity.platform.cluster_roles.split_bootstrap_role`). Sessions opened before stay what they
  were until they end: restart a long-running ``smartcity serve`` after upgrading.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

from smartcity.platform.cluster_credentials import ADMIN, Credentials
from smartcity.platform.errors import DatabaseUnavailable, SetupError
from smartcity.platform.files import locked
from smartcity.platform.settings import Settings

FIRST_PORT = 55432
SHARED_ROOT = Path("/var/lib/smartcity/clusters")


@dataclass(frozen=True)
class PgBinaries:
    bindir: Path
    sharedir: Path
    version: int

    def tool(self, name: str) -> str:
        return str(self.bindir / name)


def find_binaries(bindir: Path | None = None) -> PgBinaries:
    """Locate initdb/pg_ctl (in ``bindir`` when given) and check PostGIS is there for that version."""
    if bindir is not None:
        return _checked(bindir, where=f" in {bindir} (SMARTCITY_PG_BINDIR)")
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    candidates += [Path(p) for p in found]
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).parent)
    found_dir = next((c for c in candidates if _has_server(c)), None)
    return _checked(found_dir, where="")


def _has_server(bindir: Path) -> bool:
    return all((bindir / name).exists() for name in ("initdb", "pg_ctl", "postgres"))


def _checked(bindir: Path | None, where: str) -> PgBinaries:
    if bindir is None or not _has_server(bindir):
        raise SetupError(
            f"PostgreSQL server programs (initdb, pg_ctl, postgres) not found{where}: install them, e.g. "
            "`apt-get install postgresql postgresql-15-postgis-3` (Debian/Ubuntu), "
            "or set SMARTCITY_DATABASE_URL to an existing PostGIS database."
        )
    version_text = subprocess.run(
        [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    version = int(version_text.split()[-1].split(".")[0])
    sharedir = _sharedir(bindir, version)
    if not (sharedir / "extension" / "postgis.control").exists():
        raise SetupError(
            f"PostGIS is not installed for PostgreSQL {version} ({sharedir}/extension/postgis.control "
            f"missing): install it, e.g. `apt-get install postgresql-{version}-postgis-3`."
        )
    return PgBinaries(bindir=bindir, sharedir=sharedir, version=version)


def _version_key(path: str) -> float:
    try:
        return float(Path(path).parent.name)
    except ValueError:
        return 0.0


def _sharedir(bindir: Path, version: int) -> Path:
    if (bindir / "pg_config").exists():
        out = subprocess.run(
            [str(bindir / "pg_config"), "--sharedir"], capture_output=True, text=True, check=False
        )
        if out.returncode == 0 and out.stdout.strip():
            return Path(out.stdout.strip())
    for guess in (Path(f"/usr/share/postgresql/{version}"), bindir.parent / "share" / "postgresql"):
        if guess.exists():
            return guess
    return bindir.parent / "share"


# --- who runs the server ---------------------------------------------------------------------------


def _service_user() -> pwd.struct_passwd:
    """The OS user that owns and runs the cluster: ``postgres`` when we are root, else ourselves."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise SetupError(
            "running as root, but there is no `postgres` OS user to run PostgreSQL as: install "
            "Debian's postgresql package (it creates the user) or run as an ordinary user."
        ) from None


def _runuser() -> str:
    """Path of util-linux's runuser, also when /usr/sbin is not on PATH (cron, minimal shells)."""
    found = shutil.which("runuser") or next(
        (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if os.access(p, os.X_OK)), None
    )
    if found is None:
        raise SetupError("running as root needs `runuser` to start PostgreSQL: apt-get install util-linux")
    return found


def _as_service(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        cmd = [_runuser(), "-u", _service_user().pw_name, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)


def _service_can_write(path: Path) -> bool:
    if os.geteuid() != 0:
        return os.access(path, os.W_OK | os.X_OK)
    return _as_service(["test", "-w", str(path), "-a", "-x", str(path)]).returncode == 0


def cluster_dir(settings: Settings) -> Path:
    """The cluster folder, created if needed and reachable by the service user."""
    pg_dir = settings.pg_dir.absolute()
    if pg_dir.is_symlink() or pg_dir.exists():
        return pg_dir.resolve()
    pg_dir.parent.mkdir(parents=True, exist_ok=True)
    pg_dir.mkdir(mode=0o755)
    if os.geteuid() == 0:
        user = _service_user()
        os.chown(pg_dir, user.pw_uid, user.pw_gid)
        if not _service_can_write(pg_dir):
            # The postgres user cannot traverse the checkout (e.g. under /root): live elsewhere.
            pg_dir.rmdir()
            digest = hashlib.sha256(str(pg_dir).encode()).hexdigest()[:12]
            target = SHARED_ROOT / digest
            if target.exists():  # left by an earlier folder at this path, since deleted: stale
                _remove_cluster(target, settings.pg_bindir)
            target.mkdir(parents=True, mode=0o755)
            os.chown(target, user.pw_uid, user.pw_gid)
            pg_dir.symlink_to(target, target_is_directory=True)
            return target
    return pg_dir


def _locked(root: Path) -> contextlib.AbstractContextManager[None]:
    """Serialises create, start and stop of the cluster between processes."""
    return locked(root / "cluster.lock")


# --- credentials ---------------------------------------------------------------------------------


def read_credentials(root: Path) -> Credentials | None:
    path = root / "credentials.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    return Credentials(
        port=int(data["port"]),
        password=data["password"],
        reader_password=data["reader_password"],
        admin_password=data.get("admin_password"),
        owner_is_bootstrap=data.get("owner_is_bootstrap", "admin_password" not in data),
        prefect_password=data.get("prefect_password"),
    )


def _write_credentials(root: Path, creds: Credentials) -> None:
    path = root / "credentials.json"
    values = {
        k: v for k, v in creds.__dict__.items() if k not in ("owner_is_bootstrap", "prefect_password") or v
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle, indent=2)


def _free_port(start: int = FIRST_PORT) -> int:
    for port in range(start, start + 200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SetupError(f"no free TCP port on 127.0.0.1 between {start} and {start + 199}")


# --- lifecycle -----------------------------------------------------------------------------------


def _initdb(bins: PgBinaries, root: Path, creds: Credentials, fast: bool, superuser: str = ADMIN) -> None:
    """initdb with ``superuser`` as the bootstrap role (the tests make a cluster of before the admin
    role with ``superuser=OWNER``)."""
    user = _service_user()
    for sub in ("data", "run"):
        (root / sub).mkdir(mode=0o700, exist_ok=True)
        os.chown(root / sub, user.pw_uid, user.pw_gid)
    pwfile = root / "run" / "initdb.pw"
    pwfile.write_text(creds.admin_password + "\n")
    os.chown(pwfile, user.pw_uid, user.pw_gid)
    pwfile.chmod(0o600)
    try:
        done = _as_service(
            [bins.tool("initdb"), "-D", str(root / "data"), "-U", superuser, f"--pwfile={pwfile}",
             "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-instructions"]
        )  # fmt: skip
    finally:
        pwfile.unlink(missing_ok=True)
    if done.returncode != 0:
        raise SetupError(f"initdb failed in {root / 'data'}: {_last_line(done.stderr)}")
    tuning = ["max_wal_size = '1GB'"]
    if fast:
        tuning += ["fsync = off", "synchronous_commit = off", "full_page_writes = off",
                   "max_wal_size = '4GB'"]  # fmt: skip
    with open(root / "data" / "postgresql.conf", "a") as conf:
        conf.write("\n# smartcity\n" + "\n".join(tuning) + "\ninclude_if_exists 'smartcity.conf'\n")


def _write_runtime_conf(root: Path, port: int) -> None:
    sock = str(root / "run").replace("'", "''")
    conf = root / "data" / "smartcity.conf"
    text = f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{sock}'\n"
    _as_service(["tee", str(conf)], input=text)


def is_running(settings: Settings) -> bool:
    root = settings.pg_dir.absolute().resolve()
    if not (root / "data" / "PG_VERSION").exists():
        return False
    pg_ctl = find_binaries(settings.pg_bindir).tool("pg_ctl")
    return _as_service([pg_ctl, "status", "-D", str(root / "data")]).returncode == 0


def ensure_running(settings: Settings) -> Credentials:
    """Create (first time) and start the local cluster, with its roles, database and PostGIS; split
    the role of a cluster made before the admin role. Idempotent."""
    bins = find_binaries(settings.pg_bindir)
    root = cluster_dir(settings)
    with _locked(root):
        creds = read_credentials(root)
        if creds is None:
            port = settings.local_pg_port or _free_port()
            creds = Credentials(port, *(secrets.token_hex(16) for _ in range(3)))
            _initdb(bins, root, creds, settings.local_pg_fast)
            _write_credentials(root, creds)
        elif creds.admin_password is None:
            # Saved before any role changes, so a crash in the split cannot lose the admin's password.
            creds = replace(creds, admin_password=secrets.token_hex(16), owner_is_bootstrap=True)
            _write_credentials(root, creds)
        if settings.local_pg_port and settings.local_pg_port != creds.port:
            creds = replace(creds, port=settings.local_pg_port)
            _stop(bins, root)
            _write_credentials(root, creds)
        data = str(root / "data")
        if _as_service([bins.tool("pg_ctl"), "status", "-D", data]).returncode != 0:
            creds = _start(bins, root, creds, port_chosen=settings.local_pg_port is not None)
        if creds.owner_is_bootstrap:
            from smartcity.platform import cluster_roles  # psycopg only when the cluster is touched

            cluster_roles.split_bootstrap_role(creds)
            creds = replace(creds, owner_is_bootstrap=False)
            _write_credentials(root, creds)
        _ensure_database(creds)
    return creds


def _start(bins: PgBinaries, root: Path, creds: Credentials, port_chosen: bool) -> Credentials:
    """Start the cluster on its port. When another server took that port meanwhile (a second cluster
    started at the same moment, or while this one was stopped) and the port was not configured
    (SMARTCITY_LOCAL_PG_PORT), move to a free one and say so in credentials.json; up to 5 tries."""
    data = str(root / "data")
    for _ in range(5):
        _write_runtime_conf(root, creds.port)
        started = _as_service(
            [bins.tool("pg_ctl"), "start", "-D", data, "-l", str(root / "postgres.log"), "-w", "-t", "120"]
        )
        if started.returncode == 0:
            return creds
        if port_chosen or not _port_was_taken(root):
            break
        # another start may be racing for the same next port: look from a random place in the range
        creds = replace(creds, port=_free_port(FIRST_PORT + secrets.randbelow(150)))
        _write_credentials(root, creds)
    raise DatabaseUnavailable(
        f"local PostgreSQL did not start (port {creds.port}): {_last_line(started.stderr)}; "
        f"see {root / 'postgres.log'}"
    )


def _port_was_taken(root: Path) -> bool:
    """Whether the server's last start failed because its port was in use (from the end of its log)."""
    try:
        with open(root / "postgres.log", "rb") as log:
            log.seek(0, 2)
            log.seek(max(log.tell() - 4096, 0))
            tail = log.read().decode("utf-8", "replace")
    except OSError:
        return False
    return "could not bind" in tail or "Address already in use" in tail


def _ensure_database(creds: Credentials) -> None:
    """As the admin: the application and reader logins, the database and PostGIS (see cluster_roles)."""
    import psycopg

    from smartcity.platform import cluster_roles

    with _connect_retrying(psycopg, creds.url(admin=True, database="postgres")) as conn:
        conn.autocommit = True
        cluster_roles.ensure_roles(conn, creds)
        cluster_roles.ensure_database(conn, creds)


def ensure_prefect_database(settings: Settings) -> Credentials:
    """The local Prefect server's own role and database in the running cluster (its password made and
    kept in credentials.json the first time). Idempotent; the credentials, with ``prefect_password``."""
    import psycopg

    from smartcity.platform import cluster_roles

    root = cluster_dir(settings)
    with _locked(root):
        creds = read_credentials(root)
        if creds.prefect_password is None:
            creds = replace(creds, prefect_password=secrets.token_hex(16))
            _write_credentials(root, creds)
        with _connect_retrying(psycopg, creds.url(admin=True, database="postgres")) as conn:
            conn.autocommit = True
            cluster_roles.ensure_prefect_database(conn, creds)
    return creds


def _connect_retrying(psycopg_module, url: str, attempts: int = 50):
    for attempt in range(attempts):
        try:
            return psycopg_module.connect(url, connect_timeout=10)
        except psycopg_module.OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")


def _stop(bins: PgBinaries, root: Path) -> bool:
    data = str(root / "data")
    if _as_service([bins.tool("pg_ctl"), "status", "-D", data]).returncode != 0:
        return False
    done = _as_service([bins.tool("pg_ctl"), "stop", "-D", data, "-m", "fast", "-w", "-t", "60"])
    if done.returncode != 0:
        raise DatabaseUnavailable(f"local PostgreSQL did not stop: {_last_line(done.stderr)}")
    return True


def stop(settings: Settings) -> bool:
    """Stop the local cluster; True if it was running. Data stays on disk."""
    root = settings.pg_dir.absolute().resolve()
    if not (root / "data" / "PG_VERSION").exists():
        return False
    with _locked(root):
        return _stop(find_binaries(settings.pg_bindir), root)


def status(settings: Settings) -> dict:
    """What a person wants to know about the local cluster, as plain values."""
    root = settings.pg_dir.absolute().resolve()
    creds = read_credentials(root) if root.exists() else None
    created, running = (root / "data" / "PG_VERSION").exists(), is_running(settings)
    return {
        "created": created,
        "running": running,
        "state": "running" if running else ("stopped" if created else "not created"),
        "path": str(root),
        "port": creds.port if creds else None,
    }


def destroy(settings: Settings) -> None:
    """Stop the local cluster and delete it with all its data (tests and `make clean` use this)."""
    pg_dir = settings.pg_dir.absolute()
    if pg_dir.is_symlink():
        _remove_cluster(pg_dir.resolve(), settings.pg_bindir)
        pg_dir.unlink()
    elif pg_dir.exists():
        _remove_cluster(pg_dir, settings.pg_bindir)


def _remove_cluster(root: Path, bindir: Path | None) -> None:
    if (root / "data" / "PG_VERSION").exists():
        _stop(find_binaries(bindir), root)
    shutil.rmtree(root)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "no output"
