from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from vanphong.web.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return {
        "nav_items": navigation_for(user),
        "current_person": person,
        # The demo run (`make run`) turns the second factor off; every page says so.
        "second_factor_off": settings.VANPHONG_TOTP_REQUIRED == "none",
    }
