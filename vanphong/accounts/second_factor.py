"""Who must use a TOTP second factor (VANPHONG_TOTP_REQUIRED)."""

from __future__ import annotations

from django.conf import settings

from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Classification


def second_factor_required(user: Actor | None) -> bool:
    policy = settings.VANPHONG_TOTP_REQUIRED
    if policy == "none" or user is None or not user.is_authenticated:
        return False
    if policy == "all":
        return True
    person = person_of(user)
    cleared = person is not None and person.clearance > Classification.NONE
    # Staff reach Django's admin, which edits everything: they count as administrators.
    staff = getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)
    return cleared or staff or can(user, Capability.MANAGE_PEOPLE)


def has_second_factor(user: Actor) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
