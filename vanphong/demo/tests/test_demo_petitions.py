"""The demo's petitions book: a year of letters carried through the services to every state,
the deadlines' tasks completed on the day of their decision, duplicates linked, denouncers
masked from the leaders until assigned, and real pending work on the homes of the people who
handle and assign them."""

from __future__ import annotations

from django.utils import timezone

from vanphong.core.pending import pending_for
from vanphong.demo import orgs as orgs_demo
from vanphong.demo.petitions import seed_petitions, summary
from vanphong.orgs.models import Person
from vanphong.petitions import selectors
from vanphong.petitions.models import Kind, Petition, Reception, ReceptionSession, State
from vanphong.tasks.models import Outcome, Task


def _user(username):
    return Person.objects.select_related("user").get(user__username=username).user


def test_the_demo_petitions(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    orgs_demo.seed_demo(scale=1)
    counts = seed_petitions()
    assert "đơn thư của Tỉnh ủy" in summary(counts)
    today = timezone.localdate()
    book = Petition.objects.filter(organization__slug="tinhuy")
    assert book.count() == counts["petitions"] >= 60
    states = set(book.values_list("state", flat=True))
    assert {State.RECEIVED, State.ACCEPTED, State.RESOLVED, State.FILED} <= states
    assert states & {State.TRANSFERRED, State.GUIDED}
    assert set(book.values_list("kind", flat=True)) == set(Kind.values)
    assert book.filter(duplicate_count__gt=0).exists()  # the same person wrote again
    assert book.filter(extensions=1).count() == counts["extended"] == 1
    numbers = list(book.filter(year=today.year).order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))

    # The past is written as it happened: a decision's task completed on the day of the decision.
    decided = book.exclude(state=State.RECEIVED).exclude(decided_on=today).first()
    task = Task.objects.get(pk=decided.process_task_id)
    assert task.completed_on == decided.decided_on and task.outcome in (Outcome.ON_TIME, Outcome.LATE)

    # The Bí thư's reception days, a group visit among them.
    visits = Reception.objects.filter(organization__slug="tinhuy")
    assert visits.count() == counts["receptions"] >= 20
    assert any(v.group for v in visits)
    assert visits.filter(confidential=True).exists()  # those who came to denounce
    assert all(v.session is not None and v.session.date == v.date for v in visits)
    ahead = ReceptionSession.objects.filter(organization__slug="tinhuy", date__gte=today, published=True)
    assert ahead.exists()  # the public schedule has the coming days

    # A denunciation's identity is the handler's, not the Bí thư's.
    denunciation = book.filter(kind=Kind.TO_CAO, petitioners__isnull=False, handler__isnull=False).first()
    handler = denunciation.handler.user
    assert selectors.petition_detail(handler).get(pk=denunciation.pk).identity_visible
    assert not selectors.petition_detail(_user("bithu")).get(pk=denunciation.pk).identity_visible

    # Real pending work on the homes.
    keys = {
        name: {g.key: g for g in pending_for(_user(name))}
        for name in ("chuyenvien", "chanhvp", "bithu", "vanthu")
    }
    assert keys["vanthu"]["petitions.submissions"].count == counts["online"] == 3
    assert keys["chuyenvien"]["petitions.handling"].count > 0
    assert keys["chanhvp"]["petitions.unassigned"].count > 0
    assert "petitions.unassigned" in keys["bithu"]
    communes = Petition.objects.filter(organization__parent__slug="tinhuy")
    assert communes.count() == counts["communes"] == 6
    assert all(p.process_task.state in ("assigned", "accepted", "in_progress") for p in communes)
