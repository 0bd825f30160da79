"""Atomic file publishing: readers see the old file or the new one, never half of one.

Every writer in the results folder (the store's parquet batches and tombstones, job progress, search specs and
trials, successive-halving rungs) writes to a dot-prefixed temporary name in the same folder, then renames it over
the target with ``os.replace``. A full disk raises ``NoSpaceError`` ("no space left in <folder>") and leaves no file
behind. ``read_all`` is the matching read: all of an open file's bytes, however the kernel hands them out.
"""
from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path
from typing import Callable

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}


class NoSpaceError(OSError):
    """A write failed because the disk (or the quota) is full; the message names the folder, on one line."""

    def __init__(self, folder: Path):
        super().__init__(f"no space left in {folder}")
        self.errno = errno.ENOSPC
        self.folder = folder


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk or the quota is full (pyarrow's write errors carry the errno only in text)."""
    if not isinstance(exc, OSError):
        return False
    return exc.errno in _FULL or "No space left on device" in str(exc) or "Disk quota exceeded" in str(exc)


def temporary_name(path: Path) -> Path:
    """A dot-prefixed name beside ``path``: listings skip it, and the rename stays on one filesystem."""
    return path.with_name(f".tmp-{secrets.token_hex(6)}-{path.name}")


def publish(path: Path, write: Callable[[Path], object], *, fsync: bool = True) -> None:
    """Create ``path`` through ``write(tmp_path)`` on a temporary name, then rename it into place.

    ``fsync`` makes the content durable before the rename (for results); progress files that are rewritten many
    times a second skip it. The temporary file is removed if anything fails; a full disk raises ``NoSpaceError``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    try:
        write(tmp)
        if fsync:
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if is_disk_full(exc):
            raise NoSpaceError(path.parent) from exc
        raise


def publish_text(path: Path, text: str, *, fsync: bool = True) -> None:
    """``publish`` for a text file."""
    publish(path, lambda tmp: tmp.write_text(text), fsync=fsync)


def read_all(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes of the open file ``fd`` from its position: ``os.read`` may return fewer at a time."""
    chunks, left = [], size
    while left > 0:
        chunk = os.read(fd, left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
