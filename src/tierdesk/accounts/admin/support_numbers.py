"""Admin of the support regions' phone numbers (one row per region, line and number)."""

from __future__ import annotations

from django.contrib import admin

from ..models import SupportNumber


@admin.register(SupportNumber)
class SupportNumberAdmin(admin.ModelAdmin):
    list_display = ("number", "line", "region", "label", "sort_order")
    list_filter = ("region", "line")
    list_select_related = ("region",)
    search_fields = ("number", "label")
    ordering = ("region__name", "line", "sort_order", "pk")
