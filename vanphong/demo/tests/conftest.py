"""Demo data built once for a group of tests (a class), rather than once per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import transaction
from django.test import override_settings

T = TypeVar("T")

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def built_once(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """``build()`` in a transaction of its own, kept open while the group's tests run and
    rolled back after the last of them. Each test inside runs in a savepoint of its own
    (pytest-django's ``db``), rolled back at its end, so what one test changes the next does
    not see. For a class-scoped fixture: it is set up before the per-test fixtures, so it
    takes the suite's fast password hasher (root conftest) itself."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
