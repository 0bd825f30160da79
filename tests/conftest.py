"""Every test process (and the commands and servers it starts) caches into a folder of its own, never the user's;
the folder goes when the process that made it ends."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from core.user_cache import CACHE_ENV

if not os.environ.get(CACHE_ENV):
    os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="overfit-lab-test-cache-")
    atexit.register(shutil.rmtree, os.environ[CACHE_ENV], ignore_errors=True)
