import pytest
from django.db import connection

from vanphong.orgs.tests.access.models import Dossier


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Create the test-only Dossier table once in the test database."""
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(Dossier)
    yield
