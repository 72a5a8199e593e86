"""Authentication, passwords, login throttling, HTTPS and the content security policy."""

from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Failed logins: after AXES_FAILURE_LIMIT failures for one username from one address,
# that pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The sign-in form posts the e-mail address as "username"; axes would otherwise look for the
# USERNAME_FIELD ("email"), find nothing, and count failures per address only.
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address for throttling: the N-th entry from the right of X-Forwarded-For behind
# CLIENT_IP_PROXY_COUNT proxies (docs/deploy.md), REMOTE_ADDR without proxies (the default, 0).
CLIENT_IP_PROXY_COUNT = env_int("CLIENT_IP_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "tierdesk.web.client_ip.client_ip"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "tierdesk.web.errors.csrf_failure"

# HTTPS (docs/deploy.md). Behind a TLS-terminating proxy, SECURE_PROXY_SSL_HEADER names the header
# the proxy sets, e.g. HTTP_X_FORWARDED_PROTO (value "https"; "NAME,VALUE" for another value).
# Only set it when the proxy always sets or overwrites that header.
_proxy_ssl_header = env_list("SECURE_PROXY_SSL_HEADER", [])
if len(_proxy_ssl_header) not in (0, 1, 2):
    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER: expected a header name such as HTTP_X_FORWARDED_PROTO, "
        f"optionally followed by ,VALUE; got {','.join(_proxy_ssl_header)!r}"
    )
SECURE_PROXY_SSL_HEADER = (
    (_proxy_ssl_header[0], _proxy_ssl_header[1] if len(_proxy_ssl_header) == 2 else "https")
    if _proxy_ssl_header
    else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Load balancers probe /healthz over plain HTTP: it answers there instead of redirecting.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
    },
}
