"""The archive's pages: transfer (due list, list made, hand-over with a file left out), the
search, lending (request, approval, return), disposal (refused without a decision and for a
permanent record, done for an expired one) and the packages; 404 outside the reader's reach."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from vanphong.orgs.models import Classification
from vanphong.records import services
from vanphong.records.models import (
    ArchiveRequest,
    Disposal,
    FilePlan,
    Record,
    RecordState,
    RequestState,
    Transfer,
    TransferState,
)
from vanphong.records.tests.conftest import document, open_record
from vanphong.tasks.models import TaskState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    settings.VANPHONG_PACKAGE_RENDITIONS = False


def login(client: Any, person: Any) -> Any:
    client.force_login(person.user)
    return client


def closed(province: Any, plan: FilePlan, code: str, end: dt.date, **doc: Any) -> Record:
    record = open_record(province, plan, code)
    services.record_file(actor=province.clerk.user, record=record, document=document(province, **doc))
    return services.record_close(actor=province.specialist.user, record=record, end_date=end)


def archived(province: Any, plan: FilePlan, code: str = "02.TH", **doc: Any) -> Record:
    record = closed(province, plan, code, dt.date(2026, 1, 5), **doc)
    transfer = services.transfer_create(
        actor=province.specialist.user, organization=province.committee, records=[record]
    )
    services.transfer_hand_over(actor=province.clerk.user, transfer=transfer, boxes=1)
    record.refresh_from_db()
    return record


def expired(province: Any, code: str = "99.CU") -> Record:
    """A 2015 record kept 5 years: its retention ran out at the end of 2020."""
    record = services.record_open(
        actor=province.specialist.user,
        organization=province.committee,
        code=code,
        title=f"Hồ sơ cũ {code} về công tác văn thư",
        retention_years=5,
        year=2015,
        start_date=dt.date(2015, 1, 2),
    )
    services.record_file(
        actor=province.clerk.user, record=record, document=document(province, symbol=f"{code}-CV/TU")
    )
    return services.record_close(actor=province.specialist.user, record=record, end_date=dt.date(2015, 6, 30))


def text(response: Any) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------------- transfer


def test_the_due_list_shows_the_closed_files_soonest_first_overdue_in_red(client, province, plan):
    construction = closed(province, plan, "03.HC", dt.date(2026, 3, 10))  # due 10/6/2026
    report = closed(province, plan, "02.TH", dt.date(2026, 1, 5))  # due 05/01/2027
    closed(province, plan, "04.HC", dt.date(2026, 1, 5))  # 2 years: never transferred
    page = text(login(client, province.specialist).get(reverse("records:transfer_list")))
    assert "Hồ sơ đến hạn nộp lưu" in page
    assert page.index(construction.title) < page.index(report.title)
    late = (timezone.localdate() - dt.date(2026, 6, 10)).days
    assert f"Quá hạn nộp lưu {late} ngày" in page
    assert "04.HC" not in page
    assert 'name="records"' in page  # the specialist makes the list


def test_a_transfer_is_made_then_received_with_one_file_left_with_its_unit(client, province, plan):
    first = closed(province, plan, "02.TH", dt.date(2026, 1, 5))
    second = closed(province, plan, "03.HC", dt.date(2026, 3, 10))
    login(client, province.specialist)
    response = client.post(
        reverse("records:transfer_create"),
        {"organization": province.committee.pk, "records": [first.pk, second.pk]},
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "records:transfer_detail", args=[transfer.pk]
    )
    page = text(client.get(response.url))
    assert "Mục lục hồ sơ, tài liệu nộp lưu" in page and first.title in page and second.title in page
    assert "Xác nhận đã nhận hồ sơ" not in page  # the specialist does not receive
    hand_over = reverse("records:transfer_hand_over", args=[transfer.pk])
    assert client.post(hand_over, {"boxes": 1, "received": [first.pk, second.pk]}).status_code == 404

    login(client, province.clerk)
    assert "Xác nhận đã nhận hồ sơ" in text(
        client.get(reverse("records:transfer_detail", args=[transfer.pk]))
    )
    response = client.post(
        hand_over, {"boxes": 2, "condition": "Đầy đủ, đã đánh số tờ", "received": [first.pk]}
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (transfer.state, transfer.boxes, transfer.received_by) == (
        TransferState.HANDED_OVER,
        2,
        province.clerk,
    )
    assert first.state == RecordState.ARCHIVED and first.transfer_task.state == TaskState.COMPLETED
    assert second.state == RecordState.CLOSED and second.transfer_id is None
    assert second.transfer_task.state != TaskState.COMPLETED
    page = text(client.get(reverse("records:transfer_detail", args=[transfer.pk])))
    assert "Đầy đủ, đã đánh số tờ" in page and second.title not in page
    # The unticked file is due again.
    assert second.title in text(client.get(reverse("records:transfer_list")))


def test_a_transfer_of_a_file_not_closed_is_refused_with_the_reason(client, province, plan):
    record = open_record(province, plan, "02.TH")
    response = login(client, province.specialist).post(
        reverse("records:transfer_create"), {"organization": province.committee.pk, "records": [record.pk]}
    )
    assert response.status_code == 400
    assert "chưa kết thúc hoặc đã nộp lưu" in text(response)
    assert not Transfer.objects.exists()


def test_transfer_pages_are_404_for_another_organisation_and_below_clearance(client, province, plan):
    secret = closed(province, plan, "02.TH", dt.date(2026, 1, 5), classification=Classification.MAT)
    transfer = services.transfer_create(
        actor=province.clerk.user, organization=province.committee, records=[secret]
    )
    urls = [
        reverse("records:transfer_detail", args=[transfer.pk]),
        reverse("records:transfer_print", args=[transfer.pk]) + "?doc=list&format=docx",
    ]
    login(client, province.clerk)
    assert all(client.get(url).status_code == 200 for url in urls)
    for person in (province.clerk_x, province.specialist):  # another organisation; below Mật
        login(client, person)
        assert [client.get(url).status_code for url in urls] == [404, 404]
        assert secret.title not in text(client.get(reverse("records:transfer_list")))
    login(client, province.clerk_x)
    response = client.post(
        reverse("records:transfer_hand_over", args=[transfer.pk]), {"boxes": 1, "received": [secret.pk]}
    )
    assert response.status_code == 404
    assert Transfer.objects.get().state == TransferState.DRAFT


def test_the_transfer_prints_download(client, province, plan):
    record = archived(province, plan)
    transfer = record.transfer
    login(client, province.clerk)
    base = reverse("records:transfer_print", args=[transfer.pk])
    response = client.get(base + "?doc=minutes&format=docx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="Bien-ban-giao-nhan-{transfer.pk}.docx"'
    from docx import Document as Docx

    body = "\n".join(p.text for p in Docx(io.BytesIO(response.content)).paragraphs)
    assert "Về việc giao nhận tài liệu" in body
    response = client.get(base + "?doc=list&format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(base + "?doc=other&format=docx").status_code == 404


# ---------------------------------------------------------------------------- search


def test_the_search_finds_archived_files_by_their_items_accents_ignored(client, province, plan):
    record = archived(province, plan, subject="Báo cáo tình hình kinh tế quý I")
    other = closed(province, plan, "03.HC", dt.date(2026, 3, 10), symbol="30-BC/TU", subject="Kinh tế quý II")
    login(client, province.specialist)
    url = reverse("records:archive_search")
    page = text(client.get(url, {"q": "kinh te"}))
    assert record.title in page
    assert "<mark>kinh tế</mark>" in page
    assert f"{reverse('records:request_create')}?record={record.pk}" in page
    assert other.title not in page  # closed, not yet archived
    page = text(client.get(url, {"q": "kinh te", "ca-da-ket-thuc": "1"}))
    assert other.title in page and record.title in page
    assert record.title not in text(client.get(url, {"q": "nong nghiep"}))
    # Another organisation's clerk does not find it.
    assert record.title not in text(login(client, province.clerk_x).get(url, {"q": "kinh te"}))


# ---------------------------------------------------------------------------- lending


def test_a_loan_is_requested_approved_and_returned(client, province, plan):
    record = archived(province, plan)
    login(client, province.specialist)
    create = reverse("records:request_create")
    page = text(client.get(create, {"record": record.pk}))
    assert f'value="{record.pk}"' in page and "checked" in page
    response = client.post(create, {"records": [record.pk], "purpose": "Tổng hợp báo cáo", "mode": "borrow"})
    assert response.status_code == 400 and "Mượn hồ sơ phải có ngày trả." in text(response)
    due = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        create,
        {
            "records": [record.pk],
            "purpose": "Tổng hợp báo cáo",
            "mode": "borrow",
            "return_due": f"{due:%d/%m/%Y}",
        },
    )
    assert response.status_code == 302
    loan = ArchiveRequest.objects.get()
    assert (loan.state, loan.requester, loan.return_due) == (RequestState.PENDING, province.specialist, due)
    assert "Tổng hợp báo cáo" in text(client.get(reverse("records:request_list")))

    decide = reverse("records:request_decide", args=[loan.pk])
    assert client.post(decide, {"approve": "1"}).status_code == 404  # the requester does not approve
    login(client, province.clerk_x)
    assert client.post(decide, {"approve": "1"}).status_code == 404

    login(client, province.chief)
    page = text(client.get(reverse("records:request_list")))
    assert "Phiếu chờ duyệt" in page and record.title in page
    client.post(decide, {"refuse": "1", "note": ""})
    loan.refresh_from_db()
    assert loan.state == RequestState.PENDING
    assert "Nêu lý do từ chối." in text(client.get(reverse("records:request_list")))
    assert client.post(decide, {"approve": "1", "note": "Đồng ý"}).status_code == 302
    loan.refresh_from_db()
    assert loan.state == RequestState.APPROVED and loan.return_task.state != TaskState.COMPLETED

    login(client, province.clerk)
    page = text(client.get(reverse("records:request_list")))
    assert "Hồ sơ đang cho mượn" in page and "Đã nhận lại" in page and f"{due:%d/%m/%Y}" in page
    assert client.post(reverse("records:request_return", args=[loan.pk])).status_code == 302
    loan.refresh_from_db()
    assert loan.state == RequestState.RETURNED and loan.return_task.state == TaskState.COMPLETED


def test_an_overdue_loan_is_marked(client, province, plan):
    record = archived(province, plan)
    loan = services.request_create(
        actor=province.specialist.user,
        records=[record],
        purpose="Nghiên cứu",
        mode="borrow",
        return_due=timezone.localdate(),
    )
    services.request_decide(actor=province.chief.user, request=loan, approve=True)
    ArchiveRequest.objects.filter(pk=loan.pk).update(return_due=timezone.localdate() - dt.timedelta(days=3))
    assert "Quá hạn 3 ngày" in text(login(client, province.clerk).get(reverse("records:request_list")))


def test_a_request_names_only_records_the_reader_sees(client, province, plan):
    record = archived(province, plan, classification=Classification.MAT)
    login(client, province.specialist)  # below Mật
    page = text(client.get(reverse("records:request_create"), {"record": record.pk}))
    assert record.title not in page
    response = client.post(
        reverse("records:request_create"), {"records": [record.pk], "purpose": "Xem", "mode": "read"}
    )
    assert response.status_code == 400 and not ArchiveRequest.objects.exists()


# ---------------------------------------------------------------------------- disposal


def test_the_review_lists_expired_files_held_ones_marked_and_never_permanent(client, province, plan):
    old = expired(province)
    held = expired(province, "98.CU")
    services.record_hold(actor=province.chief.user, record=held, reason="Thanh tra năm 2026")
    permanent = closed(province, plan, "01.TH", dt.date(2026, 1, 5))
    page = text(login(client, province.clerk).get(reverse("records:disposal_review")))
    assert "Hồ sơ hết thời hạn bảo quản" in page
    assert "Không hồ sơ nào bị hủy nếu không có quyết định của người đứng đầu cơ quan" in page
    assert "giữ lại thông tin mô tả" in page
    assert old.title in page and f'value="{old.pk}"' in page
    assert held.title in page and "Thanh tra năm 2026" in page and f'value="{held.pk}"' not in page
    assert permanent.title not in page
    # The specialist sees the list but cannot dispose.
    page = text(login(client, province.specialist).get(reverse("records:disposal_review")))
    assert old.title in page and "Quyết định hủy tài liệu" not in page


def test_disposal_is_refused_without_a_decision_and_for_a_permanent_file(client, province, plan):
    old = expired(province)
    permanent = closed(province, plan, "01.TH", dt.date(2026, 1, 5))
    login(client, province.clerk)
    execute = reverse("records:disposal_execute")
    response = client.post(execute, {"organization": province.committee.pk, "records": [old.pk]})
    assert response.status_code == 400
    assert "Hủy tài liệu phải có quyết định của người đứng đầu cơ quan" in text(response)
    response = client.post(
        execute, {"organization": province.committee.pk, "records": [permanent.pk], "decision": "QĐ 12-QĐ/TU"}
    )
    assert response.status_code == 400 and "bảo quản vĩnh viễn; không bao giờ được hủy" in text(response)
    old.refresh_from_db()
    permanent.refresh_from_db()
    assert old.state == RecordState.CLOSED and permanent.state == RecordState.CLOSED
    assert not Disposal.objects.exists()


def test_an_expired_file_is_destroyed_keeping_its_description(client, province, plan):
    old = expired(province)
    execute = reverse("records:disposal_execute")
    data = {
        "organization": province.committee.pk,
        "records": [old.pk],
        "decision": "Quyết định số 12-QĐ/TU ngày 01/12/2026",
        "decided_on": "01/12/2026",
        "council_members": "Đ/c Chánh Văn phòng (Chủ tịch)",
    }
    assert login(client, province.specialist).post(execute, data).status_code == 404  # not a keeper
    response = login(client, province.clerk).post(execute, data)
    disposal = Disposal.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "records:disposal_detail", args=[disposal.pk]
    )
    old.refresh_from_db()
    assert old.state == RecordState.DISPOSED and old.items.count() == 1
    assert "Chánh Văn phòng" in disposal.council
    page = text(client.get(response.url))
    assert "Quyết định số 12-QĐ/TU" in page and old.title in page and "99.CU-CV/TU" in page
    assert login(client, province.clerk_x).get(response.url).status_code == 404
    assert old.title not in text(client.get(reverse("records:disposal_review")))


# ---------------------------------------------------------------------------- packages


def test_a_record_package_downloads_and_its_temporary_file_is_gone(client, province, plan, monkeypatch):
    from vanphong.records import package

    record = archived(province, plan)
    made: list[Path] = []
    original = package.record_package

    def spy(**kwargs: Any) -> Any:
        result = original(**kwargs)
        made.append(Path(result.path))
        return result

    monkeypatch.setattr(package, "record_package", spy)
    response = login(client, province.clerk).get(reverse("records:record_package", args=[record.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as bag:
        assert "bagit.txt" in bag.namelist() and "manifest-sha256.txt" in bag.namelist()
    assert len(made) == 1 and not made[0].exists()
    login(client, province.clerk_x)
    assert client.get(reverse("records:record_package", args=[record.pk])).status_code == 404
    year = reverse("records:year_package") + f"?organization={province.committee.pk}&year=2026"
    assert client.get(year).status_code == 404
    response = login(client, province.clerk).get(year)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as bag:  # consumed: closed
        assert "bagit.txt" in bag.namelist()


def test_a_package_below_clearance_is_404(client, province, plan):
    record = archived(province, plan, classification=Classification.MAT)
    login(client, province.specialist)
    assert client.get(reverse("records:record_package", args=[record.pk])).status_code == 404


def _bag(province: Any, record: Record) -> bytes:
    from vanphong.records import package

    made = package.record_package(actor=province.clerk.user, record=record)
    try:
        return made.path.read_bytes()
    finally:
        made.path.unlink()


def test_the_import_page_takes_a_package_and_refuses_a_tampered_one(client, province, plan):
    record = archived(province, plan)
    data = _bag(province, record)
    url = reverse("records:package_import")
    assert login(client, province.specialist).get(url).status_code == 404
    login(client, province.clerk_x)
    assert client.get(url).status_code == 200
    # One changed byte in a file listed in the manifest: the whole package is refused.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        target = next(n for n in src.namelist() if n.endswith("metadata.xml"))
        for name in src.namelist():
            content = src.read(name)
            dst.writestr(name, content + b" " if name == target else content)
    before = Record.objects.count()
    response = client.post(
        url,
        {"organization": province.commune_x.pk, "file": SimpleUploadedFile("goi.zip", out.getvalue())},
    )
    assert response.status_code == 400
    assert target in text(response) and "Gói bị từ chối" in text(response)
    assert Record.objects.count() == before
    response = client.post(
        url, {"organization": province.commune_x.pk, "file": SimpleUploadedFile("goi.zip", data)}
    )
    assert response.status_code == 302
    copy = Record.objects.get(organization=province.commune_x)
    assert (copy.code, copy.state, copy.imported) == (record.code, RecordState.ARCHIVED, True)
    # Not an organisation the clerk keeps: the choice is refused.
    response = client.post(
        url, {"organization": province.committee.pk, "file": SimpleUploadedFile("goi.zip", data)}
    )
    assert response.status_code == 400 and Record.objects.count() == before + 1
