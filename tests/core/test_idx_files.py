"""Raw IDX files are memory-mapped, gzipped ones decompressed: both give the same dataset and the same split, and a
split built in blocks equals the whole-array conversion bit for bit."""
from __future__ import annotations

import numpy as np

from bench.idx_files import synthetic_mnist, write_idx
from core.config import RunConfig
from core.data import _read_idx, IDX_IMAGES_MAGIC, load_dataset, load_split


def test_raw_and_gzipped_idx_files_give_the_same_split(tmp_path, monkeypatch):
    images, labels = synthetic_mnist(1_200, np.random.default_rng(1))
    write_idx(tmp_path / "raw", images, labels, 1_000)
    write_idx(tmp_path / "gz", images, labels, 1_000, gz=True)
    mapped, _, _ = _read_idx(tmp_path / "raw", "train-images-idx3-ubyte", IDX_IMAGES_MAGIC)
    assert isinstance(mapped, np.memmap) and mapped.shape == (1_000, 28, 28)
    assert np.array_equal(mapped, images[:1_000])
    monkeypatch.setattr("core.data.SPLIT_BLOCK_ROWS", 128)  # several blocks per part
    raw, gz = (load_split(RunConfig(dataset="idx", data_path=str(tmp_path / name), n_train=700, n_val=200,
                                    n_test=300)) for name in ("raw", "gz"))
    assert raw.fingerprint == gz.fingerprint
    x, y, scale = load_dataset("idx", str(tmp_path / "raw"))
    expected = x[raw.indices[0]].astype(np.float32)
    expected /= np.float32(scale)
    for a, b in ((raw.x_train, gz.x_train), (raw.x_test, gz.x_test), (raw.x_train, expected)):
        assert a.dtype == np.float32 and np.array_equal(a, b)
