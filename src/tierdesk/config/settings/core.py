"""Applications, middleware, templates and the URL root."""

from .env import SRC_DIR, env_bool, env_list, persistent_secret_key

SECRET_KEY = persistent_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks",
    "huey.contrib.djhuey",
    "tierdesk.web",
    "tierdesk.accounts",
    "tierdesk.notifications",
    "tierdesk.tickets",
    "tierdesk.knowledge",
    "tierdesk.assistant",
    "tierdesk.community",
    "tierdesk.phone",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tierdesk.accounts.middleware.UserLanguageMiddleware",
    "tierdesk.accounts.middleware.UserTimeZoneMiddleware",
    "tierdesk.accounts.middleware.RegionCalendarsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tierdesk.config.urls"
WSGI_APPLICATION = "tierdesk.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "tierdesk.web.context_processors.navigation",
            ],
        },
    },
]

# Forms render through django-crispy-forms with its Bootstrap 5 pack (docs/design.md).
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS: list[str] = []
SRC_ROOT = SRC_DIR
