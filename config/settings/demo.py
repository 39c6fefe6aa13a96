"""The demo as `make run` serves it: the production pipeline (DEBUG off, the project's own error
pages, static files under hashed names cached for a year by WhiteNoise, served by granian), on
this machine only: plain HTTP on the loopback, the development keys, the demo accounts. Never
for real people: production.py refuses LOCAL_DEMO."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ["LOCAL_DEMO"] = "1"

from .base import *  # noqa: F403
from .base import TEMPLATES

DEBUG = False
TEMPLATES[0]["OPTIONS"]["debug"] = False
# The demo's one granian process holds the cache (base.py): what a write invalidates is seen by
# the next page, as it is with Redis in production.
