"""Every English string of the dashboard: one section per page group, looked up with ``ui.text.t`` / ``page_text``.

A translation (``ko.py``: ``KO``) has the same sections and, in each, the same keys; a key it lacks is shown in
English. A page's section is searched first, then ``common``.
"""

EN = {
    # ---- common: shared by every page: the app frame, the sidebar, URL notices, the jobs panel, the config form 
    "common": {
        # app frame
        "app.title": "Overfit Lab",
        "nav.home": "Home",
        "nav.run": "Run",
        "nav.compare": "Compare",
        "nav.results": "Results",
        "nav.search": "Search",
        "nav.sweep": "Sweep",
        # sidebar
        "sidebar.language": "Language",
        "sidebar.folder": "Results folder",
        "sidebar.cached": "Cached runs",
        "sidebar.running": "Running jobs",
        "sidebar.cluster": "Cluster: `{address}` (runs train on its Dask workers)",
        "sidebar.read_only": "Read-only",
        "sidebar.read_only_help": "This dashboard only shows results: nothing can be computed or deleted here.",
        "sidebar.problems": "{n} file(s) in the results folder could not be read (see Results).",
        "sidebar.error": "The results folder could not be read: {error}",
        # URL state
        "url.ignored": "Ignored the URL parameter `{param}`: {reason}.",
        "url.reason.unknown_param": "this page has no such parameter",
        "url.reason.unknown_id": "{n} unknown id(s)",
        "url.reason.bad_id": "not an id",
        "url.reason.not_choice": "expected one of {options}",
        "url.reason.not_int": "expected a whole number from {low} to {high}",
        "url.reason.bad_text": "expected plain text of at most {n} characters",
        "url.reason.too_many": "at most {n} values",
        "url.reason.bad_value": "not a valid value for this setting",
        "link.title": "Link to this view",
        "link.help": "Copy this address (after the server's host) to share exactly this view.",
        # jobs panel
        "jobs.title": "Jobs",
        "jobs.none": "No jobs yet.",
        "jobs.running_none": "No job is running.",
        "jobs.progress": "{name}: {done} of {total} runs done ({cached} cached, {failed} failed) — {state}",
        "jobs.progress.search": "{name}: {done} of {total} trials done — {state}",
        "jobs.starting": "{name}: starting…",
        "jobs.run_line": "{label}: epoch {epoch}/{n_epochs} · train acc {train_acc} · test acc {test_acc} · {state}",
        "jobs.cancel": "Cancel",
        "jobs.cancel_done": "Cancel requested for job {job_id}.",
        "jobs.finished": "Finished jobs",
        "jobs.error": "Error: {error}",
        "jobs.more_runs": "… and {n} more run(s)",
        # services
        "service.read_only": "This dashboard is read-only: nothing can be computed or deleted.",
        "service.cluster": "The Dask cluster cannot be used: {error}. Start it, or unset OVERFIT_LAB_DASK to train "
                           "on this machine.",
        "service.too_many_jobs": "{n} jobs are already running (the limit is {limit}); wait for one to finish.",
        "service.too_many_epochs": "At most {limit} epochs per run can be launched here. Got {value}.",
        "service.too_many_seeds": "At most {limit} seeds can be launched here. Got {value}.",
        "service.nothing": "Nothing to launch: no configs.",
        # config form
        "form.data": "Data",
        "form.model": "Model",
        "form.regularization": "Regularization",
        "form.optimizer": "Optimizer",
        "form.training": "Training",
        "form.advanced": "More settings",
        "field.dataset": "Dataset",
        "field.data_path": "IDX folder (dataset = idx only)",
        "field.n_train": "Training images (n_train)",
        "field.n_val": "Validation images (n_val)",
        "field.n_test": "Test images (n_test, 0 = all the rest)",
        "field.data_seed": "Data split seed (data_seed)",
        "field.hidden_sizes": "Hidden layer sizes (e.g. 100x6 or 100,50)",
        "field.activation": "Activation",
        "field.init": "Weight initialisation",
        "field.init_std": "Initial std (init = std only)",
        "field.batch_norm": "Batch normalisation",
        "field.dropout": "Dropout ratio",
        "field.dropout_mode": "Dropout scaling",
        "field.optimizer": "Optimizer",
        "field.lr": "Learning rate (lr)",
        "field.momentum": "Momentum (momentum, nesterov)",
        "field.beta1": "beta1 (adam)",
        "field.beta2": "beta2 (adam)",
        "field.rho": "rho (rmsprop)",
        "field.weight_decay": "Weight decay λ",
        "field.weight_decay_mode": "Weight decay mode",
        "field.n_epochs": "Epochs (n_epochs)",
        "field.batch_size": "Batch size",
        "field.sampling": "Minibatch sampling",
        "field.seed": "First seed",
        "field.dtype": "Float type",
        "field.test_every": "Test data scored",
        "field.n_seeds": "Number of seeds",
        # labels of compared groups (only what differs; the shared part once, in a caption)
        "label.no_reg": "no reg.",
        "label.batch_norm": "batchnorm",
        "label.no_batch_norm": "no batchnorm",
        "label.epochs": "{n} epochs",
        "label.n_train": "{n} train images",
        "label.n_val": "{n} validation images",
        "label.batch_size": "batch {n}",
        "label.shared": "All shown: {text}.",
        # figures (titles, axes, legends)
        "figure.epoch": "epoch",
        "figure.metric.acc": "accuracy",
        "figure.metric.loss": "loss",
        "figure.split.train": "train",
        "figure.split.val": "val",
        "figure.split.test": "test",
        "figure.split.gap": "gap",
        "figure.gap.acc": "train − test accuracy",
        "figure.gap.loss": "test − train loss",
        "figure.param.weight_decay": "weight decay λ",
        "figure.param.dropout": "dropout ratio",
        "figure.summary.value": "final {metric}",
        "figure.summary.gap": "final gap ({gap})",
        "figure.zero.hover": "{symbol} = 0 (drawn at the left: 0 has no place on a log axis)",
        "figure.chosen": "best on validation",
        "figure.empty.curves": "No curves to show: choose runs or config groups.",
        "figure.empty.gap": "No gap to show: choose runs or config groups.",
        "figure.empty.summary": "No complete runs to summarise.",
        # misc
        "error.page": "This part of the page could not be drawn: {error}",
        "error.results_folder": "The results folder cannot be used: {error}. Set OVERFIT_LAB_RESULTS to a folder this "
                                "server can create and write, then restart it.",
        "empty.results": "No runs are cached yet.",
    },
    # ---- home: the Home page ---------------------------------------------------------------------------------
    "home": {
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
        "headline.measured": "Measured at the last epoch, mean over the cached seeds:",
        "headline.row": "**{name}**: train {train}, test {test}, gap {gap} ({n} seeds)",
        "headline.reading": "What the figure shows, on this data:",
        "headline.baseline": "Each regularizer is compared with {name}, the same network without it; a change of 0.01 "
                             "or less counts as no change.",
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
        "headline.partial": "{cached} of {total} runs of the book's experiments are cached.",
        "headline.empty": "The book's three experiments have not been computed yet.",
        "headline.launch": "Run the book's three experiments ({n} seeds)",
        "headline.launch_help": "Overfitting, weight decay (λ = 0.1) and dropout: {n_runs} runs in the background.",
        "headline.launched": "Started job {job_id}: the figure fills in as runs finish.",
        "headline.read_only": "The dashboard is read-only, so the experiments cannot be computed here.",
        "headline.open_compare": "Open these runs in Compare",
        "headline.progress": "Computing the book's experiments…",
    },
    # ---- run: the Run page -----------------------------------------------------------------------------------
    "run": {
        "title": "Run",
        "intro": "Launch training runs in the background. Runs whose config is already cached are never computed again.",
        "mode": "Start from",
        "mode.preset": "A preset (the book's experiments)",
        "mode.custom": "My own config",
        "preset": "Preset",
        "preset.configs": "This preset trains {n} config(s):",
        "seeds": "Number of seeds",
        "seeds.help": "Each config is trained once per seed (seeds {first} to {last}); charts show mean ± std over seeds.",
        "plan": "{n_runs} run(s): {n_cached} cached, {n_todo} to compute.",
        "all_cached": "Cached — every run of this config is already in the results folder.",
        "launch": "Launch {n} run(s)",
        "launched": "Started job {job_id} with {n} run(s).",
        "launch_failed": "Could not launch: {error}",
        "form_invalid": "Fix the fields marked above before launching.",
        "limits.title": "Limits on this server",
        "limits.intro": "Bigger jobs are refused before anything is computed. The server's administrator changes a "
                        "limit with its setting.",
        "limits.params": "parameters per model",
        "limits.activation_mb": "activation memory per batch (MB)",
        "limits.epochs": "epochs per run",
        "limits.seeds": "seeds per config",
        "limits.trials": "trials per search",
        "limits.runs": "runs per job",
        "limits.workers": "worker processes per job",
        "limits.config_kb": "config file size (kB)",
        "limits.idx_mb": "IDX file size (MB)",
        "read_only": ("This dashboard is read-only: runs cannot be launched here. "
                      "Cached results are on Compare and Results."),
        "jobs": "Jobs",
        "final.title": "Final numbers of the cached runs (mean over seeds)",
        "final.label": "config",
        "final.n_seeds": "seeds",
        "final.train": "final train acc",
        "final.val": "final val acc",
        "final.test": "final test acc",
        "final.gap": "gap (train − test)",
        "final.caption": "Accuracy at the last epoch. A config without a validation split shows None there.",
        "final.open_compare": "Open these {n} run(s) in Compare",
    },
    # ---- compare: the Compare page ---------------------------------------------------------------------------
    "compare": {
        "title": "Compare",
        "intro": "Overlay the learning curves of config groups (mean ± std over seeds) or single runs.",
        "by": "Compare",
        "by.group": "Config groups (mean ± std over seeds)",
        "by.run": "Single runs",
        "select.group": "Config groups",
        "select.run": "Runs",
        "select.placeholder": "Choose by label",
        "group.option": "{label} ({n} seeds)",
        "metric": "Metric",
        "metric.acc": "Accuracy",
        "metric.loss": "Loss",
        "splits": "Splits",
        "split.train": "train",
        "split.val": "val",
        "split.test": "test",
        "splits.help.train": "Training data: what the network learns from.",
        "splits.help.val": "Validation data: held out from training and used to choose (λ, dropout, the best epoch).",
        "splits.help.test": "Test data: reported, never used to choose.",
        "splits.none.train": "No training data in these runs.",
        "splits.none.val": "No validation data in these runs: n_val = 0, so there is no validation split to draw.",
        "splits.none.test": "No test data in these runs.",
        "smooth": "Smoothing (epochs averaged)",
        "nothing_selected": "Choose runs or config groups above to draw their curves.",
        "curves.title": "Learning curves",
        "curves.figure_title": "{metric} per epoch",
        "curves.csv": "Download curves (CSV)",
        "gap.title.acc": "Generalization gap (train − test accuracy)",
        "gap.title.loss": "Generalization gap (test − train loss)",
        "gap.caption.acc": "Above zero: the network is more accurate on its training data than on test data.",
        "gap.caption.loss": "Test loss minus train loss: above zero when the network does worse on test data than on "
                            "its training data, as in accuracy mode.",
        "summary.title": "Final values and gap against a regularizer",
        "summary.param": "Against",
        "summary.param.weight_decay": "weight decay λ",
        "summary.param.dropout": "dropout ratio",
        "summary.csv": "Download summary (CSV)",
        "summary.separate.weight_decay": "A line joins only groups that differ in λ alone; separate lines differ in "
                                         "{fields} (named in the legend).",
        "summary.separate.dropout": "A line joins only groups that differ in the dropout ratio alone; separate lines "
                                    "differ in {fields} (named in the legend).",
        "summary.chosen.acc": "Ringed: the point of each line with the best final validation accuracy. The test value "
                              "beside it is reported, never used to choose.",
        "summary.chosen.loss": "Ringed: the point of each line with the lowest final validation loss. The test value "
                               "beside it is reported, never used to choose.",
        "summary.no_val": "No validation data in these runs (n_val = 0): test values are shown, and no point is chosen "
                          "on them.",
        "summary.one_point": "Each line has a single point: there is nothing to choose between.",
        "table.title": "Final metrics",
        "table.ranked_val": "Ranked by final validation accuracy (best first). The best epoch is chosen on validation "
                            "data; the test accuracy at that epoch is reported, never used to choose.",
        "table.no_val": "No validation data in these runs (n_val = 0): rows keep your order, and no best epoch is "
                        "chosen, since choosing on test data would flatter the test score.",
        "table.col.id": "id",
        "table.col.config": "config",
        "table.col.seeds": "seeds",
        "table.col.status": "status",
        "table.col.final_train_acc": "final train acc",
        "table.col.final_val_acc": "final val acc",
        "table.col.final_test_acc": "final test acc",
        "table.col.final_gap": "final gap (train − test acc)",
        "table.col.best_val_acc": "best val acc",
        "table.col.best_val_epoch": "best val epoch",
        "table.col.test_acc_at_best_val": "test acc at best val epoch",
        "table.col.epochs": "epochs",
        "table.col.duration_s": "duration (s)",
        "table.csv": "Download table (CSV)",
        "search.title": "Search: learning rate × weight decay",
        "search.choose": "Search",
        "search.none": "No searches yet.",
        "search.unavailable": "Searches are not available in this version.",
        "search.failed": "This search could not be read: {error}",
        "search.option": "{search_id} · {strategy} · {n_done}/{n_trials} trials · best val acc {best}",
        "search.select_hint": "Select trials in the scatter (box or lasso) to add their runs to the comparison.",
        "search.add": "Compare the {n} selected trial run(s)",
        "empty": "No runs are cached yet. Launch some on the Run page.",
        "go_run": "Go to Run",
    },
    # ---- results: the Results page ---------------------------------------------------------------------------
    "results": {
        "title": "Results",
        "intro": "Every cached run. Select rows to open them in Compare, download the table, or delete runs.",
        "filter.status": "Status",
        "filter.dataset": "Dataset",
        "filter.text": "Label contains",
        "sort": "Sort by",
        "order": "Order",
        "order.desc": "high → low",
        "order.asc": "low → high",
        "column.created_at": "created",
        "column.final_test_acc": "final test acc",
        "column.final_train_acc": "final train acc",
        "column.final_gap": "final gap",
        "column.best_val_acc": "best val acc",
        "column.duration_s": "duration",
        "column.label": "label",
        "column.weight_decay": "weight decay λ",
        "column.dropout": "dropout ratio",
        "column.lr": "learning rate",
        "column.n_train": "training images",
        "column.status": "status",
        "count": "{shown} of {total} run(s) shown.",
        "selected": "{n} run(s) selected.",
        "select_hint": "Tick rows in the table's left column to select runs.",
        "open_compare": "Open selection in Compare",
        "csv": "Download table (CSV)",
        "parquet": "Download table (parquet)",
        "delete": "Delete selected runs",
        "delete.title": "Delete runs",
        "delete.confirm_text": "Delete these {n} run(s) from the results folder? This cannot be undone.",
        "delete.confirm": "Yes, delete {n} run(s)",
        "delete.cancel": "Keep them",
        "delete.done": "Deleted {n} run(s).",
        "delete.failed": "Could not delete: {error}",
        "problems.title": "Files that could not be read ({n})",
        "problems.file": "file",
        "problems.reason": "reason",
        "empty": "No runs are cached yet. Launch some on the Run page.",
        # the table's headers (number columns keep their data names)
        "header.final_train_acc": "final train acc",
        "header.final_test_acc": "final test acc",
        "header.final_gap": "final gap",
        "header.best_val_acc": "best val acc",
        "header.best_test_acc": "best test acc",
        "header.duration_s": "duration (s)",
        "header.created_at": "created (UTC)",
        "header.weight_decay": "weight decay λ",
        "filter.member": "Search or sweep",
        "member.none": "not in a search or sweep",
        "member.search": "search {id}",
        "member.sweep": "sweep {id}",
        "member.cell.search": "search {id} · trial {point}",
        "member.cell.sweep": "sweep {id} · point {point}",
        "column.final_val_acc": "final val acc",
        "validation_first": "Validation first: choose among runs on the validation columns and report the test accuracy once. Runs trained without a validation split show None there.",
        "header.label": "label",
        "header.final_val_acc": "final val acc",
        "header.member": "search / sweep",
        "header.lr": "learning rate",
        "header.dropout": "dropout ratio",
    },
    # ---- search: the Search page -----------------------------------------------------------------------------
    "search": {
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
        "best.caption": "The book's Best-N: validation accuracy solid, training accuracy dashed, best first.",
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
    },
    # ---- sweep: one or two fields × seeds, read on validation ------------------------------------------------------
    "sweep": {
        "title": "Sweep",
        "intro": ("Vary one or two settings (weight decay λ, dropout, learning rate, training images, hidden width or "
                  "depth) over a grid, several seeds per point. The point is chosen on validation accuracy; its test "
                  "accuracy is reported once."),
        "empty": ("No sweeps yet. A sweep trains every value of a grid with several seeds and draws accuracy and the "
                  "train − test gap against it. Launch one below; the book's 300-image setup with λ from 0 to 1 is "
                  "filled in."),
        "empty.read_only": ("No sweeps yet, and this dashboard is read-only. Sweeps are started on the command line: "
                            "`python -m core sweep --preset overfit --vary weight_decay=0,1e-4..1x9log --seeds 5`."),
        "empty.runs": "None of this sweep's runs has finished yet: the figures appear as runs are stored.",
        "read_only": "This dashboard is read-only: sweeps cannot be launched here.",
        # launch form
        "launch.title": "Launch a sweep",
        "form.base": "Base setup (preset)",
        "form.base.help": ("Every point is this preset with the swept values changed. `overfit` is the book's "
                           "overfitting setup: 300 training images, a 6×100 network, plain stochastic gradient descent (`sgd`)."),
        "form.epochs": "Epochs per run",
        "form.field1": "Swept field",
        "form.field2": "Second swept field (optional)",
        "form.field.none": "none",
        "form.grid": "Values",
        "form.grid.help": ("Values and ranges separated by commas: `0,0.1,0.2`, or `LOW..HIGHxN` (N evenly spaced "
                           "values), or `LOW..HIGHxNlog` (N log-spaced values). Example: `0,1e-4..1x9log` is 0 and 9 "
                           "values from 1e-4 to 1."),
        "form.grid.placeholder": "e.g. 0,1e-4..1x9log",
        "form.seeds": "Seeds per point",
        "form.seeds.help": "Each point trains once per seed (0, 1, …); the bands and intervals come from the seeds.",
        "form.n_val": "Validation images",
        "form.n_val.help": ("Images held out to choose the point on (never the test images). A sweep needs them: "
                            "0 is refused."),
        "form.preview": ("{n_points} point(s) × {seeds} seed(s) = {n_runs} runs of {label}, {n_epochs} epochs each. "
                         "Runs already stored are not trained again."),
        "form.submit": "Launch sweep",
        "form.error.base": "Choose a preset with one config: {options}.",
        "form.error.field": "Choose a field to sweep: {options}.",
        "form.error.same_field": "Choose a field other than the first.",
        "launch.invalid": "The sweep was not launched: fix the fields marked below.",
        "launch.failed": "Could not launch the sweep: {error}",
        "launch.started": "Started sweep {sweep_id} (job {job_id}): {n_todo} run(s) to train, {n_cached} already stored.",
        "launch.reopened": ("This sweep exists already ({sweep_id}): opened it. Training its {n_todo} missing run(s) "
                            "(job {job_id}); {n_cached} already stored."),
        "launch.cached": "This sweep exists already ({sweep_id}) and all {n_runs} runs are computed: opened it.",
        "launch.cached_new": "Sweep {sweep_id}: all {n_runs} runs were already computed (shared with earlier runs).",
        "jobs.title": "Jobs",
        # choosing a sweep
        "choose": "Sweep",
        "sweep_title": "{fields} · {n_points} point(s) × {seeds} seed(s)",
        "base": "{title} · base: {label}, {n_epochs} epochs, {n_val} validation images",
        "status.stored": "{n} of {total} runs stored",
        "failed": "This sweep could not be read: {error}",
        "problems.title": "Sweep files that could not be read ({n})",
        "problems.file": "file",
        "problems.reason": "reason",
        # view controls
        "view.at": "Accuracies at",
        "view.at.help": ("Final: the last epoch. Best epoch: each run's epoch of best validation accuracy (the test "
                         "accuracy is read there, never used to pick it)."),
        "at.final": "final epoch",
        "at.best": "best validation epoch",
        "view.band": "Seed band",
        "band.std": "mean ± std",
        "band.range": "min–max",
        # views
        "view.1d.title": "Accuracy and gap against {field}",
        "view.paired.title": "Difference to the baseline, seed by seed",
        "view.point.title": "Curves of one point",
        "point.none": "none",
        "view.point.pick": "Point",
        "view.point.help": "Click a point or a cell in the figures above, or pick it here.",
        "view.point.none": "No point picked: click a point or a cell above, or choose one here.",
        "view.point.caption": ("{point}: {n} of {n_runs} seed(s) complete; mean validation accuracy {val}, mean train "
                               "accuracy {train}. Train dashed, validation dotted, test solid; one line per seed."),
        "table.title": "Every point",
        "table.caption": "Means over the complete seeds. The ticked row is the point chosen on validation accuracy.",
        "column.point": "point",
        "column.n": "complete seeds",
        "column.chosen": "chosen on validation",
        "column.val_acc_mean": "val acc",
        "column.val_acc_std": "val acc std",
        "column.train_acc_mean": "train acc",
        "column.test_acc_mean": "test acc",
        "column.gap_mean": "gap (train − test)",
        # captions (numbers computed from the runs)
        "caption.span": ("From {low} to {high}, mean validation accuracy goes from {val_low} to {val_high} and the "
                         "train − test gap from {gap_low} to {gap_high}."),
        "caption.band": "Bands: {band} over seeds.",
        "caption.chosen": ("Chosen on validation ({at}): {point}, validation accuracy {val}; its test accuracy is "
                           "{test} ± {test_std} and its gap {gap} (n = {n} seeds)."),
        "caption.no_chosen": "No point can be chosen yet: no run has a validation accuracy.",
        "caption.no_runs": "No run of this sweep has finished yet.",
        "caption.paired": ("Each point minus the baseline ({baseline}) with the same seed; bars are 95 % t-intervals "
                           "over seeds. Below the dotted zero line the point is worse than the baseline."),
        "caption.paired_chosen": "The chosen point {point}: test accuracy {diff} (95 % interval {low} to {high}, {n} pairs).",
        "caption.paired_empty": "No pairs to compare with the baseline ({baseline}) yet.",
        "caption.heat": ("Mean over seeds at the {band}. The red outline marks the cell with the best validation "
                         "accuracy; a black dotted outline the picked cell."),
        # figures
        "figure.no_runs": "No complete runs yet.",
        "figure.no_pairs": "No paired runs yet.",
        "figure.no_curves": "No curves stored for this point yet.",
        "figure.accuracy_panel": "Accuracy (mean over seeds)",
        "figure.gap_panel": "Gap: train − test accuracy",
        "figure.accuracy": "accuracy",
        "figure.gap": "gap (train − test)",
        "figure.gap_axis": "train − test",
        "figure.zero_note": "{symbol} = 0 is drawn at the left, past the dotted break: 0 has no place on a log axis",
        "figure.chosen": "chosen on validation",
        "figure.selected": "picked point",
        "figure.paired_split": "{split} accuracy − baseline",
        "figure.paired_axis": "difference to {baseline}",
        "figure.heat_val": "Validation accuracy (mean)",
        "figure.heat_gap": "Gap: train − test accuracy (mean)",
        "figure.heat_bar.1": "val acc",
        "figure.heat_bar.2": "gap",
        "figure.epoch": "epoch",
        "figure.seed": "seed {seed}",
        "split.train": "train",
        "split.val": "validation",
        "split.test": "test",
        # swept fields
        "field.weight_decay": "weight decay λ",
        "field.dropout": "dropout ratio",
        "field.lr": "learning rate",
        "field.n_train": "training images",
        "field.hidden_width": "hidden width",
        "field.hidden_depth": "hidden layers",
        # URL notices of this page (the rest are in common)
        "url.reason.no_sweep": "there is no sweep to pick a point of",
    },
    # ---- mechanism: weights and activations inside the network (Compare's expander) ------------------------
    "mechanism": {
        "expander": "Mechanism: weights and activations",
        "intro": ("Why a technique works, seen inside the network: how large each layer's weights grow, how they are "
                  "spread, and what the hidden layers output on {n} fixed images. Histograms are recorded at four "
                  "epochs of each run (start, 25 %, 50 %, end)."),
        "epoch": "Epoch of the histograms",
        "epoch.help": "Runs record histograms at 0, 25 %, 50 % and 100 % of their epochs; pick one of those epochs.",
        "too_many": "Showing the first {shown} of {n} selected runs.",
        "none_recorded": ("None of these runs recorded histograms (they were trained before this view existed); "
                          "the weight norms are shown. Train them again to see the histograms."),
        "nothing": "Nothing recorded to show.",
        "norms.title": "Weight norm per layer",
        "weight.title": "Weight histograms per layer at epoch {epoch}",
        "act.title": "Activation histograms per hidden layer at epoch {epoch}",
        "active.title": "Active (non-zero) units per hidden layer",
        "panel.layer": "layer {layer}",
        "panel.hidden": "hidden layer {layer}",
        "axis.epoch": "epoch",
        "axis.norm": "‖W‖ (Frobenius norm)",
        "axis.weight": "weight value",
        "axis.act": "activation value",
        "axis.share": "share per bin",
        "axis.active": "active fraction",
    },
    # ----------------------------------------------------------------------------------------------------------------
    "lessons": {
        "nav.section": "Lessons",
        "nav.overfitting": "Overfitting",
        "nav.weight_decay": "Weight decay",
        "nav.validation": "Validation data",
        "nav.dropout": "Dropout",
        "nav.search": "Hyperparameter search",
        "nav.optimizers": "Optimizers",
        "nav.activations": "Activations and init",
        "nav.batchnorm": "Batch normalization",
        "quick": "Quick mode (`OVERFIT_LAB_LESSON_QUICK`): this lesson's runs are cut to {epochs} epochs and one "
                 "seed, so its numbers are not the chapter's.",
        "stored": "All {n} runs of this lesson are stored; the figure and the sentences below read them.",
        "empty": "None of this lesson's {total} runs is stored yet. One click computes them in the background; the "
                 "figure fills in as they finish.",
        "missing": "{missing} of this lesson's {total} runs are not stored yet; the figure shows the others.",
        "read_only": "This dashboard is read-only: it shows what is stored and computes nothing.",
        "running": "Computing in the background: the figure fills in as runs finish. You may leave this page.",
        "compute": "Compute the {n} missing runs",
        "compute_help": "Trains in the background, so you can leave this page and come back. Runs already stored "
                        "are not trained again.",
        "waiting": "The figure appears when the first runs of this lesson are stored.",
        "read.title": "What the figure says",
        "name.train_acc": "train accuracy",
        "name.test_acc": "test accuracy",
        "name.val_acc": "validation accuracy",
        "name.gap": "gap (train − test)",
        "axis.acc": "accuracy",
        "axis.epoch": "epoch",
        "math.gap": "gap",
        "math.train": "train",
        "math.test": "test",
        "math.val": "val",
        "math.optimism": "optimism",
        "math.inverted": "inverted:",
    },
    "lesson_overfitting": {
        "title": "Overfitting and its two conditions",
        "intro": ("A network **overfits** when it learns its training images so well that it stops generalising: "
                  "train accuracy keeps climbing while test accuracy stalls. The distance between them, the "
                  "**generalization gap**, is what the rest of the chapter tries to shrink.\n\n"
                  "The chapter names two conditions that make overfitting likely: **few training data** and **a "
                  "model with many parameters** (high capacity). Below, both are experiments: the book's setup "
                  "(6 hidden layers of 100 ReLU units, SGD, 200 epochs) trained on more or fewer images, and with "
                  "narrower or wider layers on the book's 300 images. Each point is the final accuracy, averaged "
                  "over seeds, with its spread."),
        "figure.title": "Final accuracy against the data size and the width",
        "axis.n_train": "training images (n_train)",
        "axis.width": "units in each of the 6 hidden layers",
        "read.epochs": "After {epochs} epochs, means over seeds:",
        "n_train.one": "With {value} training images the gap is {gap} (train {train}, test {test}).",
        "n_train.two": "With {low} training images the gap is {gap_low} (train {train_low}, test "
                       "{test_low}); with {high} it is {gap_high} (train {train_high}, test "
                       "{test_high}).",
        "n_train.down": "More data shrank the gap here: the network can no longer memorise every image.",
        "n_train.up": "Here more data did not shrink the gap: look at the runs, they may have stopped early.",
        "n_train.flat": "Between the two ends the gap hardly moves.",
        "width.one": "With {value} units per layer the gap is {gap} (train {train}, test {test}).",
        "width.two": "With {low} units per layer the gap is {gap_low} (train {train_low}, test "
                     "{test_low}); with {high} it is {gap_high} (train {train_high}, test "
                     "{test_high}).",
        "width.down": "Here the wider network overfits less: too narrow a network fits its training images badly "
                      "too.",
        "width.up": "The wider network, with more parameters, overfits more: it has room to memorise.",
        "width.flat": "Between the two ends the gap hardly moves.",
        "n_train.peak": "The largest gap, {gap}, is in between, at {value} images.",
        "n_train.underfit": "With {value} images the network does not even fit its training images (train {train}).",
        "width.peak": "The largest gap, {gap}, is in between, at {value} units per layer.",
        "width.underfit": "With {value} units per layer the network does not even fit its training images (train "
                          "{train}): too few parameters underfit, which is no cure for overfitting.",
    },
    "lesson_weight_decay": {
        "title": "Weight decay",
        "intro": ("Overfitting often comes with large weights: a few big weights let the network bend its decision "
                  "boundary around single training images. **Weight decay** adds a price for large weights to the "
                  "loss, half of λ times the sum of the squared weights. Its gradient adds λW to each weight's "
                  "gradient, so every update also pulls each weight a little towards 0, in proportion to its size.\n\n"
                  "λ is a **hyperparameter**: 0 is no decay, too large a λ stops the network from learning at all. "
                  "Below, the book's 300-image setup is trained at several λ (two seeds each): the final accuracies "
                  "and the gap at each λ, then the norm of all weights over the epochs (the first seed)."),
        "figure.title": "Final accuracy and gap against λ",
        "axis.lambda": "weight decay λ",
        "axis.norm": "norm of all weights, √(Σ‖W‖²)",
        "norms.title": "The weights' norm over the epochs, for each λ",
        "norms.intro": "Recorded at every epoch of every run: without decay the weights keep growing while the "
                       "training images are memorised; the larger λ, the lower the norm settles.",
        "read.gaps": "Final gap (train − test) at each value: {pairs}.",
        "read.chosen": "Chosen on validation data: λ = {lam} (validation {val}, test {test}, gap {gap}).",
        "read.norms": "At epoch {epoch} the weights' norm is {plain} without weight decay and {decayed} with "
                      "λ = {lam}.",
        "read.too_much": "λ = {lam} closes the gap ({gap}) but its test accuracy falls to {test}: the decay is so "
                         "strong that the network stops learning.",
    },
    "lesson_validation": {
        "title": "Validation data",
        "intro": ("Hyperparameters (the learning rate, λ, the dropout ratio …) are chosen by trying several values "
                  "and keeping the best. If \"best\" is judged on the **test data**, the test data has helped choose "
                  "the model, and its score is no longer an honest estimate: among many configs, one will do well on "
                  "these particular test images partly by luck, and picking the maximum picks that luck too.\n\n"
                  "So the chapter sets aside **validation data**, taken from the training data, to choose with; "
                  "the test data is looked at once, at the end. Below, 16 configs (4 learning rates × 4 values of "
                  "λ on the book's 300-image setup, each with 100 validation images) are chosen two ways: on test "
                  "(the mistake) and on validation (honest). The difference between the two reported scores is the "
                  "**optimism** of choosing on test; on the right, how it grows with the number of configs tried."),
        "figure.title": "Choosing on test against choosing on validation",
        "name.configs": "configs",
        "name.on_test": "chosen on test (reported: its test accuracy)",
        "name.on_val": "chosen on validation (reported: its test accuracy)",
        "axis.n": "configs tried (N)",
        "axis.score": "reported test accuracy",
        "read.on_test": "Among the {m} configs, the best test accuracy is {score} (lr = {lr}, λ = {lam}): the number "
                        "one would report after choosing on test.",
        "read.on_val": "The config with the best validation accuracy ({val}; lr = {lr}, λ = {lam}) scores {score} "
                       "on test: choosing on test overstates the result by {optimism}.",
        "read.by_n": "Over random subsets of the configs, the optimism is {low} when trying {n_low} and {high} when "
                     "trying {n_high}.",
        "read.grows": "The more configs are tried, the more choosing on test flatters.",
        "read.left_out": "{n} of the {total} configs have no complete run (diverged or not stored yet) and are left "
                         "out.",
        "link.search": "Choose on validation data in a search of your own",
    },
    "lesson_dropout": {
        "title": "Dropout",
        "intro": ("**Dropout** switches off hidden units at random while training: at every step each unit is kept "
                  "with probability 1 − r (r is the dropout ratio) and the others output 0 for that step, forwards "
                  "and backwards. No unit can rely on a particular other unit being there, so the network cannot "
                  "memorise with a few co-adapted units, and each step trains a different thinned network.\n\n"
                  "At test time every unit is on. A unit then receives more input than during training, on "
                  "average 1/(1 − r) times more, so the book multiplies each output by (1 − r):"),
        "inverted": ("**Inverted dropout**, which most libraries use, does the same scaling the other way round: it "
                     "divides the kept units by (1 − r) during training and leaves the test pass untouched. Both "
                     "give the same expected output; they differ only in where the scaling sits."),
        "figure.title": "Dropout r = 0.2 run to 1,000 epochs, beside no dropout",
        "label.book": "r = 0.2, (1 − r) at test",
        "label.inverted": "r = 0.2, inverted",
        "label.plain": "no dropout",
        "split.train": "train",
        "split.test": "test",
        "mark": "{epochs} epochs (the book)",
        "read.early": "With r = 0.2, at epoch {epoch} train accuracy is {train} and test accuracy {test}.",
        "read.late": "Continued to epoch {epoch}: train {train}, test {test}, a gap of {gap}.",
        "read.rising": "Test accuracy rose by another {delta} after epoch {epoch}: at r = 0.2 the book's 300 epochs "
                       "stop a run that is still learning. Each step trains a thinned network, so learning is slower.",
        "read.plain": "Without dropout, at epoch {epoch}: train {train}, test {test}, a gap of {gap}.",
        "read.inverted": "The book's (1 − r) scaling ends at test accuracy {book}, inverted dropout at {inverted} "
                         "(epoch {epoch}): the same method, other random masks.",
        "ensemble.title": "Dropout as an ensemble",
        "ensemble.intro": ("Averaging the predictions of several independently trained networks (an **ensemble**) "
                           "usually beats each of them. Dropout trains a different thinned network at every step, "
                           "and the (1 − r) scaling at test approximates averaging all of them. Here the explicit "
                           "version stands beside it: k networks without dropout, each from its own seed, their "
                           "probabilities averaged, against one dropout network (r = 0.2) on the same 300 images."),
        "ensemble.missing": "The ensemble is not computed yet: {k} networks and one dropout network, {epochs} "
                            "epochs each.",
        "ensemble.compute": "Train the ensemble ({k} networks)",
        "ensemble.figure": "Averaged networks against one dropout network",
        "ensemble.k": "networks averaged (k)",
        "ensemble.ensemble_test_acc": "average of k networks",
        "ensemble.member_test_acc": "the k-th network alone",
        "ensemble.thinned_test_acc": "average of k thinned dropout networks",
        "ensemble.dropout_test_acc": "dropout network, (1 − r) at test",
        "ensemble.read": "Averaging {k} networks gives test accuracy {ensemble}, against {single} for one network "
                         "on average; the dropout network scores {dropout} with its (1 − r) scaling and {thinned} "
                         "when {k} thinned copies are averaged.",
        "ensemble.slow": "The dropout network fits only {train} of its own training images here: as the curves "
                         "above show, r = 0.2 needs more epochs than the others, so this comparison is not yet a "
                         "fair one.",
    },
    "lesson_optimizers": {
        "title": "Optimizers",
        "intro": ("Training moves the weights downhill on the loss. The chapter compares four ways of taking a step "
                  "on a function that is 20 times steeper in y than in x, so the gradient does not point at the "
                  "minimum (0, 0). **SGD** steps along the gradient and zig-zags across the valley. **Momentum** "
                  "adds a velocity that keeps part of the previous steps, like a ball rolling. **AdaGrad** divides "
                  "each coordinate's step by the root of its accumulated squared gradients, so the steep direction "
                  "slows down. **Adam** combines both ideas. Each path below is 30 updates from (−7, 2), computed by "
                  "the same optimizer classes that train the networks."),
        "paths.title": "30 updates of each optimizer on f(x, y) = x²/20 + y²",
        "paths.caption": "Learning rates as in the book's code: {rates}.",
        "mnist.intro": ("On a real network the ranking is not the same as on the toy function. Below, the four train "
                        "the same 4×100 network on 4,000 MNIST images (Adam with its usual lr 0.001, the others 0.01)."),
        "figure.title": "The four optimizers on MNIST",
        "split.train": "train",
        "split.test": "test",
        "read.distances": "Distance from (0, 0) after 30 updates: {pairs}; {best} ends closest.",
        "read.mnist": "Final test accuracy on MNIST after {epoch} epochs: {pairs}; {best} is the best here.",
    },
    "lesson_activations": {
        "title": "Activations and initial weights",
        "intro": ("How large should the initial weights be? The chapter's experiment needs no training: 1,000 random "
                  "inputs go through 5 hidden layers of 100 units, and a histogram shows each layer's outputs. "
                  "With **std 1** a sigmoid's outputs pile up at 0 and 1, where its gradient vanishes. With **std "
                  "0.01** they all sit near 0.5: every unit says the same thing, and many units are no better than "
                  "one. **Xavier** initialisation scales the weights by 1/√n (n inputs per unit) and keeps the outputs "
                  "spread through the layers; for ReLU, which zeroes half its inputs, **He** initialisation uses "
                  "√(2/n) instead. Pick an activation function:"),
        "pick": "Activation function",
        "figure.title": "Outputs of each hidden layer ({activation}), per initial weight scale",
        "axis.output": "output",
        "init.std=1": "std 1",
        "init.std=0.01": "std 0.01",
        "init.xavier": "Xavier",
        "init.he": "He",
        "caption": "Columns: hidden layers 1 to 5. For ReLU the zeros (about half the outputs) are left out of the "
                   "bars, so the shape of the rest stays visible.",
        "read.bounded": "{init}: the outputs' std goes from {std_first} in layer 1 to {std_last} in layer {layer}, "
                        "where {saturated} of them sit at a bound and {centre} at the centre.",
        "read.relu": "{init}: the outputs' std goes from {std_first} in layer 1 to {std_last} in layer {layer}, "
                     "where {zero} are exactly 0 and {dead} of the units never fire.",
    },
    "lesson_batchnorm": {
        "title": "Batch normalization",
        "intro": ("The activation histograms showed how much a network depends on its initial weight scale. **Batch "
                  "normalization** removes much of that dependence: before each activation it shifts and scales "
                  "every unit's values over the minibatch to mean 0 and variance 1, then lets the network learn its "
                  "own scale γ and shift β. Whatever the weights do to the size of the signal, the next layer "
                  "receives it at a reasonable scale, so learning starts fast and tolerates poor initial values.\n\n"
                  "Below, a 5×100 network learns 1,000 images for 20 epochs from a poor initial scale (std 0.01) "
                  "and from He's, each with and without batch normalization."),
        "figure.title": "Learning with and without batch normalization",
        "init.std": "std 0.01",
        "init.he": "He",
        "bn.on": "with batch norm",
        "bn.off": "without",
        "label": "{init}, {bn}",
        "split.train": "train",
        "split.test": "test",
        "read.init": "{init}: test accuracy {with_bn} with batch normalization and {without} without at epoch "
                     "{epoch}; already at epoch {early} it is {early_with} against {early_without}.",
    },
    "lesson_search": {
        "title": "Hyperparameter search",
        "intro": ("A hyperparameter such as the learning rate or λ matters by its order of magnitude: 0.001 and 0.01 "
                  "behave very differently, 0.05 and 0.06 hardly at all. So the chapter draws such values **on a log "
                  "scale**: it draws the exponent uniformly and takes 10 to that power. Random draws beat a grid "
                  "when only some hyperparameters matter, and every config is judged on **validation data**, never "
                  "on the test data."),
        "figure.title": "100 values of λ between 1e-8 and 1e-4, drawn two ways",
        "scale.linear": "uniform",
        "scale.log": "log scale",
        "axis.value": "drawn value (log axis)",
        "read.linear": "Drawn uniformly between {low} and {high}: {top} of {n} values land in the top decade "
                       "(from {top_low}) and {bottom} below {bottom_high}.",
        "read.never": "None is below {bottom_high}: the small values are never tried.",
        "read.log": "Drawn on a log scale: {top} of {n} in the top decade and {bottom} below {bottom_high}, about "
                    "the same share for every decade.",
        "coarse": ("**Coarse to fine.** Start with a wide range and short runs (a few epochs are enough to rule out "
                   "a learning rate that diverges or does not move), look at where the good configs cluster, then "
                   "search again in that smaller box with longer runs. The Search page does this in rounds, with "
                   "random, grid or Bayesian sampling and early stopping."),
        "link.search": "Open the Search page",
    },
}
