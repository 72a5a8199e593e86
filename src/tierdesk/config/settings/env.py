"""Reading settings from the environment, with typed helpers and the data folder."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parents[2]


def env_str(name: str, default: str) -> str:
    """The variable's value, or the default when unset or empty."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    """A boolean variable: 1/true/yes/on or 0/false/no/off (any case)."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}: expected a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    """An integer variable."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def checkout_data_dir(package_dir: Path) -> Path | None:
    """The default data folder: `var/` of the source checkout that holds this package, if any.

    A checkout has the package at `<root>/src/tierdesk` beside `<root>/pyproject.toml` (an
    editable install, `make run`, `make test`). An installed package (site-packages) has no such
    folder, and the data folder must then be named with TIERDESK_DATA_DIR. The default never
    depends on the current folder: running `tierdesk` elsewhere must not quietly start a second
    database and a second secret key.
    """
    root = package_dir.parent.parent
    if package_dir.parent.name == "src" and (root / "pyproject.toml").is_file():
        return root / "var"
    return None


def data_dir() -> Path:
    """TIERDESK_DATA_DIR, else the checkout's `var/`; ImproperlyConfigured when there is neither."""
    from_env = os.environ.get("TIERDESK_DATA_DIR", "").strip()
    if from_env:
        return Path(from_env).expanduser().resolve()
    default = checkout_data_dir(SRC_DIR)
    if default is None:
        raise ImproperlyConfigured(
            "TIERDESK_DATA_DIR is not set and tierdesk is not running from a source checkout: "
            "set it to the folder for the SQLite database, the secret key and the uploads"
        )
    return default


DATA_DIR = data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def persistent_secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
