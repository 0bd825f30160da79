"""The lessons' generated sentences: computed numbers in, catalogue sentences out (pure: no streamlit, no plotly).

Every sentence reads numbers computed from the store; nothing here holds a result. A function returns [] when the
numbers it needs are not there yet (no complete run), so a half-computed lesson says only what it knows.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from core.lessons.selection import SelectionScores
from ui.text import page_text

UNDERFIT = 0.8  # a train accuracy below this: the network does not even fit its training images
TREND = 0.02  # a change in the gap smaller than 2 points reads as "hardly moves"

# The formulas of the lessons; a word in ⟨…⟩ is the catalogue's ``lessons`` key ``math.<word>``, in the reader's
# language (KaTeX sets it in \text).
FORMULAS = {
    "overfitting": r"⟨gap⟩ = \mathrm{acc}_{⟨train⟩} - \mathrm{acc}_{⟨test⟩}",
    "weight_decay": r"L = L_0 + \tfrac{1}{2}\lambda \sum_l \lVert W_l \rVert^2, \qquad "
                    r"\frac{\partial L}{\partial W_l} = \frac{\partial L_0}{\partial W_l} + \lambda W_l",
    "validation": r"⟨optimism⟩ = \max_i \mathrm{acc}^{⟨test⟩}_i - \mathrm{acc}^{⟨test⟩}_{j},\quad "
                  r"j = \arg\max_i \mathrm{acc}^{⟨val⟩}_i",
    "dropout": r"⟨train⟩: y = m \odot x,\ m_j \sim \mathrm{Bernoulli}(1 - r) \qquad ⟨test⟩: y = (1 - r)\, x",
    "dropout_inverted": r"⟨inverted⟩ \quad ⟨train⟩: y = \frac{m \odot x}{1 - r}, \qquad ⟨test⟩: y = x",
    "search": r"\log_{10} \lambda \sim U(-8, -4), \qquad \log_{10} \eta \sim U(-6, -2)",
    "optimizers": r"f(x, y) = \frac{x^2}{20} + y^2",
    "activations": r"\sigma_\mathrm{Xavier} = \frac{1}{\sqrt{n}}, \qquad \sigma_\mathrm{He} = \sqrt{\frac{2}{n}}",
    "batchnorm": r"\hat{x} = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}}, \qquad y = \gamma \hat{x} + \beta",
}
def sentences_of(lesson_section: str):
    """The text lookup of one lesson's section: this module writes the sentences of every lesson, each from its own
    section (the pages' one-section-per-module rule does not apply here; the page tests render every sentence)."""
    return page_text(lesson_section)


MATH_WORD = re.compile(r"⟨(\w+)⟩")


def formula(name: str) -> str:
    """The LaTeX of ``FORMULAS[name]`` with its words in the reader's language."""
    say = sentences_of("lessons")
    return MATH_WORD.sub(lambda m: r"\text{" + say(f"math.{m.group(1)}") + "}", FORMULAS[name])



def _complete(points: pd.DataFrame) -> pd.DataFrame:
    return points[(points["n"] > 0) & points["gap_mean"].notna()]


def acc(x: float) -> str:
    """An accuracy or a gap, two decimals: 0.83 (a gap of -0.001 reads 0.00, not -0.00)."""
    text = f"{float(x):.2f}"
    return "0.00" if text == "-0.00" else text


def _value(v: float) -> str:
    """A swept value as a reader writes it: 3,000 / 0.001 / 0."""
    v = float(v)
    if v == int(v) and abs(v) >= 1:
        return f"{int(v):,}"
    return f"{v:g}"


def two_ends(points: pd.DataFrame, field: str, key: str, section: str) -> list[str]:
    """One sentence comparing the gap at the smallest and the largest stored value of ``field`` (``key`` names it)."""
    say = sentences_of(section)
    done = _complete(points).sort_values(field)
    if done.empty:
        return []
    first, last = done.iloc[0], done.iloc[-1]
    if len(done) == 1:
        return [say(f"{key}.one", value=_value(first[field]), gap=acc(first["gap_mean"]),
                  train=acc(first["train_acc_mean"]), test=acc(first["test_acc_mean"]))]
    extra = []
    peak = done.loc[done["gap_mean"].idxmax()]
    if len(done) > 2 and peak[field] not in (first[field], last[field]):
        extra.append(say(f"{key}.peak", value=_value(peak[field]), gap=acc(peak["gap_mean"])))
    weak = done[done["train_acc_mean"] < UNDERFIT]
    if not weak.empty:
        row = weak.iloc[0]
        extra.append(say(f"{key}.underfit", value=_value(row[field]), train=acc(row["train_acc_mean"])))
    change = float(last["gap_mean"] - first["gap_mean"])
    trend = "down" if change < -TREND else "up" if change > TREND else "flat"
    return [say(f"{key}.two", low=_value(first[field]), high=_value(last[field]), gap_low=acc(first["gap_mean"]),
              gap_high=acc(last["gap_mean"]), train_low=acc(first["train_acc_mean"]),
              test_low=acc(first["test_acc_mean"]), train_high=acc(last["train_acc_mean"]),
              test_high=acc(last["test_acc_mean"])), say(f"{key}.{trend}"), *extra]


def overfitting_sentences(n_points: pd.DataFrame, width_points: pd.DataFrame, epochs: int) -> list[str]:
    """The gap at the ends of the n_train sweep and of the width sweep, and which condition is the stronger."""
    say = sentences_of("lesson_overfitting")
    lines = two_ends(n_points, "n_train", "n_train", "lesson_overfitting")
    lines += two_ends(width_points, "hidden_width", "width", "lesson_overfitting")
    if lines:
        lines.insert(0, say("read.epochs", epochs=epochs))
    return lines


def finite(x: float) -> bool:
    return x is not None and math.isfinite(float(x))


def weight_decay_sentences(points: pd.DataFrame, final_norms: dict[float, tuple[int, float, float]]) -> list[str]:
    """The gap at each λ, the λ chosen on validation, and the weights' norm at the last epoch with and without decay.

    ``final_norms``: λ → (last epoch, norm of all weights at epoch 0, at the last epoch) of the first seed's run at
    that λ.
    """
    say = sentences_of("lesson_weight_decay")
    done = _complete(points).sort_values("weight_decay")
    lines = []
    if not done.empty:
        pairs = ", ".join(f"λ = {_value(r.weight_decay)}: {acc(r.gap_mean)}" for r in done.itertuples())
        lines.append(say("read.gaps", pairs=pairs))
        best = done.loc[done["val_acc_mean"].idxmax()]
        lines.append(say("read.chosen", lam=_value(best["weight_decay"]), val=acc(best["val_acc_mean"]),
                       test=acc(best["test_acc_mean"]), gap=acc(best["gap_mean"])))
        closed = done.loc[done["gap_mean"].idxmin()]
        if closed["test_acc_mean"] < best["test_acc_mean"] - TREND:
            lines.append(say("read.too_much", lam=_value(closed["weight_decay"]), gap=acc(closed["gap_mean"]),
                           test=acc(closed["test_acc_mean"])))
    decayed = sorted(lam for lam in final_norms if lam > 0)
    if 0.0 in final_norms and decayed:
        lam = 0.1 if 0.1 in final_norms else decayed[-1]
        epoch, start, plain_norm = final_norms[0.0]
        lines.append(say("read.norms", epoch=epoch, start=f"{start:.1f}", plain=f"{plain_norm:.1f}", lam=_value(lam),
                       decayed=f"{final_norms[lam][2]:.1f}"))
    return lines


def validation_sentences(configs: pd.DataFrame, scores: SelectionScores, by_n: pd.DataFrame,
                         n_planned: int) -> list[str]:
    """The two reported scores of the stored configs, the optimism, and how it grows with the number of configs.

    Test accuracies are said to three decimals (the lesson scores 1,000 test images), and the optimism is the
    difference of the two scores as they read. When configs tie on the best validation accuracy, every one is
    named: validation picks one of them, and the honest score is their mean (``scores.honest``); naming one alone
    showed an optimism of 0 beside a figure that says otherwise. ``n_planned``: the configs of the experiment; those
    without a complete run (diverged, not stored) are named.
    """
    say = sentences_of("lesson_validation")
    if configs.empty:
        return []

    def score(x: float) -> str:
        return f"{float(x):.3f}"

    def where(row) -> dict:
        return {"lr": f"{row['lr']:g}", "lam": f"{row['weight_decay']:g}"}

    a, b = configs.iloc[scores.chosen_on_test], configs.iloc[scores.chosen_on_val]
    lines = [say("read.on_test", m=len(configs), score=score(a["test_acc"]), **where(a))]
    optimism = f"{float(score(scores.on_test)) - float(score(scores.honest)):.3f}"  # as the two numbers read
    if len(scores.tied_on_val) > 1:
        tied = "; ".join(say("read.tied_config", score=score(row["test_acc"]), **where(row))
                         for _, row in configs.iloc[list(scores.tied_on_val)].iterrows())
        lines.append(say("read.on_val_tied", n=len(scores.tied_on_val), val=acc(b["val_acc"]), configs=tied,
                         score=score(scores.honest), optimism=optimism))
    elif float(optimism) == 0.0:
        lines.append(say("read.on_val_same", val=acc(b["val_acc"]), score=score(b["test_acc"]), **where(b)))
    else:
        lines.append(say("read.on_val", score=score(b["test_acc"]), val=acc(b["val_acc"]), optimism=optimism,
                         **where(b)))
    if len(by_n) >= 2:
        first, last = by_n.iloc[0], by_n.iloc[-1]
        lines.append(say("read.by_n", n_low=int(first["n_configs"]), low=f"{first['optimism']:.3f}",
                       n_high=int(last["n_configs"]), high=f"{last['optimism']:.3f}"))
        if last["optimism"] > first["optimism"]:
            lines.append(say("read.grows"))
    if n_planned > len(configs):
        lines.append(say("read.left_out", n=n_planned - len(configs), total=n_planned))
    return lines


def curve_at(curves: pd.DataFrame, run_id: str, epoch: int) -> dict | None:
    """train_acc, test_acc and gap of ``run_id`` at ``epoch`` (its last epoch when it stopped earlier), or None."""
    mine = curves[(curves["run_id"] == run_id) & (curves["epoch"] <= epoch)]
    if mine.empty:
        return None
    row = mine.loc[mine["epoch"].idxmax()]
    return {"epoch": int(row["epoch"]), "train": float(row["train_acc"]), "test": float(row["test_acc"]),
            "gap": float(row["train_acc"] - row["test_acc"])}


def dropout_sentences(curves: pd.DataFrame, book: str, inverted: str, plain: str, short_epochs: int) -> list[str]:
    """Dropout r at ``short_epochs`` and at the end, beside no dropout; the book's scaling against inverted dropout."""
    say = sentences_of("lesson_dropout")
    lines = []
    early, late = curve_at(curves, book, short_epochs), curve_at(curves, book, 10 ** 9)
    if early and late:
        lines.append(say("read.early", epoch=early["epoch"], train=acc(early["train"]), test=acc(early["test"])))
        if late["epoch"] > early["epoch"]:
            lines.append(say("read.late", epoch=late["epoch"], train=acc(late["train"]), test=acc(late["test"]),
                           gap=acc(late["gap"])))
            if late["test"] > early["test"] + TREND:
                lines.append(say("read.rising", epoch=early["epoch"], delta=acc(late["test"] - early["test"])))
    base = curve_at(curves, plain, late["epoch"] if late else 10 ** 9)
    if base:
        lines.append(say("read.plain", epoch=base["epoch"], train=acc(base["train"]), test=acc(base["test"]),
                       gap=acc(base["gap"])))
    inv = curve_at(curves, inverted, late["epoch"] if late else 10 ** 9)
    if inv and late:
        lines.append(say("read.inverted", book=acc(late["test"]), inverted=acc(inv["test"]), epoch=inv["epoch"]))
    return lines


def optimizer_sentences(distances: pd.Series, finals: dict[str, dict]) -> list[str]:
    """How close each optimizer ends to the minimum of f, and the optimizers' final accuracies on MNIST.

    ``distances``: optimizer → distance of its last point to (0, 0); ``finals``: optimizer → curve_at(...) of its run.
    """
    say = sentences_of("lesson_optimizers")
    lines = []
    if len(distances):
        shown = {name: f"{d:.2f}" for name, d in distances.items()}
        pairs = ", ".join(f"{name} {text}" for name, text in shown.items())
        best = _tied(shown, shown[distances.idxmin()])
        lines.append(say("read.distances" if len(best) == 1 else "read.distances_tie", pairs=pairs,
                         best=", ".join(best)))
    done = {name: row for name, row in finals.items() if row}
    if done:
        shown = {name: acc(row["test"]) for name, row in done.items()}
        pairs = ", ".join(f"{name} {text}" for name, text in shown.items())
        best = _tied(shown, shown[max(done, key=lambda n: done[n]["test"])])
        lines.append(say("read.mnist" if len(best) == 1 else "read.mnist_tie", pairs=pairs,
                         epoch=next(iter(done.values()))["epoch"], best=", ".join(best)))
    return lines


def _tied(shown: dict[str, str], top: str) -> list[str]:
    """The names whose shown value is ``top``: one winner named over values the reader sees as equal ("AdaGrad
    0.95, Adam 0.95; Adam is the best") would be a difference the page does not show."""
    return [name for name, text in shown.items() if text == top]


def _pct(x: float) -> str:
    return f"{100 * float(x):.0f}%"


def activation_sentences(summary: pd.DataFrame, activation: str, inits: dict[str, str]) -> list[str]:
    """Per initialisation: the spread of the first and last layer's outputs, and how many saturate / collapse to
    the centre (sigmoid, tanh) or are exactly 0 (ReLU). ``inits``: label → the name the reader sees."""
    say = sentences_of("lesson_activations")
    mine = summary[summary["activation"] == activation]
    lines = []
    for label, name in inits.items():
        rows = mine[mine["init"] == label].sort_values("layer")
        if rows.empty:
            continue
        first, last = rows.iloc[0], rows.iloc[-1]
        common = {"init": name, "std_first": f"{first['std']:.3f}", "std_last": f"{last['std']:.3f}",
                  "layer": int(last["layer"])}
        if activation == "relu":
            lines.append(say("read.relu", zero=_pct(last["zero_fraction"]), dead=_pct(last["dead_unit_fraction"]),
                           **common))
        else:
            lines.append(say("read.bounded", saturated=_pct(last["saturated_fraction"]),
                           centre=_pct(last["centre_fraction"]), **common))
    return lines


def batchnorm_sentences(finals: dict[tuple[str, bool], dict], early: dict[tuple[str, bool], dict],
                        inits: dict[str, str]) -> list[str]:
    """Per initial scale, test accuracy with and without batch norm early and at the end.

    ``finals`` / ``early``: (init label, batch_norm) → ``curve_at`` of that run; ``inits``: label → reader's name.
    """
    say = sentences_of("lesson_batchnorm")
    lines = []
    for label, name in inits.items():
        with_bn, without = finals.get((label, True)), finals.get((label, False))
        if not (with_bn and without):
            continue
        e_with, e_without = early.get((label, True)), early.get((label, False))
        # "already" only when the early lead points the way the final one does, as the reader sees the numbers
        final = [acc(with_bn["test"]), acc(without["test"])]
        first = [acc(e_with["test"]), acc(e_without["test"])]
        lead, early_lead = _sign(*map(float, final)), _sign(*map(float, first))
        if lead == 0 or early_lead == 0:
            key = "read.init.level"
        else:
            key = "read.init" if lead == early_lead else "read.init.turned"
        lines.append(say(key, init=name, epoch=with_bn["epoch"], with_bn=final[0], without=final[1],
                         early=e_with["epoch"], early_with=first[0], early_without=first[1]))
    return lines


def _sign(a: float, b: float) -> int:
    """1 when a > b, -1 when a < b, 0 when equal."""
    return (a > b) - (a < b)


def _power(x: float) -> str:
    """1e-08 -> 1e-8, as the book writes a power of ten."""
    return f"{x:.0e}".replace("e-0", "e-").replace("e+0", "e")


def search_sentences(draws: pd.DataFrame, low: float, high: float) -> list[str]:
    """How many of each scale's draws land in the lowest and the top decade of [low, high]."""
    say = sentences_of("lesson_search")
    lines = []
    top, bottom = high / 10, low * 10
    for scale in ("linear", "log"):
        values = draws.loc[draws["scale"] == scale, "value"]
        if len(values):
            lines.append(say(f"read.{scale}", n=len(values), top=int((values >= top).sum()),
                           bottom=int((values < bottom).sum()), low=_power(low), high=_power(high),
                           top_low=_power(top), bottom_high=_power(bottom)))
            if scale == "linear" and not (values < bottom).any():
                lines.append(say("read.never", bottom_high=_power(bottom)))
    return lines


def ensemble_sentences(table: pd.DataFrame) -> list[str]:
    """The ensemble of k networks against the dropout network, and the average single network."""
    say = sentences_of("lesson_dropout")
    if table is None or table.empty:
        return []
    last = table.iloc[-1]
    slow = [say("ensemble.slow", train=acc(last["dropout_train_acc"]))] if last["dropout_train_acc"] < UNDERFIT else []
    return [*[say("ensemble.read", k=int(last["k"]), ensemble=acc(last["ensemble_test_acc"]),
              single=acc(table["member_test_acc"].mean()), dropout=acc(last["dropout_test_acc"]),
              thinned=acc(last["thinned_test_acc"]))], *slow]
