import datetime as dt

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts.second_factor import second_factor_required
from vanphong.documents.models import Register, Term
from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import make_actor


def sign_in(client, person):
    """A signed-in session, verified by a second factor when the policy asks for one."""
    client.force_login(person.user)
    if second_factor_required(person.user):
        device = TOTPDevice.objects.create(user=person.user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def office_chief(province):
    return make_actor("cvp", province.committee, Role.LANH_DAO_VAN_PHONG, works_in=province.office)


def test_register_list_shows_policies_in_words_and_counts(client, province, books):
    sign_in(client, province.clerk)
    response = client.get(reverse("documents:register_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tỉnh ủy Thử nghiệm" in html
    assert "Đánh số theo từng loại văn bản trong nhiệm kỳ 2025 - 2030; văn bản mật chung dãy số" in html
    assert "Sổ văn bản mật đến" in html
    assert "Mở sổ mới" not in html  # the clerk keeps the books, does not configure them


def test_chief_opens_a_register_from_the_form(client, province, books, office_chief):
    sign_in(client, office_chief)
    url = f"{reverse('documents:register_create')}?to_chuc={province.committee.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"name": "Sổ văn bản đến Đại hội", "kind": "den", "reset": "never", "style": "party", "order": "3"},
    )
    assert response.status_code == 302
    register = Register.objects.get(name="Sổ văn bản đến Đại hội")
    assert register.reset == "never" and register.organization == province.committee
    listing = client.get(response["Location"]).content.decode()
    assert "Một dãy số chung cho mọi loại văn bản, một dãy số liên tục, không đánh lại" in listing


def test_register_form_shows_a_duplicate_name_next_to_the_field(client, province, books, office_chief):
    sign_in(client, office_chief)
    url = f"{reverse('documents:register_create')}?to_chuc={province.committee.pk}"
    response = client.post(url, {"name": "Sổ văn bản đến", "kind": "den", "reset": "year", "style": "party"})
    assert response.status_code == 200
    assert "đã có sổ tên “Sổ văn bản đến”" in response.content.decode()


def test_clerk_cannot_reach_the_register_forms(client, province, books):
    sign_in(client, province.clerk)
    register = books["committee"]["Sổ văn bản đến"]
    assert client.get(reverse("documents:register_create")).status_code == 404
    assert client.get(reverse("documents:register_edit", args=[register.pk])).status_code == 404
    assert client.post(reverse("documents:register_close", args=[register.pk])).status_code == 404


def test_edit_form_locks_the_policy_of_a_register_in_use(client, province, books, office_chief):
    from vanphong.documents.models import Document, DocumentState
    from vanphong.documents.services.registering import entry_register

    register = books["committee"]["Sổ văn bản đến"]
    doc = Document.objects.create(
        organization=province.committee, state=DocumentState.RECEIVED, subject="Thử"
    )
    entry_register(actor=province.clerk.user, register=register, document=doc)
    sign_in(client, office_chief)
    url = reverse("documents:register_edit", args=[register.pk])
    html = client.get(url).content.decode()
    assert "không thay đổi được cách đánh số" in html
    # A disabled field keeps its stored value whatever is posted.
    response = client.post(
        url, {"name": "Sổ đến", "kind": "di", "reset": "never", "style": "party", "order": "0"}
    )
    assert response.status_code == 302
    register.refresh_from_db()
    assert (register.name, register.kind, register.reset) == ("Sổ đến", "den", "year")


def test_chief_closes_a_register(client, province, books, office_chief):
    sign_in(client, office_chief)
    register = books["committee"]["Sổ văn bản sao"]
    response = client.post(reverse("documents:register_close", args=[register.pk]))
    assert response.status_code == 302
    register.refresh_from_db()
    assert not register.active


def test_chief_declares_a_term_and_opens_default_registers(client, province, office_chief):
    sign_in(client, office_chief)
    org = province.committee.pk
    response = client.post(
        f"{reverse('documents:registers_defaults')}?to_chuc={org}", {"style": "party", "to_chuc": org}
    )
    assert response.status_code == 200
    assert "vui lòng khai báo nhiệm kỳ" in response.content.decode()
    response = client.post(
        reverse("documents:term_create"), {"to_chuc": org, "name": "2025 - 2030", "starts_on": "01/10/2025"}
    )
    assert response.status_code == 302
    assert Term.objects.get(organization_id=org).starts_on == dt.date(2025, 10, 1)
    response = client.post(reverse("documents:registers_defaults"), {"style": "party", "to_chuc": org})
    assert response.status_code == 302
    assert Register.objects.filter(organization_id=org).count() == 5


def test_term_form_rejects_an_overlapping_term(client, province, books, office_chief):
    sign_in(client, office_chief)
    response = client.post(
        reverse("documents:term_create"),
        {"to_chuc": province.committee.pk, "name": "2020 - 2025", "starts_on": "01/10/2020"},
    )
    assert response.status_code == 200
    assert "không được chồng lên nhau" in response.content.decode()


def test_another_organisations_registers_are_not_listed(client, province, books):
    sign_in(client, province.clerk_x)
    html = client.get(reverse("documents:register_list")).content.decode()
    assert "Đảng ủy xã An Phú" in html
    assert "Tỉnh ủy Thử nghiệm" not in html
    response = client.get(reverse("documents:register_list"), {"to_chuc": province.committee.pk})
    assert response.status_code == 404
