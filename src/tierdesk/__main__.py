"""The `tierdesk` console command: Django's management commands for operators."""

import os
import sys


def main() -> None:
    """Run a management command, e.g. `tierdesk migrate` or `tierdesk sla due ...`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
