"""notify, the urgent e-mail (once, after commit, given back on failure), marking read."""

from __future__ import annotations

from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from vanphong.notifications import services
from vanphong.notifications.models import Notification
from vanphong.notifications.selectors import unread_count


class BrokenBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise SMTPException("451 try again later")


@pytest.fixture
def with_address(province):
    province.clerk_x.email = "clerk_x@example.vn"
    province.clerk_x.save(update_fields=["email"])
    return province.clerk_x


def test_notify_makes_a_row_and_counts_as_unread(province):
    n = services.notify(
        province.clerk_x, "task.created", "Được giao chủ trì: Rà soát", "Hạn 30/6", "/nhiem-vu/1/"
    )
    assert n.recipient == province.clerk_x and n.read_at is None
    assert unread_count(province.clerk_x) == 1
    assert unread_count(province.clerk_y) == 0


def test_a_long_title_is_shortened(province):
    n = services.notify(province.clerk_x, "task.created", "Rất dài " * 100)
    assert len(n.title) == services.MAX_TITLE and n.title.endswith("…")


def test_nobody_who_left_is_notified(province):
    province.clerk_x.active = False
    province.clerk_x.save(update_fields=["active"])
    assert services.notify(province.clerk_x, "task.created", "Việc") is None
    assert not Notification.objects.exists()


def test_an_urgent_kind_is_emailed_once_after_commit(with_address, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        n = services.notify(with_address, "task.escalate_head", "Nhiệm vụ quá hạn", "Đề nghị đôn đốc")
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["clerk_x@example.vn"]
    assert mail.outbox[0].subject == "[Văn phòng số] Nhiệm vụ quá hạn"
    assert "Đề nghị đôn đốc" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    assert services.email_now(n.pk) is False  # a second delivery of the job sends nothing
    assert len(mail.outbox) == 1


def test_an_ordinary_kind_waits_for_the_digest(with_address, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(with_address, "task.remind_due", "Hôm nay đến hạn")
    assert mail.outbox == []


def test_a_failed_email_is_given_back_to_the_digest(
    with_address, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "vanphong.notifications.tests.test_services.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        n = services.notify(with_address, "task.escalate_office", "Nhiệm vụ quá hạn")
    n.refresh_from_db()
    assert n.emailed_at is None


def test_no_email_without_an_address_or_once_read(province, with_address):
    quiet = services.notify(province.clerk_y, "task.escalate_head", "Không có địa chỉ")
    assert services.email_now(quiet.pk) is False
    read = services.notify(with_address, "task.escalate_head", "Đã đọc trước")
    services.mark_read(with_address, read)
    assert services.email_now(read.pk) is False
    assert mail.outbox == []


def test_the_accounts_address_is_used_when_the_staff_record_has_none(province):
    province.clerk_y.user.email = "y@example.vn"
    province.clerk_y.user.save(update_fields=["email"])
    n = services.notify(province.clerk_y, "task.escalate_head", "Quá hạn")
    assert services.email_now(n.pk) is True
    assert mail.outbox[0].to == ["y@example.vn"]


def test_marking_read_touches_only_ones_own(province):
    mine = services.notify(province.clerk_x, "task.created", "Của tôi")
    other = services.notify(province.clerk_y, "task.created", "Của người khác")
    assert services.mark_read(province.clerk_x, other) is False
    assert services.mark_read(province.clerk_x, mine) is True
    assert services.mark_read(province.clerk_x, mine) is False
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read(province):
    for n in range(3):
        services.notify(province.clerk_x, "task.created", f"Việc {n}")
    services.notify(province.clerk_y, "task.created", "Việc khác")
    assert services.mark_all_read(province.clerk_x) == 3
    assert unread_count(province.clerk_x) == 0
    assert unread_count(province.clerk_y) == 1


def test_a_classified_notification_is_emailed_as_its_neutral_line_only(
    with_address, settings, django_capture_on_commit_callbacks
):
    settings.VANPHONG_SITE_URL = "https://vp.example.vn"
    with django_capture_on_commit_callbacks(execute=True):
        n = services.notify(
            with_address,
            "task.escalate_head",
            "Quá hạn: Phương án bảo vệ kho K15",
            "Chủ trì: Ban Tổ chức",
            "/nhiem-vu/7/",
            classification=1,
            neutral_title="Có nhiệm vụ mật cần xử lý (hạn 02/05/2024), xem trên hệ thống",
        )
        services.notify(with_address, "task.escalate_head", "Kho K15 (mật)", classification=2)
    assert n.title == "Quá hạn: Phương án bảo vệ kho K15"  # the page behind sign-in keeps it
    first, second = mail.outbox
    assert first.subject == "[Văn phòng số] Có nhiệm vụ mật cần xử lý (hạn 02/05/2024), xem trên hệ thống"
    assert "https://vp.example.vn/nhiem-vu/7/" in first.body
    assert second.subject == f"[Văn phòng số] {services.CLASSIFIED_TITLE}"  # no line given
    for message in mail.outbox:
        for text in (message.subject, message.body, message.alternatives[0][0]):
            assert "K15" not in text and "Ban Tổ chức" not in text
