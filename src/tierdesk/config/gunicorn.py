"""gunicorn's settings for tierdesk, read from the environment.

`tierdesk serve` starts gunicorn with this module; a deployment that runs gunicorn directly uses
the same one:

    gunicorn --config python:tierdesk.config.gunicorn tierdesk.config.wsgi:application

Command-line options (`--bind`, `--workers`, ...) override what is set here. gunicorn itself
reads FORWARDED_ALLOW_IPS (the proxies whose X-Forwarded-* headers it trusts, default
127.0.0.1,::1) and GUNICORN_CMD_ARGS.
"""

import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


wsgi_app = "tierdesk.config.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
# Web processes; each serves GUNICORN_THREADS requests at once (so a slow client or a long
# download does not hold a whole process). Database connections: workers x threads per machine.
workers = _int("WEB_CONCURRENCY", 2)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# A request that takes longer than this kills its worker (gunicorn then starts another one).
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM, requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle each worker after about this many requests, so no leak can grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# The longest request line gunicorn accepts (its maximum; 4094 by default). Longer ones get
# gunicorn's own 400 before tierdesk sees them: the API's bounded query parameters fit well
# below it. (nginx in front answers 414 past its large_client_header_buffers, 8k by default.)
limit_request_line = _int("GUNICORN_LIMIT_REQUEST_LINE", 8190)
proc_name = "tierdesk-web"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Workers' heartbeat files in memory rather than on a disk that may stall.
if Path("/dev/shm").is_dir():  # noqa: S108 - a tmpfs, not a predictable temporary file
    worker_tmp_dir = "/dev/shm"  # noqa: S108
