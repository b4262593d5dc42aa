"""Fixtures for the API tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_sign_in_throttle():
    """The sign-in throttle lives in the cache: each test starts with no failures counted."""
    cache.clear()
    yield
    cache.clear()
