"""Time the `weight-decay` preset (one seed) against baselines measured in the same run.

Baselines:
- `book-style float64`: a plain re-implementation of the book's MultiLayerNet loop (float64, a fresh array for every
  intermediate, accuracy on train and test each epoch), written here for the comparison;
- `torch float32` (if torch is installed): the same network, loop and evaluations in PyTorch on the CPU.

Run: python -m bench.bench_train [--repeats 3]
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import platform

import numpy as np

from core.data import load_split
from core.presets import get_preset
from core.train import iterations_per_epoch, train

from bench.timing import best_of


def book_style(config, split, rng) -> float:
    """The book's algorithm, float64, allocation-happy; returns final test accuracy."""
    x_train, y_train = split.x_train.astype(np.float64), split.y_train
    x_test, y_test = split.x_test.astype(np.float64), split.y_test
    sizes = [split.n_features, *config.hidden_sizes, split.n_classes]
    weights = [rng.standard_normal((a, b)) * np.sqrt(2.0 / a) for a, b in zip(sizes, sizes[1:])]
    biases = [np.zeros(b) for b in sizes[1:]]
    lam = config.weight_decay

    def forward(x):
        acts = [x]
        for i, (w, b) in enumerate(zip(weights, biases)):
            x = x @ w + b
            if i < len(weights) - 1:
                x = np.maximum(x, 0)
            acts.append(x)
        return acts

    def accuracy(x, t):
        return float(np.mean(np.argmax(forward(x)[-1], axis=1) == t))

    for epoch in range(config.n_epochs + 1):
        accuracy(x_train, y_train), accuracy(x_test, y_test)
        if epoch == config.n_epochs:
            break
        for _ in range(iterations_per_epoch(config)):
            idx = rng.choice(len(y_train), config.batch_size)
            acts = forward(x_train[idx])
            scores = acts[-1]
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            dout = p.copy()
            dout[np.arange(len(idx)), y_train[idx]] -= 1
            dout /= len(idx)
            for i in reversed(range(len(weights))):
                dw = acts[i].T @ dout + lam * weights[i]
                db = dout.sum(axis=0)
                dout = dout @ weights[i].T
                if i > 0:
                    dout = dout * (acts[i] > 0)
                weights[i] -= config.lr * dw
                biases[i] -= config.lr * db
    return accuracy(x_test, y_test)


def torch_style(config, split) -> float:
    import torch

    torch.manual_seed(config.seed)
    sizes = [split.n_features, *config.hidden_sizes, split.n_classes]
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(torch.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=config.lr)
    x_train, y_train = torch.from_numpy(split.x_train.copy()), torch.from_numpy(split.y_train.copy())
    x_test, y_test = torch.from_numpy(split.x_test.copy()), torch.from_numpy(split.y_test.copy())
    weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    gen = torch.Generator().manual_seed(config.seed)
    for epoch in range(config.n_epochs + 1):
        with torch.no_grad():
            for x, t in ((x_train, y_train), (x_test, y_test)):
                scores = model(x)
                torch.nn.functional.cross_entropy(scores, t), (scores.argmax(1) == t).float().mean()
        if epoch == config.n_epochs:
            break
        for _ in range(iterations_per_epoch(config)):
            idx = torch.randint(0, len(y_train), (config.batch_size,), generator=gen)
            loss = torch.nn.functional.cross_entropy(model(x_train[idx]), y_train[idx])
            loss = loss + 0.5 * config.weight_decay * sum((w * w).sum() for w in weights)
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        return float((model(x_test).argmax(1) == y_test).float().mean())


def compare(config, repeats: int) -> float:
    """Print one table: ours against the baselines on ``config``; return our time."""
    split = load_split(config)
    print(f"\n{config.label()}: {config.n_epochs + 1} evaluations of {len(split.y_train)} train + "
          f"{len(split.y_test)} test images")
    ours = best_of(repeats, lambda: train(config, split))
    book = best_of(repeats, lambda: book_style(config, split, np.random.default_rng(0)))
    rows = [("overfit-lab (float32)", ours), ("book-style float64", book)]
    try:
        import torch

        torch.set_num_threads(os.cpu_count() or 1)
        rows.append(("torch float32", best_of(repeats, lambda: torch_style(config, split))))
    except ImportError:
        print("(torch not installed: no torch baseline)")
    print(f"{'implementation':<24}{'best of ' + str(repeats):>12}{'ours / it':>12}")
    for name, seconds in rows:
        print(f"{name:<24}{seconds:>10.2f} s{ours / seconds:>12.2f}")
    return ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, numpy {np.__version__}, "
          f"load average {os.getloadavg()[0]:.2f}")
    config = get_preset("weight-decay").configs[0]
    ours = compare(config, args.repeats)
    print(f"target for the preset: under 3 s -> {'met' if ours < 3 else 'NOT met'} ({ours:.2f} s)")
    compare(dataclasses.replace(config, n_test=0), args.repeats)  # every remaining image as the test part


if __name__ == "__main__":
    main()
