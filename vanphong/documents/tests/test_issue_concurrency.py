"""Concurrent issues: numbers are never shared or skipped, and one document gets one number.

Each thread has its own database connection (closed at the end), as two clerks' requests
would. PostgreSQL runs the full check (50 documents, 10 threads); SQLite's in-memory test
database is shared between threads through its shared cache, whose table locks fail at once
instead of waiting, so there only a small threaded check of the same-document case runs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from vanphong.documents.models import Document, RegisterEntry, RegisterKind
from vanphong.documents.services.outgoing import outgoing_issue
from vanphong.documents.tests.test_outgoing_support import approve, make_draft, people_fixture  # noqa: F401

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "Kiểm tra 50 lần phát hành đồng thời cần PostgreSQL "
        "(SQLite trong bộ nhớ không chờ khóa giữa các luồng)."
    ),
)


def _in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` for i in range(count) on ``count`` threads released together."""
    barrier = threading.Barrier(count)

    def run(i: int) -> Any:
        try:
            barrier.wait(timeout=30)
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _issue(user_id: int, document_id: int) -> RegisterEntry:
    user = get_user_model().objects.get(pk=user_id)
    return outgoing_issue(actor=user, document=Document.objects.get(pk=document_id))


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_issues_take_numbers_one_to_fifty(people):
    ids = [
        approve(people, make_draft(people, subject=f"Nghị quyết {i}", recipients=[people.commune_x])).pk
        for i in range(50)
    ]
    clerk_id = people.clerk.user_id
    chunks = [ids[i::10] for i in range(10)]  # 10 threads × 5 documents

    def work(i: int) -> list[int]:
        return [_issue(clerk_id, doc_id).number for doc_id in chunks[i]]

    numbers = sorted(n for chunk in _in_threads(10, work) for n in chunk)
    assert numbers == list(range(1, 51))
    symbols = set(Document.objects.filter(pk__in=ids).values_list("symbol", flat=True))
    assert symbols == {f"{n:02d}-NQ/TU" for n in range(1, 51)}
    delivered = RegisterEntry.objects.filter(
        organization=people.commune_x, register__kind=RegisterKind.INCOMING, source_entry__isnull=False
    )
    assert sorted(delivered.values_list("number", flat=True)) == list(range(1, 51))


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_ten_threads_issuing_the_same_document_get_one_number(people):
    document = approve(people, make_draft(people))
    clerk_id = people.clerk.user_id
    entries = _in_threads(10, lambda i: _issue(clerk_id, document.pk))
    assert {e.pk for e in entries} == {entries[0].pk}
    assert RegisterEntry.objects.filter(document=document, register__kind=RegisterKind.OUTGOING).count() == 1
    assert RegisterEntry.objects.filter(source_entry=entries[0]).count() == 2  # delivered once each


@pytest.mark.skipif(connection.vendor != "sqlite", reason="Kiểm tra riêng cho SQLite")
@pytest.mark.django_db(transaction=True)
def test_on_sqlite_threads_issue_one_after_another_without_sharing_a_number(people):
    ids = [approve(people, make_draft(people, subject=f"Nghị quyết {i}", recipients=[])).pk for i in range(3)]
    clerk_id = people.clerk.user_id
    lock = threading.Lock()  # SQLite's shared-cache test database does not queue writers itself

    def work(i: int) -> int:
        with lock:
            first = _issue(clerk_id, ids[i]).number
            again = _issue(clerk_id, ids[i]).number
        assert first == again
        return first

    assert sorted(_in_threads(3, work)) == [1, 2, 3]
