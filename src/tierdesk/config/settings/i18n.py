"""Languages and time: English and Italian; UTC in the database."""

from django.utils.translation import gettext_lazy as _

from .env import SRC_DIR, env_str

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("it", _("Italian"))]
LOCALE_PATHS = [SRC_DIR / "locale"]  # SRC_DIR is the tierdesk package folder
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
# One date format in every page, e-mail and the admin: tierdesk/config/formats/<lang>/formats.py
# (docs/formats.md); tierdesk.web.formats and the |when, |day filters read the same formats.
FORMAT_MODULE_PATH = ["tierdesk.config.formats"]
