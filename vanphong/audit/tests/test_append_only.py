from __future__ import annotations

import datetime as dt
import decimal
import uuid
import zoneinfo

import pytest
from django.db import DatabaseError, connection, transaction

from vanphong.audit.context import RequestContext
from vanphong.audit.models import AuditEvent
from vanphong.audit.services import audit_record
from vanphong.audit.tests.support import tamper
from vanphong.audit.verify import verify_chain

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def test_database_refuses_update_through_the_orm(make_chain):
    make_chain(3)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).update(action="auth.login")
    assert AuditEvent.objects.get(seq=2).action == "test.event"


def test_database_refuses_saving_a_changed_entry(make_chain):
    event = make_chain(2)[0]
    event.target_repr = "Đã sửa"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    assert AuditEvent.objects.get(seq=1).target_repr == "Văn bản số 0"


def test_database_refuses_delete_through_the_orm(make_chain):
    events = make_chain(3)
    with pytest.raises(DatabaseError), transaction.atomic():
        events[1].delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 3


def test_database_refuses_plain_sql_update_and_delete(make_chain):
    make_chain(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET after = NULL")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 2
    assert verify_chain().ok


@on_postgres
def test_postgres_refuses_truncate_of_a_trail_with_entries(make_chain):
    make_chain(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 1


def test_triggers_are_back_after_tampering_in_a_test(make_chain):
    make_chain(2)
    tamper("UPDATE audit_auditevent SET action = 'x' WHERE seq = 1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).update(action="y")


def test_json_values_round_trip_so_a_fresh_chain_verifies(province):
    hcm = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    before = {
        "trích_yếu": "Về việc tổ chức Đại hội Đảng bộ tỉnh lần thứ XVI, nhiệm kỳ 2025–2030",
        "ngày_ban_hành": dt.date(2026, 11, 21),
        "hạn_xử_lý": dt.datetime(2026, 12, 1, 17, 30, 15, 123456, tzinfo=hcm),
        "giờ_họp": dt.time(8, 0),
        "nơi_nhận": ["Các huyện ủy", "Đảng ủy xã An Phú", {"lồng": {"sâu": [1, 2, {"z": None, "a": True}]}}],
    }
    after = {
        "kinh_phí": decimal.Decimal("1250000.50"),
        "tỷ_lệ": 0.1 + 0.2,
        "số_lớn": 2**70,
        "âm": -5,
        "trống": {},
        "danh_sách_trống": [],
        "mã": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "ký_tự": 'ngoặc "kép", gạch \\ chéo, xuống\ndòng, tab\t, emoji 📄, ½, ở phố Hàng Đào',
        "3": "khóa là số",
        "sai": False,
        "tập": ("b", "a"),
    }
    event = audit_record(
        actor=province.admin.user,
        action="test.event",
        target=province.office,
        before=before,
        after=after,
        context=RequestContext(
            ip_address="2001:0DB8:0000:0000:0000:0000:0000:0001", user_agent="Mozilla/5.0 (Điện thoại)"
        ),
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.compute_hash() == stored.hash == event.hash
    assert stored.before["ngày_ban_hành"] == "2026-11-21"
    assert stored.before["hạn_xử_lý"] == "2026-12-01T10:30:15.123456+00:00"  # one instant, one text
    assert stored.before["nơi_nhận"][2] == {"lồng": {"sâu": [1, 2, {"z": None, "a": True}]}}
    assert stored.after["số_lớn"] == 2**70
    assert stored.after["kinh_phí"] == "1250000.50"
    assert stored.after["ký_tự"] == after["ký_tự"]
    assert stored.ip_address == "2001:db8::1"
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("192.168.1.10", "192.168.1.10"),
        ("2001:DB8::0:1", "2001:db8::1"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("fe80::1%eth0", "fe80::1"),
        ("không phải địa chỉ", None),
        ("", None),
    ],
)
def test_client_addresses_are_stored_as_the_database_gives_them_back(db, given, stored):
    event = audit_record(
        actor=None,
        action="auth.login_failed",
        actor_username="ai_do",
        context=RequestContext(ip_address=given),
    )
    row = AuditEvent.objects.get(pk=event.pk)
    assert row.ip_address == stored
    assert row.compute_hash() == row.hash
