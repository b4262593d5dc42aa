from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.utils import timezone

from config.celery import app
from vanphong.audit import jobs
from vanphong.audit.jobs import administrator_emails, verify_audit_chain
from vanphong.audit.models import AuditEvent
from vanphong.audit.tests.support import tamper
from vanphong.core.schedule import beat_schedule
from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import make_actor


@pytest.fixture(autouse=True)
def _mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def admin_with_email(province):
    province.admin.email = "quantri@tinhuy.vn"
    province.admin.save()
    return province.admin


def test_the_scheduled_name_is_a_registered_job_with_a_time_limit():
    name = beat_schedule()["verify-audit-chain"]["task"]
    job = app.tasks[name]
    assert job.run is verify_audit_chain.run
    assert job.time_limit == jobs.TIME_LIMIT
    assert 0 < job.soft_time_limit < job.time_limit


def test_intact_chain_is_recorded_and_nobody_is_mailed(make_chain, admin_with_email):
    make_chain(15)
    result = verify_audit_chain.apply().get()
    assert result["ok"] is True
    entry = AuditEvent.objects.get(action="audit.verify")
    assert entry.actor_id is None
    assert entry.after == {"ok": True, "checked": 15, "first_broken": None, "reason": ""}
    assert "nguyên vẹn" in entry.target_repr
    assert mail.outbox == []


def test_broken_chain_is_recorded_logged_and_mailed_to_administrators(make_chain, admin_with_email, caplog):
    make_chain(60)
    tamper("UPDATE audit_auditevent SET after = NULL WHERE seq = 57")
    with caplog.at_level(logging.ERROR, logger="vanphong.audit.jobs"):
        result = verify_audit_chain.apply().get()
    assert result["first_broken"] == 57
    entry = AuditEvent.objects.get(action="audit.verify")
    assert entry.after["ok"] is False
    assert entry.after["checked"] == 56
    assert entry.after["first_broken"] == 57
    assert entry.after["alerted"] is True
    assert [r.levelname for r in caplog.records] == ["ERROR"]
    assert "#57" in caplog.records[0].getMessage()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["quantri@tinhuy.vn"]
    assert "chuỗi nhật ký hệ thống bị phá vỡ tại mục #57" in message.subject
    assert "Mục #57 đã bị sửa: mã băm không khớp." in message.body
    assert "vanphong verify-audit" in message.body


def test_running_the_job_twice_sends_the_alarm_once_a_day(make_chain, admin_with_email):
    make_chain(10)
    tamper("DELETE FROM audit_auditevent WHERE seq = 4")
    verify_audit_chain.apply()
    verify_audit_chain.apply()
    assert len(mail.outbox) == 1
    checks = AuditEvent.objects.filter(action="audit.verify").order_by("seq")
    assert [c.after["first_broken"] for c in checks] == [4, 4]
    assert all(c.after["alerted"] for c in checks)


def test_an_alarm_sent_yesterday_does_not_silence_today(make_chain, admin_with_email, monkeypatch):
    make_chain(10)
    tamper("DELETE FROM audit_auditevent WHERE seq = 4")
    verify_audit_chain.apply()
    tomorrow = timezone.now() + dt.timedelta(seconds=1)
    monkeypatch.setattr(jobs, "_start_of_today", lambda: tomorrow)
    verify_audit_chain.apply()
    assert len(mail.outbox) == 2


def test_alarm_goes_to_every_current_administrator_with_an_address(province, make_chain):
    province.admin.email = "quantri@tinhuy.vn"
    province.admin.save()
    commune_admin = make_actor("admin_x", province.commune_x, Role.QUAN_TRI)
    commune_admin.user.email = "admin.anphu@example.vn"  # no address on the person: the account's
    commune_admin.user.save()
    former = make_actor("former_admin", province.committee, Role.QUAN_TRI)
    former.email = "cu@tinhuy.vn"
    former.save()
    former.roles.update(
        starts_on=timezone.localdate() - dt.timedelta(days=30),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    clerk = province.clerk
    clerk.email = "vanthu@tinhuy.vn"
    clerk.save()
    assert administrator_emails() == ["admin.anphu@example.vn", "quantri@tinhuy.vn"]
    make_chain(3)
    tamper("UPDATE audit_auditevent SET target_repr = 'x' WHERE seq = 2")
    verify_audit_chain.apply()
    assert sorted(mail.outbox[0].to) == ["admin.anphu@example.vn", "quantri@tinhuy.vn"]


def test_broken_chain_with_no_administrator_address_is_logged_and_recorded_unsent(
    province, make_chain, caplog
):
    make_chain(3)
    tamper("UPDATE audit_auditevent SET target_repr = 'x' WHERE seq = 2")
    with caplog.at_level(logging.ERROR, logger="vanphong.audit.jobs"):
        verify_audit_chain.apply()
    assert mail.outbox == []
    assert len(caplog.records) == 2
    assert AuditEvent.objects.get(action="audit.verify").after["alerted"] is False
