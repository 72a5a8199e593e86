"""The Django admin: every registered model's list loads in bounded queries; forms refuse bad
windows and accounts."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import StaffAdminFactory, VendorUserFactory
from tierdesk.accounts.admin.regions import CalendarExceptionForm, OpeningWindowForm, parse_hhmm
from tierdesk.accounts.models import (
    Account,
    CalendarException,
    LicensePlan,
    OpeningWindow,
    SupportPlan,
    SupportRegion,
    User,
)
from tierdesk.accounts.roles import Role
from tierdesk.accounts.selectors.regions import region_calendar_export
from tierdesk.accounts.services.demo import demo_load
from tierdesk.sla.calendar_spec import format_minute
from tierdesk.web.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

H = 60
# Every model registered in the admin, from the admin's own registry.
MODELS = sorted(f"{m._meta.app_label}/{m._meta.model_name}" for m in admin.site._registry)


@pytest.fixture
def demo():
    demo_load()
    CalendarException.objects.create(
        region=SupportRegion.objects.get(code="it"), date=date(2026, 8, 14), kind="closed"
    )


@pytest.fixture
def staff_client(client):
    client.force_login(StaffAdminFactory())
    return client


def region_rows(region: SupportRegion) -> tuple:
    region.refresh_from_db()
    return (
        region.time_zone,
        list(region.windows.values_list("weekday", "start_minute", "end_minute")),
        list(region.exceptions.values_list("date", "kind", "windows")),
    )


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_loads_in_bounded_queries(
    demo, staff_client, model, django_assert_max_num_queries
):
    url = reverse(f"admin:{model.replace('/', '_')}_changelist")
    with django_assert_max_num_queries(12):
        response = staff_client.get(url)
    assert response.status_code == 200


def test_change_pages_load(demo, staff_client):
    region = SupportRegion.objects.get(code="it")
    account = Account.objects.get(name="Rossi Pro (Premier)")
    pages = [
        reverse("admin:accounts_supportregion_change", args=[region.pk]),
        reverse(
            "admin:accounts_supportplan_change", args=[SupportPlan.objects.get(code="premier").pk]
        ),
        reverse("admin:accounts_licenseplan_change", args=[LicensePlan.objects.get(code="pro").pk]),
        reverse("admin:accounts_account_change", args=[account.pk]),
        reverse("admin:accounts_account_add"),
        reverse(
            "admin:accounts_user_change",
            args=[User.objects.get(email="admin@rossi-pro.example").pk],
        ),
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_supportregion_calendar_import", args=[region.pk]),
    ]
    for url in pages:
        response = staff_client.get(url)
        assert response.status_code == 200, url
    page = staff_client.get(pages[0]).content.decode()
    assert 'value="09:00"' in page
    assert 'value="18:00"' in page
    assert "calendar/export/" in page


def test_token_hashes_are_never_shown(staff_client, demo):
    admin = User.objects.get(email="admin@tierdesk.example")
    admin.api_tokens.create(name="ci", prefix="td_abc", token_hash="f" * 64)
    token = admin.api_tokens.get()
    response = staff_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert response.status_code == 200
    assert "f" * 64 not in response.content.decode()
    assert staff_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_heartbeats_are_read_only(staff_client):
    from django.utils import timezone

    beat = WorkerHeartbeat.objects.create(name="worker", beat_at=timezone.now())
    url = reverse("admin:web_workerheartbeat_change", args=[beat.pk])
    response = staff_client.post(url, {"name": "renamed", "beat_at": "2020-01-01 00:00"})
    assert response.status_code == 403
    beat.refresh_from_db()
    assert beat.name == "worker"


def test_only_staff_admins_manage_users(client, demo):
    supervisor = VendorUserFactory(role=Role.SUPERVISOR, is_staff=True)
    client.force_login(supervisor)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


# Opening windows ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens", "closes", "field"),
    [
        ("9", "13:00", "opens"),
        ("09:00", "25:00", "closes"),
        ("09:60", "13:00", "opens"),
        ("24:00", "24:00", "opens"),
        ("13:00", "09:00", "closes"),
        ("09:00", "09:00", "closes"),
        ("", "13:00", "opens"),
    ],
)
def test_the_window_form_rejects_bad_times(opens, closes, field):
    form = OpeningWindowForm(data={"weekday": 0, "opens": opens, "closes": closes})
    assert not form.is_valid()
    assert field in form.errors


def test_the_window_form_accepts_24_00_as_the_end_of_the_day():
    form = OpeningWindowForm(data={"weekday": 6, "opens": "18:30", "closes": "24:00"})
    assert form.is_valid(), form.errors
    assert (form.instance.start_minute, form.instance.end_minute) == (18 * H + 30, 24 * H)


@given(st.integers(min_value=0, max_value=24 * 60))
def test_hhmm_round_trips_every_minute_of_the_day(minute):
    assert parse_hhmm(format_minute(minute), end=True) == minute
    if minute < 24 * 60:
        assert parse_hhmm(format_minute(minute), end=False) == minute


def region_post_data(region: SupportRegion, windows: list[tuple[int, str, str]]) -> dict:
    existing = list(region.windows.order_by("pk"))
    data = {
        "code": region.code,
        "name": region.name,
        "time_zone": region.time_zone,
        "holiday_country": region.holiday_country,
        "holiday_subdivision": region.holiday_subdivision,
        "windows-TOTAL_FORMS": str(len(existing) + len(windows)),
        "windows-INITIAL_FORMS": str(len(existing)),
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "1000",
        "exceptions-TOTAL_FORMS": "0",
        "exceptions-INITIAL_FORMS": "0",
        "exceptions-MIN_NUM_FORMS": "0",
        "exceptions-MAX_NUM_FORMS": "1000",
    }
    for i, window in enumerate(existing):
        data |= {
            f"windows-{i}-id": str(window.pk),
            f"windows-{i}-region": str(region.pk),
            f"windows-{i}-weekday": str(window.weekday),
            f"windows-{i}-opens": f"{window.start_minute // 60:02}:{window.start_minute % 60:02}",
            f"windows-{i}-closes": f"{window.end_minute // 60:02}:{window.end_minute % 60:02}",
        }
    for j, (weekday, opens, closes) in enumerate(windows, start=len(existing)):
        data |= {
            f"windows-{j}-region": str(region.pk),
            f"windows-{j}-weekday": str(weekday),
            f"windows-{j}-opens": opens,
            f"windows-{j}-closes": closes,
        }
    return data


def test_the_region_page_adds_a_saturday_window(demo, staff_client):
    region = SupportRegion.objects.get(code="us")
    url = reverse("admin:accounts_supportregion_change", args=[region.pk])
    response = staff_client.post(url, region_post_data(region, [(5, "10:00", "24:00")]))
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert OpeningWindow.objects.filter(
        region=region, weekday=5, start_minute=10 * H, end_minute=24 * H
    ).exists()


@pytest.mark.parametrize(
    "window",
    [(0, "12:00", "15:00"), (0, "07:00", "25:00"), (0, "18:00", "08:00")],
)
def test_the_region_page_refuses_overlapping_or_bad_windows_and_changes_nothing(
    demo, staff_client, window
):
    region = SupportRegion.objects.get(code="us")
    before = region_rows(region)
    url = reverse("admin:accounts_supportregion_change", args=[region.pk])
    response = staff_client.post(url, region_post_data(region, [window]))
    assert response.status_code == 200
    assert region_rows(region) == before
    if window[1] == "12:00":
        assert "overlaps" in response.content.decode()


def test_the_region_page_refuses_an_unknown_holiday_subdivision(demo, staff_client):
    region = SupportRegion.objects.get(code="au")
    data = region_post_data(region, []) | {"holiday_subdivision": "XYZ"}
    url = reverse("admin:accounts_supportregion_change", args=[region.pk])
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "XYZ" in response.content.decode()
    region.refresh_from_db()
    assert region.holiday_subdivision == "NSW"


@pytest.mark.parametrize(
    ("kind", "windows", "valid"),
    [
        ("open", [["09:00", "12:00"]], True),
        ("open", [], False),
        ("open", [["12:00", "09:00"]], False),
        ("open", "09:00-12:00", False),
        ("closed", [], True),
        ("closed", [["09:00", "12:00"]], False),
    ],
)
def test_the_exception_form(demo, kind, windows, valid):
    region = SupportRegion.objects.get(code="it")
    form = CalendarExceptionForm(
        data={
            "region": region.pk,
            "date": "2026-12-27",
            "kind": kind,
            "windows": json.dumps(windows),
        }
    )
    assert form.is_valid() is valid, form.errors
    if not valid:
        assert "windows" in form.errors


# Calendar import and export -------------------------------------------------------------------


def test_export_view_and_action_download_the_calendar(demo, staff_client):
    region = SupportRegion.objects.get(code="jp")
    response = staff_client.get(
        reverse("admin:accounts_supportregion_calendar_export", args=[region.pk])
    )
    assert response.status_code == 200
    assert 'filename="jp-calendar.json"' in response["Content-Disposition"]
    assert json.loads(response.content) == region_calendar_export(region)
    response = staff_client.post(
        reverse("admin:accounts_supportregion_changelist"),
        {"action": "export_calendar", "_selected_action": [region.pk]},
    )
    assert json.loads(response.content)["timezone"] == "Asia/Tokyo"


def upload(data: object) -> SimpleUploadedFile:
    text = data if isinstance(data, str) else json.dumps(data)
    return SimpleUploadedFile("calendar.json", text.encode(), content_type="application/json")


def test_import_view_replaces_the_calendar(demo, staff_client):
    region = SupportRegion.objects.get(code="jp")
    data = region_calendar_export(region)
    data["weekly"]["sat"] = [["10:00", "14:00"]]
    url = reverse("admin:accounts_supportregion_calendar_import", args=[region.pk])
    response = staff_client.post(
        url, {"file": upload(data), "replace_windows": "on", "replace_exceptions": "on"}
    )
    assert response.status_code == 302
    assert region.windows.filter(weekday=5, start_minute=10 * H, end_minute=14 * H).exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "not JSON"),
        ({"timezone": "Asia/Tokyo", "weekly": {"mon": [["09:00", "30:00"]]}}, "weekly.mon[0]"),
        ({"timezone": "Nowhere/City", "weekly": {}}, "timezone"),
    ],
)
def test_import_view_shows_the_error_and_changes_nothing(demo, staff_client, content, words):
    region = SupportRegion.objects.get(code="it")
    before = region_rows(region)
    url = reverse("admin:accounts_supportregion_calendar_import", args=[region.pk])
    response = staff_client.post(url, {"file": upload(content), "replace_windows": "on"})
    assert response.status_code == 200
    assert words in response.content.decode()
    assert region_rows(region) == before


# Accounts and users ---------------------------------------------------------------------------


def account_data(**overrides: object) -> dict:
    return {
        "name": "Ferrari Business",
        "license_plan": LicensePlan.objects.get(code="business").pk,
        "support_plan": SupportPlan.objects.get(code="premier").pk,
        "country": "it",
        "subdivision": "",
        "region": "",
        "technical_account_manager": "",
    } | overrides


def test_adding_an_account_resolves_its_region_and_gives_a_pin(demo, staff_client):
    response = staff_client.post(reverse("admin:accounts_account_add"), account_data())
    assert response.status_code == 302
    account = Account.objects.get(name="Ferrari Business")
    assert account.region.code == "it"
    assert account.country == "IT"
    assert len(account.support_pin) == 6


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"license_plan": "basic"}, "needs a paid license"),
        ({"country": "FR"}, "No support region serves FR"),
        ({"name": "rossi pro (premier)"}, "already exists"),
        ({"technical_account_manager": "agent.l2.it@tierdesk.example"}, "no named technical"),
    ],
)
def test_a_bad_account_is_refused_with_the_reason(demo, staff_client, overrides, words):
    if "license_plan" in overrides:
        overrides["license_plan"] = LicensePlan.objects.get(code=overrides["license_plan"]).pk
    if "technical_account_manager" in overrides:
        overrides["technical_account_manager"] = User.objects.get(
            email=overrides["technical_account_manager"]
        ).pk
    count = Account.objects.count()
    response = staff_client.post(reverse("admin:accounts_account_add"), account_data(**overrides))
    assert response.status_code == 200
    assert words in response.content.decode()
    assert Account.objects.count() == count


def test_changing_an_account_goes_through_the_services(demo, staff_client):
    account = Account.objects.get(name="Rossi Pro (Premier)")
    pin = account.support_pin
    data = account_data(
        name=account.name,
        license_plan=account.license_plan_id,
        support_plan=SupportPlan.objects.get(code="access").pk,
        country="IT",
    )
    url = reverse("admin:accounts_account_change", args=[account.pk])
    assert staff_client.post(url, data).status_code == 302
    account.refresh_from_db()
    assert account.support_plan.code == "access"
    assert account.support_pin == pin


def test_adding_a_user_checks_role_and_account(demo, staff_client):
    url = reverse("admin:accounts_user_add")
    base = {
        "usable_password": "true",
        "password1": "a-long-pass-2026!",
        "password2": "a-long-pass-2026!",
    }
    response = staff_client.post(url, base | {"email": "new@acme.example", "role": Role.MEMBER})
    assert response.status_code == 200
    assert "belong to a customer account" in response.content.decode()
    account = Account.objects.get(name="Rossi Pro (Premier)")
    response = staff_client.post(
        url,
        base | {"email": "agent@tierdesk.example", "role": Role.AGENT_L1, "account": account.pk},
    )
    assert "belong to no customer account" in response.content.decode()
    assert not User.objects.filter(
        email__in=["new@acme.example", "agent@tierdesk.example"]
    ).exists()
    response = staff_client.post(
        url, base | {"email": "New@Acme.example", "role": Role.MEMBER, "account": account.pk}
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@acme.example")
    assert user.account == account
    assert user.check_password("a-long-pass-2026!")


def test_the_entitlement_matrix_is_editable_in_the_list(demo, staff_client):
    plans = list(LicensePlan.objects.order_by("sort_order", "code"))
    editable = [
        "is_paid", "help_center", "assistant", "community_read", "community_post", "web_tickets",
        "assistant_handoff", "phone_first_line", "phone_second_line", "engineering_escalation",
        "queue_weight", "self_escalation", "self_escalation_after_hours", "sort_order",
    ]  # fmt: skip
    data: dict[str, object] = {
        "form-TOTAL_FORMS": str(len(plans)),
        "form-INITIAL_FORMS": str(len(plans)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for i, plan in enumerate(plans):
        data[f"form-{i}-id"] = str(plan.pk)
        for name in editable:
            value = getattr(plan, name)
            if isinstance(value, bool):
                if value or (plan.code == "pro" and name == "phone_second_line"):
                    data[f"form-{i}-{name}"] = "on"
            else:
                data[f"form-{i}-{name}"] = "" if value is None else str(value)
    response = staff_client.post(reverse("admin:accounts_licenseplan_changelist"), data)
    assert response.status_code == 302
    assert LicensePlan.objects.get(code="pro").phone_second_line is True
    assert LicensePlan.objects.get(code="basic").web_tickets is False
