"""Fixtures for the sign-in tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_totp_throttle_delay(settings):
    """django-otp makes a device wait 1 s, 2 s, 4 s ... after a wrong code; tests answer at
    once. Our own lockout counter is what these tests check."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
