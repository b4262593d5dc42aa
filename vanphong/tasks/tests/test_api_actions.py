"""The task API's actions: accept, progress (JSON and multipart), evidence files, extensions
and their decision, confirm, return, cancel, edit — each the service behind it, with the API's
error format (400 invalid, 403 visible but not allowed, 404 not visible)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.audit.models import AuditEvent
from vanphong.orgs.models import Classification
from vanphong.tasks import services
from vanphong.tasks.models import EvidenceFile, ExtensionRequest, Outcome, Task, TaskState
from vanphong.tasks.tests.test_api_support import URL, _media, days, document, get, give, post, today  # noqa: F401


def url(task, action=""):
    return f"{URL}{task.pk}/{action + '/' if action else ''}"


def test_the_lead_accepts_once(client, province):
    task = give(province, province.commune_x)
    response = post(client, province.clerk_x, url(task, "accept"))
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "accepted" and response.json()["accepted_at"]
    error = assert_error(post(client, province.clerk_x, url(task, "accept")), 400, "invalid")
    assert error["message"] == "Nhiệm vụ đã được tiếp nhận."
    # Visible to the Văn phòng, which gave it, but not its to accept: 403 with the reason.
    error = assert_error(post(client, province.chief, url(task, "accept")), 403, "permission_denied")
    assert error["message"] == "Bạn không phải nơi chủ trì thực hiện nhiệm vụ này."
    assert_error(post(client, province.clerk_y, url(task, "accept")), 404, "not_found")


def test_a_progress_report_with_evidence_documents(client, province):
    evidence = document(province.commune_x, "Kế hoạch triển khai")
    hidden = document(province.commune_y, "Văn bản xã khác")
    task = give(province, province.commune_x)
    response = post(
        client,
        province.clerk_x,
        url(task, "progress"),
        {"percent": 40, "text": "Đã ban hành kế hoạch", "evidence": [evidence.pk]},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "in_progress" and body["progress"] == 40
    event = body["events"][-1]
    assert event["kind"] == "progress" and event["percent"] == 40 and event["documents"] == [evidence.pk]
    error = assert_error(
        post(client, province.clerk_x, url(task, "progress"), {"text": "X", "evidence": [hidden.pk]}),
        400,
        "invalid",
    )
    assert error["fields"]["evidence"] == [f"Không tìm thấy văn bản (hoặc bạn không được xem): {hidden.pk}."]
    error = assert_error(
        post(client, province.clerk_x, url(task, "progress"), {"percent": 100, "text": "Xong"}),
        400,
        "invalid",
    )
    assert "completed" not in error["fields"] and error["fields"]["percent"][0].startswith("Tiến độ 100%")
    error = assert_error(
        post(client, province.clerk_x, url(task, "progress"), {"percent": 20}), 400, "invalid"
    )
    assert error["fields"]["text"] == ["Hãy nhập nội dung báo cáo tiến độ."]
    assert_error(
        post(client, province.chief, url(task, "progress"), {"percent": 50, "text": "X"}),
        403,
        "permission_denied",
    )
    assert_error(post(client, province.clerk_y, url(task, "progress"), {"text": "X"}), 404, "not_found")
    assert Task.objects.get(pk=task.pk).progress == 40


def test_evidence_files_are_uploaded_as_multipart_and_downloaded_by_those_who_see_the_task(client, province):
    task = give(province, province.commune_x, classification=Classification.NONE)
    content = b"%PDF-1.4 bien ban hop trien khai"
    response = client.post(
        url(task, "progress"),
        {
            "text": "Biên bản họp",
            "percent": "25",
            "files": [
                SimpleUploadedFile("biên bản họp.pdf", content, content_type="application/pdf"),
                SimpleUploadedFile("ảnh.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="image/jpeg"),
            ],
        },
        **bearer(province.clerk_x.user),
    )
    assert response.status_code == 200, response.json()
    files = response.json()["events"][-1]["files"]
    assert [f["name"] for f in files] == ["biên bản họp.pdf", "ảnh.jpg"]
    record = EvidenceFile.objects.get(pk=files[0]["id"])
    assert record.sha256 == files[0]["sha256"] == hashlib.sha256(content).hexdigest()
    download = client.get(files[0]["url"], **bearer(province.chief.user))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["X-Content-SHA256"] == record.sha256
    assert download["Content-Disposition"].startswith("attachment;")
    assert_error(client.get(files[0]["url"], **bearer(province.clerk_y.user)), 404, "not_found")
    other = give(province, province.commune_x)
    assert_error(get(client, province.chief, f"{URL}{other.pk}/files/{record.pk}/"), 404, "not_found")
    # A file of a type the system does not keep is refused with the reason; nothing is recorded.
    response = client.post(
        url(task, "progress"),
        {"text": "Tệp lạ", "files": [SimpleUploadedFile("virus.exe", b"MZ\x90\x00 program")]},
        **bearer(province.clerk_x.user),
    )
    assert assert_error(response, 400, "invalid")["message"].startswith("Không nhận loại tệp này")
    assert EvidenceFile.objects.count() == 2 and Task.objects.get(pk=task.pk).progress == 25


def test_downloading_evidence_of_a_classified_task_is_audited(client, province):
    task = give(province, province.commune_x, actor=province.leader, classification=Classification.MAT)
    services.task_report_progress(
        actor=province.leader.user,
        task=task,
        text="Báo cáo",
        percent=10,
        uploads=[("mat.pdf", b"%PDF-1.4 mat")],
    )
    record = EvidenceFile.objects.get()
    before = AuditEvent.objects.filter(action="task.file_download").count()
    assert get(client, province.chief, f"{URL}{task.pk}/files/{record.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="task.file_download").count() == before + 1
    assert not AuditEvent.objects.filter(action="task.view").exists()  # a download is not a view
    assert_error(get(client, province.clerk_x, f"{URL}{task.pk}/files/{record.pk}/"), 404, "not_found")


def test_completion_on_time_and_late_with_the_result_document(client, province):
    result = document(province.commune_x, "Báo cáo kết quả")
    on_time = give(province, province.commune_x, due_date=days(10))
    response = post(
        client,
        province.clerk_x,
        url(on_time, "progress"),
        {"completed": True, "text": "Đã hoàn thành", "result_document": result.pk},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "completed" and body["status"] == "done_on_time" and body["progress"] == 100
    assert body["result"] == "Đã hoàn thành" and body["result_document"] == result.pk
    assert body["completed_on"] == today().isoformat()
    assert body["events"][-1]["kind"] == "completed" and body["events"][-1]["documents"] == [result.pk]
    past = today() - dt.timedelta(days=40)
    late = give(province, province.commune_x, assigned_on=past, due_date=past + dt.timedelta(days=5))
    # The lead may not date its own completion back; the assigner's side may (what was done
    # before it was entered here).
    backdated = {
        "completed": True,
        "text": "Xong muộn",
        "completed_on": (past + dt.timedelta(days=25)).isoformat(),
    }
    refused = post(client, province.clerk_x, url(late, "progress"), backdated)
    assert refused.status_code == 400 and "ngày báo cáo" in str(refused.json())
    response = post(client, province.leader, url(late, "progress"), backdated)
    assert response.status_code == 200 and response.json()["status"] == "done_late"
    assert Task.objects.get(pk=late.pk).outcome == Outcome.LATE
    error = assert_error(
        post(client, province.clerk_x, url(late, "progress"), {"completed": True, "text": "Lại"}),
        400,
        "invalid",
    )
    assert "không thực hiện được" in error["message"]
    fresh = give(province, province.commune_x)
    error = assert_error(
        post(
            client,
            province.clerk_x,
            url(fresh, "progress"),
            {"completed": True, "text": "X", "completed_on": days(1).isoformat()},
        ),
        400,
        "invalid",
    )
    assert error["fields"]["on"] == ["Ngày hoàn thành không được sau hôm nay."]


def test_an_extension_is_asked_for_then_decided_by_the_assigner(client, province):
    task = give(province, province.commune_x, due_date=days(10))
    response = post(
        client,
        province.clerk_x,
        url(task, "extensions"),
        {"new_due_date": days(30).isoformat(), "reason": "Chờ số liệu"},
    )
    assert response.status_code == 201, response.json()
    extension = response.json()
    assert extension["state"] == "pending" and extension["task"] == task.pk
    assert (
        extension["requested_by"] == province.clerk_x.pk
        and extension["current_due_date"] == days(10).isoformat()
    )
    error = assert_error(
        post(
            client,
            province.clerk_x,
            url(task, "extensions"),
            {"new_due_date": days(40).isoformat(), "reason": "X"},
        ),
        400,
        "invalid",
    )
    assert error["fields"]["new_due_date"] == ["Đã có một đề nghị gia hạn đang chờ quyết định."]
    decision = url(task, f"extensions/{extension['id']}/decision")
    assert_error(post(client, province.clerk_x, decision, {"approve": True}), 403, "permission_denied")
    error = assert_error(post(client, province.chief, decision, {"approve": False}), 400, "invalid")
    assert error["fields"]["note"] == ["Hãy nêu lý do không đồng ý gia hạn."]
    assert_error(post(client, province.chief, decision, {}), 400, "invalid")
    response = post(client, province.chief, decision, {"approve": True, "note": "Đồng ý"})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "approved" and response.json()["decided_by"] == province.chief.pk
    body = get(client, province.chief, url(task)).json()
    assert body["due_date"] == days(30).isoformat() and body["original_due_date"] == days(10).isoformat()
    assert body["extended"] is True
    assert_error(post(client, province.chief, decision, {"approve": True}), 400, "invalid")  # decided already
    other = give(province, province.commune_x)
    assert_error(
        post(client, province.chief, url(other, f"extensions/{extension['id']}/decision"), {"approve": True}),
        404,
        "not_found",
    )
    assert_error(post(client, province.clerk_y, decision, {"approve": True}), 404, "not_found")
    error = assert_error(
        post(
            client,
            province.clerk_x,
            url(task, "extensions"),
            {"new_due_date": days(20).isoformat(), "reason": ""},
        ),
        400,
        "invalid",
    )
    assert error["fields"]["reason"] == ["Hãy nêu lý do xin gia hạn."]
    assert error["fields"]["new_due_date"][0].startswith("Hạn đề nghị phải sau hạn hiện tại")
    assert ExtensionRequest.objects.filter(task=task).count() == 1


def test_the_assigner_confirms_or_returns_a_completion(client, province):
    task = give(province, province.commune_x)
    error = assert_error(post(client, province.chief, url(task, "confirm")), 400, "invalid")
    assert error["message"] == "Chỉ xác nhận được nhiệm vụ đã báo cáo hoàn thành."
    services.task_report_progress(actor=province.clerk_x.user, task=task, text="Đang làm", percent=60)
    services.task_complete(actor=province.clerk_x.user, task=task, text="Xong")
    assert_error(post(client, province.clerk_x, url(task, "confirm")), 403, "permission_denied")
    error = assert_error(post(client, province.chief, url(task, "return"), {"reason": " "}), 400, "invalid")
    assert error["fields"]["reason"] == ["Hãy nêu lý do trả lại."]
    response = post(client, province.chief, url(task, "return"), {"reason": "Thiếu số liệu quý III"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "in_progress" and body["progress"] == 60 and body["completed_on"] is None
    assert body["events"][-1]["kind"] == "returned"
    services.task_complete(actor=province.clerk_x.user, task=task, text="Đã bổ sung")
    response = post(client, province.chief, url(task, "confirm"), {"text": "Đạt yêu cầu"})
    assert response.status_code == 200
    assert response.json()["state"] == "confirmed" and response.json()["confirmed_by"] == province.chief.pk
    assert Task.objects.get(pk=task.pk).state == TaskState.CONFIRMED


def test_the_assigner_cancels_a_task_and_its_open_subtasks(client, province):
    task = give(province, province.commune_x)
    child = give(province, province.commune_x, parent=task, due_date=days(5))
    assert_error(
        post(client, province.clerk_x, url(task, "cancel"), {"reason": "X"}), 403, "permission_denied"
    )
    error = assert_error(post(client, province.chief, url(task, "cancel")), 400, "invalid")
    assert error["fields"]["reason"] == ["Hãy nêu lý do hủy nhiệm vụ."]
    response = post(client, province.chief, url(task, "cancel"), {"reason": "Không còn phù hợp"})
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled" and response.json()["status"] == "cancelled"
    assert Task.objects.get(pk=child.pk).outcome == Outcome.CANCELLED
    assert_error(post(client, province.chief, url(task, "cancel"), {"reason": "Lần nữa"}), 400, "invalid")


def test_the_assigner_corrects_an_open_task(client, province):
    task = give(province, province.commune_x, due_date=days(10))
    response = client.patch(
        url(task),
        {"title": "Tên đã sửa", "priority": 2, "due_date": days(15).isoformat()},
        content_type="application/json",
        **bearer(province.chief.user),
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["title"] == "Tên đã sửa" and body["priority"] == 2
    assert body["due_date"] == body["original_due_date"] == days(15).isoformat()
    response = client.patch(
        url(task), {"title": "X"}, content_type="application/json", **bearer(province.clerk_x.user)
    )
    assert_error(response, 403, "permission_denied")
    response = client.patch(
        url(task), {"title": ""}, content_type="application/json", **bearer(province.chief.user)
    )
    assert assert_error(response, 400, "invalid")["fields"]["title"] == ["Hãy nhập tên nhiệm vụ."]
    response = client.put(
        url(task), {"title": "X"}, content_type="application/json", **bearer(province.chief.user)
    )
    assert_error(response, 405, "method_not_allowed")


def test_the_assigner_ends_a_recurring_task(client, province):
    from vanphong.tasks.models import Frequency

    series = services.series_create(
        actor=province.leader.user,
        frequency=Frequency.QUARTERLY,
        day_of_month=15,
        starts_on=today(),
        organization=province.committee,
        title="Báo cáo quý",
        lead=province.commune_x,
    )
    task = series.tasks.get()
    assert post(client, province.clerk_x, url(task, "end-series"), {"reason": "Thôi"}).status_code == 403
    response = post(client, province.leader, url(task, "end-series"), {"reason": "Chuyển sang báo cáo năm"})
    assert response.status_code == 200
    series.refresh_from_db()
    assert not series.active
