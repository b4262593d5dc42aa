"""The bell in the header: ``{% load notification_tags %}{% notification_bell %}``."""

from __future__ import annotations

from typing import Any

from django import template

from vanphong.notifications.selectors import person_of, unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context: template.Context, oob: bool = False) -> dict[str, Any]:
    """The link to the notifications page with the unread count (one indexed COUNT). With
    ``oob`` it is an htmx out-of-band swap, to refresh the count after marking read."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    person = person_of(user)
    return {
        "person": person,
        "count": unread_count(person),
        "current": context.get("nav_active") == "notifications",
        "oob": oob,
    }
