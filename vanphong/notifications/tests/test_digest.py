"""The daily digest: one e-mail per person with their unread notifications and their tasks
overdue and due soon; a second run the same day sends nothing; a failed send is retried."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from vanphong.notifications import digest
from vanphong.notifications.models import DigestLog, Notification
from vanphong.notifications.services import notify, send_digests
from vanphong.tasks import jobs
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.tests.factories import TaskFactory

D = dt.date
DAY = D(2024, 5, 6)  # a Monday with no holiday near it
CAL = WorkCalendar.of()


@pytest.fixture
def clerk(province, settings):
    settings.VANPHONG_SITE_URL = "https://vp.example.vn"
    province.clerk_x.email = "clerk_x@example.vn"
    province.clerk_x.save(update_fields=["email"])
    return province.clerk_x


def give(province, title, due):
    return TaskFactory(
        province=province,
        actor=province.chief,
        title=title,
        lead=province.clerk_x,
        due_date=due,
        assigned_on=D(2024, 4, 1),
        calendar=CAL,
    )


def test_one_digest_per_person_with_notifications_and_tasks(province, clerk):
    late = give(province, "Báo cáo chuyên đề dân vận", D(2024, 5, 2))
    give(province, "Kế hoạch kiểm tra", D(2024, 5, 8))
    give(province, "Tổng kết năm", D(2024, 12, 20))  # neither overdue nor due soon
    notify(clerk, "task.created", "Được giao chủ trì: Kế hoạch kiểm tra", url="/nhiem-vu/1/")
    notify(clerk, "task.remind_before", "Còn 3 ngày làm việc đến hạn: Kế hoạch kiểm tra")
    seen = notify(clerk, "task.created", "Đã đọc rồi")
    seen.read_at = seen.created_at
    seen.save(update_fields=["read_at"])

    report = send_digests(DAY)

    assert report.sent == 1 and report.people == [clerk.pk]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["clerk_x@example.vn"]
    assert message.subject == (
        "[Văn phòng số] Tổng hợp ngày 06/05/2024: 2 thông báo mới, 1 nhiệm vụ quá hạn, 1 nhiệm vụ sắp đến hạn"
    )
    text = message.body
    assert "== Nhiệm vụ quá hạn (1) ==" in text
    assert "- Báo cáo chuyên đề dân vận (quá hạn 2 ngày làm việc, hạn 02/05/2024)" in text
    assert f"https://vp.example.vn/nhiem-vu/{late.pk}/" in text
    assert "- Kế hoạch kiểm tra (hạn 08/05/2024)" in text
    assert "Tổng kết năm" not in text
    assert "Được giao chủ trì: Kế hoạch kiểm tra" in text
    assert "Đã đọc rồi" not in text
    html = message.alternatives[0][0]
    assert "Báo cáo chuyên đề dân vận" in html and "<ul>" in html
    assert (
        Notification.objects.filter(recipient=clerk, digested_at__isnull=True, read_at__isnull=True).count()
        == 0
    )
    assert DigestLog.objects.get(person=clerk, day=DAY).notifications == 2


def test_running_it_again_the_same_day_sends_nothing(province, clerk):
    give(province, "Báo cáo chuyên đề", D(2024, 5, 2))
    notify(clerk, "task.created", "Việc mới")
    assert send_digests(DAY).sent == 1
    notify(clerk, "task.created", "Việc đến sau")  # waits for tomorrow
    again = send_digests(DAY)
    assert again.sent == 0 and again.already == 1
    assert len(mail.outbox) == 1
    tomorrow = send_digests(DAY + dt.timedelta(days=1))
    assert tomorrow.sent == 1
    assert "Việc đến sau" in mail.outbox[1].body
    assert "Việc mới" not in mail.outbox[1].body  # already in yesterday's
    assert "Báo cáo chuyên đề" in mail.outbox[1].body  # still overdue: listed every day


def test_a_notification_emailed_at_once_is_not_repeated_in_the_digest(province, clerk):
    n = notify(clerk, "task.escalate_head", "Quá hạn")
    n.emailed_at = n.created_at
    n.save(update_fields=["emailed_at"])
    assert send_digests(DAY).sent == 0
    assert mail.outbox == []


def test_nobody_without_an_address_or_with_nothing_new_gets_one(province, clerk):
    notify(province.clerk_y, "task.created", "Không có địa chỉ thư")
    report = send_digests(DAY)
    assert report.sent == 0 and report.no_address == 1
    assert Notification.objects.get(recipient=province.clerk_y).digested_at is None
    assert mail.outbox == []


def test_a_failed_send_is_retried_by_the_next_run(province, clerk, settings):
    notify(clerk, "task.created", "Việc mới")
    settings.EMAIL_BACKEND = "vanphong.notifications.tests.test_services.BrokenBackend"
    assert send_digests(DAY).failed == 1
    assert not DigestLog.objects.exists()
    assert Notification.objects.get(recipient=clerk).digested_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_digests(DAY).sent == 1
    assert "Việc mới" in mail.outbox[0].body


def test_a_failing_section_provider_leaves_the_rest(province, clerk, monkeypatch, caplog):
    def broken(day):
        raise RuntimeError("provider down")

    monkeypatch.setitem(digest._providers, "broken", broken)
    give(province, "Báo cáo chuyên đề", D(2024, 5, 2))
    assert send_digests(DAY).sent == 1
    assert "digest provider broken failed" in caplog.text
    assert "Báo cáo chuyên đề" in mail.outbox[0].body


def test_a_long_list_is_cut_with_a_count_and_a_link(province, clerk):
    for n in range(12):
        give(province, f"Việc quá hạn số {n:02d}", D(2024, 5, 2))
    send_digests(DAY)
    body = mail.outbox[0].body
    assert "== Nhiệm vụ quá hạn (12) ==" in body
    assert body.count("- Việc quá hạn số") == 10
    assert "... và 2 việc khác: https://vp.example.vn/nhiem-vu/?tab=mine&status=overdue" in body


def test_the_job_skips_days_off_and_runs_once(province, clerk):
    notify(clerk, "task.created", "Việc mới")
    assert jobs.send_daily_digests.delay("2024-05-04").get() == {"day": "2024-05-04", "skipped": True}
    assert jobs.send_daily_digests.delay("2024-05-06").get()["sent"] == 1
    assert jobs.send_daily_digests.delay("2024-05-06").get()["sent"] == 0
    assert len(mail.outbox) == 1


def test_a_classified_notification_is_listed_by_its_neutral_line(province, clerk):
    notify(clerk, "task.created", "Được giao chủ trì: Kho K15", "Nội dung mật", classification=1)
    notify(
        clerk,
        "task.created",
        "Được giao chủ trì: Kho K16",
        classification=1,
        neutral_title="Có nhiệm vụ mật cần xử lý (hạn 08/05/2024), xem trên hệ thống",
    )
    assert send_digests(DAY).sent == 1
    message = mail.outbox[0]
    for text in (message.subject, message.body, message.alternatives[0][0]):
        assert "K15" not in text and "K16" not in text and "Nội dung mật" not in text
    assert "- Có thông báo mật, xem trên hệ thống (" in message.body
    assert "- Có nhiệm vụ mật cần xử lý (hạn 08/05/2024), xem trên hệ thống (" in message.body
