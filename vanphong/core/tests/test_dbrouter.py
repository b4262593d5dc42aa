"""The read-replica router (vanphong/core/dbrouter.py): reads go to the replica only inside
``reading_from_replica()`` and only when one is configured; writes and migrations never."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from vanphong.core import dbrouter
from vanphong.core.dbrouter import REPLICA, ReplicaRouter, reading_from_replica, replica_reads_active
from vanphong.documents.models import Document
from vanphong.orgs.models import Organization

router = ReplicaRouter()


@pytest.fixture
def replica_configured(monkeypatch):
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)


def test_reads_go_to_the_primary_outside_the_block(replica_configured):
    assert router.db_for_read(Document) == "default"


def test_reads_go_to_the_replica_inside_the_block(replica_configured):
    with reading_from_replica():
        assert router.db_for_read(Document) == REPLICA
        with reading_from_replica():  # nested: still the replica, and back after
            assert router.db_for_read(Document) == REPLICA
        assert router.db_for_read(Document) == REPLICA
    assert router.db_for_read(Document) == "default"


def test_an_instance_read_from_the_replica_does_not_keep_reading_from_it(replica_configured):
    document = Document()
    document._state.db = REPLICA
    assert router.db_for_read(Organization, instance=document) == "default"


def test_without_a_replica_the_block_reads_the_primary():
    assert REPLICA not in connections.settings
    with reading_from_replica():
        assert not replica_reads_active()
        assert router.db_for_read(Document) == "default"


def test_writes_always_go_to_the_primary(replica_configured):
    document = Document()
    document._state.db = REPLICA
    with reading_from_replica():
        assert router.db_for_write(Document) == "default"
        assert router.db_for_write(Document, instance=document) == "default"


def test_migrations_never_run_on_the_replica():
    assert router.allow_migrate(REPLICA, "documents", "document") is False
    assert router.allow_migrate("default", "documents", "document") is None


def test_rows_of_the_primary_and_the_replica_may_be_related():
    a, b = Document(), Organization()
    a._state.db, b._state.db = "default", REPLICA
    assert router.allow_relation(a, b) is True
    b._state.db = "other"
    assert router.allow_relation(a, b) is None


def test_the_block_is_per_thread(replica_configured):
    seen: list[str] = []
    with reading_from_replica():
        thread = threading.Thread(target=lambda: seen.append(router.db_for_read(Document)))
        thread.start()
        thread.join()
    assert seen == ["default"]


def test_the_router_is_installed():
    from django.conf import settings

    assert settings.DATABASE_ROUTERS == ["vanphong.core.dbrouter.ReplicaRouter"]
