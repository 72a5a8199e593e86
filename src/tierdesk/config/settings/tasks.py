"""Background work: Django's task API on huey (SQLite storage, or Redis with REDIS_URL)."""

from .env import DATA_DIR, env_bool, env_int, env_str

REDIS_URL = env_str("REDIS_URL", "")

_huey_common = {
    "name": "tierdesk",
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "utc": True,
    "consumer": {
        "workers": env_int("HUEY_WORKERS", 2),
        "worker_type": "thread",
        "periodic": True,
        "check_worker_health": True,
    },
}

if REDIS_URL:
    HUEY = {**_huey_common, "huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}}
else:
    HUEY = {
        **_huey_common,
        "huey_class": "huey.SqliteHuey",
        "connection": {"filename": str(DATA_DIR / "huey.sqlite3")},
    }

TASKS = {
    "default": {
        "BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend",
        "ENQUEUE_ON_COMMIT": True,
    }
}

# Seconds after which a missing heartbeat means the worker is down.
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 180)
