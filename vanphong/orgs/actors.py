"""Who acts: the signed-in account every service receives as ``actor``, and the person
behind it. One place, so that "the person acting" means the same thing everywhere."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from vanphong.orgs.models import Person

# The account a service acts for (``request.user``); None for the system itself (jobs, seeds).
Actor: TypeAlias = AbstractBaseUser | AnonymousUser


def person_of(actor: Actor | None) -> Person | None:
    """The person ``actor``'s account belongs to, or None: no one signed in, an account with
    no person (a bare administrator), or the system acting."""
    if actor is None or not actor.is_authenticated:
        return None
    person = getattr(actor, "person", None)
    return person if isinstance(person, Person) else None


def acting_person(actor: Actor | None) -> Person:
    """The person acting, who must be working: ``PermissionDenied`` with a Vietnamese message
    otherwise (a step that records who did it cannot be taken by nobody)."""
    person = person_of(actor)
    if person is None or not person.active:
        raise PermissionDenied(_("Tài khoản của bạn chưa gắn với cán bộ nào đang công tác."))
    return person
