"""Fixtures for the sign-in tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _no_totp_throttle_delay(settings):
    """django-otp makes a device wait 1 s, 2 s, 4 s ... after a wrong code; tests answer at
    once. Our own lockout counter is what these tests check."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture(autouse=True)
def _fresh_sign_in_throttle():
    """The sign-in throttle lives in the cache: each test starts with no failures counted."""
    cache.clear()
    yield
    cache.clear()
