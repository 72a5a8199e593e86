"""The data folder never depends on the current folder (finding 11: a second database and key)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tierdesk.config.settings.env import SRC_DIR, checkout_data_dir

CHECKOUT = SRC_DIR.parent.parent
SHOW = "from django.conf import settings as s; print(s.DATA_DIR, s.DATABASES['default']['NAME'])"


def env_without_data_dir(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TIERDESK_DATA_DIR", "DATABASE_URL", "SECRET_KEY", "PYTHONPATH"}
    }
    env.update(DJANGO_SETTINGS_MODULE="tierdesk.config.settings", **extra)
    return env


def test_a_source_checkout_keeps_its_data_in_its_own_var_folder(tmp_path):
    package = tmp_path / "checkout" / "src" / "tierdesk"
    package.mkdir(parents=True)
    (tmp_path / "checkout" / "pyproject.toml").write_text("[project]\nname = 'tierdesk'\n")
    assert checkout_data_dir(package) == tmp_path / "checkout" / "var"


def test_an_installed_package_has_no_default_data_folder(tmp_path):
    package = tmp_path / "lib" / "python3.11" / "site-packages" / "tierdesk"
    package.mkdir(parents=True)
    assert checkout_data_dir(package) is None


def test_running_from_another_folder_uses_the_checkouts_data(tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tierdesk", "shell", "-v", "0", "-c", SHOW],
        cwd=tmp_path,
        env=env_without_data_dir(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        str(CHECKOUT / "var"),
        str(CHECKOUT / "var" / "tierdesk.sqlite3"),
    ]
    assert list(tmp_path.iterdir()) == []  # no var/, no database, no secret key here


def test_an_installed_copy_without_tierdesk_data_dir_refuses_in_one_line(tmp_path):
    site = tmp_path / "site-packages"
    shutil.copytree(SRC_DIR, site / "tierdesk", ignore=shutil.ignore_patterns("__pycache__"))
    work = tmp_path / "elsewhere"
    work.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", "from tierdesk.__main__ import main; main()", "check"],
        cwd=work,
        env=env_without_data_dir(PYTHONPATH=str(site)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: TIERDESK_DATA_DIR is not set")
    assert result.stderr.count("\n") == 1
    assert list(work.iterdir()) == []
    # With the variable set, the same copy runs and keeps its data there.
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "from tierdesk.__main__ import main; main()",
            "shell",
            "-v",
            "0",
            "-c",
            SHOW,
        ],
        cwd=work,
        env=env_without_data_dir(PYTHONPATH=str(site), TIERDESK_DATA_DIR=str(work / "data")),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == str(work / "data")
    assert (work / "data" / "secret_key").is_file()
