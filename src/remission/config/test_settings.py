"""Settings for the test suite: the production settings with a fast password hasher, plain
static storage and, when ``TEST_DATABASE_URL`` is set, that database (PostgreSQL in CI)."""

from __future__ import annotations

import os

import dj_database_url

from remission.config.settings import *  # noqa: F403
from remission.config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise expects it

_test_db = os.environ.get("TEST_DATABASE_URL")
if _test_db:
    DATABASES = {"default": dj_database_url.parse(_test_db)}
