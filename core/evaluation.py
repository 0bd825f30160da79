"""Scoring a network on fixed parts of the data (train, validation, test) in one pass, in blocks, in lanes.

``Evaluation`` packs the parts once and runs them through the network in inference mode, in blocks of rows that one
or more threads ("lanes") take from one queue. Each block's rows are scored (cross-entropy and argmax) where they were
computed, so the caller only sums per part.

The affine biases of a ReLU network are folded into the thresholds of its ReLUs: ``relu(z + b) = max(z, -b) + b``,
and the ``+ b`` moves through the next product into the next layer's bias (``b' = b_next + b @ W_next``). A block
then costs one pass per hidden layer instead of two. The values are the same up to float rounding.
"""
from __future__ import annotations

import concurrent.futures as cf
import itertools
import math
from typing import Sequence

import numpy as np

from .layers import Affine, Dropout, FloatArray, IntArray, ReLU, row_cross_entropy
from .limits import EVAL_BLOCK_ROWS
from .network import MLP, ReadOnlyMemo
from .span import FirstLayerSpan

Folded = tuple[list[tuple[FloatArray, FloatArray]], FloatArray]
"""A ReLU network for inference: per hidden layer (the next layer's weights, ``-b'``), then the last bias ``b'``; each
``-b'`` and ``b'`` a row, or that row repeated over a block's rows (``Evaluation._tiled``)."""


class Evaluation:
    """Loss and accuracy of ``net`` on fixed parts of the data (train, validation, test), all in one pass.

    The parts are packed once into one C-contiguous array of the used columns, in the network's dtype; each call
    runs it through the network in blocks of ``block_rows`` using arrays allocated here, and scores every row (its
    cross-entropy, a log-sum-exp, and whether its argmax is the label) in the block it was computed in. One pass over
    5,000 rows costs less than three calls (fewer, fuller blocks). When the network reads every column and the parts
    already follow each other in one array of its dtype (a ``Split``'s do), they are read where they are
    (``consecutive_rows``); otherwise the packed copy holds every image once (13 MB for mnist5k's used columns).

    ``start(net)`` hands the blocks to ``lanes - 1`` threads and returns at once; ``finish()`` makes the caller the
    last lane, waits, and returns the scores. Between the two the caller may do other work (train the next epoch of
    the network whose ``frozen()`` copy is being scored). Calling the evaluation does both at once.

    Parameters
    ----------
    net : the network scored by default; evaluated in inference mode, so nothing in it changes.
    parts : (x (N_i, D), t (N_i,)) pairs; a part may be empty.
    block_rows : rows per block.
    through_span : score the first layer through the network's span (see ``core/span.py``): the first part's rows
        come free when they are the span's own training images, the others cost ``S @ X.T`` once, then N * H per
        image and call instead of D * H. For an evaluation called every epoch; False (default) forms the weights.
    lanes : threads that take blocks from one queue (NumPy and BLAS release the GIL), each with its own arrays.
        Only worth it while BLAS itself runs one thread. The blocks are the same however many lanes take them, so
        every row meets the same products and the scores do not depend on ``lanes``.
    """

    def __init__(self, net: MLP, parts: Sequence[tuple[FloatArray, IntArray]], *, block_rows: int = EVAL_BLOCK_ROWS,
                 through_span: bool = False, lanes: int = 1):
        if block_rows < 1:
            raise ValueError(f"The 'block_rows' parameter must be an int in the range [1, inf). Got {block_rows!r} instead.")
        if lanes < 1:
            raise ValueError(f"The 'lanes' parameter must be an int in the range [1, inf). Got {lanes!r} instead.")
        self.net = net
        self.through_span = through_span
        self.x = packed_inputs(net, [x for x, _ in parts])                                    # (N, D_used)
        self.labels = np.concatenate([np.asarray(t, dtype=np.intp) for _, t in parts])      # (N,)
        self.bounds = np.cumsum([0, *(len(t) for _, t in parts)])
        n = len(self.labels)
        self.block_rows = min(block_rows, max(n, 1))
        self.scores = np.empty((n, net.n_classes), dtype=net.dtype)       # (N, C)
        self.losses = np.empty(n, dtype=net.dtype)                        # (N,) each row's cross-entropy
        self.correct = np.empty(n, dtype=bool)                            # (N,) each row's argmax is its label
        self._blocks = cut_blocks(n, self.block_rows)
        self.lanes = min(lanes, max(len(self._blocks), 1))
        self._scratch = [np.empty((self.block_rows, net.n_classes), dtype=net.dtype) for _ in range(self.lanes)]
        self._widest = max(affine.W.shape[1] for affine in net.affines)
        self._buffers: list[dict] = [{} for _ in range(self.lanes)]  # per lane, per (block size, folded): arrays
        self._span_parts: tuple | None = None  # (span's origin, n own rows, G, S @ W0, first-layer outputs, ready)
        self._current: MLP | None = None        # the network being scored between start and finish
        self._cancelled = False
        self._folded: Folded | None = None      # its ReLU form, when it has one
        self._tiles: list[FloatArray] = []      # its thresholds and last bias over a block's rows (``_tiled``)
        self._queue = itertools.count()
        self._helpers: list[cf.Future] = []

    def part(self, i: int) -> FloatArray:
        """The packed inputs of part ``i`` (a view: (N_i, D_used))."""
        return self.x[self.bounds[i]:self.bounds[i + 1]]

    def __call__(self, net: MLP | None = None) -> list[tuple[float, float]]:
        """(mean cross-entropy, accuracy) per part, in order; (nan, nan) for an empty part."""
        self.start(net)
        return self.finish()

    def start(self, net: MLP | None = None) -> None:
        """Begin scoring ``net`` (default: the evaluation's own) in the background lanes; ``finish`` completes it.

        ``net`` must not change until ``finish`` returns: give a ``frozen()`` copy when training goes on meanwhile.
        """
        net = self.net if net is None else net
        span = net.span if self.through_span else None
        if span is None:
            net.materialize()
        elif self._span_parts is None or self._span_parts[0] is not span.origin:
            self._span_parts = self._prepare_span(span)
        self._current, self._folded, self._queue = net, self._tiled(fold_relu_network(net)), itertools.count()
        self._cancelled = False
        self._helpers = [_lane_pool(self.lanes - 1).submit(self._run_lane, lane) for lane in range(1, self.lanes)]

    @property
    def scoring(self) -> MLP | None:
        """The network being scored between ``start`` and ``finish`` (None outside)."""
        return self._current

    def cancel(self) -> None:
        """Stop a scoring under way, if any: the lanes take no more blocks; returns once they are done."""
        if self._current is None:
            return
        self._cancelled = True
        for future in self._helpers:
            future.result()
        self._helpers, self._current, self._folded = [], None, None

    def finish(self) -> list[tuple[float, float]]:
        """Score the blocks no lane has taken, wait for the lanes; (mean cross-entropy, accuracy) per part."""
        self._run_lane(0)
        for future in self._helpers:
            future.result()
        self._helpers, self._current, self._folded = [], None, None
        results = []
        for start, stop in zip(self.bounds[:-1].tolist(), self.bounds[1:].tolist()):
            n = stop - start
            if n == 0:
                results.append((math.nan, math.nan))
            else:
                results.append((float(self.losses[start:stop].sum(dtype=np.float64)) / n,
                                int(np.count_nonzero(self.correct[start:stop])) / n))
        return results

    def _run_lane(self, lane: int) -> None:
        """Take blocks from the queue until none is left, scoring each through this lane's arrays."""
        net, folded = self._current, self._folded
        through_span = self.through_span and net.span is not None
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # per thread: divergence is detected
            for i in self._queue:
                if i >= len(self._blocks) or self._cancelled:
                    return
                start, stop = self._blocks[i]
                scores = self.scores[start:stop]
                buffers = self._lane_buffers(lane, stop - start, folded is not None)
                if folded is not None:
                    first = (self._first_layer_through_span(net, i, bias=False) if through_span else
                             np.matmul(self.x[start:stop], net.affines[0].W,
                                       out=_view(buffers[1], stop - start, net.affines[0].W.shape[1])))
                    _forward_folded(folded, first, buffers, scores)
                elif through_span:
                    net.forward_into(self._first_layer_through_span(net, i, bias=True),
                                     [*buffers[1:], scores], start=1)
                else:
                    net.forward_into(self.x[start:stop], [*buffers, scores])
                losses = row_cross_entropy(scores, self.labels[start:stop], scratch=self._scratch[lane][:stop - start])
                self.losses[start:stop] = losses
                np.equal(scores.argmax(axis=1), self.labels[start:stop], out=self.correct[start:stop])

    def _tiled(self, folded: Folded | None) -> Folded | None:
        """``folded`` with its thresholds and last bias repeated over a block's rows, when the call has two blocks or
        more: NumPy's maximum and add then run one vector loop per block instead of one per row (4.5 against 11 us a
        pass on (512, 100)), for the price of one copy per layer and call. The values are the same."""
        if folded is None or len(self._blocks) < 2:
            return folded
        hidden, last_bias = folded
        rows = [*(threshold for _, threshold in hidden), last_bias]
        if [tile.shape[1] for tile in self._tiles] != [len(row) for row in rows]:
            self._tiles = [np.empty((self.block_rows, len(row)), dtype=row.dtype) for row in rows]
        for tile, row in zip(self._tiles, rows):
            np.copyto(tile, row)
        return [(W, tile) for (W, _), tile in zip(hidden, self._tiles)], self._tiles[-1]

    def _lane_buffers(self, lane: int, rows: int, folded: bool) -> list[FloatArray]:
        """This lane's arrays for a block of ``rows``: two flat ones to take turns in (folded), or one per layer but
        the last."""
        key = (rows, folded)
        if key not in self._buffers[lane]:
            if folded:
                self._buffers[lane][key] = [np.empty(rows * self._widest, dtype=self.net.dtype) for _ in range(2)]
            else:
                self._buffers[lane][key] = self.net.forward_buffers(rows, training=False)[:-1]
        return self._buffers[lane][key]

    def _prepare_span(self, span: FirstLayerSpan) -> tuple:
        """What scoring through ``span`` needs: which rows are its own, and room for the other rows' ``G = S @ X.T``
        and ``S @ W0`` (filled block by block, by the lane that first scores the block) and the first layer's output.
        """
        own = len(span.X) if (self.bounds[1] == len(span.X) and span.X.ctypes.data == self.x.ctypes.data
                              and span.X.strides == self.x.strides) else 0  # the first part is the span's X
        others, dtype = len(self.x) - own, self.x.dtype
        return (span.origin, own, np.empty((others, len(span.X)), dtype=dtype),
                np.empty((others, span.W0.shape[1]), dtype=dtype),
                np.empty((len(self.x), span.W0.shape[1]), dtype=dtype), np.zeros(len(self._blocks), dtype=bool))

    def _first_layer_through_span(self, net: MLP, block: int, *, bias: bool) -> FloatArray:
        """(rows, H) first-affine outputs of the packed rows of ``block``, from ``net``'s span; with the bias or not."""
        _, own, G, P_other, first, ready = self._span_parts
        low, high = self._blocks[block]
        if low < own:
            net.span.all_rows(out=first[low:min(high, own)], rows=slice(low, min(high, own)))
        if high > own:
            start = max(low, own)
            if not ready[block]:  # each block belongs to one lane at a time, so no two lanes fill the same rows
                np.matmul(self.x[start:high], net.span.X.T, out=G[start - own:high - own])
                np.matmul(self.x[start:high], net.span.W0, out=P_other[start - own:high - own])
                ready[block] = True
            net.span.others(G[start - own:high - own], P_other[start - own:high - own], out=first[start:high])
        if bias:
            first[low:high] += net.affines[0].b
        return first[low:high]


_PACKED = ReadOnlyMemo(4)  # packed inputs kept per process, for the next networks that read the same arrays the same way


def packed_inputs(net: MLP, xs: Sequence[FloatArray]) -> FloatArray:
    """The rows of ``xs`` in ``net``'s dtype and used columns, as one C-contiguous (N, D_used) array.

    For read-only sources (a ``Split``'s arrays) the result is read-only too and kept (``ReadOnlyMemo``, by the
    sources and the dtype and columns the network reads): a search's worker packs the same parts of the same split
    for every trial, about a millisecond each time.
    """
    def compute() -> FloatArray:
        if net.input_columns is None:
            joined = consecutive_rows(xs, net.dtype)
            if joined is not None:
                return joined
        return np.ascontiguousarray(np.concatenate([net.select_inputs(x) for x in xs]))

    columns = net.input_columns
    key = (net.dtype.str, net.n_inputs, None if columns is None else columns.tobytes())
    return _PACKED.get(xs, key, compute)


def consecutive_rows(xs: Sequence[FloatArray], dtype: np.dtype) -> FloatArray | None:
    """The rows of ``xs`` as one view, when they are C-contiguous (N_i, D) arrays of ``dtype`` that follow each other
    in one array's memory (a ``Split``'s parts do: ``core.data``); None otherwise (the caller copies)."""
    parts = [x for x in xs if len(x)]
    if not parts:
        return None
    base = parts[0].base
    if base is None or not isinstance(base, np.ndarray) or base.ndim != 2 or not base.flags.c_contiguous:
        return None
    row_bytes = base.strides[0]
    position = parts[0].ctypes.data
    for x in parts:
        if (x.base is not base or x.dtype != dtype or x.ndim != 2 or x.shape[1] != base.shape[1]
                or not x.flags.c_contiguous or x.ctypes.data != position):
            return None
        position += len(x) * row_bytes
    first = (parts[0].ctypes.data - base.ctypes.data) // row_bytes
    return base[first:first + sum(len(x) for x in parts)]


def cut_blocks(n: int, rows: int) -> list[tuple[int, int]]:
    """[start, stop) blocks of ``rows`` over ``n`` rows (the last may be shorter). The cut depends on ``n`` and
    ``rows`` only, never on the lanes: every row meets the same products however many lanes run. No half blocks at
    the end to even out the lanes: with blocks of 1,024 they cost more than they save (docs/benchmarks.md)."""
    return [(start, min(start + rows, n)) for start in range(0, n, rows)]


def fold_relu_network(net: MLP) -> Folded | None:
    """``net``'s inference as ReLUs with thresholds (see the module's docstring), or None when it is not that shape.

    The shape: Affine, ReLU, [Dropout], Affine, ... Affine. Dropout at test time is the identity ("inverted") or a
    scale ``1 - ratio`` ("book"), which goes into the next layer's weights (a copy).
    """
    layers = net.layers
    if len(layers) == 1:
        return None
    hidden: list[tuple[FloatArray, FloatArray]] = []
    bias = layers[0].b  # b' of the current layer
    i = 1
    while i < len(layers):
        if not isinstance(layers[i], ReLU):
            return None
        threshold = np.negative(bias)
        scale = 1.0
        i += 1
        if isinstance(layers[i], Dropout):
            if layers[i].mode == "book":
                scale = 1.0 - layers[i].ratio
            i += 1
        nxt = layers[i]
        if not isinstance(nxt, Affine):
            return None
        W = nxt.W if scale == 1.0 else nxt.W * scale
        bias = bias @ W
        bias += nxt.b
        hidden.append((W, threshold))
        i += 1
    return hidden, bias


def _forward_folded(folded: Folded, first: FloatArray, turns: list[FloatArray], scores: FloatArray) -> None:
    """Scores of one block into ``scores`` from its first-layer outputs without the bias, ``first`` (overwritten).

    The hidden layers' outputs take turns between the two flat arrays ``turns``: layer i + 1's go into turns[i % 2],
    never the array its input is in (``first`` is in turns[1] or elsewhere).
    """
    hidden, last_bias = folded
    z, rows = first, len(first)
    for i, (W, threshold) in enumerate(hidden):
        np.maximum(z, threshold[:rows] if threshold.ndim == 2 else threshold, out=z)  # relu(z + b) - b; NaN stays NaN
        out = scores if i == len(hidden) - 1 else _view(turns[i % 2], rows, W.shape[1])
        z = np.matmul(z, W, out=out)
    scores += last_bias[:rows] if last_bias.ndim == 2 else last_bias


def _view(flat: FloatArray, rows: int, width: int) -> FloatArray:
    """A C-contiguous (rows, width) view of the start of the flat array ``flat``."""
    return flat[:rows * width].reshape(rows, width)


_LANE_POOL: tuple[cf.ThreadPoolExecutor, int] | None = None  # (pool, its number of threads)


def _lane_pool(size: int) -> cf.ThreadPoolExecutor:
    """The process's threads for evaluation lanes beyond the caller's own (grown when a caller needs more)."""
    global _LANE_POOL
    if _LANE_POOL is None or _LANE_POOL[1] < size:
        if _LANE_POOL is not None:
            _LANE_POOL[0].shutdown(wait=False)
        _LANE_POOL = (cf.ThreadPoolExecutor(max_workers=size, thread_name_prefix="eval-lane"), size)
    return _LANE_POOL[0]
