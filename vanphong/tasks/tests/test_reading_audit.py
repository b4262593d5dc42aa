"""Reading a classified task and downloading its evidence are audited in one place
(``services.reading``): the page and the API write the same entry for the same read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vanphong.api.tests.helpers import bearer
from vanphong.audit.models import AuditEvent
from vanphong.orgs.models import Classification
from vanphong.tasks import services
from vanphong.tasks.models import EvidenceFile
from vanphong.tasks.tests.test_api_support import URL, _media, give  # noqa: F401

PDF = b"%PDF-1.4 bien ban mat\n"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def _entry(event: AuditEvent) -> dict:
    """What an entry says, leaving out what differs from one request to the next."""
    return {
        "action": event.action,
        "actor": event.actor_id,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "organization_id": event.organization_id,
        "before": event.before,
        "after": event.after,
    }


def _new_entries(since: int) -> list[dict]:
    return [_entry(e) for e in AuditEvent.objects.filter(seq__gt=since).order_by("seq")]


def _last_seq() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def test_an_evidence_download_is_audited_alike_by_the_page_and_the_api(client, province):
    task = give(province, province.office, classification=Classification.MAT)
    services.task_report_progress(
        actor=province.chief.user, task=task, text="Biên bản", uploads=[("bien-ban.pdf", PDF)]
    )
    record = EvidenceFile.objects.get()

    mark = _last_seq()
    client.force_login(province.chief.user)
    page = client.get(reverse("tasks:evidence_download", args=[record.pk]))
    assert page.status_code == 200 and b"".join(page.streaming_content) == PDF
    by_page = _new_entries(mark)
    client.logout()

    token = bearer(province.chief.user)  # issuing the token is audited too: before the mark
    mark = _last_seq()
    api = client.get(f"{URL}{task.pk}/files/{record.pk}/", **token)
    assert api.status_code == 200 and b"".join(api.streaming_content) == PDF
    by_api = _new_entries(mark)

    assert by_page == by_api
    assert len(by_page) == 1
    assert by_page[0]["action"] == "task.file_download"
    assert by_page[0]["target_id"] == str(task.pk)
    assert by_page[0]["organization_id"] == task.organization_id
    assert by_page[0]["after"] == {
        "file": record.pk,
        "name": "bien-ban.pdf",
        "classification": Classification.MAT,
    }
    # Both answer the same attachment.
    for response in (page, api):
        assert response["X-Content-SHA256"] == record.sha256
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"].startswith("attachment;")


def test_a_file_named_under_another_task_is_not_found_and_not_audited(client, province):
    task = give(province, province.office, classification=Classification.MAT)
    other = give(province, province.office, classification=Classification.MAT)
    services.task_report_progress(
        actor=province.chief.user, task=task, text="Biên bản", uploads=[("bien-ban.pdf", PDF)]
    )
    record = EvidenceFile.objects.get()
    token = bearer(province.chief.user)
    mark = _last_seq()
    assert client.get(f"{URL}{other.pk}/files/{record.pk}/", **token).status_code == 404
    assert _new_entries(mark) == []


def test_viewing_a_classified_task_is_audited_alike_by_the_page_and_the_api(client, province):
    task = give(province, province.office, classification=Classification.MAT)

    mark = _last_seq()
    client.force_login(province.leader.user)
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 200
    by_page = _new_entries(mark)
    client.logout()

    token = bearer(province.leader.user)
    mark = _last_seq()
    assert client.get(f"{URL}{task.pk}/", **token).status_code == 200
    by_api = _new_entries(mark)

    assert by_page == by_api
    assert [(e["action"], e["target_id"], e["organization_id"]) for e in by_page] == [
        ("task.view", str(task.pk), task.organization_id)
    ]
    # An unclassified task is read without an entry, either way.
    plain = give(province, province.office, classification=Classification.NONE)
    mark = _last_seq()
    client.force_login(province.leader.user)
    assert client.get(reverse("tasks:detail", args=[plain.pk])).status_code == 200
    client.logout()
    assert client.get(f"{URL}{plain.pk}/", **token).status_code == 200
    assert _new_entries(mark) == []
