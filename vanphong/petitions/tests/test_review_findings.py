"""What a hostile read of the module found, each kept from coming back: an unbounded statistics
span, a denouncer named through a reclassified online letter, a count, a former handler, a
task's reason or a refused letter; the reception API's queries per row; a transfer letter its
signer could not open; a missing file; an oversized public post."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.audit.models import AuditEvent
from vanphong.orgs.models import RoleAssignment
from vanphong.petitions import selectors, services, submissions
from vanphong.petitions.models import PetitionFile, Reception, SubmissionState
from vanphong.petitions.tests.conftest import AN, CONTENT, register
from vanphong.tasks.models import TaskEvent

D = dt.date


@pytest.fixture(autouse=True)
def _pages(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def test_an_open_or_huge_statistics_span_is_bounded(client, province):
    register(province)
    client.force_login(province.clerk.user)
    page = client.get(reverse("petitions:stats"), {"tu_ngay": "01/01/1990"})  # to today: too long
    assert page.status_code == 400 and "10 năm" in page.content.decode()
    assert client.get(reverse("petitions:stats"), {"den_ngay": "31/12/9999"}).status_code == 200  # that year
    api = client.get(
        "/api/v1/petitions/stats/", {"from": "0001-01-01", "to": "9999-12-31"}, **bearer(province.clerk.user)
    )
    assert_error(api, 400, "invalid")
    only_start = client.get(
        "/api/v1/petitions/stats/", {"from": "0001-01-01"}, **bearer(province.clerk.user)
    ).json()
    assert list(only_start["by_month"]) == ["2026-02"]  # only the months that have letters


def test_an_online_letter_entered_as_a_denunciation_is_masked_as_one(client, province):
    sent = submissions.submission_create(
        organization=province.committee,
        kind="phan_anh",
        full_name="Lê Thị Cúc",
        address="Thôn Bắc, xã An Phú",
        content="Phản ánh cán bộ địa chính xã nhận tiền để làm sổ đỏ nhanh",
        client_address="203.0.113.9",
    )
    submissions.submission_register(actor=province.clerk.user, submission=sent, kind="to_cao")
    sent.refresh_from_db()
    assert sent.kind == "to_cao"
    client.force_login(province.specialist.user)
    html = client.get(reverse("petitions:submission_detail", args=[sent.pk])).content.decode()
    assert "Lê Thị Cúc" not in html


def test_a_waiting_or_refused_denunciation_is_for_the_clerks_who_enter_letters(province):
    sent = submissions.submission_create(
        organization=province.committee,
        kind="to_cao",
        full_name="Lê Thị Cúc",
        address="Thôn Bắc, xã An Phú",
        respondent="Cán bộ địa chính xã",
        content="Tố cáo cán bộ địa chính xã nhận tiền",
        client_address="203.0.113.10",
    )
    assert submissions.identity_shown(province.clerk.user, sent)  # REGISTER: the văn thư
    assert not submissions.identity_shown(province.specialist.user, sent)  # writes for the committee only
    submissions.submission_reject(actor=province.clerk.user, submission=sent, reason="Không thuộc thẩm quyền")
    sent.refresh_from_db()
    assert sent.state == SubmissionState.REJECTED
    assert submissions.identity_shown(province.clerk.user, sent)  # the one who refused it
    assert not submissions.identity_shown(province.chief.user, sent)


def test_the_count_of_earlier_letters_leaves_out_a_masked_denunciation(client, province):
    register(province, kind="to_cao")  # An's denunciation, entered by the clerk
    client.force_login(province.chief.user)
    data = {
        "organization": province.committee.pk,
        "received_date": "13/02/2026",
        "channel": "post",
        "kind": "khieu_nai",
        "content": CONTENT,
        "petitioner_name": [AN.full_name],
        "petitioner_address": [AN.address],
        "petitioner_id_number": [AN.id_number],
        "petitioner_phone": [""],
    }
    answer = client.post(reverse("petitions:petition_register"), data, follow=True)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Đã vào sổ đơn số 2/2026" in html and "Đơn trước cùng nội dung" not in html
    entry = AuditEvent.objects.filter(action="petition.register").order_by("-seq").first()
    assert entry.after["related"] is None  # not even how many, where a denunciation is linked


def test_a_handler_who_left_no_longer_works_on_the_letter(province):
    petition = register(province)
    services.petition_assign(actor=province.leader.user, petition=petition, handler=province.specialist)
    RoleAssignment.objects.filter(person=province.specialist).update(
        starts_on=D(2020, 1, 1), ends_on=D(2021, 1, 1)
    )
    assert not services.may_work_on(province.specialist.user, petition)
    with pytest.raises(PermissionDenied):
        services.petition_decide(actor=province.specialist.user, petition=petition, action="guide")


def test_the_tasks_reason_for_an_extension_is_neutral(province):
    petition = register(province, kind="to_cao")
    petition = services.petition_decide(actor=province.clerk.user, petition=petition, action="accept")
    services.petition_extend(
        actor=province.leader.user, petition=petition, reason="Ông Nguyễn Văn An bổ sung chứng cứ"
    )
    texts = " ".join(
        TaskEvent.objects.filter(task_id=petition.resolve_task_id).values_list("text", flat=True)
    )
    assert "Nguyễn Văn An" not in texts and "Gia hạn giải quyết lần 1" in texts


def test_the_reception_list_reads_the_masking_once_for_the_page(
    client, province, django_assert_max_num_queries
):
    denunciation = register(province, kind="to_cao")

    def visit(n: int, petition=None) -> None:
        services.reception_record(
            actor=province.clerk.user,
            organization=province.committee,
            date=D(2026, 2, 13),
            receiving_person=province.leader,
            citizens=[services.PetitionerSpec(f"Công dân {n}")],
            content="Trình bày việc đất đai",
            petition=petition,
        )

    visit(0, denunciation)
    client.get("/api/v1/receptions/", **bearer(province.chief.user))  # warm the caches
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/receptions/", **bearer(province.chief.user))
    for n in range(1, 6):
        visit(n, denunciation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/api/v1/receptions/", **bearer(province.chief.user)).json()
    # The Chánh Văn phòng reads the book but neither received nor recorded these visits.
    assert Reception.objects.count() == 6 and all(r["citizens"] == [] for r in body["results"])


def test_the_transfer_letter_of_a_masked_denunciation_is_open_to_its_signer(client, province):
    petition = register(province, kind="to_cao")
    services.petition_decide(
        actor=province.leader.user, petition=petition, action="transfer", to_organization=province.commune_x
    )
    shown = client.get(f"/api/v1/petitions/{petition.pk}/", **bearer(province.leader.user)).json()
    assert shown["identity_protected"] is True and shown["letter"] is not None
    letter = PetitionFile.objects.get(pk=shown["letter"])
    assert selectors.readable_file(province.leader.user, petition.pk, letter.pk) == letter


def test_a_file_missing_from_storage_answers_404(client, province):
    petition = register(province, files=[("don.pdf", b"%PDF-1.4\n%%EOF\n")])
    row = PetitionFile.objects.get(petition=petition)
    row.file.storage.delete(row.file.name)
    client.force_login(province.clerk.user)
    assert client.get(reverse("petitions:petition_file", args=[petition.pk, row.pk])).status_code == 404


def test_the_public_form_refuses_an_oversized_post_before_reading_it(client, settings, db):
    settings.VANPHONG_PUBLIC_PETITION_MAX_FILE_MB = 1
    answer = client.post(reverse("citizens:submit"), {"content": "x"}, CONTENT_LENGTH=str(5 * 1024 * 1024))
    assert answer.status_code == 413 and "không quá 1 MB" in answer.content.decode()
