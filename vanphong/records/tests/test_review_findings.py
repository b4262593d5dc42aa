"""What the review of the records app found, kept fixed: a classified record's index is read under
the documents' need-to-know rule; the archive's own files go only to readers of the contents; a
record reopened or destroyed never comes back from a transfer list; ids too long for the
database, a package's odd encodings and its claimed retention never give a 500 or an early
disposal; the Văn phòng's units make the committee's files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import UnitFactory, make_actor
from vanphong.records import selectors, services
from vanphong.records.models import RecordState, TransferState
from vanphong.records.tests.conftest import document
from vanphong.tasks.models import TaskState

pytestmark = pytest.mark.django_db


def closed(province, code, *, year=2026, retention=10, end=dt.date(2026, 3, 2), **kwargs):
    record = services.record_open(
        actor=province.specialist.user,
        organization=province.committee,
        code=code,
        title=f"Hồ sơ {code}",
        retention_years=retention,
        year=year,
        start_date=dt.date(year, 1, 2),
        **kwargs,
    )
    services.record_file(
        actor=province.clerk.user, record=record, document=document(province, symbol=f"{code}/TU")
    )
    return services.record_close(actor=province.specialist.user, record=record, end_date=end)


def test_a_classified_record_is_read_only_by_its_keepers_and_makers(province):
    reader = make_actor("reader", province.committee, Role.CHUYEN_VIEN, clearance=Classification.TOI_MAT)
    record = services.record_open(
        actor=province.specialist.user,
        organization=province.committee,
        code="01.M",
        title="Mật",
        retention_years=10,
    )
    services.record_file(
        actor=province.clerk.user,
        record=record,
        document=document(province, subject="Nội dung mật tuyệt đối", classification=Classification.MAT),
    )
    assert record in selectors.records_visible_to(province.clerk.user)  # the văn thư keeps the books
    assert record not in selectors.records_visible_to(province.specialist.user)  # who opened it, not cleared
    assert record in selectors.records_visible_to(province.leader.user)
    # A READ holder cleared for it, but no keeper of the classified books: not shown.
    assert record not in selectors.records_visible_to(reader.user)
    found = selectors.record_list(reader.user, selectors.ArchiveFilters(q="tuyet doi"))
    assert not found.exists()


def test_the_document_panel_offers_only_records_the_user_sees(province):
    other = make_actor("other", province.office, Role.CHUYEN_VIEN)
    record = services.record_open(
        actor=province.specialist.user,
        organization=province.committee,
        code="02.W",
        title="W",
        retention_years=5,
    )
    assert record not in selectors.records_writable_by(other.user)
    assert record in selectors.records_writable_by(province.specialist.user)


def test_a_reopened_record_leaves_its_transfer_list(province):
    record = closed(province, "03.R")
    transfer = services.transfer_create(
        actor=province.specialist.user, organization=province.committee, records=[record]
    )
    services.record_reopen(actor=province.specialist.user, record=record, reason="Thiếu văn bản")
    record.refresh_from_db()
    assert record.transfer_id is None and record.state == RecordState.OPEN
    with pytest.raises(ValidationError, match="Không còn hồ sơ"):
        services.transfer_hand_over(actor=province.clerk.user, transfer=transfer)
    record = services.record_close(
        actor=province.specialist.user, record=record, end_date=dt.date(2026, 4, 1)
    )
    services.transfer_create(
        actor=province.specialist.user, organization=province.committee, records=[record]
    )


def test_a_record_on_a_pending_list_is_not_destroyed_and_a_destroyed_one_owes_no_transfer(province):
    record = closed(province, "04.D", year=2020, retention=5, end=dt.date(2020, 6, 1))
    transfer = services.transfer_create(
        actor=province.specialist.user, organization=province.committee, records=[record]
    )
    with pytest.raises(ValidationError, match="nộp lưu chưa giao nhận"):
        services.disposal_execute(
            actor=province.clerk.user, organization=province.committee, records=[record], decision="QĐ 1"
        )
    with pytest.raises(ValidationError, match="Không còn hồ sơ"):  # nothing left to receive
        services.transfer_hand_over(actor=province.clerk.user, transfer=transfer, removed=[record])
    transfer.refresh_from_db()
    assert transfer.state == TransferState.DRAFT
    record = services.record_reopen(actor=province.specialist.user, record=record, reason="Rà soát lại")
    record = services.record_close(
        actor=province.specialist.user, record=record, end_date=dt.date(2020, 6, 1)
    )
    services.disposal_execute(
        actor=province.clerk.user, organization=province.committee, records=[record], decision="QĐ 1"
    )
    record.refresh_from_db()
    assert record.state == RecordState.DISPOSED
    assert record.transfer_task.state == TaskState.CANCELLED


def test_ids_too_long_for_the_database_match_nothing(province, client, settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    client.force_login(province.clerk.user)
    huge = "9" * 25
    assert client.get(f"/ho-so/?co_quan={huge}").status_code == 200
    assert client.get(f"/ho-so/luu-tru/khai-thac/lap/?record={huge}").status_code in (200, 404)
    assert client.post("/ho-so/luu-tru/nop-luu/lap/", {"records": [huge]}).status_code in (200, 302, 400, 404)


def test_the_office_units_make_the_committees_files(province):
    unit = UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    record = services.record_open(
        actor=province.specialist.user,
        organization=province.committee,
        code="05.U",
        title="Của phòng Tổng hợp",
        retention_years=5,
        unit=unit,
    )
    assert record.unit == unit
