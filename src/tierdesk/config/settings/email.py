"""Outgoing e-mail: the console back-end unless EMAIL_URL-style settings are given; the outbox."""

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_str

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tierdesk <support@tierdesk.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute base of the links in e-mails (no trailing slash needed). When it is unset,
# `tierdesk serve` exports http://<host>:<port> it bound to its web and task processes
# (web/management/commands/serve.py), so the default below only applies to processes started
# some other way (runserver, a bare run_huey).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# The path of a case's page, appended to SITE_URL in e-mails.
NOTIFICATIONS_CASE_PATH = env_str("NOTIFICATIONS_CASE_PATH", "/cases/{case_id}/")

# The outbox (docs/notifications.md): tries before a row is failed; how long a worker's claim on a
# row protects it; how long one SMTP conversation may take (well under the lease, so that a slow
# but live worker never loses its claim to another one).
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300)
OUTBOX_SEND_TIMEOUT_SECONDS = env_int("OUTBOX_SEND_TIMEOUT_SECONDS", 60)
if OUTBOX_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("OUTBOX_MAX_ATTEMPTS: at least 1.")
if not 0 < OUTBOX_SEND_TIMEOUT_SECONDS < OUTBOX_LEASE_SECONDS:
    raise ImproperlyConfigured(
        "OUTBOX_SEND_TIMEOUT_SECONDS must be above 0 and below OUTBOX_LEASE_SECONDS."
    )

# Password-reset e-mails (docs/accounts.md): at most this many requests per address, and per
# client IP address, within the window; more are answered the same way and send nothing.
PASSWORD_RESET_MAX_PER_ADDRESS = env_int("PASSWORD_RESET_MAX_PER_ADDRESS", 3)
PASSWORD_RESET_MAX_PER_IP = env_int("PASSWORD_RESET_MAX_PER_IP", 20)
PASSWORD_RESET_WINDOW_SECONDS = env_int("PASSWORD_RESET_WINDOW_SECONDS", 3600)
