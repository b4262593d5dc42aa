"""API tokens: shown once, stored hashed, revocable, audited without the key."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from vanphong.accounts.models import ApiToken, hash_token
from vanphong.accounts.services import api_token_issue, api_token_revoke
from vanphong.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_issued_token_is_stored_only_as_its_hash(province, settings):
    settings.VANPHONG_API_TOKEN_DAYS = 7
    key = api_token_issue(user=province.specialist.user, name="Điện thoại")
    token = ApiToken.objects.get(user=province.specialist.user)
    assert token.digest == hash_token(key)
    assert token.prefix == key[:8]
    assert token.name == "Điện thoại"
    assert len(key) >= 40
    expected = timezone.now() + dt.timedelta(days=7)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    assert token.is_usable()


def test_each_token_is_different(province):
    assert api_token_issue(user=province.specialist.user) != api_token_issue(user=province.specialist.user)


def test_issue_is_audited_without_the_key(province):
    key = api_token_issue(user=province.specialist.user)
    event = AuditEvent.objects.get(action="api.token_issue")
    assert event.actor_id == province.specialist.user.pk
    assert key not in str(event.after) and hash_token(key) not in str(event.after)
    assert event.after["prefix"] == key[:8]


def test_revoke_makes_the_token_unusable_and_is_audited_once(province):
    api_token_issue(user=province.specialist.user)
    token = ApiToken.objects.get()
    api_token_revoke(token=token, actor=province.specialist.user)
    api_token_revoke(token=token, actor=province.specialist.user)
    token.refresh_from_db()
    assert not token.is_usable()
    assert AuditEvent.objects.filter(action="api.token_revoke").count() == 1
