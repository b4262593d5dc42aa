"""Reads for account administration, with the access layer applied in SQL."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts.models import ApiToken, User
from vanphong.orgs.access import Capability, restrict
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Person


def managed_accounts(*, user: Actor, q: str = "") -> QuerySet[Person]:
    """People with an account whom ``user`` may administer (MANAGE_PEOPLE reach), with
    ``has_totp`` and ``api_tokens_active`` annotated; ``q`` matches name or username."""
    now = timezone.now()
    qs = restrict(
        Person.objects.filter(user__isnull=False),
        user,
        capability=Capability.MANAGE_PEOPLE,
        classification_field=None,
    )
    q = q.strip()
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(user__username__icontains=q))
    return (
        qs.select_related("user", "organization", "unit", "position")
        .annotate(
            has_totp=Exists(TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)),
            api_tokens_active=Count(
                "user__api_tokens",
                filter=Q(user__api_tokens__revoked_at__isnull=True, user__api_tokens__expires_at__gt=now),
            ),
        )
        .order_by("organization__path", "full_name", "pk")
    )


def managed_account(*, user: Actor, account_id: Any) -> Person:
    """The person behind account ``account_id`` (a user id), or 404 when outside reach."""
    try:
        return managed_accounts(user=user).get(user_id=account_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def pending_totp_device(user: User) -> TOTPDevice | None:
    """The unconfirmed device of an enrolment under way, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def active_api_tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())
