"""Static and uploaded files, served by whitenoise; uploads stay outside the web root."""

from .env import DATA_DIR

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve straight from the apps' folders too, so a fresh checkout needs no collectstatic.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Attachments live here and are only ever served through access-checked views.
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/uploads-are-not-public/"
