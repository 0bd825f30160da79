"""English text, section ``search``: the Search page."""

TEXT: dict[str, str] = {
    "title": "Search",
    "intro": ("Search learning rate and weight decay as the book does (section 6.5): many short trials sampled on log "
              "scales, ranked by validation accuracy (never test), then narrowed coarse to fine."),
    "empty": ("No searches yet. A search trains many short runs with different learning rates and weight decays and "
              "shows which region gives the best validation accuracy. Launch one below: the book's search is 100 "
              "random trials of 50 epochs."),
    "empty.read_only": ("No searches yet, and this dashboard is read-only. Searches are started on the command line: "
                        "`python -m core search --strategy random --trials 100 --epochs 50`."),
    "read_only": "This dashboard is read-only: searches cannot be launched here.",
    # launch form
    "launch.title": "Launch a search",
    "launch.strategy": "Strategy",
    "launch.strategy.random": "random (the book's method)",
    "launch.strategy.grid": "grid",
    "launch.strategy.bayes": "Bayesian (Gaussian process + expected improvement)",
    "launch.strategy.coarse-to-fine": "coarse to fine (each round narrows around the best trials)",
    "launch.lr": "Learning rate range (log scale)",
    "launch.wd": "Weight decay λ range (log scale)",
    "launch.trials": "Number of trials",
    "launch.epochs": "Epochs per trial",
    "launch.seeds": "Seeds per trial",
    "launch.seeds.help": "Each trial trains once per seed; its value is the mean final validation accuracy.",
    "launch.rounds": "Rounds (coarse to fine only)",
    "launch.rounds.help": "The rounds share the trials; each round's box bounds the previous round's best trials.",
    "launch.early_stop": "Early stopping (successive halving)",
    "launch.early_stop.help": ("At a few early epochs (the rungs: 5 and 15 for 50-epoch trials) each trial is "
                               "compared with the trials that reached that point; only the best third goes on. "
                               "A search with early stopping costs about a quarter of one without, so it can "
                               "afford more trials."),
    "launch.min_epochs": "First rung (epoch)",
    "launch.min_epochs.auto": "automatic: 5",
    "launch.min_epochs.help": ("The first epoch at which trials are compared; the next rungs are 3×, 9×, … that "
                               "while they fit in the trials. Blank: 5, or a third of trials shorter than 15 "
                               "epochs. With 2, twice the trials of a plain search cost about a third of it."),
    "launch.rung_metric": "Early stopping compares",
    "launch.rung_metric.val_loss": "validation loss",
    "launch.rung_metric.val_acc": "validation accuracy",
    "launch.rung_metric.help": ("Trials are always ranked on validation accuracy at the end. Early on, with 100 "
                                "validation images, accuracy moves in 1 % steps near chance while the loss already "
                                "shows which trials learn, so loss prunes the eventual best trial less often."),
    "launch.repeat": "Repeat number",
    "launch.repeat.help": "Another repeat of the same settings draws other trials: repeats make the bands below.",
    "launch.base": ("Every trial is the book's setup: {n_train} training and {n_val} validation images, hidden "
                    "layers {hidden}, {optimizer}, batch size {batch_size}."),
    "launch.submit": "Launch search",
    "launch.done": "Started search {search_id} (job {job_id}): {n_trials} trials of {n_epochs} epochs.",
    "launch.failed": "Could not launch the search: {error}",
    "launch.exists": "This search already exists — opened it: {search_id} ({n_done} of {n_trials} trials done). The same settings draw the same trials, so a new search would only read them back from the cache. To draw other trials, change the repeat number.",
    "launch.exists_running": "This search already exists and is running — opened it: {search_id} ({n_done} of {n_trials} trials done so far).",
    "launch.resumed": "An identical search, {previous}, stopped at {n_done} of {n_trials} trials: this one reuses those trials from the cache and trains the rest.",
    "launch.same_range": "The {name} range needs two different ends.",
    "jobs.title": "Jobs",
    # choosing a search
    "choose": "Search",
    "option": "{search_id} · {strategy}",
    "status": "{n_done} of {n_trials} trials done, {n_epochs} epochs each · best val acc {best}",
    "lineage": "A finer round of {parent}.",
    "live": "Running: {n_done} of {n_trials} trials done. The scatter fills in as trials finish.",
    "failed": "This search could not be read: {error}",
    "problems.title": "Search files that could not be read ({n})",
    "problems.file": "file",
    "problems.reason": "reason",
    # scatter
    "scatter.title": "Learning rate × weight decay",
    "scatter.colorbar": "final val acc (scale {low}–{high})",
    "scatter.hint": ("Drag a box on the scatter to see those trials' curves below; the lasso or a click picks single "
                     "trials. Triangles were stopped early, crosses diverged."),
    "scatter.no_lr_wd": "This search does not tune both lr and weight decay (it tunes {params}): there is no scatter.",
    "surrogate.caption": "Under the points: the Gaussian-process surrogate's predicted validation accuracy.",
    "surrogate.none": "The surrogate map appears once at least two trials have finished.",
    "selected_box": "selected box",
    # selection
    "selected.title": "Selected trials",
    "selected.none": "No trials selected: draw a box on the scatter.",
    "selected.box": "{n} run(s) in lr {lr_lo} – {lr_hi} × λ {wd_lo} – {wd_hi}.",
    "selected.ids": "{n} run(s) picked.",
    "selected.capped": "Showing the {shown} best of them.",
    "selected.empty_box": "No trials inside the selected box.",
    "selected.clear": "Clear selection",
    "finer.trials": "Trials in the finer round",
    "finer.start": "Start a finer round in this box",
    "finer.hint": "Draw a box (box select) to start a finer round in it.",
    "finer.outside": "The box lies outside this search's ranges: no finer round there.",
    "finer.done": "Started the finer round {search_id} (job {job_id}).",
    # best-N, comparison, table
    "best.title": "Best trials",
    "best.n": "How many (Best-N)",
    "best.caption": "The book's Best-N: validation accuracy dotted, training accuracy dashed, best first.",
    "compare.title": "Best so far, by trials or by compute",
    "compare.choose": "Searches to compare",
    "compare.placeholder": "This search alone",
    "compare.x": "Against",
    "compare.x.trials": "trials",
    "compare.x.epochs": "compute",
    "compare.hint": ("Compare strategies on the same budget. Against trials, every trial counts as one; against "
                     "compute (trial-epochs), a trial stopped early costs only the epochs it trained, which is "
                     "where early stopping gains. Repeats of one strategy are drawn as their mean with a band from "
                     "the worst to the best repeat."),
    "compare.budget": "Compute used: trial-epochs are the epochs trained over all runs (a trial stopped early counts "
                      "up to where it stopped).",
    "column.search_id": "search",
    "column.strategy": "strategy",
    "column.n_done": "trials done",
    "column.n_epochs": "epochs per trial",
    "column.trial_epochs": "trial-epochs",
    "column.best": "best val acc",
    "table.title": "Trials",
    "table.csv": "Download trials (CSV)",
    "column.trial": "trial",
    "column.round": "round",
    "column.status": "status",
    "column.lr": "learning rate",
    "column.weight_decay": "weight decay λ",
    "column.value": "final val acc (ranked by)",
    "column.final_train_acc": "final train acc",
    "column.stopped_epoch": "epochs trained",
    "column.final_test_acc": "final test acc (never used to rank)",
    "column.seed": "seed",
    "column.cached": "cached",
    "column.run_id": "run id",
    # URL notices of this page (the rest are in common)
    "url.reason.not_number": "expected a positive number",
    "url.reason.bad_box": "a box needs all four ends, lr_lo below lr_hi and wd_lo below wd_hi",
}
