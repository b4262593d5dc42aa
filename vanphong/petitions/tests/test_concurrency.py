"""Numbers taken at the same moment by several clerks stay unique and gapless (PostgreSQL:
the counter's row lock is what is tested; SQLite serialises whole transactions)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from vanphong.audit.tests.support import clear_audit_trail
from vanphong.petitions.models import Petition
from vanphong.petitions.tests.conftest import register

THREADS = 6
PER_THREAD = 4


@pytest.fixture
def audit_trail_cleared_after(transactional_db):
    """The flush that ends a transactional test cannot delete audit entries: empty the trail
    first (this fixture is torn down before the flush)."""
    yield
    clear_audit_trail()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the row lock being tested is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_take_unique_gapless_numbers(audit_trail_cleared_after, province):
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(PER_THREAD):
                register(
                    province, content=f"Kiến nghị số {n}-{i} về đường giao thông nông thôn", kind="kien_nghi"
                )
        except BaseException as exc:  # re-raised in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    numbers = sorted(
        Petition.objects.filter(organization=province.committee).values_list("number", flat=True)
    )
    assert numbers == list(range(1, THREADS * PER_THREAD + 1))
