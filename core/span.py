"""The first layer kept in the span of the training images: ``W = c * W0 + X.T @ A``.

With plain SGD an update of the first layer's weights is a shrink (weight decay) and ``-lr * X_b.T @ delta``, where
``X_b`` holds the batch's images and ``delta`` the gradient at the layer's output. So at every step the weights equal
the initial weights scaled by ``c`` (the product of the shrinks) plus a combination of the N training images, one row
of ``A`` per image. When the network sees fewer training images than it reads pixels (the chapter's 300 images and
663 used pixels), working with ``A`` is cheaper than with ``W``:

- the training images' pre-activations ``Z = X @ W = c * P + K @ A`` (``P = X @ W0``, ``K = X @ X.T``) are kept up
  to date, so a batch's are rows of ``Z``: no (B, D) @ (D, H) product;
- an update costs ``K[:, b] @ delta`` (N * B * H) and never forms ``dW`` (D * B * H);
- other images S (validation, test) need ``G = S @ X.T`` and ``S @ W0`` once, then ``G @ A`` per evaluation (N * H
  per image instead of D * H).

The identity is exact; only the rounding differs from the dense form. ``tests/core/test_span.py`` holds both forms to
the float64 reference and to each other. ``span_pays`` compares the two forms' arithmetic for a run.
"""
from __future__ import annotations

import copy

import numpy as np

from .layers import FloatArray, IntArray

SPAN_MARGIN = 0.8  # the span form is used only when it needs at most this fraction of the dense form's arithmetic
GRAM_MEMO = 2       # Gram matrices K = X @ X.T kept per process, for the last training sets seen
GRAM_MEMO_MAX_BYTES = 64 << 20  # a larger K is computed every time (the span form then rarely pays anyway)
_grams: list[tuple[np.ndarray, np.ndarray]] = []  # (a copy of X, its read-only K), newest first
TAKE_MODE = "clip"  # gathers of a batch's rows: NumPy's default "raise" copies ``out`` first (a batch's rows of K
                    # took 14 us instead of 4). The rows are the run's own batch indices, always in range.


def first_layer_macs(*, n_train: int, n_inputs: int, n_hidden: int, n_other: int, n_epochs: int, n_steps: int,
                     batch_size: int) -> tuple[int, int]:
    """Multiply-adds of a run's first layer in the (dense, span) forms.

    n_train, n_inputs, n_hidden : N, D (used columns) and H of the first layer.
    n_other : images evaluated every epoch besides the training images (validation, test).
    n_epochs, n_steps, batch_size : the run's epochs, updates per epoch and batch size B.
    """
    evaluations, updates = n_epochs + 1, n_epochs * n_steps
    dense = updates * 2 * batch_size * n_inputs * n_hidden + evaluations * (n_train + n_other) * n_inputs * n_hidden
    span = (n_train * n_inputs * (n_train + n_hidden)            # K and P, once
            + n_other * n_inputs * (n_train + n_hidden)          # G and S @ W0 of the other images, once
            + updates * batch_size * n_train * n_hidden          # K[:, b] @ delta per update
            + evaluations * n_other * n_train * n_hidden         # G @ A per evaluation
            + n_inputs * n_train * n_hidden)                     # the weights, formed at the end
    return dense, span


def span_pays(**sizes: int) -> bool:
    """Whether the span form needs clearly less arithmetic than the dense form (``first_layer_macs``'s sizes)."""
    dense, span = first_layer_macs(**sizes)
    return span <= SPAN_MARGIN * dense


class FirstLayerSpan:
    """The first layer's weights as ``c * W0 + X.T @ A`` over the training images ``X``.

    Parameters
    ----------
    W0 : (D, H) the layer's weights now (the used columns'); copied.
    idle_W0 : (D_idle, H) the weights of the unused columns, or None; they only ever shrink, so they are ``c * idle_W0``.
    X : (N, D) the training images, in the network's dtype, in the order batch indices refer to; kept, not copied.
    """

    def __init__(self, W0: FloatArray, idle_W0: FloatArray | None, X: FloatArray):
        dtype = W0.dtype
        self.X = X
        self.W0 = W0.copy()
        self.idle_W0 = None if idle_W0 is None else idle_W0.copy()
        self.origin = self                              # what frozen copies share: X, W0, K, P never change
        self.c = 1.0                                    # product of every shrink so far
        self.K = gram(X)                                # (N, N) read-only, shared by the runs of one training set
        self.P = X @ self.W0                            # (N, H)
        self.A = np.zeros_like(self.P)                  # (N, H) one row of coefficients per training image
        self.Z = self.P.copy()                          # (N, H) X @ W = c * P + K @ A, kept up to date by every step
        self._update = np.empty_like(self.P)
        self._w0_squared = _dot(self.W0, self.W0) + (0.0 if idle_W0 is None else _dot(idle_W0, idle_W0))
        self._k_rows = np.empty((0, len(X)), dtype=dtype)
        self._flat = np.empty((0, 0), dtype=np.intp)       # (B, H) flat indices of a batch's rows of A
        self._columns = np.arange(self.P.shape[1])

    def frozen(self) -> FirstLayerSpan:
        """A copy of the weights as they are now (own ``A`` and ``Z``), sharing the data and everything fixed."""
        twin = copy.copy(self)
        twin.A, twin.Z = self.A.copy(), self.Z.copy()
        return twin

    def batch(self, rows: IntArray, out: FloatArray) -> FloatArray:
        """(B,) training-image indices -> (B, H) pre-activations without the bias, written into ``out``."""
        return self.Z.take(rows, axis=0, out=out, mode=TAKE_MODE)

    def all_rows(self, out: FloatArray, rows: slice = slice(None)) -> FloatArray:
        """(N, H) pre-activations of the training images (or a slice of them) without the bias, into ``out``."""
        np.copyto(out, self.Z[rows])
        return out

    def others(self, G: FloatArray, P_other: FloatArray, out: FloatArray) -> FloatArray:
        """(M, H) pre-activations of other images from their ``G = S @ X.T`` (M, N) and ``S @ W0`` (M, H)."""
        np.matmul(G, self.A, out=out)
        out += self.c * P_other if self.c != 1.0 else P_other
        return out

    def step(self, rows: IntArray, delta: FloatArray, *, lr: float, shrink: float) -> None:
        """One SGD update: ``W = shrink * W - lr * X[rows].T @ delta``. ``delta`` (B, H) is overwritten."""
        if shrink != 1.0:
            self.c *= shrink
            self.A *= shrink
            self.Z *= shrink
        delta *= -lr
        if np.bincount(rows, minlength=len(self.A)).max() == 1:
            self.A[rows] += delta
        else:  # a book-style batch may draw an image twice, and both draws count: an unbuffered add over A's flat
            # indices (NumPy's 1-D ``add.at`` has a fast loop; the 2-D one and a one-hot product take twice as long)
            np.add.at(self.A.reshape(-1), self._flat_indices(rows), delta.reshape(-1))
        k_rows = self.K.take(rows, axis=0, out=self._k_rows_for(len(rows)), mode=TAKE_MODE)  # (B, N) = K[:, rows].T
        self.Z += np.matmul(k_rows.T, delta, out=self._update)

    def weights(self) -> tuple[FloatArray, FloatArray | None]:
        """The weights as they are now: (D, H) for the used columns and (D_idle, H) or None for the idle ones."""
        W = self.X.T @ self.A
        W += self.c * self.W0
        return W, None if self.idle_W0 is None else self.c * self.idle_W0

    def squared_norm(self) -> float:
        """``sum(W**2)`` over the whole first layer (idle columns included), from N-sized arrays only."""
        # |c W0 + X.T A|^2 = c^2 |W0|^2 + 2c <X W0, A> + <A, K A>, and K A = Z - c P
        return self.c * self.c * self._w0_squared + self.c * _dot(self.P, self.A) + _dot(self.A, self.Z)

    def _flat_indices(self, rows: IntArray) -> IntArray:
        """(B * H,) indices into the flattened A of the rows ``rows``, every column of each, row by row."""
        width = self.A.shape[1]
        if self._flat.shape[0] != len(rows):
            self._flat = np.empty((len(rows), width), dtype=np.intp)
        np.multiply(rows[:, None], width, out=self._flat)
        self._flat += self._columns
        return self._flat.reshape(-1)

    def _k_rows_for(self, n: int) -> FloatArray:
        if len(self._k_rows) < n:
            self._k_rows = np.empty((n, len(self.X)), dtype=self.K.dtype)
        return self._k_rows[:n]


def gram(X: FloatArray) -> FloatArray:
    """``K = X @ X.T`` (N, N), read-only; computed once per process for the same images.

    The trials of a search share their split, so every run of a worker would compute the same K (N * N * D
    multiply-adds: about a tenth of a search trial pruned at epoch 5). The last ``GRAM_MEMO`` training sets are kept
    with a copy of their images and found again by content (same shape, dtype and values), never by where the array
    lives, so a different split can never get another's K. NumPy computes ``X @ X.T`` with one symmetric
    rank-k update (syrk), whose result does not depend on the number of BLAS threads, so a reused K equals the one
    the run would compute itself, bit for bit (``tests/core/test_span.py``).
    """
    for seen, K in _grams:
        if seen.shape == X.shape and seen.dtype == X.dtype and np.array_equal(seen, X):
            return K
    K = X @ X.T
    K.flags.writeable = False  # shared between runs: nothing may write into it
    if K.nbytes <= GRAM_MEMO_MAX_BYTES:
        _grams.insert(0, (X.copy(), K))
        del _grams[GRAM_MEMO:]
    return K


def _dot(a: FloatArray, b: FloatArray) -> float:
    """Sum of ``a * b`` (a BLAS dot in the arrays' dtype, as the dense form's norms are)."""
    return float(np.vdot(a, b))
