"""The demo help center: the files under knowledge/demo/, imported like any `kb import`.

Written for this project: the help center of "Confero", the vendor's cloud phone system and
meeting service that the demo accounts use (their cases are about its meetings, numbers,
recordings, single sign-on and directory sync). It only creates what is missing: `load_demo`
run again changes nothing, not even a demo article someone has edited since.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .kb_import import ImportReport, kb_import

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"


def demo_help_center_load() -> ImportReport:
    """Import the demo help center; its files are the project's, so a bad one is a bug."""
    report = kb_import(root=DEMO_DIR, create_only=True)
    if report.errors:
        problems = "; ".join(str(error) for error in report.errors)
        raise ImproperlyConfigured(f"the demo help center has bad files: {problems}")
    return report
