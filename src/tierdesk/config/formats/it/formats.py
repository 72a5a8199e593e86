"""Italian: "mar 1 dic 2026, 22:34 CET" everywhere, the admin included (docs/formats.md)."""

# "b" is the lower-case month abbreviation ("dic"), as Italian writes it; the lower-case
# weekday ("mar") comes from tierdesk's catalogue, which overrides Django's "Mar" (formats.py).
DATETIME_FORMAT = "D j b Y, H:i T"
DATE_FORMAT = "j b Y"
TIME_FORMAT = "H:i"
SHORT_DATETIME_FORMAT = "j b Y, H:i T"
SHORT_DATE_FORMAT = "j b Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
