"""The links from a task back to what it came from (the task engine's ``sources`` registry;
registered when the app starts): a transfer task to its record, a return task to the request."""

from __future__ import annotations

from django.urls import reverse

from vanphong.orgs.actors import Actor
from vanphong.records.selectors import records_visible_to, requests_visible_to
from vanphong.tasks.sources import register_source_link


def record_link(user: Actor | None, record_id: int) -> tuple[str, str] | None:
    record = records_visible_to(user).filter(pk=record_id).only("pk", "code", "year").first()
    if record is None:
        return None
    return reverse("records:record_detail", args=[record.pk]), f"Hồ sơ {record.code}/{record.year}"


def request_link(user: Actor | None, request_id: int) -> tuple[str, str] | None:
    request = requests_visible_to(user).filter(pk=request_id).only("pk").first()
    if request is None:
        return None
    return reverse("records:request_list") + f"#phieu-{request.pk}", f"Phiếu khai thác hồ sơ #{request.pk}"


register_source_link("records.record", record_link)
register_source_link("records.archiverequest", request_link)
