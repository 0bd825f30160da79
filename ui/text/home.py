"""Strings of the Home page."""
from __future__ import annotations

from . import lookup

EN = {
    "title": "Overfit Lab",
    "intro": (
        "A small neural network trained on only 300 MNIST images learns them by heart: its train accuracy reaches "
        "about 100 % while its test accuracy stays far behind. This lab trains such networks from scratch in numpy, "
        "as in chapter 6 of *Deep Learning from Scratch*, and shows how two regularizers narrow that gap: "
        "**weight decay** (½·λ·ΣW² added to the loss) and **dropout** (hidden units switched off at random in "
        "training)."
    ),
    "how": (
        "Launch runs on the **Run** page, overlay their curves on **Compare** (mean ± std over seeds), and browse "
        "every cached run on **Results**. Every view has a link you can share."
    ),
    "headline.title": "The book's three experiments",
    "headline.caption": "Train (dashed) and test (solid) accuracy per epoch; bands are mean ± std over {n} seeds.",
    "headline.figure_title": "Overfitting, weight decay and dropout",
    "headline.partial": "{cached} of {total} runs of the book's experiments are cached.",
    "headline.empty": "The book's three experiments have not been computed yet.",
    "headline.launch": "Run the book's three experiments ({n} seeds)",
    "headline.launch_help": "Overfitting, weight decay (λ = 0.1) and dropout: {n_runs} runs in the background.",
    "headline.launched": "Started job {job_id}: the figure fills in as runs finish.",
    "headline.read_only": "The dashboard is read-only, so the experiments cannot be computed here.",
    "headline.open_compare": "Open these runs in Compare",
    "headline.progress": "Computing the book's experiments…",
}

t = lookup({"en": EN})
