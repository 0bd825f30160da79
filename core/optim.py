"""Optimizers of chapter 6 behind one small interface: built on the parameter arrays, ``step(grads)`` updates in place.

Weight decay comes in two forms. "l2" (the book) puts ``0.5 * lambda * sum(W**2)`` in the loss, so it arrives here
already inside the gradient and the optimizer does nothing special. "decoupled" (AdamW, Loshchilov & Hutter) is done
here: before each update every parameter selected by ``decay_mask`` is shrunk, ``p -= lr * decoupled_weight_decay * p``.
For plain SGD the two coincide; for adaptive methods they differ, because the L2 gradient gets rescaled.

State is allocated in the constructor, and each step works through preallocated buffers (``out=``, ``+=``), so a step
allocates nothing per parameter. Parameters that lie back to back in one array (``MLP`` packs its own that way) are
updated as that one array: the same arithmetic element by element, in two or three NumPy calls instead of two or
three per parameter.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from .config import RunConfig
from .layers import FloatArray
from .validation import check_float


class Optimizer:
    """Base class: holds the parameters, validates ``lr`` and applies decoupled weight decay.

    Parameters
    ----------
    params : the arrays to update in place (kept by reference).
    lr : learning rate, > 0.
    decay_mask : one bool per parameter; True where decoupled weight decay applies (the weights).
    decoupled_weight_decay : lambda of the decoupled decay, >= 0; default 0 (none).
    l2_weight_decay : lambda of an L2 term whose gradient ``lambda * p`` this optimizer adds to the gradients of the
        parameters selected by ``decay_mask`` before each update, >= 0; default 0, for gradients that already hold
        it (``MLP.loss_and_backward``) or a loss without it. The same numbers as the network adding it, in one pass
        over packed parameters (``MLP.leave_decay_to_optimizer``); the gradient arrays are left as they are.
    """

    def __init__(self, params: Sequence[FloatArray], *, lr: float, decay_mask: Sequence[bool],
                 decoupled_weight_decay: float = 0.0, l2_weight_decay: float = 0.0):
        if len(decay_mask) != len(params):
            raise ValueError(f"decay_mask has {len(decay_mask)} entries for {len(params)} parameters.")
        self.params = list(params)
        self.lr = check_float("lr", lr, 0.0, low_open=True)
        self.decoupled_weight_decay = check_float("decoupled_weight_decay", decoupled_weight_decay, 0.0)
        self.l2_weight_decay = check_float("l2_weight_decay", l2_weight_decay, 0.0)
        self.decay_mask = [bool(m) for m in decay_mask]
        self._decayed = [p for p, decay in zip(self.params, self.decay_mask) if decay]
        whole = contiguous_whole(self.params)
        self.slots = self.params if whole is None else [whole]  # what the updates run over, and their state follows
        self.buffers = [np.empty_like(p) for p in self.slots]  # scratch, so steps allocate nothing
        self._grad_slots: tuple[tuple[int, ...], list[FloatArray]] = ((), [])  # the last grads' ids and their slots
        # per slot, what lambda * p adds to its gradient: lambda for a weight, 0 for the rest (packed: per element)
        self._l2_grads = [np.empty_like(p) for p in self.slots] if self.l2_weight_decay else []
        self._l2_rates = [np.concatenate([np.full(p.size, self.l2_weight_decay if decay else 0.0, dtype=p.dtype)
                                          for p, decay in zip(self.params, self.decay_mask)])] \
            if self.slots is not self.params else [self.l2_weight_decay if decay else 0.0 for decay in self.decay_mask]

    @property
    def hyperparameters(self) -> dict[str, Any]:
        """The settings that define this optimizer (not its state)."""
        return {"name": type(self).__name__, "lr": self.lr, "decoupled_weight_decay": self.decoupled_weight_decay,
                "l2_weight_decay": self.l2_weight_decay}

    def step(self, grads: Sequence[FloatArray]) -> None:
        """Update every parameter in place from its gradient (same order as ``params``)."""
        if len(grads) != len(self.params):
            raise ValueError(f"Got {len(grads)} gradients for {len(self.params)} parameters.")
        if self.decoupled_weight_decay:
            shrink = 1.0 - self.lr * self.decoupled_weight_decay  # p -= lr*wd*p, as one in-place multiply
            for p in self._decayed:
                p *= shrink
        slot_grads = self._slots_of(grads)
        if self.l2_weight_decay:  # g + p * lambda, rounded as the network rounds it, into arrays of the optimizer's own
            for p, g, rate, total in zip(self.slots, slot_grads, self._l2_rates, self._l2_grads):
                np.multiply(p, rate, out=total)
                total += g
            slot_grads = self._l2_grads
        self._update(slot_grads)

    def _slots_of(self, grads: Sequence[FloatArray]) -> list[FloatArray]:
        """``grads`` laid out like ``slots``: as given, or as the one array they tile when the parameters are one array
        (else copied into one, for gradients kept elsewhere)."""
        if self.slots is self.params:
            return list(grads)
        ids = tuple(map(id, grads))
        if ids != self._grad_slots[0]:
            whole = contiguous_whole(grads)
            self._grad_slots = (ids, [whole] if whole is not None and whole.shape == self.slots[0].shape else [])
        if self._grad_slots[1]:
            return self._grad_slots[1]
        packed = np.empty_like(self.slots[0])
        offset = 0
        for g in grads:
            packed[offset:offset + g.size] = g.reshape(-1)
            offset += g.size
        return [packed]

    def _update(self, grads: Sequence[FloatArray]) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """``p -= lr * g``. Weight decay: L2 arrives in g; decoupled shrinks p first (the same thing for SGD)."""

    def _update(self, grads: Sequence[FloatArray]) -> None:
        for p, g, buf in zip(self.slots, grads, self.buffers):
            np.multiply(g, self.lr, out=buf)
            p -= buf


class Momentum(Optimizer):
    """The book's momentum: ``v = momentum * v - lr * g; p += v``; v starts at 0.

    Weight decay: L2 arrives in g; decoupled shrinks p before the update. With a constant lr this equals
    ``torch.optim.SGD(momentum=...)`` (its buffer is ``-v / lr``).
    """

    def __init__(self, params: Sequence[FloatArray], *, lr: float, decay_mask: Sequence[bool],
                 decoupled_weight_decay: float = 0.0, l2_weight_decay: float = 0.0, momentum: float = 0.9):
        super().__init__(params, lr=lr, decay_mask=decay_mask, decoupled_weight_decay=decoupled_weight_decay,
                         l2_weight_decay=l2_weight_decay)
        self.momentum = check_float("momentum", momentum, 0.0, 1.0, high_open=True)
        self.velocities = [np.zeros_like(p) for p in self.slots]

    @property
    def hyperparameters(self) -> dict[str, Any]:
        return {**super().hyperparameters, "momentum": self.momentum}

    def _update(self, grads: Sequence[FloatArray]) -> None:
        for p, g, v, buf in zip(self.slots, grads, self.velocities, self.buffers):
            v *= self.momentum
            np.multiply(g, self.lr, out=buf)
            v -= buf
            p += v


class Nesterov(Momentum):
    """The book's Nesterov (common/optimizer.py), as written there::

        v *= momentum; v -= lr * g; p += momentum**2 * v; p -= (1 + momentum) * lr * g

    It uses v after the update where Bengio et al. (2013) and ``torch.optim.SGD(nesterov=True)`` use the one before,
    so it is not equal to PyTorch's. Weight decay: L2 arrives in g; decoupled shrinks p before the update.
    """

    def _update(self, grads: Sequence[FloatArray]) -> None:
        mu = self.momentum
        for p, g, v, buf in zip(self.slots, grads, self.velocities, self.buffers):
            v *= mu
            np.multiply(g, self.lr, out=buf)
            v -= buf
            buf *= 1.0 + mu
            p -= buf
            np.multiply(v, mu * mu, out=buf)
            p += buf


class AdaGrad(Optimizer):
    """``h += g * g; p -= lr * g / (sqrt(h) + 1e-7)`` (the book); h starts at 0.

    Weight decay: L2 arrives in g (and so is rescaled by 1/sqrt(h)); decoupled shrinks p before the update.
    Equals ``torch.optim.Adagrad(eps=1e-7)``.
    """

    def __init__(self, params: Sequence[FloatArray], *, lr: float, decay_mask: Sequence[bool],
                 decoupled_weight_decay: float = 0.0, l2_weight_decay: float = 0.0, eps: float = 1e-7):
        super().__init__(params, lr=lr, decay_mask=decay_mask, decoupled_weight_decay=decoupled_weight_decay,
                         l2_weight_decay=l2_weight_decay)
        self.eps = check_float("eps", eps, 0.0, low_open=True)
        self.sum_squares = [np.zeros_like(p) for p in self.slots]

    @property
    def hyperparameters(self) -> dict[str, Any]:
        return {**super().hyperparameters, "eps": self.eps}

    def _update(self, grads: Sequence[FloatArray]) -> None:
        for p, g, h, buf in zip(self.slots, grads, self.sum_squares, self.buffers):
            np.multiply(g, g, out=buf)
            h += buf
            _scaled_step(p, g, h, buf, self.lr, self.eps)


class RMSprop(Optimizer):
    """``h = rho * h + (1 - rho) * g * g; p -= lr * g / (sqrt(h) + 1e-7)`` (the book); h starts at 0.

    Weight decay: L2 arrives in g (rescaled by 1/sqrt(h)); decoupled shrinks p before the update.
    Equals ``torch.optim.RMSprop(alpha=rho, eps=1e-7)``.
    """

    def __init__(self, params: Sequence[FloatArray], *, lr: float, decay_mask: Sequence[bool],
                 decoupled_weight_decay: float = 0.0, l2_weight_decay: float = 0.0, rho: float = 0.99, eps: float = 1e-7):
        super().__init__(params, lr=lr, decay_mask=decay_mask, decoupled_weight_decay=decoupled_weight_decay,
                         l2_weight_decay=l2_weight_decay)
        self.rho = check_float("rho", rho, 0.0, 1.0, high_open=True)
        self.eps = check_float("eps", eps, 0.0, low_open=True)
        self.mean_squares = [np.zeros_like(p) for p in self.slots]

    @property
    def hyperparameters(self) -> dict[str, Any]:
        return {**super().hyperparameters, "rho": self.rho, "eps": self.eps}

    def _update(self, grads: Sequence[FloatArray]) -> None:
        for p, g, h, buf in zip(self.slots, grads, self.mean_squares, self.buffers):
            h *= self.rho
            np.multiply(g, g, out=buf)
            buf *= 1.0 - self.rho
            h += buf
            _scaled_step(p, g, h, buf, self.lr, self.eps)


class Adam(Optimizer):
    """Adam in the book's form (Kingma & Ba, end of section 2), eps = 1e-7::

        t += 1; lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)
        m += (1 - beta1) * (g - m); v += (1 - beta2) * (g*g - v); p -= lr_t * m / (sqrt(v) + eps)

    This differs from ``torch.optim.Adam`` only in where eps sits (here it is not divided by the bias correction).
    Weight decay: L2 arrives in g (rescaled by 1/sqrt(v), the reason AdamW exists); decoupled shrinks p first, which
    makes this AdamW as ``torch.optim.AdamW`` does it (``p *= 1 - lr * wd``).
    """

    def __init__(self, params: Sequence[FloatArray], *, lr: float, decay_mask: Sequence[bool],
                 decoupled_weight_decay: float = 0.0, l2_weight_decay: float = 0.0, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-7):
        super().__init__(params, lr=lr, decay_mask=decay_mask, decoupled_weight_decay=decoupled_weight_decay,
                         l2_weight_decay=l2_weight_decay)
        self.beta1 = check_float("beta1", beta1, 0.0, 1.0, high_open=True)
        self.beta2 = check_float("beta2", beta2, 0.0, 1.0, high_open=True)
        self.eps = check_float("eps", eps, 0.0, low_open=True)
        self.n_steps = 0
        self.first_moments = [np.zeros_like(p) for p in self.slots]
        self.second_moments = [np.zeros_like(p) for p in self.slots]

    @property
    def hyperparameters(self) -> dict[str, Any]:
        return {**super().hyperparameters, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}

    def _update(self, grads: Sequence[FloatArray]) -> None:
        self.n_steps += 1
        lr_t = self.lr * math.sqrt(1.0 - self.beta2 ** self.n_steps) / (1.0 - self.beta1 ** self.n_steps)
        for p, g, m, v, buf in zip(self.slots, grads, self.first_moments, self.second_moments, self.buffers):
            np.subtract(g, m, out=buf)
            buf *= 1.0 - self.beta1
            m += buf
            np.multiply(g, g, out=buf)
            buf -= v
            buf *= 1.0 - self.beta2
            v += buf
            _scaled_step(p, m, v, buf, lr_t, self.eps)


def contiguous_whole(arrays: Sequence[FloatArray]) -> FloatArray | None:
    """A 1-D view of the one array that ``arrays`` tile back to back, in order, without gaps; None if they do not.

    Only views of one C-contiguous 1-D array (like ``MLP``'s packed parameters) qualify; lone arrays never do.
    """
    if not arrays or arrays[0].base is None:
        return None
    base = arrays[0].base
    if base.ndim != 1 or not base.flags.c_contiguous:
        return None
    origin, itemsize = base.__array_interface__["data"][0], base.itemsize
    start = end = arrays[0].__array_interface__["data"][0] - origin
    for a in arrays:
        if a.base is not base or a.dtype != base.dtype or not a.flags.c_contiguous \
                or a.__array_interface__["data"][0] - origin != end:
            return None
        end += a.size * itemsize
    return base[start // itemsize:end // itemsize]


def _scaled_step(p: FloatArray, numerator: FloatArray, squares: FloatArray, buf: FloatArray, lr: float, eps: float) -> None:
    """``p -= lr * numerator / (sqrt(squares) + eps)`` through the scratch buffer ``buf``."""
    np.sqrt(squares, out=buf)
    buf += eps
    np.divide(numerator, buf, out=buf)
    buf *= lr
    p -= buf


# name -> (class, the RunConfig fields it takes as keyword arguments of the same name)
OPTIMIZER_CLASSES: dict[str, tuple[type[Optimizer], tuple[str, ...]]] = {
    "sgd": (SGD, ()),
    "momentum": (Momentum, ("momentum",)),
    "nesterov": (Nesterov, ("momentum",)),
    "adagrad": (AdaGrad, ()),
    "rmsprop": (RMSprop, ("rho",)),
    "adam": (Adam, ("beta1", "beta2")),
}


def build_optimizer(config: RunConfig, params: Sequence[FloatArray], decay_mask: Sequence[bool], *,
                    l2_here: bool = False) -> Optimizer:
    """The optimizer ``config.optimizer`` over ``params``, with decoupled decay only in weight_decay_mode="decoupled";
    with ``l2_here`` it also adds the "l2" mode's ``lambda * W`` to the gradients (``MLP.leave_decay_to_optimizer``)."""
    cls, fields = OPTIMIZER_CLASSES[config.optimizer]
    decoupled = config.weight_decay if config.weight_decay_mode == "decoupled" else 0.0
    l2 = config.weight_decay if config.weight_decay_mode == "l2" and l2_here else 0.0
    return cls(params, lr=config.lr, decay_mask=decay_mask, decoupled_weight_decay=decoupled, l2_weight_decay=l2,
               **{name: getattr(config, name) for name in fields})
