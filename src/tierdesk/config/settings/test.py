"""Settings for the test suite: fast hashing, tasks run in-process, quiet logs."""

from . import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {
    "huey_class": "huey.MemoryHuey",
    "name": "tierdesk-test",
    "immediate": True,
    "utc": True,
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PHONE_AUTH_TOKEN = PHONE_DEV_AUTH_TOKEN  # noqa: F405
# The help center's search without its semantic side (no sentence encoder per test); the tests
# of it turn it on (tests/knowledge/test_semantic.py, tests/e2e/test_help_semantic.py).
KNOWLEDGE_SEMANTIC_SEARCH = False
