"""Datasets and the stratified split: shapes, ranges, disjointness, stratification, determinism, IDX errors."""
from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import numpy as np
import pytest

from core.config import EMBEDDED_SIZES, ConfigError, RunConfig
from core.data import DataError, Split, _allocate, dataset_summary, load_dataset, load_split

IMAGES_MAGIC, LABELS_MAGIC = 0x00000803, 0x00000801


def _parts(split: Split) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(split.x_train, split.y_train), (split.x_val, split.y_val), (split.x_test, split.y_test)]


def _assert_stratified(split: Split, labels: np.ndarray) -> None:
    """Every part's per-class count is within one image of its proportional share (strictly)."""
    share = np.bincount(labels, minlength=split.n_classes) / len(labels)
    for _, y in _parts(split):
        counts = np.bincount(y, minlength=split.n_classes)
        assert np.all(np.abs(counts - len(y) * share) < 1), (counts, len(y) * share)


# ---- mnist5k ----------------------------------------------------------------------------------------------------------
def test_mnist5k_is_the_real_5000_images_sorted_by_label():
    images, labels, scale = load_dataset("mnist5k")
    assert images.shape == (5000, 784) and images.dtype == np.uint8
    assert labels.dtype == np.int64 and np.array_equal(np.bincount(labels), [500] * 10)
    assert np.all(np.diff(labels) >= 0)  # the file is sorted by label: the split must shuffle
    assert scale == 255.0 and images.max() == 255 and images.min() == 0
    assert not images.flags.writeable


def test_default_split_sizes_dtype_and_pixel_range():
    split = load_split(RunConfig())
    assert split.x_train.shape == (300, 784) and split.y_train.shape == (300,)
    assert split.x_val.shape == (0, 784)
    assert split.x_test.shape == (4700, 784)  # n_test=0 means every remaining image
    assert (split.n_classes, split.n_features) == (10, 784)
    for x, y in _parts(split):
        assert x.dtype == np.float32 and y.dtype == np.int64
        assert x.flags.c_contiguous and not x.flags.writeable and not y.flags.writeable
    assert split.x_test.min() == 0.0 and split.x_test.max() == 1.0
    assert np.array_equal(np.bincount(split.y_train), [30] * 10)
    assert np.array_equal(np.bincount(split.y_test), [470] * 10)


def test_split_rows_are_the_dataset_rows_scaled():
    images, labels, _ = load_dataset("mnist5k")
    split = load_split(RunConfig(n_val=100, n_test=200))
    for (x, y), rows in zip(_parts(split), split.indices):
        assert np.array_equal(y, labels[rows])
        np.testing.assert_array_equal(x, images[rows].astype(np.float32) / np.float32(255))


def test_split_is_disjoint_sized_and_stratified():
    config = RunConfig(n_train=333, n_val=127, n_test=1001, data_seed=7)
    split = load_split(config)
    sizes = [len(rows) for rows in split.indices]
    assert sizes == [333, 127, 1001] == [len(y) for _, y in _parts(split)]
    all_rows = np.concatenate(split.indices)
    assert len(np.unique(all_rows)) == len(all_rows)
    _assert_stratified(split, load_dataset("mnist5k")[1])


def test_training_part_is_shuffled_not_sorted_by_label():
    y = load_split(RunConfig()).y_train
    assert np.any(np.diff(y) < 0)
    assert len(np.unique(y[:30])) >= 5  # the first batch-worth holds many classes, not one


def test_split_is_deterministic_for_a_data_seed_and_differs_for_another():
    from core import data

    base = RunConfig(n_val=200, data_seed=3)
    first = load_split(base)
    data._cached_split.cache_clear()  # force a recomputation rather than a cache hit
    data._split_indices.cache_clear()
    again = load_split(base)
    assert again is not first and again.fingerprint == first.fingerprint
    for a, b in zip(first.indices, again.indices):
        assert np.array_equal(a, b)
    other = load_split(dataclasses.replace(base, data_seed=4))
    assert other.fingerprint != first.fingerprint
    assert not np.array_equal(other.indices[0], first.indices[0])
    resized = load_split(dataclasses.replace(base, n_train=301))
    assert resized.fingerprint != first.fingerprint
    assert len(first.fingerprint) == 12 and int(first.fingerprint, 16) >= 0


def test_runs_differing_in_seed_or_lr_share_the_split():
    base = load_split(RunConfig())
    other = load_split(RunConfig(seed=11, lr=0.1, weight_decay=0.1, n_epochs=5))
    assert other is base  # the cached object itself: same arrays, same fingerprint


def test_float64_split_is_the_same_split():
    f32 = load_split(RunConfig())
    f64 = load_split(RunConfig(dtype="float64"))
    explicit = load_split(RunConfig(), dtype=np.float64)
    assert f64.x_train.dtype == np.float64 and explicit is f64
    assert f64.fingerprint == f32.fingerprint
    np.testing.assert_allclose(f64.x_train, f32.x_train, rtol=1e-7)
    with pytest.raises(DataError, match="float16"):
        load_split(RunConfig(), dtype=np.float16)


@pytest.mark.parametrize("dataset", sorted(EMBEDDED_SIZES))
def test_embedded_sizes_are_the_datasets_sizes(dataset):
    assert len(load_dataset(dataset, "")[1]) == EMBEDDED_SIZES[dataset]


def test_too_many_images_are_refused_with_the_config_for_an_embedded_dataset():
    with pytest.raises(ConfigError, match=r"4000 \+ 500 \+ 600 = 5100 exceeds the 5000 images") as info:
        RunConfig(n_train=4000, n_val=500, n_test=600)
    assert info.value.field == "n_train"
    with pytest.raises(ConfigError, match="none are left for the test part"):
        RunConfig(n_train=4500, n_val=500)
    with pytest.raises(ConfigError, match="exceeds the 1797 images of dataset 'digits'"):
        RunConfig(dataset="digits", n_train=1500, n_val=300, batch_size=100)
    assert RunConfig(n_train=4500, n_val=400).n_test == 0  # 100 images left: all the rest is the test part


def test_too_many_images_in_an_idx_folder_are_refused_when_it_is_read(tmp_path):
    _write_idx_folder(tmp_path, gz=False)  # 60 + 20 images
    with pytest.raises(DataError, match=r"60 \+ 20 \+ 10 = 90 exceeds the 80 images of dataset 'idx'"):
        load_split(RunConfig(dataset="idx", data_path=str(tmp_path), n_train=60, n_val=20, n_test=10, batch_size=10))
    with pytest.raises(DataError, match="none are left for the test part"):
        load_split(RunConfig(dataset="idx", data_path=str(tmp_path), n_train=60, n_val=20, batch_size=10))


# ---- allocation ---------------------------------------------------------------------------------------------------------
def test_allocation_is_exact_and_within_one_of_proportional():
    # Per-part largest remainder overdraws some class in about 7% of such cases; the allocation must never.
    rng = np.random.default_rng(0)
    for _ in range(2000):
        counts = rng.integers(1, 40, size=rng.integers(1, 11))
        n = int(counts.sum())
        cuts = np.sort(rng.integers(0, n + 1, size=3))
        sizes = [int(cuts[0]), int(cuts[1] - cuts[0]), int(cuts[2] - cuts[1]), int(n - cuts[2])]
        alloc = _allocate(sizes, counts)
        assert alloc.min() >= 0
        assert np.array_equal(alloc.sum(axis=1), sizes) and np.array_equal(alloc.sum(axis=0), counts)
        assert np.all(np.abs(alloc - np.outer(sizes, counts) / n) < 1)


# ---- digits ---------------------------------------------------------------------------------------------------------------
def test_digits():
    summary = dataset_summary("digits")
    assert summary["n_images"] == 1797 and summary["n_features"] == 64 and summary["n_classes"] == 10
    split = load_split(RunConfig(dataset="digits", n_train=500, n_val=100))
    assert split.x_train.shape == (500, 64) and split.x_test.shape == (1197, 64)
    assert split.x_train.max() == 1.0 and split.x_train.min() == 0.0  # 0..16 scaled by 16
    _assert_stratified(split, load_dataset("digits")[1])


def test_mnist5k_summary():
    summary = dataset_summary("mnist5k")
    assert summary == {"name": "mnist5k", "n_images": 5000, "n_features": 784, "n_classes": 10, "class_counts": [500] * 10}


# ---- IDX --------------------------------------------------------------------------------------------------------------------
def _idx_bytes(array: np.ndarray, magic: int) -> bytes:
    header = magic.to_bytes(4, "big") + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def _write_idx_folder(folder: Path, *, gz: bool, n_train: int = 60, n_test: int = 20, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Writes the four IDX files of a tiny 6x5-pixel, 3-class dataset; returns all images (N, 30) and labels (N,)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    images, labels = [], []
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        x = rng.integers(0, 256, size=(n, 6, 5), dtype=np.uint8)
        y = np.arange(n, dtype=np.uint8) % 3
        for name, array, magic in ((f"{prefix}-images-idx3-ubyte", x, IMAGES_MAGIC), (f"{prefix}-labels-idx1-ubyte", y, LABELS_MAGIC)):
            blob = _idx_bytes(array, magic)
            (folder / (name + ".gz" if gz else name)).write_bytes(gzip.compress(blob) if gz else blob)
        images.append(x.reshape(n, -1))
        labels.append(y.astype(np.int64))
    return np.concatenate(images), np.concatenate(labels)


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
def test_idx_folder_loads_train_and_t10k(tmp_path, gz):
    expected_images, expected_labels = _write_idx_folder(tmp_path, gz=gz)
    images, labels, scale = load_dataset("idx", str(tmp_path))
    assert np.array_equal(images, expected_images) and np.array_equal(labels, expected_labels)
    assert images.shape == (80, 30) and scale == 255.0
    split = load_split(RunConfig(dataset="idx", data_path=str(tmp_path), n_train=30, batch_size=10, n_val=15))
    assert (split.n_features, split.n_classes) == (30, 3)
    assert [len(r) for r in split.indices] == [30, 15, 35]
    _assert_stratified(split, labels)
    for (x, y), rows in zip(_parts(split), split.indices):
        np.testing.assert_array_equal(x, expected_images[rows].astype(np.float32) / np.float32(255))


def test_idx_fingerprint_follows_content(tmp_path):
    _write_idx_folder(tmp_path / "a", gz=False, seed=1)
    _write_idx_folder(tmp_path / "b", gz=True, seed=1)   # same content, other folder and compression
    _write_idx_folder(tmp_path / "c", gz=False, seed=2)  # other pixels
    config = RunConfig(dataset="idx", data_path=str(tmp_path / "a"), n_train=30, batch_size=10)
    fingerprints = [load_split(dataclasses.replace(config, data_path=str(tmp_path / n))).fingerprint for n in "abc"]
    assert fingerprints[0] == fingerprints[1] != fingerprints[2]


def test_idx_missing_folder(tmp_path):
    with pytest.raises(DataError, match=r"IDX folder not found: '.*nowhere'"):
        load_dataset("idx", str(tmp_path / "nowhere"))


def test_idx_missing_file(tmp_path):
    _write_idx_folder(tmp_path, gz=False)
    (tmp_path / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(DataError, match=r"looked for 't10k-labels-idx1-ubyte' or 't10k-labels-idx1-ubyte\.gz'"):
        load_dataset("idx", str(tmp_path))


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
def test_idx_bad_magic(tmp_path, gz):
    _write_idx_folder(tmp_path, gz=gz)
    name = "train-images-idx3-ubyte" + (".gz" if gz else "")
    blob = _idx_bytes(np.zeros((4, 6, 5)), 0x00000801)  # a labels magic number on an images file
    (tmp_path / name).write_bytes(gzip.compress(blob) if gz else blob)
    with pytest.raises(DataError, match=rf"{name}' has bad magic number 0x00000801; expected 0x00000803"):
        load_dataset("idx", str(tmp_path))


def test_idx_truncated_data(tmp_path):
    _write_idx_folder(tmp_path, gz=False)
    path = tmp_path / "t10k-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-7])
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte' is truncated: shape \(20, 6, 5\) needs 600 data bytes, found 593"):
        load_dataset("idx", str(tmp_path))


def test_idx_truncated_header_and_cut_gzip(tmp_path):
    _write_idx_folder(tmp_path / "header", gz=False)
    (tmp_path / "header" / "train-labels-idx1-ubyte").write_bytes(LABELS_MAGIC.to_bytes(4, "big") + b"\x00\x00")
    with pytest.raises(DataError, match=r"train-labels-idx1-ubyte' is truncated: 6 bytes"):
        load_dataset("idx", str(tmp_path / "header"))
    _write_idx_folder(tmp_path / "gz", gz=True)
    path = tmp_path / "gz" / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(DataError, match=r"train-images-idx3-ubyte\.gz' cannot be read"):
        load_dataset("idx", str(tmp_path / "gz"))


def test_idx_count_mismatch(tmp_path):
    _write_idx_folder(tmp_path, gz=False)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx_bytes(np.zeros(59), LABELS_MAGIC))
    with pytest.raises(DataError, match="'train-images-idx3-ubyte' holds 60 images but 'train-labels-idx1-ubyte' holds 59 labels"):
        load_dataset("idx", str(tmp_path))


def test_idx_train_and_t10k_image_sizes_disagree(tmp_path):
    _write_idx_folder(tmp_path, gz=False)
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(_idx_bytes(np.zeros((20, 5, 6)), IMAGES_MAGIC))
    with pytest.raises(DataError, match=r"'t10k-images-idx3-ubyte' .* holds \(5, 6\) images; the train file holds \(6, 5\)"):
        load_dataset("idx", str(tmp_path))


# ---- the parsed mnist5k cache ---------------------------------------------------------------------------------------
@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache folder, and a count of the CSV parses."""
    from core import data
    from core.user_cache import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    parses = []
    real = data._parse_mnist5k
    monkeypatch.setattr(data, "_parse_mnist5k", lambda path: parses.append(path) or real(path))
    return tmp_path / "cache", parses


def _csv_arrays(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The CSV parsed independently of the store's code path (plain gzip + numpy)."""
    with gzip.open(path, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.uint8)
    return table[:, :784], table[:, 784].astype(np.int64)


def test_mnist5k_is_parsed_once_into_a_private_cache_that_gives_the_same_arrays(fresh_cache):
    from core import data

    folder, parses = fresh_cache
    images, labels, scale = data._load_mnist5k()
    (cache,) = folder.glob("mnist5k-*.npy")
    assert len(parses) == 1 and cache.stat().st_mode & 0o777 == 0o600
    cached_images, cached_labels, _ = data._load_mnist5k()
    assert len(parses) == 1  # read from the cache
    want_images, want_labels = _csv_arrays(data._mnist5k_path())
    np.testing.assert_array_equal(cached_images, want_images)
    np.testing.assert_array_equal(cached_labels, want_labels)
    np.testing.assert_array_equal(images, want_images)
    assert scale == 255.0 and cached_images.dtype == np.uint8


@pytest.mark.parametrize("damage", ["torn", "flipped", "empty", "shared", "link"])
def test_a_corrupt_forged_or_torn_cache_is_detected_and_rebuilt(fresh_cache, damage, tmp_path):
    from core import data

    folder, parses = fresh_cache
    data._load_mnist5k()
    (cache,) = folder.glob("mnist5k-*.npy")
    good = cache.read_bytes()
    if damage == "torn":
        cache.write_bytes(good[:-1000])
    elif damage == "flipped":  # one bit of one pixel: the array still loads, its sha256 does not match
        cache.write_bytes(good[:-5] + bytes([good[-5] ^ 1]) + good[-4:])
    elif damage == "empty":
        cache.write_bytes(b"")
    elif damage == "shared":  # anyone in the group could have written it
        cache.chmod(0o620)
    else:  # a link to a forged file elsewhere
        forged = tmp_path / "forged.npy"
        forged.write_bytes(good)
        cache.unlink()
        cache.symlink_to(forged)
    images, labels, _ = data._load_mnist5k()
    assert len(parses) == 2  # parsed again
    want_images, want_labels = _csv_arrays(data._mnist5k_path())
    np.testing.assert_array_equal(images, want_images)
    np.testing.assert_array_equal(labels, want_labels)
    assert cache.read_bytes() == good and not cache.is_symlink()  # and rewritten
    data._load_mnist5k()
    assert len(parses) == 2


def test_a_changed_source_file_is_parsed_again(fresh_cache, tmp_path, monkeypatch):
    from core import data

    folder, parses = fresh_cache
    source = tmp_path / "mnist_5k.csv.gz"
    source.write_bytes(data._mnist5k_path().read_bytes())
    monkeypatch.setattr(data, "_mnist5k_path", lambda: source)
    first, _, _ = data._load_mnist5k()
    images, labels = _csv_arrays(source)
    images[0, 300] = 7  # a new version of the dataset: one pixel differs
    rows = np.column_stack([images, labels]).astype(np.uint8)
    with gzip.open(source, "wt") as handle:
        np.savetxt(handle, rows, fmt="%d", delimiter=",")
    changed, _, _ = data._load_mnist5k()
    assert len(parses) == 2 and changed[0, 300] == 7 and first[0, 300] != 7
    assert len(list(folder.glob("mnist5k-*.npy"))) == 2


def test_an_unwritable_cache_folder_only_costs_time(fresh_cache, monkeypatch, tmp_path):
    from core import data
    from core.user_cache import CACHE_ENV

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    images, labels, _ = data._load_mnist5k()
    assert images.shape == (5000, 784) and labels.shape == (5000,)
