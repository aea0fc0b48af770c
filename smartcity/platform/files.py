"""Writing and reading files without following symbolic links.

Every file the product writes under the output and state folders goes through :func:`atomic_write`
(or :func:`write_bytes` / :func:`write_text`): the content goes to a new temporary file in the same
folder (created exclusively, so nothing planted there is followed), is flushed, given its mode, and
renamed over the final name. ``rename`` replaces a symbolic link found at that name instead of writing
through it, and a reader never sees half a file. Folders are made by :func:`safe_folder`, which refuses
a symbolic link anywhere below the configured root it is given (the configured folder itself may be a
link: that is the operator's choice).

Processes take turns on what they share (the local cluster, the Prefect server) with :func:`locked`, an
exclusive lock on a lock file of their own.

Inputs are read by :func:`read_regular`: a symbolic link, a device, a pipe or a folder is refused with
a one-line reason before a byte is read, and a file larger than its limit is refused as well.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: mode of published files and folders: a web server running as another user can read them
FILE_MODE, FOLDER_MODE = 0o644, 0o755


class UnsafePath(OSError):
    """A path the product refuses to write through or read: a symbolic link or not a regular file."""


def refusal(path: Path) -> str | None:
    """Why ``path`` is not read as an input file (a symbolic link, not a regular file), or None."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        return "a symbolic link: only regular files are read (copy the file itself into the folder)"
    if not stat.S_ISREG(info.st_mode):
        return f"not a regular file ({_kind(info.st_mode)}): only regular files are read"
    return None


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a pipe"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, opened without following a symbolic link.

    Raises :class:`UnsafePath` (one line) for a link or anything but a regular file, and for a file of
    more than ``limit`` bytes; other OSErrors as they come.
    """
    why = refusal(path)
    if why is not None and why != "no such file":
        raise UnsafePath(why)
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # swapped between the check and the open
            raise UnsafePath(f"not a regular file ({_kind(info.st_mode)}): only regular files are read")
        if limit is not None and info.st_size > limit:
            raise UnsafePath(
                f"the file is {info.st_size / 1e6:.1f} MB, over the limit of {limit / 1e6:.0f} MB"
            )
        data = handle.read() if limit is None else handle.read(limit + 1)
    if limit is not None and len(data) > limit:  # grew while read
        raise UnsafePath(f"the file is over the limit of {limit / 1e6:.0f} MB")
    return data


def safe_folder(root: Path, *parts: str) -> Path:
    """``root/parts...``, created (mode 0755) where missing, refusing a symbolic link below ``root``."""
    folder = Path(root)
    folder.mkdir(parents=True, exist_ok=True)
    for part in parts:
        if not part:
            continue
        folder = folder / part
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=FOLDER_MODE)
        if folder.is_symlink() or not folder.is_dir():
            raise UnsafePath(f"{folder} is a symbolic link or not a folder: refusing to write into it")
    return folder


@contextlib.contextmanager
def atomic_write(path: Path, mode: int = FILE_MODE) -> Iterator[Path]:
    """A temporary path in ``path``'s folder to write to; renamed over ``path`` when the block ends.

    The final name is replaced, never written through: a symbolic link planted there is replaced by
    the new file and its target is left untouched. On an error the temporary file is removed and
    ``path`` keeps its old content.
    """
    path = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name[:80]}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    work = Path(temporary)
    try:
        yield work
        if work.is_symlink() or not work.is_file():  # replaced under us: never rename a link into place
            raise UnsafePath(f"{work} was replaced while written")
        os.chmod(work, mode)
        os.replace(work, path)
    except BaseException:
        with contextlib.suppress(OSError):
            work.unlink()
        raise


def write_bytes(path: Path, data: bytes, mode: int = FILE_MODE) -> Path:
    """Write ``data`` to ``path`` atomically, never through a symbolic link (see :func:`atomic_write`)."""
    with atomic_write(path, mode) as work:
        with open(work, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    return Path(path)


def write_text(path: Path, text: str, mode: int = FILE_MODE) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically, never through a symbolic link."""
    return write_bytes(path, text.encode("utf-8"), mode)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the lock file ``path`` (made if missing) for the block; another process
    asking for it waits. The kernel drops the lock when the process dies, even by SIGKILL."""
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish_modes(folder: Path) -> None:
    """Make a folder tree readable by a web server: folders 0755, files 0644 (links are left alone)."""
    os.chmod(folder, FOLDER_MODE)
    for current, folders, files in os.walk(folder):
        for name in folders:
            if not os.path.islink(os.path.join(current, name)):
                os.chmod(os.path.join(current, name), FOLDER_MODE)
        for name in files:
            if not os.path.islink(os.path.join(current, name)):
                os.chmod(os.path.join(current, name), FILE_MODE)
