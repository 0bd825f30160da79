"""The reliability probe at full count (CI runs it with one repeat): kill -9 of a driver with 2 workers, full disks.

    python -m bench.stress_reliability [--repeats 20]

Runs ``tests/reliability/test_jobs_end.py`` with ``OVERFIT_LAB_STRESS_REPEATS`` set, so the kill -9 test runs
``--repeats`` times (each kill at a later moment) and every full-disk case runs; prints pytest's summary. Slow
(about 10 s per kill): not part of the default test run. Report ``uptime`` alongside.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    env = {**os.environ, "OVERFIT_LAB_STRESS_REPEATS": str(args.repeats)}
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "tests/reliability/test_jobs_end.py", "-k", "kill_9 or full_disk"], cwd=REPO, env=env)


if __name__ == "__main__":
    raise SystemExit(main())
