"""Every test process (and the commands and servers it starts) caches into a folder of its own, never the user's."""
from __future__ import annotations

import os
import tempfile

from core.user_cache import CACHE_ENV

if not os.environ.get(CACHE_ENV):
    os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="overfit-lab-test-cache-")
