"""The user's private cache folder, and small checked files in it.

The folder is ``$OVERFIT_LAB_CACHE``, else ``$XDG_CACHE_HOME/overfit-lab``, else ``~/.cache/overfit-lab``. It holds
what only saves time: the store's listing index (``core/store_index.py``) and the parsed embedded dataset
(``core/data.py``). Whatever is read back is checked first, since anyone who could write there could forge it:
only a regular file owned by this user and writable by no one else is opened (never through a link), and a
cached payload carries its own sha256. A file that fails a check, or a folder that cannot be written, only costs
the time the cache would have saved.
"""
from __future__ import annotations

import hashlib
import os
import stat as stat_mode
from pathlib import Path

from . import atomic

CACHE_ENV = "OVERFIT_LAB_CACHE"
_O_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def cache_folder() -> Path:
    """Where cached files live: ``$OVERFIT_LAB_CACHE``, else ``$XDG_CACHE_HOME/overfit-lab``, else ``~/.cache/...``."""
    chosen = os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "overfit-lab")
    return Path(chosen)


def is_private(info: os.stat_result) -> bool:
    """Whether a file is regular, owned by this user and writable by no one else."""
    return (stat_mode.S_ISREG(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat_mode.S_IWGRP | stat_mode.S_IWOTH))


def read_checked(path: Path, max_bytes: int) -> bytes | None:
    """The payload of a file written by ``write_checked``, or None if it is missing, not private, too large,
    or its sha256 does not match (torn, corrupt or forged)."""
    try:
        fd = os.open(path, _O_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not is_private(info) or info.st_size > max_bytes:
            return None
        data = atomic.read_all(fd, info.st_size)
    except OSError:
        return None
    finally:
        os.close(fd)
    digest, _, payload = data.partition(b"\n")
    if digest != hashlib.sha256(payload).hexdigest().encode():
        return None
    return payload


def write_checked(path: Path, payload: bytes) -> None:
    """Publish ``payload`` with its sha256 as ``path`` (private to this user); an unwritable cache is ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic.publish(path, lambda tmp: _write_private(tmp, hashlib.sha256(payload).hexdigest().encode() + b"\n"
                                                       + payload), fsync=False)
    except OSError:
        pass


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
