from __future__ import annotations

import pytest
from django.core.cache import cache

from vanphong.audit.services import audit_record


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


@pytest.fixture
def make_chain(db):
    """Append ``n`` ordinary entries and return them in order."""

    def make(n: int, **kwargs):
        return [
            audit_record(
                actor=None,
                actor_username=f"user{i % 7}",
                action=kwargs.get("action", "test.event"),
                target_type="test.thing",
                target_id=i,
                target_repr=f"Văn bản số {i}",
                after={"i": i, "ghi_chú": "Chuỗi thử nghiệm"},
            )
            for i in range(n)
        ]

    return make
