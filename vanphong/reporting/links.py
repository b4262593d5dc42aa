"""The link from a task back to the report request it came from (the task engine's
``sources`` registry; registered when the app starts)."""

from __future__ import annotations

from django.urls import reverse

from vanphong.orgs.actors import Actor
from vanphong.reporting.selectors import requests_visible_to
from vanphong.tasks.sources import register_source_link


def request_link(user: Actor | None, request_id: int) -> tuple[str, str] | None:
    request = requests_visible_to(user).filter(pk=request_id).only("pk", "title").first()
    if request is None:
        return None
    return reverse("reporting:request_detail", args=[request.pk]), f"Yêu cầu báo cáo: {request.title}"


register_source_link("reporting.reportrequest", request_link)
