"""The time-zone picker: current zones only, grouped by region, one list for form and service."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import UserFactory
from tierdesk.accounts.forms import ProfileForm
from tierdesk.accounts.models import User
from tierdesk.accounts.services.people import profile_update
from tierdesk.accounts.time_zones import (
    current_time_zone,
    current_time_zones,
    time_zone_allowed,
    time_zone_choices,
    time_zone_label,
)

pytestmark = pytest.mark.django_db

JANUARY = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
JULY = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)


def test_only_current_zones_are_listed():
    zones = current_time_zones()
    assert {"Europe/Rome", "America/New_York", "Asia/Kolkata", "Europe/Kyiv", "UTC"} <= zones
    for legacy in ("Factory", "localtime", "US/Eastern", "Etc/GMT+5", "Etc/UTC", "Europe/Kiev"):
        assert legacy not in zones
    assert not any(name.startswith(("Etc/", "US/", "SystemV/")) for name in zones)
    assert 300 < len(zones) < 500  # not the ~600 names of zoneinfo.available_timezones()


def test_the_choices_are_grouped_by_region_with_offsets():
    choices = time_zone_choices(now=JANUARY)
    assert choices[0] == ("UTC", "UTC (UTC+00:00)")
    groups = {label: zones for label, zones in choices[1:]}
    assert isinstance(groups["Europe"], list)
    assert ("Europe/Rome", "Rome (UTC+01:00)") in groups["Europe"]
    assert ("America/Argentina/Buenos_Aires", "Argentina / Buenos Aires (UTC-03:00)") in groups[
        "Americas"
    ]
    assert ("Asia/Kolkata", "Kolkata (UTC+05:30)") in groups["Asia"]
    labels = [label for _name, label in groups["Europe"]]
    assert labels == sorted(labels)
    listed = {"UTC"} | {name for zones in groups.values() for name, _label in zones}
    assert listed == current_time_zones()
    assert time_zone_label("Europe/Rome", now=JULY) == "Rome (UTC+02:00)"
    with translation.override("it"):
        assert "Europa" in [label for label, _zones in time_zone_choices(now=JANUARY)[1:]]


def test_links_map_to_the_zone_they_point_to():
    assert current_time_zone("Europe/Rome") == "Europe/Rome"
    assert current_time_zone("US/Eastern") == "America/New_York"
    assert current_time_zone("Asia/Calcutta") == "Asia/Kolkata"
    assert current_time_zone("Etc/UTC") == "UTC"
    assert current_time_zone("Etc/GMT+5") is None
    assert current_time_zone("Mars/Olympus") is None


def test_the_profile_page_renders_a_grouped_searchable_select(client):
    client.force_login(UserFactory(time_zone="Europe/Rome"))
    html = client.get("/profile/").content.decode()
    select = re.search(r'<select name="time_zone".*?</select>', html, re.S)
    assert select is not None
    assert '<optgroup label="Europe">' in select[0]
    assert re.search(r'<option value="Europe/Rome" selected>Rome \(UTC\+0[12]:00\)</option>', html)
    for legacy in ("Factory", "localtime", "US/Eastern", "Etc/GMT"):
        assert f'value="{legacy}' not in select[0]
    assert "data-zone-search" in select[0]
    assert "accounts/time_zone_search" in html and "<script>" not in html  # a static file, CSP
    assert 'class="btn btn-primary"' in html


def test_the_form_refuses_a_zone_that_is_not_current():
    for bad in ("US/Eastern", "Factory", "localtime", "Mars/Olympus"):
        form = ProfileForm(
            {"time_zone": bad, "language": "en"}, initial={"time_zone": "Europe/Rome"}
        )
        assert not form.is_valid()
        assert "not a current time zone" in form.errors["time_zone"][0]
    form = ProfileForm({"time_zone": "Europe/Rome", "language": "en"}, initial={})
    assert form.is_valid(), form.errors


def test_a_saved_link_shows_as_its_zone_and_a_saved_legacy_name_is_kept():
    form = ProfileForm(initial={"time_zone": "US/Eastern"})
    assert form.initial["time_zone"] == "America/New_York"
    form = ProfileForm(
        {"time_zone": "Etc/GMT+5", "language": "en"}, initial={"time_zone": "Etc/GMT+5"}
    )
    assert form.is_valid(), form.errors  # keeps working until they choose another
    assert form.fields["time_zone"].choices[0][0] == "Etc/GMT+5"


def test_an_existing_user_with_an_old_zone_can_still_save(client):
    user = UserFactory(time_zone="US/Eastern")
    client.force_login(user)
    assert client.get("/profile/").status_code == 200
    response = client.post(
        "/profile/",
        {"first_name": "Ada", "last_name": "", "time_zone": "America/New_York", "language": "en"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "America/New_York"


def test_the_service_uses_the_same_list():
    user = UserFactory(time_zone="Europe/Rome")
    assert time_zone_allowed("Europe/Rome") and not time_zone_allowed("US/Eastern")
    with pytest.raises(ValidationError) as caught:
        profile_update(user=user, first_name="", last_name="", time_zone="Factory", language="en")
    assert "time_zone" in caught.value.message_dict
    assert User.objects.get(pk=user.pk).time_zone == "Europe/Rome"


@pytest.mark.parametrize("name", ["Factory", "localtime", "Not/AZone", ""])
def test_the_model_validator_refuses_what_is_no_current_zone(name):
    from django.core.exceptions import ValidationError

    from tierdesk.accounts.models import validate_time_zone

    with pytest.raises(ValidationError):
        validate_time_zone(name)


@pytest.mark.parametrize("name", ["Europe/Rome", "UTC", "US/Eastern"])
def test_the_model_validator_accepts_current_zones_and_their_aliases(name):
    from tierdesk.accounts.models import validate_time_zone

    validate_time_zone(name)  # the admin's forms (users, regions) use this validator
