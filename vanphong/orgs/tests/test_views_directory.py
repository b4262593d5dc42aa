from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts.second_factor import second_factor_required
from vanphong.orgs.models import Classification, StaffQuota
from vanphong.orgs.tests.factories import OrganizationFactory, PersonFactory, UnitFactory, UserFactory


def sign_in(client, person):
    """A signed-in session, verified by a second factor when the policy asks for one."""
    client.force_login(person.user)
    if second_factor_required(person.user):
        device = TOTPDevice.objects.create(user=person.user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def test_directory_shows_the_hosted_tree_and_external_bodies_apart(client, province):
    OrganizationFactory(name="Sở Nội vụ tỉnh", short_name="Sở Nội vụ", abbreviation="SNV", hosted=False)
    response = sign_in(client, province.specialist).get(reverse("orgs:directory"))
    assert response.status_code == 200
    html = response.content.decode()
    hosted, external = html.split('id="external"')
    assert "Tỉnh ủy Thử nghiệm" in hosted and "Đảng ủy xã Bình Minh" in hosted
    assert "Sở Nội vụ tỉnh" in external and "Ban Chấp hành Trung ương" in external
    assert "Sở Nội vụ tỉnh" not in hosted
    assert "<!doctype html>" in html
    assert response.context["nav_active"] == "orgs"


def test_directory_search_answers_a_partial_to_htmx(client, province):
    sign_in(client, province.clerk_x)
    response = client.get(reverse("orgs:directory"), {"q": "an phú"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<!doctype html>" not in html and 'class="tabs"' not in html
    assert "Đảng ủy xã An Phú" in html
    assert "Đảng ủy xã Bình Minh" not in html


def test_directory_search_without_match_says_so(client, province):
    response = sign_in(client, province.clerk_x).get(reverse("orgs:directory"), {"q": "không có đâu"})
    assert "Không có tổ chức nào khớp “không có đâu”." in response.content.decode()


def test_an_account_without_any_role_sees_an_empty_directory(client, province):
    stranger = PersonFactory(
        full_name="Người lạ", organization=province.office, user=UserFactory(username="la")
    )
    response = sign_in(client, stranger).get(reverse("orgs:directory"))
    assert response.status_code == 200
    assert "Tỉnh ủy Thử nghiệm" not in response.content.decode()
    assert (
        sign_in(client, stranger)
        .get(reverse("orgs:organization_detail", args=[province.office.pk]))
        .status_code
        == 404
    )


def test_organisation_page_shows_units_quota_people_and_roles_to_its_staff(client, province):
    unit = UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    province.specialist.unit = unit
    province.specialist.save()
    StaffQuota.objects.create(organization=province.office, approved=5, decision="Quyết định 12-QĐ/TU")
    response = sign_in(client, province.specialist).get(
        reverse("orgs:organization_detail", args=[province.office.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phòng Tổng hợp" in html
    # chief and specialist work in the office (the clerk too: she works there, her role is in the committee)
    assert "3/5" in html and "biên chế" in html and "Còn thiếu 2 người." in html
    assert "chief" in html and "specialist" in html
    assert "Lãnh đạo Văn phòng" in html
    assert "Thêm cán bộ" not in html


def test_organisation_page_hides_people_outside_the_readers_reach(client, province):
    response = sign_in(client, province.clerk_x).get(
        reverse("orgs:organization_detail", args=[province.commune_y.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đảng ủy xã Bình Minh" in html
    assert "clerk_y" not in html
    assert "chỉ hiện với người công tác tại đó" in html


def test_organisation_page_offers_management_to_administrators(client, province):
    response = sign_in(client, province.admin).get(
        reverse("orgs:organization_detail", args=[province.commune_x.pk])
    )
    html = response.content.decode()
    assert reverse("orgs:person_create", args=[province.commune_x.pk]) in html
    assert reverse("orgs:role_assign", args=[province.commune_x.pk]) in html
    assert reverse("orgs:quota_set", args=[province.commune_x.pk]) in html


def test_unknown_organisation_answers_404_in_vietnamese(client, province):
    response = sign_in(client, province.leader).get(reverse("orgs:organization_detail", args=[999_999]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_staffing_shows_filled_over_approved_and_highlights_over_quota(client, province):
    StaffQuota.objects.create(organization=province.office, approved=2)
    StaffQuota.objects.create(organization=province.commune_x, approved=4)
    response = sign_in(client, province.leader).get(reverse("orgs:staffing"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["nav_active"] == "staffing"
    office_row = html[html.index("Văn phòng Tỉnh ủy") - 300 : html.index("Văn phòng Tỉnh ủy")]
    assert "is-over" in office_row
    assert "3/2" in html  # the office has three people for two posts
    assert "1/4" in html
    assert "chưa giao" in html  # the committee itself has no recorded quota
    assert response.context["totals"]["over"] == 1
    assert response.context["totals"]["vacant"] == 3


def test_staffing_of_a_commune_clerk_covers_only_their_commune(client, province):
    response = sign_in(client, province.clerk_x).get(reverse("orgs:staffing"))
    names = {row.organization.name for row, _ in response.context["rows"]}
    assert names == {"Đảng ủy xã An Phú"}
    assert "Giao biên chế" not in response.content.decode()


def test_staffing_for_someone_with_no_reach_shows_an_empty_state(client, province):
    stranger = PersonFactory(
        full_name="Người lạ",
        organization=province.office,
        user=UserFactory(username="la"),
        clearance=Classification.NONE,
    )
    response = sign_in(client, stranger).get(reverse("orgs:staffing"))
    assert "Chưa có số liệu biên chế để hiển thị." in response.content.decode()
