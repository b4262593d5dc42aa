import pytest
from django.urls import reverse

from vanphong.audit.models import AuditEvent
from vanphong.documents.models import RegisterEntry
from vanphong.documents.tests.factories import registered_entry
from vanphong.orgs.tests.factories import UserFactory

MODELS = [
    "term",
    "register",
    "registercounter",
    "registerentry",
    "document",
    "documentfile",
    "documentlink",
    "direction",
    "assignment",
    "reviewstep",
    "draftversion",
    "draftcomment",
    "recipient",
    "readergrant",
    "arrival",
]


@pytest.fixture
def staff_client(db, client, settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    user = UserFactory(username="it_admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def entry(province, books):
    return registered_entry(
        actor=province.clerk.user, register=books["committee"]["Sổ văn bản đến"], subject="Thử"
    )


@pytest.mark.parametrize("model", MODELS)
def test_every_documents_model_has_an_admin_list(staff_client, entry, model):
    assert staff_client.get(reverse(f"admin:documents_{model}_changelist")).status_code == 200


def test_entries_cannot_be_changed_or_deleted_in_the_admin(staff_client, entry):
    change = reverse("admin:documents_registerentry_change", args=[entry.pk])
    response = staff_client.post(change, {"number": 99})
    assert response.status_code == 403
    assert (
        staff_client.post(
            reverse("admin:documents_registerentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert RegisterEntry.objects.get(pk=entry.pk).number == 1


def test_policy_of_a_register_in_use_is_read_only_in_the_admin(staff_client, entry):
    register = entry.register
    url = reverse("admin:documents_register_change", args=[register.pk])
    form = staff_client.get(url).context["adminform"].form
    assert "reset" not in form.fields and "name" in form.fields
    response = staff_client.post(
        url, {"name": "Sổ đến (đổi tên)", "style": "party", "order": 0, "active": "on"}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    register.refresh_from_db()
    assert register.name == "Sổ đến (đổi tên)" and register.reset == "year"
    assert AuditEvent.objects.get(action="admin.change").after == {"name": "Sổ đến (đổi tên)"}
