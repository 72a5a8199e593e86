"""Writes of the support regions' phone numbers: the demo set (admins edit them in the admin)."""

from __future__ import annotations

from typing import Final

from django.db import transaction

from ..models import SupportNumber, SupportRegion

# Per demo region code: (line, number, label). Fictional numbers where the country reserves a
# range for fiction (US 555-01xx, Australia 02 5550 xxxx); elsewhere numbers no one answers.
DEMO_SUPPORT_NUMBERS: Final = {
    "it": (
        (SupportNumber.Line.FIRST, "+390200000101", "Milano"),
        (SupportNumber.Line.SECOND, "+390200000102", "Milano"),
    ),
    "us": (
        (SupportNumber.Line.FIRST, "+18005550100", "Toll-free"),
        (SupportNumber.Line.FIRST, "+12125550101", "New York"),
        (SupportNumber.Line.SECOND, "+12125550102", "New York"),
    ),
    "jp": (
        (SupportNumber.Line.FIRST, "+81300000101", "Tokyo"),
        (SupportNumber.Line.SECOND, "+81300000102", "Tokyo"),
    ),
    "au": (
        (SupportNumber.Line.FIRST, "+61255500101", "Sydney"),
        (SupportNumber.Line.SECOND, "+61255500102", "Sydney"),
    ),
}


@transaction.atomic
def demo_support_numbers_load() -> int:
    """Add the demo regions' support numbers that are missing; returns how many were added.

    Safe to run again: an existing number (same region, line and number) is left as it is.
    """
    created = 0
    regions = SupportRegion.objects.filter(code__in=DEMO_SUPPORT_NUMBERS).in_bulk(field_name="code")
    for code, numbers in DEMO_SUPPORT_NUMBERS.items():
        region = regions.get(code)
        if region is None:
            continue
        for order, (line, number, label) in enumerate(numbers):
            _row, made = SupportNumber.objects.get_or_create(
                region=region,
                line=line,
                number=number,
                defaults={"label": label, "sort_order": order},
            )
            created += made
    return created
