"""Static and uploaded files, served by whitenoise; uploads stay outside the web root."""

from .env import DATA_DIR, env_bool

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# On (the default), whitenoise also serves straight from the apps' folders, so a fresh checkout
# and `tierdesk serve` need no collectstatic. A deployment runs `tierdesk collectstatic` on each
# release and turns this off: whitenoise then serves only STATIC_ROOT, with the compressed copies
# collectstatic wrote (docs/deploy.md).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Attachments live here and are only ever served through access-checked views.
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/uploads-are-not-public/"
