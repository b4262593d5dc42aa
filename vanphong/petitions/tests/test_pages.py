"""The officers' pages of the petitions book and the reception register: each renders for the
clerk; a denouncer's identity never reaches the HTML of someone who does not handle the case
(list, detail, search, files, receptions) while the handler sees it, audited; the forms keep
what was typed when refused; the actions change the petition through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.petitions import services
from vanphong.petitions.models import Petition, Reception, State
from vanphong.petitions.services import PetitionerSpec
from vanphong.petitions.tests.conftest import CONTENT, register

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DENOUNCER = PetitionerSpec("Lê Thị Tố Giác", "Thôn Bắc, xã Bình Minh", "001190054321", "0987654321")
LIST = reverse("petitions:petition_list")
REGISTER = reverse("petitions:petition_register")
RECEPTIONS = reverse("petitions:reception_list")
RECORD = reverse("petitions:reception_record")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VANPHONG_TOTP_REQUIRED = "none"


def page(client, person, url, **params):
    client.force_login(person.user)
    return client.get(url, params)


def send(client, person, url, data):
    client.force_login(person.user)
    return client.post(url, data)


def detail(petition: Petition) -> str:
    return reverse("petitions:petition_detail", args=[petition.pk])


@pytest.fixture
def denunciation(province):
    """A denunciation of Lê Thị Tố Giác, entered by the clerk (its handler), with her letter."""
    return register(
        province,
        kind="to_cao",
        petitioners=[DENOUNCER],
        content="Tố cáo cán bộ địa chính xã nhận tiền của dân khi làm sổ đỏ",
        received_date=dt.date(2026, 3, 2),
        files=[("to-cao.pdf", PDF)],
    )


def test_each_page_renders_for_the_clerk(client, province, denunciation):
    complaint = register(province)
    services.reception_record(
        actor=province.clerk.user,
        organization=province.committee,
        date=dt.date(2026, 3, 3),
        receiving_person=province.chief,
        citizens=[PetitionerSpec("Phạm Văn Dân")],
        citizen_count=7,
        content="Phản ánh việc làm đường liên thôn",
    )
    for url in (LIST, REGISTER, detail(complaint), detail(denunciation), RECEPTIONS, RECORD):
        response = page(client, province.clerk, url)
        assert response.status_code == 200, url
    html = page(client, province.clerk, RECEPTIONS).content.decode()
    assert "Phạm Văn Dân" in html and "Đoàn đông người" in html
    html = page(client, province.clerk, LIST).content.decode()
    assert f"{complaint.number}/2026" in html and "Nguyễn Văn An" in html and "Đơn thư" in html


def test_the_masked_identity_never_reaches_a_non_handlers_pages(client, province, denunciation):
    leader = province.leader  # reads the committee's book, not assigned: no handler
    for response in (
        page(client, leader, LIST),
        page(client, leader, LIST, q="cán bộ địa chính"),
        page(client, leader, detail(denunciation)),
    ):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Danh tính được bảo vệ" in html
        for secret in ("Tố Giác", "001190054321", "0987654321", "Thôn Bắc", "to-cao.pdf"):
            assert secret not in html
    assert not AuditEvent.objects.filter(action="petition.identity_read").exists()

    html = page(client, province.clerk, detail(denunciation)).content.decode()
    assert "Lê Thị Tố Giác" in html and "to-cao.pdf" in html
    read = AuditEvent.objects.filter(action="petition.identity_read")
    assert read.count() == 1 and read.get().actor_id == province.clerk.user.pk


def test_a_search_by_the_denouncers_name_finds_nothing_for_a_non_handler(client, province, denunciation):
    for query in ("Lê Thị Tố Giác", "le thi to giac", "to giac"):
        html = page(client, province.leader, LIST, q=query).content.decode()
        assert detail(denunciation) not in html, query
    # The handler finds it by the name, accents or none; everyone by the content, accents or none.
    assert detail(denunciation) in page(client, province.clerk, LIST, q="le thi to giac").content.decode()
    assert detail(denunciation) in page(client, province.leader, LIST, q="dia chinh so do").content.decode()
    assert detail(denunciation) not in page(client, province.leader, LIST, q="dia chinh xyz").content.decode()


def test_the_list_filters_by_kind_state_overdue_and_mine(client, province, denunciation):
    complaint = register(province)  # received 13/02/2026: processing due long ago
    html = page(client, province.clerk, LIST, loai="khieu_nai").content.decode()
    assert detail(complaint) in html and detail(denunciation) not in html
    html = page(client, province.clerk, LIST, qua_han="1").content.decode()
    assert detail(complaint) in html and "quá hạn" in html
    services.petition_assign(actor=province.leader.user, petition=complaint, handler=province.specialist)
    html = page(client, province.specialist, LIST, cua_toi="1").content.decode()
    assert detail(complaint) in html and detail(denunciation) not in html
    html = page(client, province.clerk, LIST, tinh_trang="resolved").content.decode()
    assert detail(complaint) not in html


def test_the_lists_queries_do_not_grow_with_its_rows(client, province):
    client.force_login(province.clerk.user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    register(province)
    few = count()
    for n in range(4):
        register(province, petitioners=[PetitionerSpec(f"Người gửi {n}"), PetitionerSpec(f"Người khác {n}")])
    assert count() == few


def test_a_refused_registration_keeps_what_was_typed(client, province):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = send(
        client,
        province.clerk,
        REGISTER,
        {
            "organization": province.committee.pk,
            "received_date": tomorrow.strftime("%d/%m/%Y"),
            "channel": "post",
            "kind": "khieu_nai",
            "content": "Nội dung riêng của lá đơn bị từ chối",
            "field": "Môi trường",
            "petitioner_name": ["Đỗ Văn Gửi", ""],
            "petitioner_address": ["Xóm Trại", ""],
            "petitioner_id_number": ["abc-?", ""],
            "petitioner_phone": ["", ""],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nội dung riêng của lá đơn bị từ chối" in html and "Môi trường" in html
    assert 'value="Đỗ Văn Gửi"' in html and 'value="Xóm Trại"' in html
    assert "không được sau hôm nay" in html
    assert not Petition.objects.exists()


def test_a_registration_goes_to_the_petitions_page_with_its_number(client, province):
    earlier = register(province)
    response = send(
        client,
        province.clerk,
        REGISTER,
        {
            "organization": province.committee.pk,
            "received_date": "02/03/2026",
            "channel": "in_person",
            "kind": "khieu_nai",
            "content": CONTENT,
            "respondent": "Ủy ban nhân dân xã An Phú",
            "petitioner_name": ["Nguyen Van An"],
            "petitioner_address": ["Thôn Đông, xã An Phú"],
            "petitioner_id_number": ["001085012345"],
            "petitioner_phone": [""],
            "files": [SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")],
        },
    )
    made = Petition.objects.exclude(pk=earlier.pk).get()
    assert response.status_code == 302 and response["Location"] == detail(made)
    assert list(made.related.all()) == [earlier] and made.files.count() == 1
    html = client.get(response["Location"]).content.decode()
    assert f"Đã vào sổ đơn số {made.number}/2026" in html and "Đơn trước cùng nội dung: 1" in html
    assert f"Số {earlier.number}/2026" in html  # the history, before the decision form
    assert html.index("Lịch sử đơn") < html.index("Quyết định xử lý đơn")


def test_decide_assign_and_result_through_the_pages(client, province):
    petition = register(province)
    url = detail(petition)
    refused = send(client, province.clerk, url + "xu-ly/", {"decide-action": "file", "decide-reason": ""})
    assert refused.status_code == 400 and "Hãy nêu lý do lưu đơn" in refused.content.decode()

    assert (
        send(client, province.leader, url + "giao/", {"assign-handler": province.specialist.pk}).status_code
        == 302
    )
    petition.refresh_from_db()
    assert petition.handler_id == province.specialist.pk

    done = send(client, province.specialist, url + "xu-ly/", {"decide-action": "accept", "decide-reason": ""})
    assert done.status_code == 302
    petition.refresh_from_db()
    assert petition.state == State.ACCEPTED and petition.resolve_by is not None

    unknown = send(
        client, province.specialist, url + "ket-qua/", {"result-result": "dung", "result-document": "99-X/Y"}
    )
    assert unknown.status_code == 400 and "Không tìm thấy văn bản" in unknown.content.decode()
    done = send(
        client, province.specialist, url + "ket-qua/", {"result-result": "dung", "result-summary": "Đúng."}
    )
    assert done.status_code == 302
    petition.refresh_from_db()
    assert petition.state == State.RESOLVED and petition.result == "dung"


def test_actions_are_offered_only_to_who_may_do_them(client, province):
    petition = register(province)
    html = page(client, province.leader, detail(petition)).content.decode()
    assert "Giao cán bộ xử lý" in html
    html = page(client, province.clerk, detail(petition)).content.decode()
    assert "Quyết định xử lý đơn" in html and "Giao cán bộ xử lý" not in html
    assert (
        send(
            client, province.clerk, detail(petition) + "giao/", {"assign-handler": province.specialist.pk}
        ).status_code
        == 403
    )


def test_an_unreadable_petition_is_404(client, province, denunciation):
    assert page(client, province.clerk_x, detail(denunciation)).status_code == 404
    assert (
        send(
            client, province.clerk_x, detail(denunciation) + "xu-ly/", {"decide-action": "guide"}
        ).status_code
        == 404
    )
    assert (
        page(client, province.clerk, reverse("petitions:petition_detail", args=[999_999])).status_code == 404
    )


def test_the_denunciations_attachment_downloads_only_for_its_handler(client, province, denunciation):
    attachment = denunciation.files.get()
    url = reverse("petitions:petition_file", args=[denunciation.pk, attachment.pk])
    assert page(client, province.leader, url).status_code == 404
    response = page(client, province.clerk, url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"] and response["X-Content-Type-Options"] == "nosniff"
    other = register(province)
    wrong = reverse("petitions:petition_file", args=[other.pk, attachment.pk])
    assert page(client, province.clerk, wrong).status_code == 404


def test_a_reception_is_recorded_and_its_denouncers_masked_in_the_register(client, province, denunciation):
    refused = send(
        client,
        province.clerk,
        RECORD,
        {
            "organization": province.committee.pk,
            "date": "03/03/2026",
            "receiving_person": province.chief.pk,
            "citizen_name": ["Lê Thị Tố Giác"],
            "content": "Trình bày thêm về việc tố cáo",
            "petition": "999/2026",
        },
    )
    assert refused.status_code == 400 and "Trình bày thêm về việc tố cáo" in refused.content.decode()
    done = send(
        client,
        province.clerk,
        RECORD,
        {
            "organization": province.committee.pk,
            "date": "03/03/2026",
            "receiving_person": province.chief.pk,
            "citizen_name": ["Lê Thị Tố Giác"],
            "content": "Trình bày thêm về việc tố cáo",
            "petition": f"{denunciation.number}/2026",
        },
    )
    assert done.status_code == 302, done.content.decode()
    assert Reception.objects.get().petition_id == denunciation.pk
    html = page(client, province.leader, RECEPTIONS).content.decode()
    assert "Trình bày thêm" in html and "Tố Giác" not in html and "Danh tính được bảo vệ" in html
    assert "Lê Thị Tố Giác" in page(client, province.clerk, RECEPTIONS).content.decode()


def test_the_task_links_to_the_petitions_page(province):
    from vanphong.petitions.links import petition_link

    petition = register(province)
    assert petition_link(province.clerk.user, petition.pk)[0] == detail(petition)
    assert petition_link(province.clerk_x.user, petition.pk) is None


def test_the_list_answers_htmx_with_its_rows_alone(client, province):
    petition = register(province)
    client.force_login(province.clerk.user)
    response = client.get(LIST, {"q": "thu hoi dat"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and detail(petition) in html
