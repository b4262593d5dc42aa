"""Signals the documents app sends for other modules to act on.

``direction_given``: a leader's direction (bút phê) was recorded, with ``direction``,
``assignments`` (the Assignment rows just made) and ``actor``. Sent inside the recording
transaction, so whatever a receiver writes (the task engine's tasks) commits or rolls back
with the direction."""

from django.dispatch import Signal

direction_given = Signal()
