"""What every benchmark shares: the machine line, percentiles, a scratch PostgreSQL database and
the environment of a child process that runs tierdesk against a database of its own.

The benchmarks run as scripts (`python bench/x_bench.py`), so this module is imported as a
sibling (`import benchkit`), never from the product.
"""

from __future__ import annotations

import os
import platform
import statistics
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def machine() -> str:
    """One line naming the machine, the Python and the load average at the start of the run."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs ({cpu}); "
        f"Python {platform.python_version()}; load average at start {load}"
    )


def p95(values: list[float]) -> float:
    """The 95th percentile (inclusive method, so a handful of samples still gives a figure)."""
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def pg_url(database: str) -> str:
    """$TEST_DATABASE_URL (or the local server) pointed at `database`."""
    base = os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


def pg_admin(sql: str) -> None:
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(pg_url("postgres"), autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)


def pg_reachable() -> bool:
    """Whether PostgreSQL answers; says so and returns False when it does not."""
    try:
        pg_admin("SELECT 1")
    except Exception as error:  # any failure means "not reachable" for a benchmark
        print(f"PostgreSQL not reachable ({type(error).__name__}): skipped.")
        return False
    return True


def child_env(database_url: str, data_dir: str) -> dict[str, str]:
    """The environment of a tierdesk process on its own database and data folder."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tierdesk.config.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": database_url,
        "TIERDESK_DATA_DIR": data_dir,
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
    }
