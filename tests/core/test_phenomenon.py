"""The chapter's phenomenon on the real embedded MNIST subset: overfitting, and weight decay shrinking the gap."""
from __future__ import annotations

import numpy as np
import pytest

from core.presets import get_preset
from core.train import train

pytestmark = pytest.mark.slow


def _gap(record) -> float:
    return record.final("train_acc") - record.final("test_acc")


def test_overfit_then_weight_decay_narrows_the_gap():
    overfit = [train(c) for c in get_preset("overfit").configs_for_seeds(3)]
    decayed = [train(c) for c in get_preset("weight-decay").configs_for_seeds(3)]
    first = overfit[0]
    assert first.final("train_acc") >= 0.98, first.final("train_acc")
    assert first.final("test_acc") <= first.final("train_acc") - 0.10, first.final("test_acc")
    assert np.mean([_gap(r) for r in decayed]) < np.mean([_gap(r) for r in overfit])
