"""English text, section ``home``: the Home page."""

TEXT: dict[str, str] = {
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
    "headline.caption": "Train (dashed) and test (solid) accuracy per epoch; bands are mean ± std over {n} {n|seed|seeds}.",
    "headline.figure_title": "Overfitting, weight decay and dropout",
    "headline.measured": "Measured at the last epoch, mean over the cached seeds:",
    "headline.row": "**{name}**: train {train}, test {test}, gap {gap} ({n} {n|seed|seeds})",
    "headline.reading": "What the figure shows, on this data:",
    "headline.baseline": "Each regularizer is compared with {name}, the same network without it, at the last epoch "
                         "both trained; a change of 0.01 or less counts as no change.",
    "headline.at_epoch": "At epoch {epoch}, the last one both trained:",
    "headline.effect.narrows.train": "**{name}** narrows the gap ({gap_base} → {gap}) mainly because train accuracy "
                                     "falls ({train_base} → {train}); test accuracy {test_move} ({test_base} → "
                                     "{test}).",
    "headline.effect.narrows.test": "**{name}** narrows the gap ({gap_base} → {gap}) mainly because test accuracy rises "
                                    "({test_base} → {test}); train accuracy {train_move} ({train_base} → {train}).",
    "headline.effect.widens": "**{name}** widens the gap ({gap_base} → {gap}): train accuracy {train_move} "
                              "({train_base} → {train}) and test accuracy {test_move} ({test_base} → {test}).",
    "headline.effect.same": "**{name}** leaves the gap about where it was ({gap_base} → {gap}): train accuracy "
                            "{train_move} ({train_base} → {train}) and test accuracy {test_move} ({test_base} → "
                            "{test}).",
    "headline.move.up": "rises",
    "headline.move.down": "falls",
    "headline.move.same": "stays about the same",
    "headline.move.also_down": "also falls",
    "headline.move.also_up": "also rises",
    "headline.partial": "{cached} of {total} {total|run|runs} of the book's experiments are cached.",
    "headline.empty": "The book's three experiments have not been computed yet.",
    "headline.launch": "Run the book's three experiments ({n} {n|seed|seeds})",
    "headline.launch_help": "Overfitting, weight decay (λ = 0.1) and dropout: {n_runs} {n_runs|run|runs} in the background.",
    "headline.launched": "Started job {job_id}: the figure fills in as runs finish.",
    "headline.read_only": "The dashboard is read-only, so the experiments cannot be computed here.",
    "headline.open_compare": "Open these runs in Compare",
    "headline.progress": "Computing the book's experiments…",
}
