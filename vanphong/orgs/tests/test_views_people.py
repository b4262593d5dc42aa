import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts.second_factor import second_factor_required
from vanphong.audit.models import AuditEvent
from vanphong.orgs.models import Delegation, Person, Role, RoleAssignment, StaffQuota
from vanphong.orgs.tests.factories import (
    TEST_PASSWORD,
    PersonFactory,
    PositionFactory,
    RoleAssignmentFactory,
    UnitFactory,
)


def sign_in(client, person):
    """A signed-in session, verified by a second factor when the policy asks for one."""
    client.force_login(person.user)
    if second_factor_required(person.user):
        device = TOTPDevice.objects.create(user=person.user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _html(response):
    return response.content.decode()


# --- Lists and pages -------------------------------------------------------------------------


def test_clerk_cannot_see_another_communes_people(client, province):
    response = sign_in(client, province.clerk_x).get(reverse("orgs:person_list"))
    people = {p.full_name for p in response.context["page"].object_list}
    assert people == {"clerk_x"}
    assert "<!doctype html>" in _html(response)


def test_people_search_answers_a_partial_to_htmx(client, province):
    PersonFactory(full_name="Nguyễn Thị Lan", organization=province.office)
    sign_in(client, province.chief)
    response = client.get(reverse("orgs:person_list"), {"q": "lan"}, headers={"HX-Request": "true"})
    html = _html(response)
    assert "<!doctype html>" not in html and 'class="filters"' not in html
    assert "Nguyễn Thị Lan" in html and "specialist" not in html
    assert "1 người" in html


def test_people_filter_by_role_and_unit(client, province):
    unit = UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    province.specialist.unit = unit
    province.specialist.save()
    sign_in(client, province.leader)
    by_role = client.get(reverse("orgs:person_list"), {"vai_tro": Role.VAN_THU})
    assert {p.full_name for p in by_role.context["page"].object_list} == {"clerk", "clerk_x", "clerk_y"}
    by_unit = client.get(reverse("orgs:person_list"), {"to_chuc": province.office.pk, "phong": unit.pk})
    assert [p.full_name for p in by_unit.context["page"].object_list] == ["specialist"]


def test_filtering_by_an_organisation_outside_reach_is_ignored(client, province):
    sign_in(client, province.clerk_x)
    response = client.get(reverse("orgs:person_list"), {"to_chuc": province.commune_y.pk})
    assert {p.full_name for p in response.context["page"].object_list} == {"clerk_x"}


def test_person_outside_reach_answers_404(client, province):
    response = sign_in(client, province.clerk_x).get(
        reverse("orgs:person_detail", args=[province.clerk_y.pk])
    )
    assert response.status_code == 404


def test_everyone_may_open_their_own_page_even_when_working_outside_their_role(client, province):
    # The clerk works in the office but keeps the committee's books: the office is not in her reach.
    response = sign_in(client, province.clerk).get(reverse("orgs:person_detail", args=[province.clerk.pk]))
    assert response.status_code == 200
    assert "Lập ủy quyền mới" in _html(response)


def test_person_page_shows_roles_with_dates_in_vietnamese_format(client, province):
    role = province.chief.roles.get()
    role.starts_on = dt.date(2025, 3, 7)
    role.save()
    response = sign_in(client, province.leader).get(reverse("orgs:person_detail", args=[province.chief.pk]))
    html = _html(response)
    assert "Lãnh đạo Văn phòng" in html
    assert "Từ 07/03/2025" in html
    assert "Tối mật" in html
    assert "Sửa thông tin" not in html  # leaders direct, they do not manage accounts


# --- Person forms ------------------------------------------------------------------------------


def test_admin_adds_a_person_from_the_organisation_page(client, province):
    sign_in(client, province.admin)
    url = reverse("orgs:person_create", args=[province.commune_x.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"full_name": "Phạm Văn Bình", "clearance": "0", "username": "binh.pv", "password": TEST_PASSWORD},
        follow=True,
    )
    person = Person.objects.get(full_name="Phạm Văn Bình")
    assert response.redirect_chain[-1][0] == reverse("orgs:person_detail", args=[person.pk])
    assert "Đã thêm cán bộ Phạm Văn Bình." in _html(response)
    assert person.organization == province.commune_x
    assert person.user.must_change_password
    assert AuditEvent.objects.filter(action="person.create", target_id=str(person.pk)).exists()


def test_person_form_errors_are_shown_next_to_the_fields_in_vietnamese(client, province):
    sign_in(client, province.admin)
    count = Person.objects.count()
    response = client.post(
        reverse("orgs:person_create", args=[province.office.pk]),
        {"full_name": "", "clearance": "0", "email": "sai", "username": "chief"},
    )
    html = _html(response)
    assert response.status_code == 200
    assert "Vui lòng nhập họ và tên." in html
    assert "Địa chỉ thư điện tử không hợp lệ." in html
    assert 'aria-describedby="id_full_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert Person.objects.count() == count


def test_service_errors_come_back_next_to_their_field(client, province):
    sign_in(client, province.admin)
    response = client.post(
        reverse("orgs:person_create", args=[province.office.pk]),
        {"full_name": "Trùng Tên", "clearance": "0", "username": "CHIEF"},
    )
    html = _html(response)
    assert "Tên đăng nhập “CHIEF” đã có người dùng." in html
    assert html.rindex("đã có người dùng") > html.index('for="id_username"')
    assert 'href="#id_username"' in html  # and listed in the summary at the top
    assert not Person.objects.filter(full_name="Trùng Tên").exists()


def test_clearance_choices_stop_at_the_actors_own(client, province):
    response = sign_in(client, province.admin).get(reverse("orgs:person_create", args=[province.office.pk]))
    html = _html(response)
    assert "Thường" in html and "Tuyệt mật" not in html


def test_chief_cannot_reach_person_management_pages(client, province):
    sign_in(client, province.chief)
    assert client.get(reverse("orgs:person_create", args=[province.office.pk])).status_code == 404
    assert client.get(reverse("orgs:person_edit", args=[province.specialist.pk])).status_code == 404
    assert client.post(reverse("orgs:person_deactivate", args=[province.specialist.pk])).status_code == 404
    assert client.get(reverse("orgs:quota_set", args=[province.office.pk])).status_code == 404
    province.specialist.refresh_from_db()
    assert province.specialist.active


def test_admin_edits_a_person(client, province):
    sign_in(client, province.admin)
    url = reverse("orgs:person_edit", args=[province.specialist.pk])
    form = client.get(url)
    assert 'value="specialist"' in _html(form)
    response = client.post(
        url,
        {
            "full_name": "Hoàng Minh Tuấn",
            "organization": province.office.pk,
            "clearance": "0",
            "phone": "0912 000 111",
            "counts_toward_quota": "on",
        },
    )
    assert response.status_code == 302
    province.specialist.refresh_from_db()
    assert province.specialist.full_name == "Hoàng Minh Tuấn"
    assert province.specialist.phone == "0912 000 111"


def test_admin_records_that_someone_left(client, province):
    sign_in(client, province.admin)
    url = reverse("orgs:person_deactivate", args=[province.specialist.pk])
    assert "Xác nhận thôi công tác" in _html(client.get(url))
    response = client.post(url, follow=True)
    assert "đã được ghi nhận thôi công tác" in _html(response)
    province.specialist.refresh_from_db()
    assert not province.specialist.active


# --- Roles -------------------------------------------------------------------------------------


def test_admin_assigns_a_role_with_a_vietnamese_date(client, province):
    sign_in(client, province.admin)
    url = reverse("orgs:role_assign", args=[province.commune_x.pk])
    form = client.get(url, {"can_bo": province.specialist.pk})
    assert f'<option value="{province.specialist.pk}" selected>' in _html(form)
    response = client.post(
        url,
        {
            "person": province.specialist.pk,
            "role": Role.CHUYEN_VIEN,
            "starts_on": "05/01/2026",
            "ends_on": "",
        },
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(person=province.specialist, organization=province.commune_x)
    assert assignment.starts_on == dt.date(2026, 1, 5)


def test_a_bad_date_is_explained_in_vietnamese(client, province):
    sign_in(client, province.admin)
    response = client.post(
        reverse("orgs:role_assign", args=[province.commune_x.pk]),
        {"person": province.specialist.pk, "role": Role.CHUYEN_VIEN, "starts_on": "31/02/2026"},
    )
    assert "Ngày không hợp lệ; ghi theo dạng dd/mm/yyyy" in _html(response)
    assert not RoleAssignment.objects.filter(
        organization=province.commune_x, person=province.specialist
    ).exists()


def test_a_missing_role_is_asked_for(client, province):
    sign_in(client, province.admin)
    response = client.post(
        reverse("orgs:role_assign", args=[province.commune_x.pk]),
        {"person": province.specialist.pk, "role": "", "starts_on": "05/01/2026"},
    )
    assert "Vui lòng chọn vai trò." in _html(response)


def test_admin_ends_a_role(client, province):
    role = province.specialist.roles.get()
    sign_in(client, province.admin)
    url = reverse("orgs:role_end", args=[role.pk])
    page = client.get(url)
    assert timezone.localdate().strftime("%d/%m/%Y") in _html(page)
    early = client.post(url, {"on": (role.starts_on - dt.timedelta(days=1)).strftime("%d/%m/%Y")})
    assert "không được trước ngày bắt đầu" in _html(early)
    response = client.post(url, {"on": timezone.localdate().strftime("%d/%m/%Y")})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.ends_on == timezone.localdate()


def test_role_end_outside_manage_reach_answers_404(client, province):
    sign_in(client, province.chief)
    assert client.get(reverse("orgs:role_end", args=[province.specialist.roles.get().pk])).status_code == 404


# --- Delegations ---------------------------------------------------------------------------------


def _delegation_post(holder_role, delegate, starts, ends, reason="Đi công tác"):
    return {
        "uq-role_assignment": holder_role.pk,
        "uq-delegate": delegate.pk,
        "uq-starts_at": starts,
        "uq-ends_at": ends,
        "uq-reason": reason,
    }


def test_chief_delegates_until_the_end_of_a_day(client, province):
    sign_in(client, province.chief)
    today = timezone.localdate()
    until = today + dt.timedelta(days=3)
    response = client.post(
        reverse("orgs:delegation_create", args=[province.chief.pk]),
        _delegation_post(
            province.chief.roles.get(),
            province.specialist,
            today.strftime("%d/%m/%Y"),
            until.strftime("%d/%m/%Y"),
        ),
        follow=True,
    )
    delegation = Delegation.objects.get()
    assert timezone.localtime(delegation.ends_at) == timezone.make_aware(
        dt.datetime.combine(until + dt.timedelta(days=1), dt.time())
    )
    assert delegation.created_by == province.chief
    assert "Đã ủy quyền cho specialist" in _html(response)
    assert "Đang hiệu lực" in _html(response)


def test_overlapping_delegation_is_explained_next_to_the_form(client, province):
    role = province.chief.roles.get()
    now = timezone.now()
    Delegation.objects.create(
        role_assignment=role,
        delegate=province.specialist,
        starts_at=now,
        ends_at=now + dt.timedelta(days=5),
        reason="Đợt trước",
        created_by=province.chief,
    )
    sign_in(client, province.chief)
    start = timezone.localtime(now + dt.timedelta(days=1)).strftime("%H:%M %d/%m/%Y")
    end = timezone.localtime(now + dt.timedelta(days=2)).strftime("%H:%M %d/%m/%Y")
    response = client.post(
        reverse("orgs:delegation_create", args=[province.chief.pk]),
        _delegation_post(role, province.clerk, start, end),
    )
    assert response.status_code == 200
    assert "hai lần ủy quyền không được trùng thời gian" in _html(response)
    assert Delegation.objects.count() == 1


def test_a_colleague_cannot_delegate_someone_elses_role_from_the_page(client, province):
    sign_in(client, province.specialist)
    page = client.get(reverse("orgs:person_detail", args=[province.chief.pk]))
    assert "Lập ủy quyền mới" not in _html(page)
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(
        reverse("orgs:delegation_create", args=[province.chief.pk]),
        _delegation_post(province.chief.roles.get(), province.specialist, today, today),
    )
    assert response.status_code == 404
    assert not Delegation.objects.exists()


def test_holder_revokes_a_delegation_and_a_stranger_gets_404(client, province):
    now = timezone.now()
    delegation = Delegation.objects.create(
        role_assignment=province.chief.roles.get(),
        delegate=province.specialist,
        starts_at=now,
        ends_at=now + dt.timedelta(days=2),
        reason="Nghỉ phép",
        created_by=province.chief,
    )
    url = reverse("orgs:delegation_revoke", args=[delegation.pk])
    assert sign_in(client, province.clerk_x).post(url).status_code == 404
    client.logout()
    response = sign_in(client, province.chief).post(url, follow=True)
    assert "Đã thu hồi ủy quyền cho specialist." in _html(response)
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    again = client.post(url, follow=True)
    assert "Ủy quyền này đã được thu hồi." in _html(again)


# --- Staff quotas --------------------------------------------------------------------------------


def test_admin_sets_a_quota_and_sees_it_on_the_staffing_page(client, province):
    sign_in(client, province.admin)
    url = reverse("orgs:quota_set", args=[province.commune_x.pk])
    bad = client.post(url, {"approved": "-1", "decision": ""})
    assert "Giá trị không được nhỏ hơn 0." in _html(bad)
    not_a_number = client.post(url, {"approved": "mười", "decision": ""})
    assert "Vui lòng nhập một số nguyên." in _html(not_a_number)
    response = client.post(url, {"approved": "4", "decision": "Quyết định 125-QĐ/TU"}, follow=True)
    assert "Đã giao 4 biên chế cho ĐU An Phú." in _html(response)
    assert StaffQuota.objects.get(organization=province.commune_x).approved == 4
    staffing = client.get(reverse("orgs:staffing"))
    assert "1/4" in _html(staffing)


def test_quota_form_edits_the_existing_unit_quota(client, province):
    unit = UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    StaffQuota.objects.create(organization=province.office, unit=unit, approved=7, decision="QĐ cũ")
    sign_in(client, province.admin)
    page = client.get(reverse("orgs:quota_set", args=[province.office.pk]), {"phong": unit.pk})
    assert 'value="7"' in _html(page)
    client.post(reverse("orgs:quota_set", args=[province.office.pk]), {"unit": unit.pk, "approved": "9"})
    assert StaffQuota.objects.get(unit=unit).approved == 9


def test_people_list_queries_do_not_grow_with_the_number_of_people(client, province):
    sign_in(client, province.leader)
    url = reverse("orgs:person_list")
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    unit = UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    position = PositionFactory(name="Chuyên viên")
    for i in range(30):
        person = PersonFactory(
            full_name=f"Cán bộ {i}", organization=province.office, unit=unit, position=position
        )
        RoleAssignmentFactory(person=person, organization=province.office, role=Role.CHUYEN_VIEN)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 37
    assert len(many.captured_queries) == len(few.captured_queries)
