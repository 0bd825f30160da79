"""Arrow arrays built from NumPy buffers, so that writing a batch never imports pandas.

``pa.array`` (and ``Table.from_pylist``, ``pa.scalar``, ``Array.to_numpy``) imports pandas the first time it runs:
it asks pyarrow's pandas shim whether its input is a pandas object. That import is about 0.25 s, a third of the fixed
cost of a one-run ``python -m core run`` (``docs/benchmarks.md``), whose write needs no pandas at all. The arrays
here are assembled with ``pa.Array.from_buffers`` from their value, offset and validity buffers, which does not ask.

``column(values, type)`` builds the same array as ``pa.array(values, type)`` for the types the store writes: bool,
int32/int64, float64, string, and (nested) lists of them; ``None`` is null, a float NaN stays a NaN value (as
``pa.array`` does without ``from_pandas``). ``tests/core/test_arrow_build.py`` holds them equal.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pyarrow as pa

_NUMPY_DTYPES = {pa.int32(): np.int32, pa.int64(): np.int64, pa.float64(): np.float64}


def _validity(values: Sequence[Any]) -> tuple[pa.Buffer | None, np.ndarray | None]:
    """The validity bitmap of ``values`` (None when none is null) and the mask of valid entries."""
    valid = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    if valid.all():
        return None, None
    return pa.py_buffer(np.packbits(valid, bitorder="little")), valid


def numbers(values: np.ndarray | Sequence[Any], type: pa.DataType) -> pa.Array:
    """An int32, int64 or float64 array; ``values`` a NumPy array (no nulls) or a sequence (None is null)."""
    dtype = _NUMPY_DTYPES.get(type)
    if dtype is None:
        raise TypeError(f"numbers() builds int32, int64 or float64 arrays. Got {type} instead.")
    if isinstance(values, np.ndarray):
        data = np.ascontiguousarray(values, dtype=dtype).reshape(-1)
        return pa.Array.from_buffers(type, len(data), [None, pa.py_buffer(data)], null_count=0)
    validity, valid = _validity(values)
    filled = values if valid is None else [v if ok else 0 for v, ok in zip(values, valid)]
    data = np.array(filled, dtype=dtype).reshape(-1)
    if dtype is not np.float64 and any(isinstance(v, bool) or (isinstance(v, float) and not v.is_integer())
                                       for v in filled):  # as pa.array refuses them; numpy would cast
        raise TypeError(f"{type} values must be whole numbers; got {filled!r}")
    return pa.Array.from_buffers(type, len(data), [validity, pa.py_buffer(data)])


def booleans(values: Sequence[Any]) -> pa.Array:
    """A bool array (None is null)."""
    validity, valid = _validity(values)
    bits = np.fromiter((bool(v) for v in values), dtype=bool, count=len(values))
    if valid is not None:
        bits &= valid
    return pa.Array.from_buffers(pa.bool_(), len(values), [validity, pa.py_buffer(np.packbits(bits, bitorder="little"))])


def strings(values: Sequence[Any]) -> pa.Array:
    """A string array (None is null); anything else than str or None is refused, as ``pa.array`` refuses it."""
    validity, _ = _validity(values)
    encoded = []
    for v in values:
        if v is not None and not isinstance(v, str):
            raise TypeError(f"string values must be str or None; got {type(v).__name__} {v!r}")
        encoded.append(b"" if v is None else v.encode("utf-8"))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    if offsets[-1] >= 2**31:
        raise ValueError("string column over 2 GiB")
    return pa.Array.from_buffers(pa.string(), len(encoded),
                                 [validity, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(b"".join(encoded))])


def lists(values: Sequence[Any], type: pa.ListType) -> pa.Array:
    """A list array of ``type`` from a sequence of sequences (or 1-D NumPy arrays); None is a null list."""
    validity, _ = _validity(values)
    lengths = np.fromiter((0 if v is None else len(v) for v in values), dtype=np.int64, count=len(values))
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    value_type = type.value_type
    parts = [v for v in values if v is not None and len(v)]
    if value_type in _NUMPY_DTYPES and parts and all(isinstance(p, np.ndarray) for p in parts):
        child = numbers(np.concatenate([p.reshape(-1) for p in parts]), value_type)
    else:
        child = column([item for part in parts for item in part], value_type)
    return pa.Array.from_buffers(type, len(values), [validity, pa.py_buffer(offsets.astype(np.int32))],
                                 children=[child])


def column(values: Any, type: pa.DataType) -> pa.Array:
    """The array ``pa.array(values, type)`` gives, for bool, int32/int64, float64, string and list types."""
    if pa.types.is_list(type):
        return lists(values, type)
    if type == pa.string():
        return strings(values)
    if type == pa.bool_():
        return booleans(values)
    return numbers(values, type)


def table(columns: dict[str, Any], schema: pa.Schema) -> pa.Table:
    """A table of ``schema`` (its metadata included) from one array or value sequence per field."""
    arrays = [v if isinstance(v, pa.Array) else column(v, schema.field(name).type)
              for name, v in ((name, columns[name]) for name in schema.names)]
    return pa.Table.from_arrays(arrays, schema=schema)
