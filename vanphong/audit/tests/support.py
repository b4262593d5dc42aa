"""Test support for the append-only audit table: tampering with it on purpose, and emptying
it after a transactional test (the database refuses DELETE of entries, so the flush that
ends a ``transaction=True`` test would fail while entries remain)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from vanphong.audit.models import AuditChainHead

_triggers = importlib.import_module("vanphong.audit.migrations.0002_append_only_triggers")
_head_triggers = importlib.import_module("vanphong.audit.migrations.0003_head_mac_forward_only")


@contextmanager
def triggers_off() -> Iterator[None]:
    """Let the current connection UPDATE and DELETE audit entries and move the chain head
    anywhere, as someone with direct database access could. Use inside a test's
    transaction so that it rolls back; the triggers are put back on leaving the block."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
            cursor.execute("ALTER TABLE audit_auditchainhead DISABLE TRIGGER audit_head_forward_only")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
            cursor.execute("DROP TRIGGER audit_head_forward_only")
            cursor.execute("DROP TRIGGER audit_head_no_delete")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_change")
                cursor.execute("ALTER TABLE audit_auditchainhead ENABLE TRIGGER audit_head_forward_only")
            else:
                for sql in [*_triggers.SQLITE_UP, *_head_triggers.SQLITE_UP]:
                    cursor.execute(sql)


def tamper(sql: str, params: list[object] | None = None) -> None:
    """Run one statement against the audit table with the triggers off."""
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def clear_audit_trail() -> None:
    """Empty the trail and its head, committing. For the end of transactional tests only."""
    with transaction.atomic(), triggers_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
        AuditChainHead.objects.all().delete()
