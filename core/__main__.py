"""Entry point of ``python -m core``."""
import os
import sys

from .cli import main

if __name__ == "__main__":
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: the interpreter's own exit reports it, as it always did
        sys.exit(code)
    # Everything is written and flushed (the job's driver has published its last state and closed its files):
    # skip the interpreter's teardown, about 0.1 s of CPU once numpy, pandas and pyarrow are loaded, a sixth of a
    # one-run command's fixed cost (docs/benchmarks.md). What is still alive are daemon threads, which a normal
    # exit does not wait for either, and idle pool threads with nothing left to do.
    os._exit(code)
