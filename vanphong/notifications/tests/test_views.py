"""The bell in the header and the notifications page: one's own notifications only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from vanphong.notifications.models import Notification
from vanphong.notifications.services import notify
from vanphong.web.tests.test_shell import sign_in

BELL = re.compile(r'<a id="notification-bell".*?</a>', re.S)


def bell(html: str) -> str:
    match = BELL.search(html)
    assert match, "no bell in the header"
    return match.group(0)


@pytest.fixture
def clerk(client, province):
    sign_in(client, province.clerk_x)
    return province.clerk_x


def test_the_header_bell_shows_the_unread_count(client, clerk):
    html = client.get(reverse("web:home")).content.decode()
    assert "Thông báo: không có thông báo mới" in bell(html)
    assert "bell-count" not in bell(html)
    notify(clerk, "task.created", "Được giao chủ trì: Rà soát")
    notify(clerk, "task.remind_due", "Hôm nay đến hạn: Rà soát")
    html = client.get(reverse("web:home")).content.decode()
    header = bell(html)
    assert f'href="{reverse("notifications:list")}"' in header
    assert "Thông báo: 2 chưa đọc" in header
    assert '<span class="bell-count" aria-hidden="true">2</span>' in header


def test_the_bell_counts_only_ones_own_and_caps_at_99(client, clerk, province):
    notify(province.clerk_y, "task.created", "Của người khác")
    Notification.objects.bulk_create(
        [Notification(recipient=clerk, kind="task.created", title=f"Việc {n}") for n in range(120)]
    )
    header = bell(client.get(reverse("web:home")).content.decode())
    assert "Thông báo: 120 chưa đọc" in header
    assert ">99+</span>" in header


def test_the_page_lists_my_notifications_newest_first(client, clerk, province):
    notify(clerk, "task.created", "Cũ hơn")
    notify(clerk, "task.created", "Mới hơn")
    notify(province.clerk_y, "task.created", "Của xã Bình Minh")
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Mới hơn") < html.index("Cũ hơn")
    assert "Của xã Bình Minh" not in html
    assert "Đánh dấu đã đọc tất cả" in html
    assert 'aria-current="page"' in bell(html)


def test_the_unread_tab_and_pages(client, clerk):
    Notification.objects.bulk_create(
        [Notification(recipient=clerk, kind="task.created", title=f"Thông báo {n:02d}") for n in range(35)]
    )
    first = Notification.objects.filter(recipient=clerk).order_by("id").first()
    client.post(reverse("notifications:mark_read", args=[first.pk]))
    html = client.get(reverse("notifications:list") + "?chua_doc=1").content.decode()
    assert "Trang 1/2" in html
    assert 'href="?chua_doc=1&amp;trang=2"' in html
    last_page = client.get(reverse("notifications:list") + "?chua_doc=1&trang=2").content.decode()
    assert last_page.count('<li id="notification-') == 4  # 34 unread: 30 + 4
    assert f"Thông báo {0:02d}" not in last_page


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, clerk):
    n = notify(clerk, "task.created", "Được giao", url="/nhiem-vu/7/")
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/nhiem-vu/7/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_a_link_to_another_site_is_not_followed(client, clerk):
    n = notify(clerk, "task.created", "Lạ", url="https://example.com/")
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_someone_elses_notification_is_404(client, clerk, province):
    other = notify(province.clerk_y, "task.created", "Của người khác", url="/nhiem-vu/1/")
    assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_read_with_htmx_returns_the_row_and_refreshes_the_bell(client, clerk):
    n = notify(clerk, "task.created", "Được giao")
    notify(clerk, "task.created", "Việc thứ hai")
    response = client.post(reverse("notifications:mark_read", args=[n.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f'id="notification-{n.pk}"' in html
    assert "Chưa đọc" not in html.split('id="notification-bell"')[0]
    assert 'hx-swap-oob="true"' in html and "Thông báo: 1 chưa đọc" in html
    assert '<span id="unread-tab-count" class="badge badge-accent" hx-swap-oob="true">1</span>' in html


def test_mark_all_read_marks_only_mine(client, clerk, province):
    notify(clerk, "task.created", "Một")
    notify(clerk, "task.created", "Hai")
    other = notify(province.clerk_y, "task.created", "Của người khác")
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(recipient=clerk, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_marking_is_post_only(client, clerk):
    n = notify(clerk, "task.created", "Một")
    assert client.get(reverse("notifications:mark_read", args=[n.pk])).status_code == 405
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405


def test_an_account_without_a_staff_record_sees_an_empty_page(client, db):
    from vanphong.orgs.tests.factories import UserFactory

    client.force_login(UserFactory(username="lonely"))
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert "Chưa có thông báo nào." in response.content.decode()
    assert 'id="notification-bell"' not in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
