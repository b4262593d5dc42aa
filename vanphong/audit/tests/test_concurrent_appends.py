from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from vanphong.audit.models import AuditChainHead, AuditEvent
from vanphong.audit.services import audit_record
from vanphong.audit.tests.support import clear_audit_trail
from vanphong.audit.verify import verify_chain

THREADS = 8
PER_THREAD = 25


@pytest.fixture
def audit_trail_cleared_after(transactional_db):
    """The flush that ends a transactional test cannot delete audit entries: empty the
    trail first (this fixture is torn down before the flush)."""
    yield
    clear_audit_trail()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes the write lock at BEGIN (IMMEDIATE), and its in-memory test "
    "database is not shared between threads; the row lock being tested is PostgreSQL's.",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_unbroken_chain(audit_trail_cleared_after):
    assert not AuditChainHead.objects.exists()  # the first appends also race to create the head
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(PER_THREAD):
                audit_record(
                    actor=None,
                    actor_username=f"luong{worker}",
                    action="test.concurrent",
                    target_id=f"{worker}-{i}",
                    after={"worker": worker, "i": i},
                )
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert not errors, errors
    total = THREADS * PER_THREAD
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    prev_hashes = AuditEvent.objects.values_list("prev_hash", flat=True)
    assert len(set(prev_hashes)) == total  # no two entries share a predecessor
    report = verify_chain(batch_size=17)
    assert report.ok, report.reason
    assert report.checked == total
    assert AuditChainHead.objects.get().last_seq == total
