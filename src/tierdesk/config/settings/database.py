"""The database: SQLite under the data folder by default, any DATABASE_URL otherwise."""

import dj_database_url

from .env import DATA_DIR, env_bool, env_int, env_str

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tierdesk.sqlite3'}")

# Seconds a process keeps its database connection between requests (0: one per request).
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60)
# Check a kept connection before reusing it, so a restarted or failed-over server costs no error.
CONN_HEALTH_CHECKS = env_bool("CONN_HEALTH_CHECKS", True)

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_HEALTH_CHECKS
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids
    # "database is locked" upgrades from read to write transactions.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
