"""Time the weight-decay experiment on the book's full workload against baselines measured in the same run.

The workload: preset `weight-decay`, one seed (6x100 ReLU, SGD lr 0.01, lambda 0.1, 300 training images, batch 100,
200 epochs = 600 updates and 201 evaluations), with every remaining image (4,700) as the test part (`n_test=0`).

Baselines, given the same initial weights and the same batches:
- `torch float32`: the same network and loop in PyTorch on the CPU, with torch's default threads;
- `book-style float64`: a plain numpy loop in the book's style (float64, a fresh array for every intermediate).

Each repeat runs the three once, in turn, plus a 2000x2000 float32 matmul loop for the machine's peak; the ratios are
medians over the repeats of the ratios within a repeat, so a busy machine moves the seconds more than the ratios.
GFLOP/s count the workload's matrix products (training forward and backward, evaluation forward) over all 784 inputs,
and then the arithmetic ours actually does (used pixel columns only, the first layer in the span of the training
images when ``core.span.span_pays``) against the machine's matmul peak.

Run: python -m bench.bench_train [--repeats 5] [--epochs 200] [--n-test 0] [--threads N] [--isolated]

``--isolated`` times each implementation in a fresh process of its own in every round (after a two-epoch warm-up run
there), so that none runs in a process another one has used: torch's and OpenBLAS's thread pools, allocator state
and loaded libraries stay out of the others' timings. Without it the three share this process, as before.

Ours runs as one run that has the machine: BLAS at one thread (as every job's run, so the record is the same bit for
bit) and evaluation in one lane (thread) per core, or ``--threads N`` lanes. ``--threads N`` limits numpy's BLAS and
torch to N threads each (default: their own defaults, 2 on 2 cores). On a
machine other processes keep busy, multi-threaded BLAS (both OpenBLAS and torch's) loses most of its speed waiting
for its threads, and ``--threads 1`` compares the engines rather than the scheduler.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from core.data import load_split
from core.network import MLP, used_columns
from core.presets import get_preset
from core.span import first_layer_macs, span_pays
from core.train import epoch_batches, iterations_per_epoch, random_streams, train

PEAK_SIZE = 2000  # square float32 matmul whose speed stands for the machine's peak
OURS, TORCH, BOOK = "overfit-lab float32", "torch float32", "book-style float64"
IMPLEMENTATIONS = (OURS, TORCH, BOOK)


def same_start(config, split) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Our initial weights (float64, as drawn) and every epoch's batch indices, so the baselines do our work."""
    init_rng, batch_rng = random_streams(config)
    net = MLP(dataclasses.replace(config, dtype="float64"), split.n_features, split.n_classes, init_rng)
    batches = [list(epoch_batches(config, batch_rng)) for _ in range(config.n_epochs)]
    return [a.W.copy() for a in net.affines], batches


def book_style(config, split, weights, batches, parts=("train", "test")) -> dict[str, np.ndarray]:
    """The book's algorithm in float64, allocation-happy, from the given initial weights and per-epoch batches.

    Like the book's Trainer it scores whole parts after every epoch (and before the first): ``parts`` names them,
    ("train", "test") here, ("train", "val") for a search trial (``bench/bench_search_book.py``). Returns the curves
    (``<part>_loss`` and ``<part>_acc`` at each evaluation) and the weight norms: also the plain reference that
    ``tests/core/test_engine_reference.py`` holds the engine to.
    """
    x_train, y_train = split.x_train.astype(np.float64), split.y_train
    scored = [(part, getattr(split, f"x_{part}").astype(np.float64), getattr(split, f"y_{part}")) for part in parts]
    weights = [w.copy() for w in weights]
    biases = [np.zeros(w.shape[1]) for w in weights]
    lam = config.weight_decay

    def forward(x):
        acts = [x]
        for i, (w, b) in enumerate(zip(weights, biases)):
            x = x @ w + b
            if i < len(weights) - 1:
                x = np.maximum(x, 0)
            acts.append(x)
        return acts

    def loss_and_accuracy(x, t):
        scores = forward(x)[-1]
        log_probs = scores - scores.max(axis=1, keepdims=True)
        log_probs -= np.log(np.exp(log_probs).sum(axis=1, keepdims=True))
        return -log_probs[np.arange(len(t)), t].mean(), np.mean(scores.argmax(axis=1) == t)

    curves = {name: [] for part in parts for name in (f"{part}_loss", f"{part}_acc")}
    curves["norms"] = []
    for epoch in range(config.n_epochs + 1):
        for part, x, t in scored:
            loss, accuracy = loss_and_accuracy(x, t)
            curves[f"{part}_loss"].append(loss)
            curves[f"{part}_acc"].append(accuracy)
        curves["norms"].append([np.linalg.norm(w) for w in weights])
        if epoch == config.n_epochs:
            break
        for idx in batches[epoch]:
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
    return {name: np.array(values) for name, values in curves.items()}


def torch_style(config, split, weights, batches) -> float:
    """The same network and loop in PyTorch float32 (autograd, SGD); returns the final test accuracy."""
    import torch

    layers = []
    for i, w in enumerate(weights):
        linear = torch.nn.Linear(*w.shape)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(w.T.astype(np.float32)))
            linear.bias.zero_()
        layers.append(linear)
        if i < len(weights) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=config.lr)
    x_train, y_train = torch.from_numpy(split.x_train.copy()), torch.from_numpy(split.y_train.copy())
    x_test, y_test = torch.from_numpy(split.x_test.copy()), torch.from_numpy(split.y_test.copy())
    linear_weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    batches = [[torch.from_numpy(idx) for idx in epoch] for epoch in batches]
    for epoch in range(config.n_epochs + 1):
        with torch.no_grad():
            for x, t in ((x_train, y_train), (x_test, y_test)):
                scores = model(x)
                float(torch.nn.functional.cross_entropy(scores, t)), float((scores.argmax(1) == t).float().mean())
        if epoch == config.n_epochs:
            break
        for idx in batches[epoch]:
            loss = torch.nn.functional.cross_entropy(model(x_train[idx]), y_train[idx])
            loss = loss + 0.5 * config.weight_decay * sum((w * w).sum() for w in linear_weights)
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        return float((model(x_test).argmax(1) == y_test).float().mean())


def workload_flops(config, n_features: int, n_classes: int, n_eval_rows: int) -> tuple[float, float]:
    """(training, evaluation) FLOPs of the run's matrix products: 2 per multiply-add.

    Training, per update: the forward, dW of every layer and dX of every layer but the first; evaluation: one
    forward of every train, validation and test image per epoch, epoch 0 included.
    """
    sizes = [n_features, *config.hidden_sizes, n_classes]
    products = [a * b for a, b in zip(sizes, sizes[1:])]
    per_row_step = 2 * (2 * sum(products) + sum(products[1:]))
    training = config.n_epochs * iterations_per_epoch(config) * config.batch_size * per_row_step
    evaluation = (config.n_epochs + 1) * n_eval_rows * 2 * sum(products)
    return float(training), float(evaluation)


def matmul_peak(repeat: int = 5) -> float:
    """GFLOP/s of the fastest of ``repeat`` float32 (2000, 2000) @ (2000, 2000) products."""
    a = np.random.default_rng(0).random((PEAK_SIZE, PEAK_SIZE), dtype=np.float32)
    out = np.empty_like(a)
    np.matmul(a, a, out=out)  # warm up the threads and pages
    best = min(_timed(lambda: np.matmul(a, a, out=out)) for _ in range(repeat))
    return 2 * PEAK_SIZE ** 3 / best / 1e9


def _in_a_process(name: str, args: argparse.Namespace) -> float:
    """Seconds of one run of implementation ``name`` in a fresh process (``--only``), after its warm-up there."""
    command = [sys.executable, "-m", "bench.bench_train", "--only", name, "--n-test", str(args.n_test)]
    for flag, value in (("--epochs", args.epochs), ("--threads", args.threads)):
        if value is not None:
            command += [flag, str(value)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    lines = [line for line in done.stdout.splitlines() if line.startswith("seconds=")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{name} failed in its own process ({done.returncode}): {done.stderr.strip()[-500:]}")
    return float(lines[-1].split("=", 1)[1])


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--epochs", type=int, default=None, help="fewer epochs than the preset's 200, for a quick look")
    parser.add_argument("--n-test", type=int, default=0, help="test images; 0 (default) = all 4,700 remaining")
    parser.add_argument("--threads", type=int, default=None, help="BLAS and torch threads (default: theirs)")
    parser.add_argument("--isolated", action="store_true", help="each implementation in a fresh process per round")
    parser.add_argument("--only", default=None, help=argparse.SUPPRESS)  # --isolated's child: time this one, print it
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1. Got {args.repeats}.")
    if args.threads is not None and args.threads < 1:
        parser.error(f"--threads must be at least 1. Got {args.threads}.")

    if args.only is not None and args.only not in IMPLEMENTATIONS:
        parser.error(f"--only must be one of {', '.join(IMPLEMENTATIONS)}. Got {args.only!r}.")
    if args.only != OURS:
        import torch
    if args.threads is not None:
        threadpool_limits(args.threads)
        if args.only != OURS:
            torch.set_num_threads(args.threads)

    # Ours as one run that has the machine: evaluation in one lane per core, BLAS at one thread (the record a job's
    # worker gives, bit for bit); --threads 1: one lane.
    lanes = args.threads or os.cpu_count() or 1
    config = dataclasses.replace(get_preset("weight-decay").configs[0], n_test=args.n_test)
    if args.epochs is not None:
        config = dataclasses.replace(config, n_epochs=args.epochs)
    split = load_split(config)
    weights, batches = same_start(config, split)
    n_eval = len(split.y_train) + len(split.y_val) + len(split.y_test)
    train_flops, eval_flops = workload_flops(config, split.n_features, split.n_classes, n_eval)
    columns = used_columns(split.x_train, split.x_val, split.x_test)
    n_used = split.n_features if columns is None else len(columns)
    ours_train, ours_eval = workload_flops(config, n_used, split.n_classes, n_eval)
    sizes = dict(n_train=len(split.y_train), n_inputs=n_used, n_hidden=config.hidden_sizes[0],
                 n_other=n_eval - len(split.y_train), n_epochs=config.n_epochs,
                 n_steps=iterations_per_epoch(config), batch_size=config.batch_size)
    form = "span" if config.optimizer == "sgd" and span_pays(**sizes) else "dense"
    if form == "span":  # the first layer kept in the span of the training images (core/span.py)
        dense_first, span_first = first_layer_macs(**sizes)
        ours_eval -= 2 * (dense_first - span_first)
    implementations = {
        OURS: lambda config: train(config, split, lanes=lanes),
        TORCH: lambda config: torch_style(config, split, weights, batches),
        BOOK: lambda config: book_style(config, split, weights, batches),
    }
    if args.only is not None:  # a child of --isolated: warm up, then one timed run
        implementations[args.only](dataclasses.replace(config, n_epochs=2))
        print(f"seconds={_timed(lambda: implementations[args.only](config)):.6f}")
        return
    blas = ", ".join(f"{i['internal_api']} {i['version']} {i['num_threads']} threads" for i in threadpool_info())
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; numpy {np.__version__} "
          f"({blas}); torch {torch.__version__} ({torch.get_num_threads()} threads)")
    print(f"workload: {config.label()}, {config.n_epochs} epochs: {len(split.y_train)} train + {len(split.y_test)} "
          f"test images, {config.n_epochs + 1} evaluations; {(train_flops + eval_flops) / 1e9:.0f} GFLOP "
          f"({eval_flops / (train_flops + eval_flops):.0%} evaluation); ours skips {split.n_features - n_used} "
          f"all-zero pixel columns and keeps the first layer {form}: {(ours_train + ours_eval) / 1e9:.0f} GFLOP")
    print(f"load average before: {os.getloadavg()[0]:.2f}" + ("; each implementation in a fresh process per round"
                                                              if args.isolated else ""))

    times: dict[str, list[float]] = {name: [] for name in (*implementations, "peak")}
    peaks: list[float] = []
    for repeat in range(args.repeats):
        peaks.append(matmul_peak())
        row = []
        for name, fn in implementations.items():
            times[name].append(_in_a_process(name, args) if args.isolated else _timed(lambda: fn(config)))
            row.append(f"{name} {times[name][-1]:.2f} s")
        print(f"round {repeat + 1}: peak {peaks[-1]:.0f} GFLOP/s; " + "; ".join(row), flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")

    ours = times[OURS]
    peak = statistics.median(peaks)
    print(f"\nmedian of {args.repeats} rounds; matmul peak {peak:.0f} GFLOP/s (floor for this workload "
          f"{(train_flops + eval_flops) / peak / 1e9:.2f} s; for the arithmetic ours does "
          f"{(ours_train + ours_eval) / peak / 1e9:.2f} s)")
    print(f"{'implementation':<22}{'median':>10}{'ours / it':>11}{'rounds':>15}{'GFLOP/s':>10}{'of peak':>9}")
    for name in implementations:
        ratios = [a / b for a, b in zip(ours, times[name])]  # within a round: the machine's drift cancels
        seconds = statistics.median(times[name])
        rate = statistics.median((train_flops + eval_flops) / t / 1e9 for t in times[name])
        print(f"{name:<22}{seconds:>8.2f} s{statistics.median(ratios):>11.3f}"
              f"{f'{min(ratios):.3f}-{max(ratios):.3f}':>15}{rate:>10.0f}{rate / peak:>9.0%}")
    ours_rate = statistics.median((ours_train + ours_eval) / t / 1e9 for t in ours)
    print("(GFLOP/s on the workload's count over all 784 inputs; the arithmetic ours actually does is "
          f"{(ours_train + ours_eval) / (train_flops + eval_flops):.0%} of it: {ours_rate:.0f} GFLOP/s, "
          f"{ours_rate / peak:.0%} of peak)")


if __name__ == "__main__":
    main()
