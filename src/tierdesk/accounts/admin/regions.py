"""Admin of support regions, their calendars (opening windows, exceptions, import and
export) and the territories that map countries to regions."""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tierdesk.sla.calendar_spec import CalendarSpecError, format_minute

from ..models import (
    CalendarException,
    OpeningWindow,
    SupportRegion,
    Territory,
)
from ..selectors.regions import (
    calendar_json_text,
    holiday_source_check,
    region_calendar_export,
    windows_from_text,
)
from ..services.calendars import region_calendar_import

_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")
WEEKDAYS = dict(OpeningWindow._meta.get_field("weekday").choices or [])


def parse_hhmm(text: str, *, end: bool) -> int:
    """Minutes from midnight of "HH:MM"; 24:00 only as the end of a window."""
    match = _HHMM.match(text.strip())
    if not match:
        raise ValidationError(_("Enter a time as HH:MM, e.g. 09:00."), code="format")
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValidationError(_("%(time)s is not a time of day.") % {"time": text}, code="range")
    if hours == 24 and not end:
        raise ValidationError(_("A window cannot open at 24:00."), code="range")
    return hours * 60 + minutes


# Regions and calendars ------------------------------------------------------------------------


class OpeningWindowForm(forms.ModelForm):
    """An opening window typed as HH:MM to HH:MM (24:00 closes at midnight)."""

    opens = forms.CharField(label=_("opens"), max_length=5, help_text=_("HH:MM"))
    closes = forms.CharField(
        label=_("closes"), max_length=5, help_text=_("HH:MM; 24:00 is the end of the day")
    )

    class Meta:
        model = OpeningWindow
        fields = ("weekday",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["opens"] = format_minute(self.instance.start_minute)
            self.initial["closes"] = format_minute(self.instance.end_minute)

    def clean_opens(self) -> int:
        return parse_hhmm(self.cleaned_data["opens"], end=False)

    def clean_closes(self) -> int:
        return parse_hhmm(self.cleaned_data["closes"], end=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("opens"), data.get("closes")
        if start is not None and end is not None:
            if end <= start:
                self.add_error("closes", _("A window must close after it opens."))
            else:
                self.instance.start_minute, self.instance.end_minute = start, end
        return data


class OpeningWindowFormSet(BaseInlineFormSet):
    """Windows of one weekday may touch but not overlap."""

    def clean(self) -> None:
        super().clean()
        days: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.errors:
                continue
            days[data["weekday"]].append((data["opens"], data["closes"]))
        for weekday, windows in sorted(days.items()):
            windows.sort()
            for (s0, e0), (s1, e1) in itertools.pairwise(windows):
                if s1 < e0:
                    raise ValidationError(
                        _("%(day)s: %(b)s overlaps %(a)s.")
                        % {
                            "day": WEEKDAYS[weekday],
                            "a": f"{format_minute(s0)}-{format_minute(e0)}",
                            "b": f"{format_minute(s1)}-{format_minute(e1)}",
                        }
                    )


class OpeningWindowInline(admin.TabularInline):
    model = OpeningWindow
    form = OpeningWindowForm
    formset = OpeningWindowFormSet
    extra = 1
    fields = ("weekday", "opens", "closes")


class CalendarExceptionForm(forms.ModelForm):
    """A closed date, or an open date with its windows as [["HH:MM", "HH:MM"], ...]."""

    class Meta:
        model = CalendarException
        fields = ("region", "date", "kind", "windows", "note")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, windows = data.get("kind"), data.get("windows")
        if kind == CalendarException.Kind.CLOSED and windows:
            self.add_error("windows", _("A closed date has no windows: leave this empty."))
        elif kind == CalendarException.Kind.OPEN:
            try:
                parsed = windows_from_text(windows if windows is not None else [])
            except CalendarSpecError as error:
                self.add_error("windows", str(error))
            else:
                if not parsed:
                    self.add_error(
                        "windows", _('An open date needs windows: [["09:00", "13:00"]].')
                    )
                else:
                    data["windows"] = [[format_minute(s), format_minute(e)] for s, e in parsed]
        return data


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    form = CalendarExceptionForm
    extra = 1
    fields = ("date", "kind", "windows", "note")


class SupportRegionForm(forms.ModelForm):
    """A region, with its holiday country and subdivision checked against the data set."""

    class Meta:
        model = SupportRegion
        fields = ("code", "name", "time_zone", "holiday_country", "holiday_subdivision")

    def clean_holiday_country(self) -> str:
        return str(self.cleaned_data.get("holiday_country", "")).strip().upper()

    def clean_holiday_subdivision(self) -> str:
        return str(self.cleaned_data.get("holiday_subdivision", "")).strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country = data.get("holiday_country", "")
        subdivision = data.get("holiday_subdivision", "")
        problem = holiday_source_check(country=country, subdivision=subdivision)
        if problem:
            self.add_error("holiday_subdivision" if subdivision else "holiday_country", problem)
        return data


class CalendarImportForm(forms.Form):
    """Upload a calendar JSON file (the format of docs/regions.md)."""

    file = forms.FileField(label=_("calendar JSON file"))
    replace_windows = forms.BooleanField(
        label=_("replace the weekly opening windows"), required=False, initial=True
    )
    replace_exceptions = forms.BooleanField(
        label=_("delete exceptions for dates the file does not mention"),
        required=False,
        initial=True,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 1_000_000:
            raise ValidationError(_("The file is larger than 1 MB."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValidationError(
                _("The file is not JSON: %(reason)s") % {"reason": str(error)}
            ) from None


@admin.register(SupportRegion)
class SupportRegionAdmin(admin.ModelAdmin):
    """Support regions with their weekly windows, exceptions and calendar import/export."""

    form = SupportRegionForm
    list_display = (
        "name",
        "code",
        "time_zone",
        "holiday_country",
        "holiday_subdivision",
        "window_count",
        "exception_count",
    )
    search_fields = ("name", "code")
    inlines = (OpeningWindowInline, CalendarExceptionInline)
    actions = ("export_calendar",)
    change_form_template = "admin/accounts/supportregion/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[SupportRegion]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                window_total=Count("windows", distinct=True),
                exception_total=Count("exceptions", distinct=True),
            )
        )

    @admin.display(description=_("opening windows"), ordering="window_total")
    def window_count(self, region: Any) -> int:
        return int(region.window_total)

    @admin.display(description=_("exceptions"), ordering="exception_total")
    def exception_count(self, region: Any) -> int:
        return int(region.exception_total)

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/calendar/export/",
                self.admin_site.admin_view(self.calendar_export_view),
                name="{}_{}_calendar_export".format(*info),
            ),
            path(
                "<path:object_id>/calendar/import/",
                self.admin_site.admin_view(self.calendar_import_view),
                name="{}_{}_calendar_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def _calendar_download(self, region: SupportRegion) -> HttpResponse:
        response = HttpResponse(
            calendar_json_text(region_calendar_export(region)),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{region.code}-calendar.json"'
        return response

    @admin.action(description=_("Export the calendar (JSON)"), permissions=["view"])
    def export_calendar(
        self, request: HttpRequest, queryset: QuerySet[SupportRegion]
    ) -> HttpResponse | None:
        regions = list(queryset[:2])
        if len(regions) != 1:
            self.message_user(
                request, _("Select exactly one region to export its calendar."), messages.ERROR
            )
            return None
        return self._calendar_download(regions[0])

    def calendar_export_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        region = get_object_or_404(SupportRegion, pk=object_id)
        if not self.has_view_permission(request, region):
            raise PermissionDenied
        return self._calendar_download(region)

    def calendar_import_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        region = get_object_or_404(SupportRegion, pk=object_id)
        if not self.has_change_permission(request, region):
            raise PermissionDenied
        form = CalendarImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                report = region_calendar_import(
                    region=region,
                    data=form.cleaned_data["file"],
                    replace_windows=form.cleaned_data["replace_windows"],
                    replace_exceptions=form.cleaned_data["replace_exceptions"],
                )
            except CalendarSpecError as error:
                form.add_error("file", str(error))
            else:
                self.log_change(request, region, gettext("Imported a calendar."))
                self.message_user(
                    request,
                    gettext(
                        "Calendar imported: %(windows)d weekly windows, %(closed)d closed dates,"
                        " %(open)d open dates."
                    )
                    % {"windows": report.windows, "closed": report.closed, "open": report.open},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:accounts_supportregion_change", args=[region.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": region,
            "title": gettext("Import a calendar into %(region)s") % {"region": region},
            "form": form,
            "has_view_permission": True,
        }
        return TemplateResponse(
            request, "admin/accounts/supportregion/calendar_import.html", context
        )


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    """Every region's closed and specially opened dates in one list."""

    form = CalendarExceptionForm
    list_display = ("date", "region", "kind", "windows", "note")
    list_filter = ("region", "kind")
    date_hierarchy = "date"
    list_select_related = ("region",)
    search_fields = ("note",)


class TerritoryForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ("country", "subdivision", "region")

    def clean_country(self) -> str:
        country = str(self.cleaned_data["country"]).strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise ValidationError(_("The country is an ISO 3166-1 alpha-2 code such as IT."))
        return country

    def clean_subdivision(self) -> str:
        return str(self.cleaned_data.get("subdivision", "")).strip().upper()


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    """Which region serves which country or subdivision."""

    form = TerritoryForm
    list_display = ("__str__", "country", "subdivision", "region")
    list_filter = ("region",)
    search_fields = ("country", "subdivision", "region__name")
    list_select_related = ("region",)
