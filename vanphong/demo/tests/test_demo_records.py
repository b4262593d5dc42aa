"""The demo's records and archive: plans for two years in every hosted organisation, records in
every state, the transfer tasks and requests as pending work on the homes of the people who owe
or approve them, a disposal whose list is kept, and nothing outside the services' rules."""

from __future__ import annotations

from vanphong.core.pending import pending_for
from vanphong.demo import orgs as orgs_demo
from vanphong.demo.records import seed_records, summary
from vanphong.orgs.models import Organization, Person
from vanphong.records import selectors
from vanphong.records.models import FilePlan, PlanState, Record, RecordState, RequestState
from vanphong.tasks.models import TaskState

HOMES = {
    "vanthu": {"records.transfer_due"},
    "chanhvp": {"records.requests"},
    "chuyenvien": {"records.making"},
    "vanthu.phuquy": {"records.making", "records.transfer_due"},
}


def _user(username):
    return Person.objects.select_related("user").get(user__username=username).user


def test_the_demo_records(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    orgs_demo.seed_demo(scale=1)
    counts = seed_records()
    assert "danh mục hồ sơ" in summary(counts)
    hosted = Organization.objects.filter(hosted=True, active=True, dissolved_on__isnull=True)
    tinhuy = Organization.objects.get(slug="tinhuy")
    for organization in hosted:
        years = set(FilePlan.objects.filter(organization=organization).values_list("year", flat=True))
        assert len(years) >= 2, organization
    assert FilePlan.objects.filter(organization=tinhuy, state=PlanState.DRAFT).count() == 1  # next year's
    states = set(Record.objects.filter(organization=tinhuy).values_list("state", flat=True))
    assert states == set(RecordState.values)
    assert Record.objects.filter(organization=tinhuy).exclude(hold_reason="").count() == 1
    disposed = Record.objects.get(state=RecordState.DISPOSED)
    assert disposed.disposal.listing[0]["code"] == disposed.code and disposed.items.exists()
    overdue = Record.objects.filter(state=RecordState.CLOSED, transfer_task__state=TaskState.ASSIGNED)
    assert overdue.exists()
    assert {r.state for r in Record.objects.exclude(retention_years__isnull=False)} <= {
        RecordState.OPEN,
        RecordState.CLOSED,
        RecordState.ARCHIVED,
    }
    assert set(Record.objects.filter(requests__isnull=False).values_list("requests__state", flat=True)) == {
        RequestState.PENDING,
        RequestState.APPROVED,
        RequestState.RETURNED,
    }

    for username, keys in HOMES.items():
        groups = {g.key: g.count for g in pending_for(_user(username))}
        assert all(groups.get(key, 0) > 0 for key in keys), (username, groups)
    # The review list: expired, never permanent; the held one among them, the destroyed one not.
    review = list(selectors.due_for_review(_user("vanthu")))
    assert review and all(r.retention_years is not None for r in review)
    assert disposed not in review
