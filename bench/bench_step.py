"""One training step of the weight-decay experiment, alone: microseconds per step, wall and thread CPU.

The workload of ``bench_train`` (preset ``weight-decay``, 300 training images, batch 100, 6x100 ReLU, SGD, λ = 0.1,
the first layer kept in the span of the training images), its 603 batches trained over and over with BLAS at one
thread and no evaluation: what a search trial mostly is. Prints the best of ``--passes`` passes over the 603 steps.

To compare two versions of the engine, run it in a checkout of each, alternately (the machine drifts):
``git worktree add /tmp/base <rev>`` then ``(cd /tmp/base && python -m bench.bench_step)`` and
``python -m bench.bench_step``, a few times each. Older checkouts without ``MLP.leave_decay_to_optimizer`` take the
L2 term through the network's gradients, as they did.

Run: python -m bench.bench_step [--passes 9]
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import time

from threadpoolctl import threadpool_limits

from core.data import load_split
from core.network import MLP, used_columns
from core.optim import build_optimizer
from core.presets import get_preset
from core.train import epoch_batches, random_streams


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=9, help="passes over the 603 steps (default 9)")
    args = parser.parse_args()
    if args.passes < 1:
        parser.error(f"--passes must be at least 1. Got {args.passes}.")
    config = dataclasses.replace(get_preset("weight-decay").configs[0], n_test=0)
    split = load_split(config)
    init_rng, batch_rng = random_streams(config)
    net = MLP(config, split.n_features, split.n_classes, init_rng,
              input_columns=used_columns(split.x_train, split.x_test))
    net.keep_first_layer_in_span(net.select_inputs(split.x_train))
    if hasattr(net, "leave_decay_to_optimizer"):  # as core.train builds it
        net.leave_decay_to_optimizer()
        optimizer = build_optimizer(config, net.params, net.decay_mask, l2_here=True)
    else:
        optimizer = build_optimizer(config, net.params, net.decay_mask)
    shrink = 1 - config.lr * config.weight_decay
    batches = [b for _ in range(config.n_epochs + 1) for b in epoch_batches(config, batch_rng)][:603]

    def run() -> None:
        for b in batches:
            net.loss_and_backward_rows(b, split.y_train[b])
            optimizer.step(net.grads)
            net.span_step(lr=config.lr, shrink=shrink)

    walls, cpus = [], []
    with threadpool_limits(1):
        run()  # warm-up
        for _ in range(args.passes):
            wall, cpu = time.perf_counter(), time.thread_time()
            run()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.thread_time() - cpu)
    print(f"{len(batches)} steps, best of {args.passes}: {min(walls) / len(batches) * 1e6:.0f} µs per step (wall), "
          f"{min(cpus) / len(batches) * 1e6:.0f} µs (thread CPU); load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
