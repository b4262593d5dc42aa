"""The demo year of documents: numbered like the registers would, linked, searchable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Max
from django.utils import timezone

from vanphong.demo import orgs as demo
from vanphong.demo.documents import CENTRAL, Year, seed_documents
from vanphong.demo.tests.conftest import built_once
from vanphong.documents.models import (
    Document,
    DocumentLink,
    EntryStatus,
    NumberReset,
    RegisterCounter,
    RegisterEntry,
    RegisterKind,
)
from vanphong.orgs.models import Classification, Organization
from vanphong.search.models import SearchEntry
from vanphong.search.selectors import search

# The demo year ends the day before the seed; seeded as if on this day, it spans two years.
SEED_DAY = dt.date(2026, 11, 2)


def _seed_the_year() -> dict[str, int]:
    demo.seed_demo(scale=1)
    return seed_documents(scale=1, today=SEED_DAY)


@pytest.fixture(scope="class")
def _year_once(django_db_setup, django_db_blocker) -> Iterator[dict[str, int]]:
    with built_once(django_db_blocker, _seed_the_year) as counts:
        yield counts


@pytest.fixture
def year(_year_once: dict[str, int], db) -> dict[str, int]:
    """The demo province and its year of documents as seeded on ``SEED_DAY`` (seeded once
    for the class; each test's changes are rolled back): the seed's counts."""
    return _year_once


class TestTheDemoYear:
    def test_demo_year_numbers_never_repeat_or_skip_and_everything_is_indexed(self, year):
        counts = year
        assert counts["documents"] == Document.objects.count() > 1000
        assert SearchEntry.objects.count() == counts["documents"]

        series = RegisterEntry.objects.values("register_id", "series").annotate(
            n=Count("id"), last=Max("number")
        )
        counters = {(c.register_id, c.series): c.last_number for c in RegisterCounter.objects.all()}
        assert len(series) == len(counters) > 10
        for row in series:
            assert row["n"] == row["last"] == counters[(row["register_id"], row["series"])]
        # A yearly book's number belongs to the series of the year it was registered in (the year
        # the book is printed for), and numbers follow the registration dates.
        yearly = RegisterEntry.objects.filter(register__reset=NumberReset.YEARLY).order_by(
            "register", "series", "number"
        )
        assert {e.series for e in yearly} >= {"2025", "2026"}
        last_day: dict[tuple[int, str], dt.date] = {}
        for entry in yearly:
            day = timezone.localdate(entry.registered_at)
            assert entry.series.split("|")[0] == str(day.year), (entry.series, day)
            assert day >= last_day.get((entry.register_id, entry.series), day)
            last_day[(entry.register_id, entry.series)] = day

        # The central resolutions are registered, so every citation of one is linked to it.
        assert DocumentLink.objects.count() == counts["links"] > 0
        assert not DocumentLink.objects.filter(target__isnull=True).exists()
        assert Document.objects.filter(classification__gt=Classification.NONE).exists()

        secretary = get_user_model().objects.get(username="bithu")
        page = search(secretary, "nghi quyet 57-NQ/TW")
        assert page.count > 1 and page.results[0].symbol == "57-NQ/TW"
        commune_clerk = get_user_model().objects.get(username="vanthu.phuquy")
        assert 0 < search(commune_clerk, "ke hoach").count < search(secretary, "ke hoach").count

    def test_only_the_last_days_arrivals_wait_to_be_presented(self, year):
        """Every incoming entry older than the last few working days has been dealt with
        (directed, done or filed); a handful of the last days' still wait (chờ trình)."""
        recent = set(Year(SEED_DAY).recent)
        incoming = RegisterEntry.objects.filter(register__kind=RegisterKind.INCOMING)
        assert not incoming.filter(registered_at__date__gte=SEED_DAY).exists()
        waiting = incoming.filter(status=EntryStatus.REGISTERED)
        assert {timezone.localdate(e.registered_at) for e in waiting} <= recent
        committee = Organization.objects.get(slug="tinhuy")
        assert 6 <= waiting.filter(organization=committee).count() <= 10
        for commune in Organization.objects.filter(
            parent=committee, hosted=True, slug__in=["phuquy", "dilinh"]
        ):
            assert 1 <= waiting.filter(organization=commune).count() <= 3
        statuses = set(incoming.exclude(status=EntryStatus.REGISTERED).values_list("status", flat=True))
        assert statuses == {EntryStatus.DIRECTED, EntryStatus.DONE, EntryStatus.FILED}
        # A directed entry was presented to the leader who directed it; the Chánh Văn phòng
        # directs some of the Tỉnh ủy's routine ones.
        directed = incoming.filter(directions__isnull=False).distinct()
        assert directed.exists() and not directed.filter(presented_to__isnull=True).exists()
        authors = set(
            directed.filter(organization=committee).values_list(
                "directions__author__user__username", flat=True
            )
        )
        assert authors == {"bithu", "chanhvp"}


INDEXED = (
    "organization_id", "kind", "classification", "doc_type", "issuer_id", "year", "state", "issued_date",
)  # fmt: skip


def _entries() -> dict[int, tuple]:
    return {
        e["document_id"]: tuple(e[f] for f in ("head", "body", *INDEXED))
        for e in SearchEntry.objects.values("document_id", "head", "body", *INDEXED)
    }


def test_the_bulk_load_indexes_exactly_as_the_indexer_and_leaves_the_index_live(db):
    """The loader writes rows straight into the tables and builds the full-text index once
    at the end; the result must be what the document services' indexing would write, and
    documents registered afterwards must be indexed as usual."""
    from django.db import connection

    from vanphong.documents.models import DocumentFile, DocumentState
    from vanphong.documents.services.indexing import document_metadata_changed
    from vanphong.search.services import search_index_documents

    demo.seed_demo(scale=1)
    counts = seed_documents(scale=1, with_text=True, today=SEED_DAY)
    assert DocumentFile.objects.exclude(text="").count() == counts["documents"] - len(CENTRAL)
    loaded = _entries()
    assert len(loaded) == counts["documents"]
    search_index_documents(document_ids=list(loaded))
    assert _entries() == loaded

    secretary = get_user_model().objects.get(username="bithu")
    # A phrase found only in the extracted text of the files.
    assert search(secretary, "phan cong ro nguoi ro viec").count > 100

    # The primary keys given out by the loader do not collide with the ones given after it,
    # and the full-text index is kept up to date again (SQLite triggers, PostgreSQL index).
    last = Document.objects.order_by("-pk").values_list("pk", flat=True).first()
    committee = Organization.objects.get(slug="tinhuy")
    document = Document.objects.create(
        organization=committee, state=DocumentState.DRAFT, subject="Dự thảo quy chế phối hợp liên ngành"
    )
    document_metadata_changed(document)
    assert document.pk > last
    assert [r.id for r in search(secretary, "quy che phoi hop lien nganh").results] == [document.pk]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'search_entry_vector'")
        else:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type='trigger' AND name='search_fts_insert'")
        assert cursor.fetchone() is not None
