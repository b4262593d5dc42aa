"""pyHanko's synchronous calls run ``asyncio.run`` inside: in a thread where an event loop is
already running (a Playwright sync session in the tests, any async host) that raises. Such a
call is then made in a short-lived thread of its own; elsewhere (WSGI, Celery, Django's sync
views) it runs here, as it is."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def outside_event_loop(call: Callable[[], T]) -> T:
    """``call()``, in another thread when this one runs an event loop."""
    if asyncio._get_running_loop() is None:
        return call()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(call).result()
