"""The database: SQLite under the data folder by default, any DATABASE_URL otherwise."""

import dj_database_url

from .env import DATA_DIR, env_str

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tierdesk.sqlite3'}")

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}

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
