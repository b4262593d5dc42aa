"""With a read replica configured (here: a second connection to the same test database, as
``DATABASE_REPLICA_URL`` gives under the test runner, ``TEST: {"MIRROR": "default"}``),
search reads through it; without the block, nothing does."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from vanphong.api.tests.helpers import bearer
from vanphong.core.dbrouter import REPLICA, read_connection, reading_from_replica
from vanphong.search.models import SearchEntry
from vanphong.search.selectors import search


@pytest.fixture(scope="module")
def replica(django_db_setup):
    """A ``replica`` alias on the test database (defined before each test's database set-up,
    which checks the aliases it names): committed rows are read through it, so the tests are
    transactional."""
    settings_dict = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    connections.settings[REPLICA] = settings_dict
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_a_search_inside_the_block_reads_through_the_replica(replica, province, make_document, client):
    document = make_document("Kế hoạch tổ chức đại hội chi bộ", symbol="12-KH/TU", doc_type="KH")
    user = province.leader.user
    primary = connections["default"]
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(primary) as on_primary,
        reading_from_replica(),
    ):
        assert read_connection(SearchEntry).alias == REPLICA
        page = search(user, "ke hoach dai hoi")
    assert [r.id for r in page.results] == [document.pk]
    # The ORM's reads (the entries shown, their documents and texts) came from the replica;
    # the primary answered none of them. (The ranking's own SQL runs on the connection that
    # ``search`` takes: docs/deployment.md, "Read replica".)
    entries = f'SELECT "{SearchEntry._meta.db_table}"."id"'
    assert any(q["sql"].startswith(entries) for q in on_replica.captured_queries), on_replica.captured_queries
    assert not any(q["sql"].startswith(entries) for q in on_primary.captured_queries)

    # The API wraps its search in the block: the replica serves it.
    with CaptureQueriesContext(replica) as api_replica:
        response = client.get("/api/v1/search/", {"q": "ke hoach"}, **bearer(user))
    assert response.status_code == 200 and response.json()["count"] == 1
    assert api_replica.captured_queries


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_outside_the_block_nothing_is_read_from_the_replica(replica, province, make_document):
    make_document("Công văn về công tác văn thư", symbol="15-CV/TU")
    with CaptureQueriesContext(replica) as on_replica:
        page = search(province.leader.user, "cong van")
    assert page.count == 1
    assert on_replica.captured_queries == []
    assert read_connection(SearchEntry).alias == "default"
