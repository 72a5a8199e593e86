"""The Django admin for plans, entitlements, SLA targets, regions and calendars, support
numbers, accounts, users.

Writes that carry rules (accounts, calendar imports) go through the services; the forms here
only translate between what an admin types (HH:MM, JSON) and the models.
"""

from . import people, plans, regions, support_numbers

__all__ = ["people", "plans", "regions", "support_numbers"]
