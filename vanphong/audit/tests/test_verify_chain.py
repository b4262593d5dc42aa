from __future__ import annotations

import pytest
from django.core.management import call_command

from vanphong.audit.models import AuditEvent
from vanphong.audit.tests.support import tamper
from vanphong.audit.verify import verify_chain


def run_command(*args: str) -> tuple[int, str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_empty_trail_verifies(db):
    report = verify_chain()
    assert report.ok
    assert report.checked == 0


def test_chain_of_many_entries_verifies_in_small_batches(make_chain):
    make_chain(240)
    report = verify_chain(batch_size=7)
    assert report.ok, report.reason
    assert report.checked == 240
    assert report.first_broken is None


def test_command_reports_an_intact_chain_and_exits_zero(make_chain):
    make_chain(12)
    code, out, err = run_command()
    assert code == 0
    assert "nguyên vẹn" in out
    assert "12 mục" in out
    assert err == ""


def test_changed_after_is_named_as_the_first_broken_entry(make_chain):
    make_chain(80)
    tamper("UPDATE audit_auditevent SET after = %s WHERE seq = 57", ['{"i": 999}'])
    report = verify_chain(batch_size=10)
    assert not report.ok
    assert report.first_broken == 57
    assert report.checked == 56
    assert report.reason == "Mục #57 đã bị sửa: mã băm không khớp."


def test_changed_action_is_caught_by_the_command_with_exit_code_one(make_chain):
    make_chain(30)
    tamper("UPDATE audit_auditevent SET action = 'auth.login' WHERE seq = 9")
    code, out, err = run_command("--batch-size", "4")
    assert code == 1
    assert out == ""
    assert "#9" in err
    assert "Mục #9 đã bị sửa: mã băm không khớp." in err


def test_rewritten_entry_with_recomputed_hash_breaks_the_link_to_the_next_one(make_chain):
    make_chain(20)
    event = AuditEvent.objects.get(seq=11)
    event.target_repr = "Sửa lén"
    forged = event.compute_hash()
    tamper(
        "UPDATE audit_auditevent SET target_repr = %s, hash = %s WHERE seq = 11",
        ["Sửa lén", forged],
    )
    report = verify_chain()
    assert report.first_broken == 12
    assert "Mục #12 không nối đúng với mục #11" in report.reason


def test_deleted_entry_shows_as_a_gap(make_chain):
    make_chain(70)
    tamper("DELETE FROM audit_auditevent WHERE seq = 58")
    report = verify_chain(batch_size=25)
    assert not report.ok
    assert report.first_broken == 58
    assert report.reason == "Thiếu mục #58 (bị xóa)."
    code, _out, err = run_command()
    assert code == 1
    assert "Thiếu mục #58 (bị xóa)." in err


def test_several_deleted_entries_are_named_as_a_range(make_chain):
    make_chain(20)
    tamper("DELETE FROM audit_auditevent WHERE seq BETWEEN 3 AND 6")
    report = verify_chain()
    assert report.first_broken == 3
    assert report.reason == "Thiếu các mục từ #3 đến #6 (bị xóa)."


def test_deleting_the_first_entry_is_detected(make_chain):
    make_chain(5)
    tamper("DELETE FROM audit_auditevent WHERE seq = 1")
    assert verify_chain().first_broken == 1


def test_entries_cut_off_the_end_are_detected(make_chain):
    make_chain(120)
    tamper("DELETE FROM audit_auditevent WHERE seq > 118")
    report = verify_chain()
    assert not report.ok
    assert report.first_broken == 119
    assert report.reason == "Chuỗi bị cắt: đầu chuỗi ghi #120 nhưng mục cuối là #118."


def test_head_that_does_not_match_the_last_entry_is_detected(make_chain):
    make_chain(10)
    tamper("UPDATE audit_auditchainhead SET last_hash = %s WHERE id = 1", ["f" * 64])
    report = verify_chain()
    assert report.first_broken == 10
    assert "Đầu chuỗi không khớp với mục cuối #10" in report.reason


def test_head_moved_back_behind_existing_entries_is_detected(make_chain):
    entries = make_chain(10)
    tamper("UPDATE audit_auditchainhead SET last_seq = 8, last_hash = %s WHERE id = 1", [entries[7].hash])
    report = verify_chain()
    assert not report.ok
    assert report.first_broken == 9
    assert "có mục #10 sau đó" in report.reason


def test_incremental_check_starts_from_the_given_entry(make_chain):
    make_chain(50)
    tamper("UPDATE audit_auditevent SET target_repr = 'x' WHERE seq = 5")
    report = verify_chain(since_seq=40)
    assert report.ok
    assert report.checked == 11
    assert verify_chain(since_seq=3).first_broken == 5
    code, out, _err = run_command("--since", "40")
    assert code == 0
    assert "từ #40 đến #50" in out


def test_incremental_check_notices_the_entry_before_it_was_removed(make_chain):
    make_chain(10)
    tamper("DELETE FROM audit_auditevent WHERE seq = 6")
    report = verify_chain(since_seq=7)
    assert report.first_broken == 6


def test_batch_size_must_be_positive(db):
    with pytest.raises(ValueError, match="batch_size"):
        verify_chain(batch_size=0)
    code, _out, err = run_command("--batch-size", "0")
    assert code == 2
    assert "số dương" in err
