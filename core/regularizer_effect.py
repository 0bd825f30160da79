"""What a regularizer did, in numbers: the final means of groups and the direction each one moved (the Home caption).

Pure pandas over the runs table; nothing is concluded in advance, every word the caption says comes from these
numbers. ``core.compare`` re-exports these names.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd

from .record import RunStatus

COMPLETE = RunStatus.COMPLETE.value
FINAL_MEANS_COLUMNS = ("n", "train", "test", "gap")


def final_means(runs: pd.DataFrame, group_ids: Sequence[str]) -> pd.DataFrame:
    """Mean over the complete seeds of each group: final train and test accuracy and the gap (train − test).

    Returns a DataFrame indexed by group_id (the order of ``group_ids``; groups without a complete run are left out)
    with columns n, train, test, gap.
    """
    complete = runs[(runs["status"] == COMPLETE) & runs["group_id"].isin(group_ids)].drop_duplicates("run_id")
    grouped = complete.groupby("group_id", sort=False)
    means = pd.DataFrame({"n": grouped.size().astype("int64"), "train": grouped["final_train_acc"].mean(),
                          "test": grouped["final_test_acc"].mean(), "gap": grouped["final_gap"].mean()})
    return means.reindex([g for g in dict.fromkeys(group_ids) if g in means.index])


def _move(change: float, tolerance: float) -> str:
    return "same" if abs(change) <= tolerance else ("up" if change > 0 else "down")


def regularizer_effect(base: Mapping[str, float], other: Mapping[str, float],
                       tolerance: float = 0.01) -> dict[str, str | None]:
    """How ``other`` (a regularized group's final means) differs from ``base`` (the same network without it).

    Returns
    -------
    dict
        ``gap``: "narrows", "widens" or "same"; ``train`` and ``test``: "up", "down" or "same" (changes within
        ``tolerance`` count as the same); ``main``: for a narrower gap, the side that moved it most — "train" when the
        fall of train accuracy is larger than the rise of test accuracy, else "test" — and None otherwise.
        The gap change is ``Δtrain − Δtest``, so the two contributions to a narrowing are ``−Δtrain`` and ``Δtest``.
    """
    d_train, d_test = other["train"] - base["train"], other["test"] - base["test"]
    d_gap = other["gap"] - base["gap"]
    gap = "same" if abs(d_gap) <= tolerance else ("narrows" if d_gap < 0 else "widens")
    main = ("train" if -d_train >= d_test else "test") if gap == "narrows" else None
    return {"gap": gap, "train": _move(d_train, tolerance), "test": _move(d_test, tolerance), "main": main}
