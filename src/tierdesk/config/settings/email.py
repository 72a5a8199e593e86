"""Outgoing e-mail: the console back-end unless EMAIL_URL-style settings are given."""

from .env import env_bool, env_int, env_str

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tierdesk <support@tierdesk.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute base of the links in e-mails (no trailing slash needed).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
