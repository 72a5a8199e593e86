"""The one date and duration format (tierdesk.web.formats) and its template filters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import formats, timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import StaffAdminFactory, UserFactory
from tierdesk.notifications.services.outbox import notification_render
from tierdesk.web.formats import format_day, format_duration, format_time, format_when
from tierdesk.web.models import WorkerHeartbeat
from tierdesk.web.templatetags.tierdesk import duration_filter

INSTANT = datetime(2026, 12, 1, 21, 34, 10, tzinfo=UTC)  # 22:34 in Rome
ROME = ZoneInfo("Europe/Rome")


@pytest.mark.parametrize(
    ("language", "when", "day"),
    [
        ("en", "Tue 1 Dec 2026, 22:34 CET", "1 Dec 2026"),
        ("it", "mar 1 dic 2026, 22:34 CET", "1 dic 2026"),
    ],
)
def test_the_format_in_both_languages(language, when, day):
    with translation.override(language), timezone.override(ROME):
        assert format_when(INSTANT) == when
        assert format_day(INSTANT) == day
        assert format_time(INSTANT) == "22:34 CET"
        # Django's own formats (the admin, |date:"DATETIME_FORMAT") say the same.
        assert formats.date_format(timezone.localtime(INSTANT), "DATETIME_FORMAT") == when
        assert formats.date_format(timezone.localtime(INSTANT), "SHORT_DATE_FORMAT") == day


def test_the_viewers_zone_or_the_one_given():
    with translation.override("en"), timezone.override(ZoneInfo("America/New_York")):
        assert format_when(INSTANT) == "Tue 1 Dec 2026, 16:34 EST"
        assert format_when(INSTANT, "Asia/Tokyo") == "Wed 2 Dec 2026, 06:34 JST"
        assert format_when(INSTANT.isoformat(), ROME) == "Tue 1 Dec 2026, 22:34 CET"
        assert format_when(INSTANT, "Mars/Olympus") == "Tue 1 Dec 2026, 16:34 EST"  # unknown
        assert format_day(date(2026, 1, 3)) == "3 Jan 2026"


def test_a_wall_time_that_occurs_twice_still_names_its_zone():
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST, then 02:30 CET
    with translation.override("en"), timezone.override(ROME):
        assert format_when(first) == "Sun 25 Oct 2026, 02:30 CEST"
        assert format_when(first + timedelta(hours=1)) == "Sun 25 Oct 2026, 02:30 CET"


def render(source: str, **context: object) -> str:
    return Template("{% load tierdesk %}" + source).render(Context(context))


def test_the_when_and_day_filters_render_a_time_element():
    with translation.override("it"), timezone.override(ROME):
        assert render("{{ v|when }}", v=INSTANT) == (
            '<time datetime="2026-12-01T21:34:10+00:00">mar 1 dic 2026, 22:34 CET</time>'
        )
        assert render("{{ v|day }}", v=INSTANT) == '<time datetime="2026-12-01">1 dic 2026</time>'
        assert render("{{ v|when:'Asia/Tokyo' }}", v=INSTANT).endswith("06:34 JST</time>")
        assert render("{{ v|when_text }}", v=INSTANT) == "mar 1 dic 2026, 22:34 CET"
        assert render("{{ v|day_text }}", v=INSTANT) == "1 dic 2026"
        assert render("{{ m|duration }}", m=134) == "2 h 14 min"
        for name in ("when", "day", "when_text", "day_text", "duration"):
            assert render("{{ v|" + name + " }}", v=None) == ""
            assert render("{{ v|" + name + " }}", v="") == ""
            assert render("{{ v|" + name + " }}", v="not a time") == ""  # as Django's |date


def test_the_filters_escape_what_they_show():
    # A zone abbreviation cannot carry markup, but the escaping is format_html's, not ours.
    html = render("{{ v|when }}", v=INSTANT)
    assert html.count("<") == 2 and "&" not in html


@pytest.mark.parametrize(
    ("value", "english", "italian"),
    [
        (0, "0 min", "0 min"),
        (0.2, "less than a minute", "meno di un minuto"),
        (45, "45 min", "45 min"),
        (59.6, "1 h", "1 h"),
        (134, "2 h 14 min", "2 h 14 min"),
        (120, "2 h", "2 h"),
        (1439.7, "1 d", "1 g"),
        (3 * 1440 + 4 * 60 + 20, "3 d 4 h", "3 g 4 h"),
        (3 * 1440 + 4 * 60 + 31, "3 d 5 h", "3 g 5 h"),
        (timedelta(hours=2, minutes=14, seconds=20), "2 h 14 min", "2 h 14 min"),
        (-5, "-5 min", "-5 min"),
        (59.833333, "1 h", "1 h"),
        (12.5, "13 min", "13 min"),
    ],
)
def test_durations_are_rounded_for_people(value, english, italian):
    with translation.override("en"):
        assert format_duration(value) == english
    with translation.override("it"):
        assert format_duration(value) == italian


UNITS = {"d": 1440, "g": 1440, "h": 60, "min": 1}


def parse(text: str) -> tuple[float, float]:
    """The minutes a formatted duration says, and the smallest unit it shows."""
    sign = -1 if text.startswith("-") else 1
    parts = re.findall(r"(\d+) (d|g|h|min)", text)
    assert " ".join(f"{n} {u}" for n, u in parts) == text.lstrip("-"), text
    units = [UNITS[u] for _n, u in parts]
    assert units == sorted(units, reverse=True) and len(set(units)) == len(units), text
    return sign * sum(int(n) * UNITS[u] for n, u in parts), min(units)


@settings(max_examples=500, deadline=None)
@given(
    minutes=st.floats(min_value=-60 * 24 * 400, max_value=60 * 24 * 400, allow_nan=False),
    language=st.sampled_from(["en", "it"]),
)
def test_a_duration_reads_back_within_half_its_smallest_unit(minutes, language):
    with translation.override(language):
        text = format_duration(minutes)
    if minutes == 0:
        assert text == "0 min"
        return
    if abs(minutes) < 1:
        assert text in ("less than a minute", "meno di un minuto")
        return
    shown, unit = parse(text)
    assert abs(shown - minutes) <= unit / 2 + 1e-6
    # Minutes are dropped once days appear; units never overflow (no "60 min", "24 h").
    assert not ("min" in text and re.search(r"\d+ [dg]\b", text))
    assert all(int(n) < 60 for n in re.findall(r"(\d+) min", text))
    assert all(int(n) < 24 for n in re.findall(r"(\d+) h", text))


@settings(max_examples=300, deadline=None)
@given(minutes=st.floats(min_value=1, max_value=60 * 24 * 400, allow_nan=False))
def test_business_time_counts_hours_never_days(minutes):
    with translation.override("it"):
        text = format_duration(minutes, days=False)
    shown, unit = parse(text)
    assert unit in (1, 60) and not re.search(r"\d+ [dg]\b", text)
    assert abs(shown - minutes) <= 0.5 + 1e-6  # always to the minute
    assert all(int(n) < 60 for n in re.findall(r"(\d+) min", text))


def test_the_duration_filter_takes_hours_for_business_time():
    with translation.override("en"):
        assert duration_filter(24 * 60) == "1 d"
        assert duration_filter(24 * 60, "hours") == "24 h"
        assert duration_filter(timedelta(hours=26, minutes=30), "hours") == "26 h 30 min"


@settings(max_examples=200, deadline=None)
@given(seconds=st.integers(min_value=-(10**8), max_value=10**8))
def test_minutes_and_timedeltas_agree(seconds):
    with translation.override("en"):
        assert format_duration(timedelta(seconds=seconds)) == format_duration(seconds / 60)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "zone", "shown"),
    [
        ("en", "Europe/Rome", "Tue 1 Dec 2026, 22:34 CET"),
        ("it", "America/New_York", "mar 1 dic 2026, 16:34 EST"),
    ],
)
def test_the_admin_shows_the_format_in_the_viewers_zone(client, language, zone, shown):
    WorkerHeartbeat.objects.create(name="worker", beat_at=INSTANT)
    client.force_login(StaffAdminFactory(time_zone=zone, language=language))
    html = client.get("/admin/web/workerheartbeat/").content.decode()
    assert f'<td class="field-beat_at nowrap">{shown}</td>' in html
    assert "UTC</td>" not in html  # not the bare UTC time


@pytest.mark.django_db
def test_an_email_body_uses_the_format_in_the_recipients_zone_and_language():
    recipient = UserFactory(time_zone="Asia/Tokyo", language="it")
    with timezone.override(ROME):  # whoever sends, the recipient's zone
        _subject, body = notification_render(
            template="invitation",
            context={
                "inviter_name": "Ada",
                "account_name": "Acme",
                "accept_url": "https://desk.example/x",
                "expires_at": INSTANT.isoformat(),
            },
            recipient=recipient,
            language="it",
        )
    assert "mer 2 dic 2026, 06:34 JST" in body


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("+390200000101", "+39 02 0000 0101"),
        ("+12025550123", "+1 202-555-0123"),
        ("+442071234567", "+44 20 7123 4567"),
        ("not a number", "not a number"),
    ],
)
def test_phone_numbers_are_grouped_as_people_dial_them(number, shown):
    from tierdesk.web.formats import format_phone

    assert format_phone(number) == shown
