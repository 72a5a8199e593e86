"""The phone numbers of each support region's lines.

Numbers are data: an admin adds them per region and line. Who may see which number is decided in
one place, `accounts.selectors.support.support_contacts`, from the plan's entitlements.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# E.164: a plus sign, the country code (never starting with 0) and at most 15 digits in all.
e164_validator = RegexValidator(
    r"^\+[1-9]\d{6,14}$",
    _("Enter the number in E.164 form: + and the country code, then the digits, no spaces."),
)


class SupportNumber(models.Model):
    """A phone number of one support line (first or second) of a region."""

    class Line(models.TextChoices):
        FIRST = "first", _("first line")
        SECOND = "second", _("second line")

    region = models.ForeignKey(
        "accounts.SupportRegion",
        on_delete=models.CASCADE,
        related_name="support_numbers",
        verbose_name=_("region"),
    )
    line = models.CharField(_("line"), max_length=8, choices=Line.choices)
    number = models.CharField(
        _("number"),
        max_length=16,
        validators=[e164_validator],
        help_text=_("E.164, e.g. +390212345678."),
    )
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("Optional, e.g. Toll-free.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering: ClassVar = ["region", "line", "sort_order", "pk"]
        verbose_name = _("support number")
        verbose_name_plural = _("support numbers")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["region", "line", "number"], name="support_number_once_per_line"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_line_display()})"
