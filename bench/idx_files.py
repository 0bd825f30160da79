"""Write MNIST-shaped IDX files (nothing may be downloaded): the embedded 5,000 digits shifted and noised."""
from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from core.data import IDX_FILES, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, load_dataset


def idx_bytes(array: np.ndarray, magic: int) -> bytes:
    """An IDX file's bytes: magic, one big-endian uint32 per dimension, then the uint8 data."""
    header = magic.to_bytes(4, "big") + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write_idx(folder: str | Path, images: np.ndarray, labels: np.ndarray, n_train: int, *, gz: bool = False) -> Path:
    """Write ``images`` (N, 28, 28) uint8 and ``labels`` (N,) as the train (first ``n_train``) and t10k IDX files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for (images_name, labels_name), rows in zip(IDX_FILES, (slice(0, n_train), slice(n_train, None))):
        for name, array, magic in ((images_name, images[rows], IDX_IMAGES_MAGIC),
                                   (labels_name, labels[rows], IDX_LABELS_MAGIC)):
            data = idx_bytes(array, magic)
            if gz:
                (folder / (name + ".gz")).write_bytes(gzip.compress(data, compresslevel=1))
            else:
                (folder / name).write_bytes(data)
    return folder


def synthetic_mnist(n_images: int, rng: np.random.Generator, *, chunk: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    """``n_images`` 28x28 digits: mnist5k images picked at random, shifted by up to 2 pixels, with pixel noise."""
    base, labels, _ = load_dataset("mnist5k")
    base = base.reshape(-1, 28, 28)
    images = np.empty((n_images, 28, 28), dtype=np.uint8)
    picked = rng.integers(0, len(base), n_images)
    for start in range(0, n_images, chunk):
        rows = picked[start:start + chunk]
        block = base[rows].astype(np.int16)
        dy, dx = rng.integers(-2, 3, 2)
        block = np.roll(block, (int(dy), int(dx)), axis=(1, 2))
        block += rng.integers(-20, 21, block.shape, dtype=np.int16)
        images[start:start + chunk] = np.clip(block, 0, 255)
    return images, labels[picked].astype(np.uint8)
