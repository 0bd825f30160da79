"""The results folder as the store sees it: which names it lists, how it opens a file, and what it cleans up.

Only regular files directly inside the folder are ever opened. A symbolic link, a directory, a FIFO or a device
named like a results file is listed as a problem with its reason and never opened; files are opened with
``O_NOFOLLOW`` (and ``O_NONBLOCK``, so a FIFO swapped in after the listing cannot block a reader), checked again
with ``fstat``, and refused when larger than ``OVERFIT_LAB_MAX_FILE_MB``.
"""
from __future__ import annotations

import os
import re
import stat as stat_mode
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyarrow as pa

from .atomic import read_all

MAX_FILE_MB_ENV = "OVERFIT_LAB_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 1024  # a compacted store of 10,000 runs of 200 epochs is about 300 MB
ORPHAN_AGE_S = 3600.0       # a curves file without its runs file, or a temporary file, is a live write until this old
IN_MEMORY_BYTES = 8 << 20   # smaller files are read whole into memory; larger ones through the descriptor
SETTLED_S = 2.0             # a folder whose entries last changed this long ago: a later change moves its mtime

_STEM = r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}"
BATCH_RE = re.compile(_STEM)  # a batch or tombstone name, as chosen by a caller or made by new_stamp()
FILE_RE = re.compile(rf"(?P<stem>{_STEM})\.(?P<kind>runs|curves|deleted)\.parquet")
TMP_GLOB = ".tmp-*.parquet"   # a writer's file before it is published; dot files are never listed
_O_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class BadFile(Exception):
    """A file that cannot be used; the message is the reason shown to the user."""


def file_name(stem: str, kind: str) -> str:
    """``<stem>.<kind>.parquet`` for kind ``runs``, ``curves`` or ``deleted``."""
    return f"{stem}.{kind}.parquet"


def stem(name: str) -> str:
    """The batch (or tombstone) name of a file name: ``abc.runs.parquet`` -> ``abc``."""
    return name.split(".", 1)[0]


def max_file_bytes() -> int:
    """The largest file the store reads, from ``$OVERFIT_LAB_MAX_FILE_MB`` (default 1024); raise ValueError if unfit."""
    raw = os.environ.get(MAX_FILE_MB_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_FILE_MB << 20
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = float("nan")
    if not 0 < megabytes < 1 << 30:
        raise ValueError(f"The '{MAX_FILE_MB_ENV}' setting must be a number of megabytes above 0. Got {raw!r} instead.")
    return int(megabytes * (1 << 20))


def file_key(info: os.stat_result) -> tuple[int, int, int, int]:
    """What identifies one version of a file: size, mtime, inode and ctime (which no user can set back)."""
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)


def _kind_of(mode: int) -> str:
    if stat_mode.S_ISLNK(mode):
        return "a symbolic link"
    if stat_mode.S_ISDIR(mode):
        return "a directory"
    if stat_mode.S_ISFIFO(mode):
        return "a FIFO"
    if stat_mode.S_ISCHR(mode) or stat_mode.S_ISBLK(mode):
        return "a device"
    if stat_mode.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular(kind: str) -> str:
    return f"{kind}, not a regular file: only regular files inside the results folder are read"


def open_source(path: Path, max_bytes: int) -> pa.NativeFile:
    """The bytes of the regular file ``path`` as an Arrow reader, never following a link; raise BadFile if unfit.

    Raises FileNotFoundError if the file is gone. Small files are read whole (one system call, no Arrow file
    system lookup); large ones are read through the open descriptor, so a few row groups cost only their bytes.
    (Not a memory map: a file truncated under a map kills the reader with SIGBUS.)
    """
    return open_keyed(path, max_bytes)[0]


def open_keyed(path: Path, max_bytes: int) -> tuple[pa.NativeFile, tuple[int, int, int, int]]:
    """``open_source``, and the ``file_key`` of the very file opened (``fstat`` of its descriptor)."""
    try:
        fd = os.open(path, _O_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno in (getattr(os, "ELOOP", 40), getattr(os, "EMLINK", 31)):  # O_NOFOLLOW met a link
            raise BadFile(not_regular("a symbolic link")) from None
        raise BadFile(f"cannot be opened ({exc.strerror or exc})") from None
    handed_over = False
    try:
        info = os.fstat(fd)
        if not stat_mode.S_ISREG(info.st_mode):
            raise BadFile(not_regular(_kind_of(info.st_mode)))
        if info.st_size > max_bytes:
            raise BadFile(too_large(info.st_size, max_bytes))
        if info.st_size > IN_MEMORY_BYTES:
            handed_over = True  # the file object owns the descriptor from here, and closes it when dropped
            return pa.PythonFile(os.fdopen(fd, "rb"), mode="r"), file_key(info)
        return pa.BufferReader(read_all(fd, info.st_size)), file_key(info)
    finally:
        if not handed_over:
            os.close(fd)


def too_large(size: int, max_bytes: int) -> str:
    return (f"{size / (1 << 20):.1f} MB, over the {max_bytes / (1 << 20):g} MB limit on files the store reads "
            f"(setting {MAX_FILE_MB_ENV})")


def fsync_dir(folder: Path) -> None:
    """Make the renames durable (POSIX); a no-op where directories cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


READER_THREADS = 4  # curves files read at once: decoding releases the GIL, and the disk may be a network share
_POOL: list[ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def reader_pool() -> ThreadPoolExecutor:
    """One small thread pool per process, made on first use."""
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(READER_THREADS, thread_name_prefix="store-read"))
        return _POOL[0]


def is_regular(path: Path) -> bool:
    """Whether ``path`` is a regular file itself (a link to one does not count)."""
    try:
        return stat_mode.S_ISREG(path.lstat().st_mode)
    except FileNotFoundError:
        return False


# ---- listing ------------------------------------------------------------------------------------------------------
@dataclass
class Scan:
    """One listing of a results folder: file name -> ``file_key`` (size, mtime_ns, inode, ctime_ns), per kind."""

    runs: dict[str, tuple[int, int, int, int]]
    curves: dict[str, tuple[int, int, int, int]]
    tombstones: dict[str, tuple[int, int, int, int]]
    foreign: dict[str, tuple[int, int, int, int]]
    listed: set[str] = field(default_factory=set)     # runs and tombstone names as the directory returned them
    special: dict[str, str] = field(default_factory=dict)  # *.parquet names that are not regular files: what they are

    @property
    def stamp(self) -> tuple:
        return tuple(sorted((n, *k) for n, k in (*self.runs.items(), *self.tombstones.items())))


def committed(names: Iterable[str]) -> set[str]:
    """The runs and tombstone files among ``names``: the files a listing must not miss."""
    return {n for n in names if n.endswith((".runs.parquet", ".deleted.parquet")) and FILE_RE.fullmatch(n)}


def committed_names(folder: Path) -> set[str]:
    """The names in ``folder`` that look like runs and tombstone files: one listing of names, no ``stat``. Equal to
    a ``Scan``'s ``listed`` when the folder holds the same such files (a foreign name makes them differ: the
    caller then lists in full)."""
    return {n for n in os.listdir(folder)
            if n.endswith((".runs.parquet", ".deleted.parquet")) and not n.startswith(".")}  # not a write in flight


def _list_once(folder: Path) -> Scan:
    scan = Scan({}, {}, {}, {})
    by_kind = {"runs": scan.runs, "curves": scan.curves, "deleted": scan.tombstones, "foreign": scan.foreign}
    with os.scandir(folder) as listing:  # names first, then stat: a removal cannot slip between the two
        entries = [e for e in listing if not e.name.startswith(".") and e.name.endswith(".parquet")]
    scan.listed = committed(e.name for e in entries)
    for entry in entries:  # temporary files, .jobs/ and anything that is not parquet are not ours to judge
        try:
            info = entry.stat(follow_symlinks=False)  # lstat: a link (even one that loops) is seen as a link
        except FileNotFoundError:
            continue
        if not stat_mode.S_ISREG(info.st_mode):
            scan.special[entry.name] = not_regular(_kind_of(info.st_mode))
            continue
        match = FILE_RE.fullmatch(entry.name)
        by_kind[match["kind"] if match else "foreign"][entry.name] = file_key(info)
    return scan


def list_folder(folder: Path, attempts: int = 3) -> Scan:
    """List the results files of ``folder``, checked against a second, names-only listing.

    A directory listing is not a snapshot: a merge that publishes one file and removes another while the listing
    runs could hide both. A second listing that names the same runs and tombstone files proves it did not; after
    ``attempts`` listings that disagree, the last one is returned.
    """
    scan = _list_once(folder)
    for _attempt in range(attempts - 1):
        if committed(os.listdir(folder)) == scan.listed:
            break
        scan = _list_once(folder)
    return scan


def settled_mark(folder: Path) -> tuple[int, int, int, int] | None:
    """Taken just before a listing: the folder's (device, inode, mtime_ns, ctime_ns) if its entries last changed
    over ``SETTLED_S`` ago, else None. While ``unchanged_since(folder, mark)`` holds, no file has been added to the
    folder, removed or renamed since, so that listing still stands, learnt from one ``stat`` instead of one per file.

    Why the wait: a folder's mtime has the filesystem's tick (a few ms here, 2 s on FAT), and a second change in the
    tick of the last one would leave it as it was. Once the last change is older than any tick, the next one moves
    it (the idea of git's "racily clean" index entries). The store never rewrites a published file in place
    (``atomic.publish`` renames); a file edited in place by hand is seen by the next full listing (``load_runs``).
    """
    now = time.time_ns()
    info = os.stat(folder)
    if max(info.st_mtime_ns, info.st_ctime_ns) > now - SETTLED_S * 1e9:
        return None
    return info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns


def unchanged_since(folder: Path, mark: tuple[int, int, int, int] | None) -> bool:
    """Whether no entry of ``folder`` changed since ``settled_mark`` gave ``mark`` (False for no mark)."""
    if mark is None:
        return False
    try:
        info = os.stat(folder)
    except OSError:
        return False
    return (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns) == mark


def holds_the_same(folder: Path, mark: tuple[int, int, int, int] | None, listed: set[str]) -> bool:
    """Whether ``folder`` still holds the runs and tombstone files a listing found (its ``Scan.listed``, taken after
    ``settled_mark`` gave ``mark``): unchanged since (one ``stat``), or, in a folder being written to, the same such
    names (one names-only listing; its new curves and temporary files change nothing yet)."""
    return unchanged_since(folder, mark) or committed_names(folder) == listed


def listing_problems(scan: Scan, now_ns: int, folder: Path | None = None) -> dict[str, str]:
    """Problems seen from the listing alone: foreign names, links and special files, and curves files left alone
    for too long. (A file over the size limit is found when it is opened.)

    With ``folder``, each old lone curves file is looked at again before it is reported: a merge that removed its
    batch while the listing ran touched the curves file first (``remove_batch``), so a fresh look sees it young or
    gone, and a runs file published meanwhile is seen too.
    """
    problems = {name: "not a results file name (expected <batch>.runs.parquet, <batch>.curves.parquet "
                      "or <stamp>.deleted.parquet)" for name in scan.foreign}
    problems.update(scan.special)
    for name in orphans(scan, now_ns):
        if folder is not None and not _still_orphan(folder, name, now_ns):
            continue
        problems[name] = "curves without a runs file for over an hour (an interrupted write?)"
    return problems


def _still_orphan(folder: Path, name: str, now_ns: int, max_age_s: float = ORPHAN_AGE_S) -> bool:
    """Whether the curves file ``name`` is, looked at now, still old and still without its runs file."""
    try:
        info = os.lstat(folder / name)
    except FileNotFoundError:
        return False
    return (now_ns - info.st_mtime_ns > max_age_s * 1e9
            and not os.path.lexists(folder / file_name(stem(name), "runs")))


def orphans(scan: Scan, now_ns: int, max_age_s: float = ORPHAN_AGE_S) -> list[str]:
    """Curves files without their runs file (the commit marker) and untouched for over ``max_age_s`` seconds."""
    run_stems = {stem(name) for name in scan.runs}
    return [name for name, key in scan.curves.items()
            if stem(name) not in run_stems and now_ns - key[1] > max_age_s * 1e9]


# ---- removing -----------------------------------------------------------------------------------------------------
def remove_batch(folder: Path, batch: str) -> None:
    """Remove a batch whose runs are published elsewhere: the runs file (the commit marker) first, then the curves.

    The curves file's mtime is set to now first, so a reader that lists the folder between the two removals takes
    the lone curves file for a write in progress, not for a leftover of an interrupted one.
    """
    curves = folder / file_name(batch, "curves")
    try:
        os.utime(curves, follow_symlinks=False)
    except (OSError, NotImplementedError):  # gone already: then the short window is only a possible false report
        pass
    (folder / file_name(batch, "runs")).unlink(missing_ok=True)
    curves.unlink(missing_ok=True)


def remove_leftovers(folder: Path, max_age_s: float = ORPHAN_AGE_S) -> list[str]:
    """Remove what writers that died left behind, once untouched for over ``max_age_s`` seconds; return the names.

    That is temporary files (``.tmp-*.parquet``) and curves files without their runs file. Anything younger may
    belong to a live writer and is left alone; links and special files are never touched.
    """
    now = time.time()
    removed = []
    scan = list_folder(folder)
    candidates = [p.name for p in folder.glob(TMP_GLOB)] + orphans(scan, time.time_ns(), max_age_s)
    for name in candidates:
        path = folder / name
        try:
            info = path.lstat()
            if stat_mode.S_ISREG(info.st_mode) and now - info.st_mtime > max_age_s:
                if name.endswith(".curves.parquet") and (folder / file_name(stem(name), "runs")).exists():
                    continue  # its commit marker appeared since the listing: a batch, not a leftover
                path.unlink()
                removed.append(name)
        except FileNotFoundError:
            pass
    return removed
