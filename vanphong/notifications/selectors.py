"""Reading notifications: always a person's own, never anyone else's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from vanphong.notifications.models import Notification
from vanphong.orgs import actors
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Person


def person_of(user: Actor | None) -> Person | None:
    """The active staff member behind a signed-in account, or None."""
    person = actors.person_of(user)
    if person is None or user is None:
        return None
    return person if person.active and user.is_active else None


def notifications_for(person: Person, *, unread_only: bool = False) -> QuerySet[Notification]:
    """A person's notifications, newest first."""
    qs = Notification.objects.filter(recipient=person)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def get_notification(user: Actor, pk: Any) -> Notification:
    """One of the user's own notifications, or 404 (someone else's does not exist for them)."""
    person = person_of(user)
    if person is None:
        raise Http404
    try:
        return Notification.objects.get(pk=pk, recipient=person)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unread_count(person: Person | None) -> int:
    """The number in the header's bell (the partial index on unread rows answers it)."""
    if person is None:
        return 0
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()
