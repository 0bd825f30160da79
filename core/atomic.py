"""Atomic file publishing: readers see the old file or the new one, never half of one.

Every writer in the results folder (job progress, search specs and trials, successive-halving rungs) writes to a
dot-prefixed temporary name in the same folder, then renames it over the target with ``os.replace``. The parquet
batches of the store use the same scheme with an open file handle (``store_format.publish``).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Callable


def temporary_name(path: Path) -> Path:
    """A dot-prefixed name beside ``path``: listings skip it, and the rename stays on one filesystem."""
    return path.with_name(f".tmp-{secrets.token_hex(6)}-{path.name}")


def publish(path: Path, write: Callable[[Path], object], *, fsync: bool = True) -> None:
    """Create ``path`` through ``write(tmp_path)`` on a temporary name, then rename it into place.

    ``fsync`` makes the content durable before the rename (for results); progress files that are rewritten many
    times a second skip it. The temporary file is removed if anything fails.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    try:
        write(tmp)
        if fsync:
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def publish_text(path: Path, text: str, *, fsync: bool = True) -> None:
    """``publish`` for a text file."""
    publish(path, lambda tmp: tmp.write_text(text), fsync=fsync)
