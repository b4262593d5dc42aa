"""The demo's meetings: made through the services, without a room booked twice, the held ones
with conclusions whose tasks exist and link back, visible to the demo leaders."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from vanphong.audit.verify import verify_chain
from vanphong.demo import orgs as orgs_demo
from vanphong.demo.meetings import seed_meetings, summary
from vanphong.documents.tests.factories import DocumentFactory
from vanphong.orgs.models import Organization
from vanphong.programs.models import Conclusion, Meeting, MeetingState
from vanphong.programs.selectors import meetings_visible_to
from vanphong.tasks.models import SourceKind, Task


def test_the_demo_meetings_have_agenda_conclusions_and_their_tasks(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    orgs_demo.seed_demo(scale=1)
    committee = Organization.objects.get(slug="tinhuy")
    for n in range(6):
        DocumentFactory(organization=committee, subject=f"Báo cáo số {n}", symbol=f"{n + 1}-BC/TU")
    counts = seed_meetings()
    assert counts["meetings"] == 30 and counts["rooms"] == 3 and counts["tasks"] >= 20
    assert "30 cuộc họp" in summary(counts)

    meetings = list(Meeting.objects.order_by("start"))
    for a, b in zip(meetings, meetings[1:], strict=False):  # no room holds two at once
        assert not (a.room_id == b.room_id and a.end > b.start)
    today = timezone.localdate()
    held = [m for m in meetings if timezone.localtime(m.start).date() < today]
    assert held and all(m.state == MeetingState.HELD and m.minutes for m in held)
    assert any(timezone.localtime(m.start).date() >= today for m in meetings)
    tasks = Task.objects.filter(source_kind=SourceKind.CONCLUSION)
    assert tasks.count() == counts["tasks"]
    assert {t.source for t in tasks} <= set(Conclusion.objects.filter(task__isnull=False))
    assert Meeting.objects.filter(notice__isnull=False).count() == counts["notices"] > 0
    assert Meeting.objects.filter(agenda__documents__isnull=False).exists()

    users = get_user_model().objects
    for username in ("bithu", "thuongtruc", "chanhvp"):
        assert meetings_visible_to(users.get(username=username)).count() == 30
    assert verify_chain().ok
