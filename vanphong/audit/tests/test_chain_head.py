"""The chain head: its keyed MAC, forward-only in the database, the external anchor
(``verify-audit --expect SEQ:HASH``) and the nightly job that mails it."""

from __future__ import annotations

import logging
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError, transaction

from vanphong.audit.jobs import send_audit_anchor
from vanphong.audit.models import AuditChainHead, AuditEvent
from vanphong.audit.tests.support import tamper
from vanphong.audit.verify import verify_chain
from vanphong.core.schedule import beat_schedule


def run_command(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_head_carries_a_valid_mac_after_each_append(make_chain):
    entries = make_chain(3)
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, entries[-1].hash)
    assert len(head.mac) == 64
    assert head.mac == head.compute_mac()


def test_database_refuses_moving_the_head_back_or_deleting_it(make_chain):
    entries = make_chain(5)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).update(last_seq=3, last_hash=entries[2].hash)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).update(mac="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.all().delete()
    assert AuditChainHead.objects.get().last_seq == 5


def test_deleted_tail_with_head_rewritten_without_the_key_fails(make_chain):
    entries = make_chain(20)
    tamper("DELETE FROM audit_auditevent WHERE seq > 17")
    # Consistent with the remaining entries, but the MAC cannot be recomputed without the key.
    tamper(
        "UPDATE audit_auditchainhead SET last_seq = 17, last_hash = %s WHERE id = 1",
        [entries[16].hash],
    )
    report = verify_chain()
    assert not report.ok
    assert report.first_broken == 17
    assert "Mã xác thực của đầu chuỗi (#17) không hợp lệ" in report.reason
    code, out, err = run_command()
    assert code == 1
    assert "Mã xác thực của đầu chuỗi" in err


def test_command_prints_the_head_as_an_anchor(make_chain):
    entries = make_chain(4)
    code, out, err = run_command()
    assert code == 0
    assert f"Đầu chuỗi: 4:{entries[-1].hash}" in out


def test_expect_accepts_an_anchor_the_chain_still_holds(make_chain):
    entries = make_chain(6)
    anchor = f"4:{entries[3].hash}"
    make_chain(2)
    code, out, err = run_command("--expect", anchor)
    assert code == 0, err
    assert "Chuỗi vẫn chứa mốc #4." in out
    assert "Đầu chuỗi: 8:" in out


def test_expect_catches_a_deleted_tail_behind_an_old_but_genuine_head(make_chain):
    make_chain(10)
    old = AuditChainHead.objects.values_list("last_seq", "last_hash", "mac").get()
    make_chain(5)
    code, out, _err = run_command()
    anchor = out.strip().splitlines()[-1].removeprefix("Đầu chuỗi: ")
    assert anchor.startswith("15:")
    # Someone holding the database (and yesterday's backup) but not the key: delete the
    # newest entries and copy the old head back. The chain is consistent in itself...
    tamper("DELETE FROM audit_auditevent WHERE seq > 10")
    tamper("UPDATE audit_auditchainhead SET last_seq = %s, last_hash = %s, mac = %s WHERE id = 1", list(old))
    assert verify_chain().ok
    # ...but not with the anchor kept outside.
    code, out, err = run_command("--expect", anchor)
    assert code == 1
    assert out == ""
    assert "Chuỗi kết thúc tại #10, trước mốc #15" in err


def test_expect_catches_a_replaced_entry_at_the_anchor(make_chain):
    make_chain(3)
    code, out, err = run_command("--expect", "2:" + "a" * 64)
    assert code == 1
    assert "Mục #2 không còn mã băm của mốc" in err


def test_expect_rejects_a_malformed_anchor(make_chain):
    make_chain(1)
    code, _out, err = run_command("--expect", "abc")
    assert code == 2
    assert "SEQ:HASH" in err


@pytest.fixture
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.usefixtures("_locmem_mail")
def test_anchor_job_logs_and_mails_the_head_once(make_chain, province, caplog):
    province.admin.email = "quantri@tinhuy.vn"
    province.admin.save()
    get_user_model().objects.create_superuser("root", "root@tinhuy.vn", "x-Mat-khau-dai-42")
    entries = make_chain(7)
    before = AuditEvent.objects.count()
    with caplog.at_level(logging.INFO, logger="vanphong.audit.jobs"):
        result = send_audit_anchor.apply().get()
    anchor = f"7:{entries[-1].hash}"
    assert result == {"anchor": anchor, "mailed": 2}
    assert any(anchor in r.getMessage() for r in caplog.records)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["quantri@tinhuy.vn", "root@tinhuy.vn"]
    assert f"Đầu chuỗi: {anchor}" in message.body
    assert f"verify-audit --expect {anchor}" in message.body
    assert AuditEvent.objects.count() == before  # sending the anchor does not move it


@pytest.mark.usefixtures("_locmem_mail")
def test_anchor_job_on_an_empty_trail_sends_nothing(db):
    assert send_audit_anchor.apply().get() == {"anchor": None, "mailed": 0}
    assert mail.outbox == []


def test_anchor_job_is_scheduled():
    assert beat_schedule()["send-audit-anchor"]["task"] == "vanphong.audit.jobs.send_audit_anchor"
