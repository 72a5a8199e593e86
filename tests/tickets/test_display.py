"""The hand-rendered SLA badge uses the one date format (tierdesk.web.formats) and escapes."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.dateformat import format as django_format
from django.utils.formats import get_format
from hypothesis import given, settings
from hypothesis import strategies as st

from tierdesk.tickets.display import ClockBadge, badge_html
from tierdesk.web.formats import format_time, format_when

ZONES = ["Europe/Rome", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata"]
instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(instant=instants, viewer=st.sampled_from(ZONES), region=st.sampled_from(ZONES))
def test_the_formats_match_djangos_date_filter(instant, viewer, region):
    for language in ("en", "it"):
        with translation.override(language), timezone.override(ZoneInfo(viewer)):
            local = timezone.localtime(instant)
            expected = django_format(local, get_format("DATETIME_FORMAT"))
            assert format_when(instant) == _with_zone_name(expected, local)
            in_region = instant.astimezone(ZoneInfo(region))
            expected = django_format(in_region, "H:i T")
            assert format_time(instant, ZoneInfo(region)) == _with_zone_name(expected, in_region)


def _with_zone_name(formatted: str, local: datetime) -> str:
    """Django's `T` prints nothing for a wall time that occurs twice (the hour a clock goes back);
    format_when names the zone there too, since it knows which of the two instants it shows."""
    ambiguous = local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
    if ambiguous and formatted.endswith(" "):
        return f"{formatted}{local.tzname()}"
    return formatted


def badge(**overrides):
    values = {
        "target": "first_response",
        "label": "First response",
        "state": "running",
        "due_at": datetime(2026, 3, 2, 14, 0, tzinfo=UTC),
        "met_at": None,
        "seconds_left": 3600,
        "region_time_zone": "Europe/Rome",
    }
    return ClockBadge(**{**values, **overrides})


def test_a_running_badge_counts_down_and_shows_the_region_time_when_it_differs():
    with translation.override("en"), timezone.override(ZoneInfo("America/New_York")):
        html = badge_html(badge(), now=datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    assert html.startswith('<span class="clock clock-running" data-state="running">')
    assert '<time datetime="2026-03-02T14:00:00+00:00">Mon 2 Mar 2026, 09:00 EST</time>' in html
    assert "(15:00 CET region time)" in html
    assert 'data-countdown="2026-03-02T14:00:00+00:00"' in html
    assert html.count("<span") == html.count("</span>")


def test_a_met_badge_in_italian_has_no_countdown_and_no_region_time_in_the_same_zone():
    with translation.override("it"), timezone.override(ZoneInfo("Europe/Rome")):
        html = badge_html(badge(state="met"), now=datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    assert '<span class="clock-state">rispettato</span>' in html
    assert "lun 2 mar 2026, 15:00 CET" in html
    assert "data-countdown" not in html
    assert "region time" not in html and "ora della regione" not in html


def test_a_badge_escapes_its_label():
    html = badge_html(badge(label='<script>alert("x")</script>'), now=datetime.now(UTC))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_region_time_is_left_out_for_an_unknown_zone():
    html = badge_html(badge(region_time_zone="Mars/Olympus"), now=datetime.now(UTC))
    assert "muted" not in html
