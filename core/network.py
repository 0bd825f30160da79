"""MLP: the book's ``MultiLayerNetExtend`` (chapter 6), built from a ``RunConfig``.

Layout per hidden size h: Affine -> [BatchNorm] -> ReLU | Sigmoid | Tanh -> [Dropout]; then a last Affine to the classes and a
softmax cross-entropy loss. Parameters live in the layers; ``params`` / ``grads`` list them in one fixed order and
stay valid for the life of the network because every backward writes its gradients in place.
"""
from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from .config import RunConfig
from .layers import (Affine, BatchNorm, Dropout, FloatArray, IntArray, Layer, ReLU, Sigmoid, SoftmaxCrossEntropy,
                     Tanh, log_softmax)

ACTIVATION_LAYERS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}
EVAL_BATCH_SIZE = 512  # rows per inference chunk: measured fastest (vs 128..4700) for 6x100 on 4,700 images, 2 cores


def init_std(init: str, n_in: int, std: float) -> float:
    """Standard deviation of the initial weights of a layer with ``n_in`` inputs (the book's convention)."""
    if init == "he":
        return math.sqrt(2.0 / n_in)
    if init == "xavier":
        return math.sqrt(1.0 / n_in)
    return std


class MLP:
    """Multi-layer perceptron described by ``config``.

    Parameters
    ----------
    config : the run's settings; uses hidden_sizes, activation, init, init_std, batch_norm, dropout, dropout_mode,
        weight_decay, weight_decay_mode and dtype.
    n_inputs, n_classes : D and C.
    rng : draws the initial weights, then the dropout masks.

    Attributes
    ----------
    layers : the layers in forward order.
    params, grads : parameter arrays and their gradient arrays, same order (per layer: W, b or gamma, beta).
    decay_mask : True exactly for the affine weights; weight decay never touches biases or batch-norm parameters.
    """

    def __init__(self, config: RunConfig, n_inputs: int, n_classes: int, rng: np.random.Generator):
        self.config = config
        self.dtype = np.dtype(config.dtype)
        self.n_inputs, self.n_classes = n_inputs, n_classes
        self.weight_decay = config.weight_decay if config.weight_decay_mode == "l2" else 0.0  # lambda of the loss term
        self.layers: list[Layer] = []
        self.affines: list[Affine] = []
        sizes = [n_inputs, *config.hidden_sizes, n_classes]
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            std = init_std(config.init, n_in, config.init_std)
            W = (rng.standard_normal((n_in, n_out)) * std).astype(self.dtype)  # float64 draw: same start in both dtypes
            affine = Affine(W, np.zeros(n_out, dtype=self.dtype))
            self.affines.append(affine)
            self.layers.append(affine)
            if i == len(sizes) - 2:
                break
            if config.batch_norm:
                self.layers.append(BatchNorm(n_out, dtype=self.dtype))
            self.layers.append(ACTIVATION_LAYERS[config.activation]())
            if config.dropout > 0:
                self.layers.append(Dropout(config.dropout, config.dropout_mode, rng))
        self.loss_layer = SoftmaxCrossEntropy()

        self.params: list[FloatArray] = []
        self.grads: list[FloatArray] = []
        self.decay_mask: list[bool] = []
        for layer in self.layers:
            if isinstance(layer, Affine):
                self.params += [layer.W, layer.b]
                self.grads += [layer.dW, layer.db]
                self.decay_mask += [True, False]
            elif isinstance(layer, BatchNorm):
                self.params += [layer.gamma, layer.beta]
                self.grads += [layer.dgamma, layer.dbeta]
                self.decay_mask += [False, False]

    def forward(self, x: FloatArray, *, training: bool) -> FloatArray:
        """(N, D) inputs -> (N, C) scores. Inputs of another dtype are cast to the network's."""
        out = np.asarray(x, dtype=self.dtype)  # no copy when the dtype already matches
        for layer in self.layers:
            out = layer.forward(out, training=training)
        return out

    def loss_and_backward(self, x: FloatArray, t: IntArray) -> float:
        """Training forward and backward on one batch; fills ``grads``. Returns data loss + L2 penalty (if any).

        In "l2" weight-decay mode the loss has ``0.5 * lambda * sum(W**2)`` and each ``dW`` gets ``lambda * W``
        (the book); in "decoupled" mode the optimizer shrinks the weights and the loss is the data loss alone.
        """
        scores = self.forward(x, training=True)
        loss = self.loss_layer.forward(scores, t)
        dout = self.loss_layer.backward()
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        if self.weight_decay:
            loss += self.l2_penalty()
            for affine in self.affines:
                affine.dW += self.weight_decay * affine.W
        return loss

    def evaluate(self, x: FloatArray, t: IntArray, *, batch_size: int = EVAL_BATCH_SIZE) -> tuple[float, float]:
        """Inference-mode (mean cross-entropy without the penalty, accuracy) over (N, D) inputs and (N,) labels."""
        n = len(t)
        if n == 0:
            return math.nan, math.nan
        scores = np.empty((n, self.n_classes), dtype=self.dtype)  # (N, C)
        for start in range(0, n, batch_size):
            scores[start:start + batch_size] = self.forward(x[start:start + batch_size], training=False)
        # The loss once over all rows, not per chunk: on (512, 10) pieces the small-array call overhead shows.
        log_probs = log_softmax(scores)
        loss = -float(log_probs[np.arange(n), t].sum(dtype=np.float64)) / n
        accuracy = int(np.count_nonzero(scores.argmax(axis=1) == t)) / n
        return loss, accuracy

    def l2_penalty(self) -> float:
        """``0.5 * lambda * sum(W**2)`` over the affine weights; 0 unless weight_decay_mode is "l2"."""
        if not self.weight_decay:
            return 0.0
        return 0.5 * self.weight_decay * sum(float(np.vdot(a.W, a.W)) for a in self.affines)

    def weight_norms(self) -> npt.NDArray[np.float64]:
        """Frobenius norm of each affine layer's W, in layer order."""
        return np.array([math.sqrt(float(np.vdot(a.W, a.W))) for a in self.affines], dtype=np.float64)
