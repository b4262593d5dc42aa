"""Reminders and escalation of open tasks (the daily job), and who they go to.

On each working day (``send_reminders``), every open task (outcome 0) with a working-day
due date is looked at once, in SQL batches of the due dates that matter today:

* its assignees are reminded ``VANPHONG_TASK_REMIND_BEFORE_DAYS`` working days before the
  due date (3 and 1 by default), on the due day, and once late: on the first working day
  after it, then every ``VANPHONG_TASK_REMIND_OVERDUE_EVERY`` working days (5);
* once ``VANPHONG_TASK_ESCALATE_HEAD_DAYS`` working days late (1), the head of the lead
  (the leaders of the lead unit, or of the lead organisation) is told;
* once ``VANPHONG_TASK_ESCALATE_OFFICE_DAYS`` working days late (5), the Văn phòng that
  follows up for the giver (its leaders and staff; the giver's own leaders when it has no
  Văn phòng) is told. An escalation is sent once per person and due date (an extension
  that is missed again escalates again), and is caught up within the following
  ``…_OVERDUE_EVERY`` working days if the job did not run on the day itself.

Who the *assignees* are: the lead person; for a unit, the people holding a role that may
work on the task in that unit (văn thư, chuyên viên, its leaders) — or the organisation's
when the unit has nobody; for an organisation, its văn thư and its leaders. Everyone is
also checked against the task's visibility (``tasks.access``): a classified task reaches
only people cleared for it who keep the books or lead there, or are named on it.

Every reminder is a ``ReminderLog`` row (unique per task, person, kind and day) written in
the same transaction as its notification: a second run, or two workers at once, sends
nothing twice. Only open tasks are looked at, so reminders stop when a task is completed
or cancelled (and resume if it is returned).

A classified task's title is often a secret document's subject: its notifications carry
its classification, and an e-mail about it (at once or in the digest) says only
``classified_line`` — "Có nhiệm vụ mật cần xử lý (hạn …), xem trên hệ thống" — and the link.

Modules: ``recipients`` (who holds which role where, and who a task's reminders go to),
``texts`` (what a reminder says), ``sending`` (the daily run), ``digest`` (the daily digest's
task sections).
"""

from vanphong.tasks.reminders.digest import digest_sections
from vanphong.tasks.reminders.recipients import Recipients
from vanphong.tasks.reminders.sending import send_reminders
from vanphong.tasks.reminders.texts import (
    DIGEST_ITEMS,
    classified_line,
    due_text,
    lead_label,
    reminder_text,
    task_url,
)

__all__ = [
    "DIGEST_ITEMS",
    "Recipients",
    "classified_line",
    "digest_sections",
    "due_text",
    "lead_label",
    "reminder_text",
    "send_reminders",
    "task_url",
]
