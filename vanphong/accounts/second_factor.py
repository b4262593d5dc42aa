"""Who must use a TOTP second factor (VANPHONG_TOTP_REQUIRED)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from vanphong.orgs.access import Capability, can
from vanphong.orgs.models import Classification


def second_factor_required(user: Any) -> bool:
    policy = settings.VANPHONG_TOTP_REQUIRED
    if policy == "none" or not getattr(user, "is_authenticated", False):
        return False
    if policy == "all":
        return True
    person = getattr(user, "person", None)
    cleared = person is not None and person.clearance > Classification.NONE
    # Staff reach Django's admin, which edits everything: they count as administrators.
    return cleared or user.is_staff or user.is_superuser or can(user, Capability.MANAGE_PEOPLE)


def has_second_factor(user: Any) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
