"""Settings for the test suite: production settings with a throw-away key over plain HTTP."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("ZWGK_SECRET_KEY", "tests-only-" + "k" * 50)
os.environ.setdefault("ZWGK_HTTPS", "0")

from zwgk.settings import *  # noqa: F403

# Argon2 is deliberately slow; the suite hashes hundreds of throw-away passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405

# Letters and uploads written by tests go to a throw-away folder, not ./var.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="zwgk-test-media-"))

# Search indexes written by tests (file-based backends) go to a throw-away folder.
SEARCH_PATH = Path(tempfile.mkdtemp(prefix="zwgk-test-search-"))
