"""English text, section ``mechanism``: weights and activations inside the network (Compare's expander)."""

TEXT: dict[str, str] = {
    "expander": "Mechanism: weights and activations",
    "intro": ("Why a technique works, seen inside the network: how large each layer's weights grow, how they are "
              "spread, and what the hidden layers output on {n} fixed images. Histograms are recorded at four "
              "epochs of each run (start, 25 %, 50 %, end), except search trials."),
    "epoch": "Epoch of the histograms",
    "epoch.help": "Runs record histograms at 0, 25 %, 50 % and 100 % of their epochs; pick one of those epochs.",
    "too_many": "Showing {shown} of {n} selected runs: each config's first seed, then each one's next.",
    "not_at_epoch": ("Not drawn at epoch {epoch}: {n} {n|run|runs} with no histograms there, {configs}. A run "
                     "records them at 0, 25 %, 50 % and 100 % of its own epochs; search trials record none."),
    "not_at_epoch.config": "{label} ({n} {n|seed|seeds}: {seeds}; histograms at epochs {epochs})",
    "not_at_epoch.config_none": "{label} ({n} {n|seed|seeds}: {seeds}; no histograms)",
    "none_recorded": ("None of these runs recorded histograms: search trials do not record them, and runs trained "
                      "before this view existed did not. The weight norms are shown."),
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
}
