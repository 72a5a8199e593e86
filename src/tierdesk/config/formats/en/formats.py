"""English: "Tue 1 Dec 2026, 22:34 CET" everywhere, the admin included (docs/formats.md)."""

# Only the display formats; input formats and separators stay Django's own for "en".
DATETIME_FORMAT = "D j M Y, H:i T"
DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i T"
SHORT_DATE_FORMAT = "j M Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
