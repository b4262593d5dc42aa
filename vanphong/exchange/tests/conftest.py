"""Fixtures of the exchange's tests: the documents tests' books and outgoing people."""

from vanphong.documents.tests.conftest import books  # noqa: F401
from vanphong.documents.tests.test_outgoing_support import people_fixture  # noqa: F401
