"""The giver extending a task on its own decision, and a task handed to the person who will carry
it within its lead organisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.tasks import selectors, services
from vanphong.tasks.access import may_work
from vanphong.tasks.models import EventKind, ExtensionState, Task, TaskAccess
from vanphong.tasks.tests.factories import TaskFactory


def test_the_giver_extends_on_its_own_decision_and_answers_a_pending_request(province):
    task = TaskFactory(province=province)
    first_due = task.due_date
    pending = services.extension_request(
        actor=province.clerk_x.user,
        task=task,
        new_due_date=first_due + dt.timedelta(days=5),
        reason="Chờ số liệu",
    )
    with pytest.raises(PermissionDenied):  # the doer asks; the giver grants
        services.extension_grant(
            actor=province.clerk_x.user, task=task, new_due_date=first_due + dt.timedelta(days=9), reason="x"
        )
    with pytest.raises(ValidationError) as caught:
        services.extension_grant(
            actor=province.leader.user, task=task, new_due_date=first_due, reason="Phức tạp"
        )
    assert "new_due_date" in caught.value.message_dict
    granted = services.extension_grant(
        actor=province.leader.user,
        task=task,
        new_due_date=first_due + dt.timedelta(days=9),
        reason="Phức tạp",
    )
    task.refresh_from_db()
    pending.refresh_from_db()
    assert granted.state == ExtensionState.APPROVED and granted.decided_by == province.leader
    assert task.due_date == first_due + dt.timedelta(days=9) and task.original_due_date == first_due
    assert pending.state == ExtensionState.REFUSED  # answered by the decision
    assert task.events.filter(kind=EventKind.EXTENSION_APPROVED).count() == 1


def test_a_task_handed_to_a_person_is_theirs_within_the_same_organisation(province):
    task = TaskFactory(province=province)  # given by the Tỉnh ủy to commune X
    lead = task.lead_organization_id
    with pytest.raises(PermissionDenied):
        services.task_hand_to(actor=province.clerk_y.user, task=task, person=province.clerk_x)
    with pytest.raises(ValidationError) as caught:  # not of the lead organisation
        services.task_hand_to(actor=province.leader.user, task=task, person=province.clerk_y)
    assert "không làm việc cho" in caught.value.message_dict["lead"][0]
    person = province.clerk_x
    handed = services.task_hand_to(actor=province.leader.user, task=task, person=person)
    assert handed.lead_person_id == person.pk and handed.lead_organization_id == lead
    assert may_work(person.user, handed)
    assert TaskAccess.objects.filter(task=task, person=person).exists()
    assert handed.events.filter(kind=EventKind.CHANGED, text__contains=person.full_name).exists()
    assert Task.objects.filter(selectors.mine_q(person.pk), pk=task.pk).exists()  # "Việc của tôi"
    again = services.task_hand_to(actor=province.leader.user, task=task, person=person)
    assert again.events.filter(kind=EventKind.CHANGED).count() == 1  # the same person: nothing written
