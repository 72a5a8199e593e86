"""The `tierdesk` console command: Django's management commands for operators."""

import os
import sys


def main() -> None:
    """Run a management command, e.g. `tierdesk migrate` or `tierdesk sla due ...`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings, where the environment is read
    except ImproperlyConfigured as error:
        # A bad or missing setting is the operator's input: one line and status 2, no traceback.
        sys.stderr.write(f"error: {error}\n")
        raise SystemExit(2) from None

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
