"""Sessions end after SESSION_COOKIE_AGE of inactivity and when the browser closes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from vanphong.accounts.tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def _idle(client, seconds: int) -> None:
    """Pretend the session was last used ``seconds`` ago. With the cached_db engine the row's
    expiry is the truth and the cache copy is written with the same lifetime, so both go."""
    key = client.session.session_key
    last_use = timezone.now() - dt.timedelta(seconds=seconds)
    Session.objects.filter(session_key=key).update(
        expire_date=last_use + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    if timezone.now() >= last_use + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE):
        caches[settings.SESSION_CACHE_ALIAS].delete(f"django.contrib.sessions.cached_db{key}")


def _signed_in(client) -> bool:
    """The login page moves a signed-in user on and shows the form to anyone else."""
    return client.get(reverse("accounts:login")).status_code == 302


def test_session_idle_longer_than_the_cookie_age_is_signed_out(client, province):
    sign_in(client, province.specialist.user)
    assert _signed_in(client)
    _idle(client, settings.SESSION_COOKIE_AGE + 1)
    assert not _signed_in(client)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_session_used_within_the_idle_time_stays_signed_in_and_is_extended(client, province):
    sign_in(client, province.specialist.user)
    _idle(client, settings.SESSION_COOKIE_AGE - 60)
    key = client.session.session_key
    assert _signed_in(client)
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 10)


def test_session_cookie_ends_with_the_browser(client, province):
    response = client.post(
        reverse("accounts:login"), {"username": "specialist", "password": "Mat-khau-thu-2026"}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert not cookie["max-age"] and not cookie["expires"]
    assert cookie["httponly"]
