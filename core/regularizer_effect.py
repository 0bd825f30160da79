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


def means_at_epoch(runs: pd.DataFrame, curves: pd.DataFrame, group_ids: Sequence[str], epoch: int) -> pd.DataFrame:
    """``final_means`` at ``epoch`` instead of each run's last: the mean over the complete seeds of each group of its
    train and test accuracy at that epoch, and the gap. A run without that epoch in ``curves`` is left out.

    curves : ``ResultStore.load_curves`` rows (run_id, epoch, train_acc, test_acc) of at least these runs.
    """
    complete = runs[(runs["status"] == COMPLETE) & runs["group_id"].isin(group_ids)].drop_duplicates("run_id")
    at = curves[(curves["epoch"] == epoch) & curves["run_id"].isin(complete["run_id"])].drop_duplicates("run_id")
    at = at.assign(group_id=at["run_id"].map(complete.set_index("run_id")["group_id"]),
                   gap=at["train_acc"] - at["test_acc"])
    grouped = at.groupby("group_id", sort=False)
    means = pd.DataFrame({"n": grouped.size().astype("int64"), "train": grouped["train_acc"].mean(),
                          "test": grouped["test_acc"].mean(), "gap": grouped["gap"].mean()})
    return means.reindex([g for g in dict.fromkeys(group_ids) if g in means.index])


def compared_with(runs: pd.DataFrame, curves: pd.DataFrame, base: str, group_ids: Sequence[str]
                  ) -> list[tuple[str, int | None, pd.Series, pd.Series]]:
    """Each group of ``group_ids`` (but ``base``) beside ``base``, like with like: (group, epoch, base's means, its
    means). Groups trained as long as ``base`` are compared at their last epoch (``final_means``; epoch None);
    others at the last epoch both trained (``means_at_epoch``): the book's dropout runs 300 epochs, its network
    without a regularizer 200, and at their own ends the longer run had had half as long again to learn. Groups
    without complete runs at that epoch, and all of them when ``base`` has none, are left out.
    """
    epochs = runs.drop_duplicates("group_id").set_index("group_id")["n_epochs"]
    finals = final_means(runs, [base, *group_ids])
    out = []
    for group in dict.fromkeys(group_ids):
        if group == base or group not in epochs.index or base not in epochs.index:
            continue
        if int(epochs[group]) == int(epochs[base]):
            if group in finals.index and base in finals.index:
                out.append((group, None, finals.loc[base], finals.loc[group]))
            continue
        epoch = min(int(epochs[group]), int(epochs[base]))
        at = means_at_epoch(runs, curves, [base, group], epoch)
        if group in at.index and base in at.index:
            out.append((group, epoch, at.loc[base], at.loc[group]))
    return out


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
