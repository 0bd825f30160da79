"""What the command line's modules share, below both ``core/cli.py`` and ``core/search/cli.py``."""
from __future__ import annotations

import argparse

RESULTS_HELP = "results folder (default: $OVERFIT_LAB_RESULTS or ./results)"


class CliError(Exception):
    """An error to report as one line with a non-zero exit code."""


def add_results_option(parser: argparse.ArgumentParser, *, subcommand: bool) -> None:
    """``--results DIR``, accepted before the subcommand and after it (``python -m core run ... --results DIR``).

    On a subcommand the option has no default (``argparse.SUPPRESS``), so it only overrides the value given before.
    """
    parser.add_argument("--results", default=argparse.SUPPRESS if subcommand else None, help=RESULTS_HELP)
