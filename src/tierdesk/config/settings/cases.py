"""Cases: auto-close, attachments, SLA warnings and timer leases."""

from .env import env_int, env_list

# Solved cases close automatically after this many days without a customer reply.
CASE_AUTOCLOSE_DAYS = env_int("CASE_AUTOCLOSE_DAYS", 4)

ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_CONTENT_TYPES = env_list(
    "ATTACHMENT_CONTENT_TYPES",
    [
        "text/plain",
        "text/csv",
        "application/pdf",
        "application/json",
        "application/zip",
        "image/png",
        "image/jpeg",
        "image/gif",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
)

# Warnings before a breach, as fractions of each target (product.md: 75 %).
SLA_WARNING_FRACTIONS = [float(x) for x in env_list("SLA_WARNING_FRACTIONS", ["0.75"])]

# A worker holds a claimed SLA timer this long; after that another worker may take it over.
SLA_TIMER_LEASE_SECONDS = env_int("SLA_TIMER_LEASE_SECONDS", 120)
