"""``task_event``: sent once the transaction that changed a task has committed, with
``task``, ``event`` (a TaskEvent) and ``actor``. Notifications and reminders listen to it."""

from django.dispatch import Signal

task_event = Signal()
