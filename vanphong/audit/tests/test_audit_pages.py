from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.audit.services import audit_record
from vanphong.audit.tests.support import tamper
from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import make_actor

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def trail(province, no_second_factor, monkeypatch):
    """One entry per place: the committee, each commune, none (a sign-in), and an old one."""
    admin = province.admin.user
    entries = {
        "committee": audit_record(
            actor=admin,
            action="person.update",
            target=province.chief,
            organization_id=province.committee.pk,
            before={"phone": "0901"},
            after={"phone": "0902"},
        ),
        "commune_x": audit_record(
            actor=province.clerk_x.user, action="person.create", target=province.clerk_x
        ),
        "commune_y": audit_record(
            actor=province.clerk_y.user, action="person.create", target=province.clerk_y
        ),
        "signin": audit_record(actor=None, actor_username="khach_la", action="auth.login_failed"),
    }
    old_time = timezone.make_aware(dt.datetime(2025, 3, 15, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: old_time)
    entries["old"] = audit_record(
        actor=admin,
        action="role.assign",
        target_repr="Vai trò cũ năm 2025",
        organization_id=province.committee.pk,
    )
    monkeypatch.undo()
    return entries


@pytest.fixture
def admin_client(client, province):
    client.force_login(province.admin.user)
    return client


def listed(response) -> set[int]:
    return {row.event.seq for row in response.context["rows"]}


def test_administrator_sees_the_trail_newest_first(admin_client, trail):
    response = admin_client.get(reverse("audit:list"))
    assert response.status_code == 200
    assert [row.event.seq for row in response.context["rows"]] == [5, 4, 3, 2, 1]
    html = response.content.decode()
    assert "<html" in html
    assert "Nhật ký hệ thống" in html
    assert "Kiểm tra chuỗi" in html
    assert "Đăng nhập không thành công" in html
    assert "khach_la" in html
    assert response.context["nav_active"] == "audit"


@pytest.mark.parametrize("who", ["clerk", "specialist", "chief", "leader"])
def test_people_without_the_audit_right_get_404_everywhere(client, trail, province, who):
    client.force_login(getattr(province, who).user)
    assert client.get(reverse("audit:list")).status_code == 404
    assert client.get(reverse("audit:detail", args=[trail["signin"].seq])).status_code == 404
    assert client.post(reverse("audit:verify")).status_code == 404
    assert not AuditEvent.objects.filter(action="audit.verify").exists()


def test_signed_out_visitor_is_sent_to_sign_in(client, trail):
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_filter_by_action(admin_client, trail):
    response = admin_client.get(reverse("audit:list"), {"action": "person.create"})
    assert listed(response) == {trail["commune_x"].seq, trail["commune_y"].seq}


def test_filter_by_actor_username(admin_client, trail):
    response = admin_client.get(reverse("audit:list"), {"actor": "CLERK_Y"})
    assert listed(response) == {trail["commune_y"].seq}


def test_filter_by_target_type(admin_client, trail):
    response = admin_client.get(reverse("audit:list"), {"target_type": "orgs.person"})
    assert listed(response) == {trail["committee"].seq, trail["commune_x"].seq, trail["commune_y"].seq}


def test_filter_by_organisation(admin_client, trail, province):
    response = admin_client.get(reverse("audit:list"), {"organization": province.commune_x.pk})
    assert listed(response) == {trail["commune_x"].seq}


def test_filter_by_dates_written_day_month_year(admin_client, trail):
    url = reverse("audit:list")
    assert listed(admin_client.get(url, {"date_from": "01/03/2025", "date_to": "31/03/2025"})) == {
        trail["old"].seq
    }
    assert listed(admin_client.get(url, {"date_to": "14/03/2025"})) == set()
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert trail["old"].seq not in listed(admin_client.get(url, {"date_from": today}))
    assert len(listed(admin_client.get(url, {"date_from": today, "date_to": today}))) == 4


def test_text_search_in_the_target_name(admin_client, trail):
    response = admin_client.get(reverse("audit:list"), {"q": "cũ năm"})
    assert listed(response) == {trail["old"].seq}


def test_bad_dates_get_a_vietnamese_error_and_the_list_still_shows(admin_client, trail):
    response = admin_client.get(reverse("audit:list"), {"date_from": "2025-13-45", "action": "person.create"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 25/12/2026." in html
    assert listed(response) == {trail["commune_x"].seq, trail["commune_y"].seq}


def test_end_date_before_start_date_is_refused(admin_client, trail):
    response = admin_client.get(reverse("audit:list"), {"date_from": "10/03/2025", "date_to": "01/03/2025"})
    assert "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu." in response.content.decode()


def test_unknown_action_is_refused_in_vietnamese(admin_client, trail):
    response = admin_client.get(reverse("audit:list"), {"action": "khong.co"})
    assert "Hành động không có trong nhật ký." in response.content.decode()
    assert len(listed(response)) == 5


def test_htmx_request_gets_only_the_table(admin_client, trail):
    response = admin_client.get(reverse("audit:list"), {"action": "auth.login_failed"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<table" in html
    assert "khach_la" in html
    assert listed(response) == {trail["signin"].seq}


def test_htmx_request_with_a_bad_filter_shows_the_error_in_the_table_part(admin_client, trail):
    response = admin_client.get(reverse("audit:list"), {"date_to": "hôm qua"}, **HTMX)
    assert "Đến ngày: Ngày không hợp lệ" in response.content.decode()


def test_list_pages_fifty_entries_at_a_time(admin_client, province, no_second_factor):
    for i in range(120):
        audit_record(actor=None, actor_username="nguoi", action="test.event", target_repr=f"Mục {i}")
    url = reverse("audit:list")
    first = admin_client.get(url)
    assert [r.event.seq for r in first.context["rows"]] == list(range(120, 70, -1))
    third = admin_client.get(url, {"page": 3, "actor": "nguoi"})
    assert [r.event.seq for r in third.context["rows"]] == list(range(20, 0, -1))
    assert "actor=nguoi&amp;page=2" in third.content.decode()


def test_list_runs_a_bounded_number_of_queries(
    admin_client, province, no_second_factor, django_assert_max_num_queries
):
    for i in range(60):
        audit_record(
            actor=None, action="test.event", target_repr=f"Mục {i}", organization_id=province.office.pk
        )
    admin_client.get(reverse("audit:list"))  # warm the session and the filter choices cache
    with django_assert_max_num_queries(14):  # 13, and the unread count of the header's bell
        response = admin_client.get(reverse("audit:list"))
    assert len(response.context["rows"]) == 50


def test_administrator_of_a_commune_sees_only_its_own_entries(client, trail, province):
    """Entries of no organisation (sign-ins under unknown names, chain checks) belong to the
    instance: only auditors of the top hosted organisation read them."""
    admin_x = make_actor("admin_x", province.commune_x, Role.QUAN_TRI)
    client.force_login(admin_x.user)
    response = client.get(reverse("audit:list"))
    assert listed(response) == {trail["commune_x"].seq}
    assert client.get(reverse("audit:detail", args=[trail["signin"].seq])).status_code == 404
    assert client.get(reverse("audit:detail", args=[trail["commune_y"].seq])).status_code == 404
    assert client.get(reverse("audit:detail", args=[trail["committee"].seq])).status_code == 404
    assert client.get(reverse("audit:detail", args=[trail["commune_x"].seq])).status_code == 200
    other = client.get(reverse("audit:list"), {"organization": province.commune_y.pk})
    assert "Tổ chức không có trong danh sách bạn được xem." in other.content.decode()
    assert trail["commune_y"].seq not in listed(other)


def test_committee_administrator_reaches_the_communes_below(admin_client, trail, province):
    response = admin_client.get(reverse("audit:list"), {"organization": province.commune_y.pk})
    assert listed(response) == {trail["commune_y"].seq}
    assert trail["signin"].seq in listed(admin_client.get(reverse("audit:list")))


def test_detail_shows_before_and_after_side_by_side_with_the_hashes(admin_client, trail):
    event = trail["committee"]
    response = admin_client.get(reverse("audit:detail", args=[event.seq]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "0901" in html and "0902" in html
    assert "Điện thoại" in html  # the field's own name
    assert event.hash in html and event.prev_hash in html
    assert "Khớp" in html
    assert response.context["changes"] == [
        {"key": "phone", "label": "Điện thoại", "before": "0901", "after": "0902", "changed": True}
    ]


def test_detail_of_a_tampered_entry_says_its_hash_does_not_match(admin_client, trail):
    tamper("UPDATE audit_auditevent SET after = NULL WHERE seq = %s", [trail["committee"].seq])
    response = admin_client.get(reverse("audit:detail", args=[trail["committee"].seq]))
    assert "Nội dung mục này đã bị sửa sau khi ghi." in response.content.decode()


def test_detail_of_a_missing_entry_is_404(admin_client, trail):
    assert admin_client.get(reverse("audit:detail", args=[999])).status_code == 404


def test_check_button_runs_the_check_records_it_and_shows_the_result(admin_client, trail, province):
    response = admin_client.post(reverse("audit:verify"), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyên vẹn" in html
    assert "đã kiểm tra 5 mục" in html
    entry = AuditEvent.objects.get(action="audit.verify")
    assert entry.actor_id == province.admin.user.pk
    assert entry.after["ok"] is True


def test_check_button_shows_a_broken_chain(admin_client, trail):
    tamper("DELETE FROM audit_auditevent WHERE seq = 2")
    response = admin_client.post(reverse("audit:verify"), **HTMX)
    assert "Bị phá vỡ" in response.content.decode()
    assert "Thiếu mục #2 (bị xóa)." in response.content.decode()


def test_check_without_htmx_redirects_with_a_message(admin_client, trail):
    response = admin_client.post(reverse("audit:verify"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("audit:list")
    assert "Chuỗi nhật ký nguyên vẹn" in response.content.decode()


def test_check_cannot_be_run_by_a_get(admin_client, trail):
    assert admin_client.get(reverse("audit:verify")).status_code == 405
