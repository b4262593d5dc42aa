import pytest
from django.core.management import CommandError, call_command

from vanphong.audit.models import AuditEvent
from vanphong.orgs.access import Capability, can
from vanphong.orgs.models import Organization, Person


def bootstrap(**extra):
    options = {
        "organization": "Tỉnh ủy Lâm Đồng",
        "abbreviation": "TU",
        "username": "quantri",
        "full_name": "Trần Văn Quản",
        "password": "Lam-Dong-Bao-Mat-26",
        "clearance": "toi_mat",
        **extra,
    }
    call_command("bootstrap", *[f"--{k.replace('_', '-')}={v}" for k, v in options.items()])


def test_bootstrap_creates_the_first_organisation_and_its_administrator(db):
    bootstrap()
    person = Person.objects.get(user__username="quantri")
    assert person.organization == Organization.objects.get(abbreviation="TU")
    assert person.clearance == 2
    assert can(person.user, Capability.MANAGE_PEOPLE, person.organization)
    assert AuditEvent.objects.filter(action="system.bootstrap").exists()


def test_bootstrap_refuses_a_weak_password_and_an_existing_account(db):
    with pytest.raises(CommandError, match="Mật khẩu"):
        bootstrap(password="12345678")
    assert not Organization.objects.exists()
    bootstrap()
    with pytest.raises(CommandError, match="đã có"):
        bootstrap()
