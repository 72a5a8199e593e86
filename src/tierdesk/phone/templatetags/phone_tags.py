"""Template helpers of phone support: seconds as durations, the phone lines of the portal."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template

from tierdesk.accounts.selectors.support import support_contacts

register = template.Library()


@register.filter
def seconds(value: float | None) -> timedelta | None:
    """Seconds as a timedelta, for |duration."""
    return None if value is None else timedelta(seconds=value)


@register.simple_tag
def waited(entered_at: datetime, now: datetime) -> timedelta:
    """How long an entry has waited at `now`."""
    return max(now - entered_at, timedelta())


@register.inclusion_tag("phone/_portal_phone.html", takes_context=True)
def phone_contacts(context: Any) -> dict[str, Any]:
    """The phone lines of the signed-in customer's plan, with the numbers and the support PIN."""
    request = context.get("request")
    user = getattr(request, "user", None)
    contacts = support_contacts(user) if user is not None else None
    account = getattr(user, "account", None) if contacts and contacts.phone else None
    return {"contacts": contacts, "account": account}
