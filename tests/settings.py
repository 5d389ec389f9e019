"""Settings for the test suite: production settings with a throw-away key over plain HTTP."""

import os

os.environ.setdefault("ZWGK_SECRET_KEY", "tests-only-" + "k" * 50)
os.environ.setdefault("ZWGK_HTTPS", "0")

from zwgk.settings import *  # noqa: F403
