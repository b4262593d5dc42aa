"""The car pool of the test province (root conftest.py): the Văn phòng's cars and drivers; the
chief (Chánh Văn phòng) dispatches, the specialist asks for cars."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from vanphong.logistics.models import Driver, Vehicle


def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """``days`` from today at ``hour``:``minute``, office time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def pool(province):
    car = Vehicle.objects.create(organization=province.office, plate="49A-000.01", seats=5)
    van = Vehicle.objects.create(organization=province.office, plate="49A-000.16", seats=16, kind="van")
    minh = Driver.objects.create(organization=province.office, full_name="Lê Văn Minh", licence_class="D")
    hai = Driver.objects.create(organization=province.office, full_name="Phạm Văn Hải", licence_class="D")
    return {"car": car, "van": van, "minh": minh, "hai": hai}


@pytest.fixture
def agency(province):
    """Ban Tổ chức, an agency of the Tỉnh ủy (its Văn phòng manages its assets and spending), with
    its văn thư. A commune's Đảng ủy is not one: it is a committee of its own."""
    from vanphong.orgs.models import OrgKind, Role
    from vanphong.orgs.tests.factories import OrganizationFactory, make_actor

    ban = OrganizationFactory(
        name="Ban Tổ chức Tỉnh ủy",
        short_name="Ban Tổ chức",
        kind=OrgKind.AGENCY,
        level=province.committee.level,
        parent=province.committee,
    )
    return {"organization": ban, "clerk": make_actor("clerk_btc", ban, Role.VAN_THU)}
