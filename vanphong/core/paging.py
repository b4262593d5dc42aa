"""Pages of a long list whose count stops at a cap (docs/performance.md, "Counts").

A list's total is shown with every page, but counting every visible row of a province's
register or task list is O(rows) on each page view, whatever the plan. The count here asks
for at most ``cap + 1`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``), so the database
stops as soon as it knows there are more; the list then says "hơn 1.000" and pages on
past the cap, each page asking whether one more row exists after it. Below the cap the
count is exact and nothing changes.

The cap is the setting ``VANPHONG_LIST_COUNT_CAP`` (default 1000, the search's cap too);
the same paginator serves the pages (``CappedPaginator``) and the API
(``vanphong.core.api.pagination``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

DEFAULT_LIST_COUNT_CAP = 1000


def list_count_cap() -> int:
    return max(1, int(getattr(settings, "VANPHONG_LIST_COUNT_CAP", DEFAULT_LIST_COUNT_CAP)))


class CappedPage(Page):
    """A page of a ``CappedPaginator``: past the counted pages, whether a next page exists is
    asked of the database (one row after this page)."""

    paginator: CappedPaginator

    def has_next(self) -> bool:
        paginator = self.paginator
        if not paginator.capped or self.number < paginator.num_pages:
            return super().has_next()
        after = self.number * paginator.per_page
        return paginator.exists_from(after)


class CappedPaginator(Paginator):
    """A ``Paginator`` whose ``count`` stops at ``cap`` (``capped`` then says there are more):
    ``num_pages`` is then a lower bound and pages after it are still served while they have
    rows."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = list_count_cap() if cap is None else max(1, cap)

    @cached_property
    def _capped_count(self) -> tuple[int, bool]:
        limited = self.object_list[: self.cap + 1]
        counted = limited.count() if isinstance(limited, QuerySet) else len(limited)
        return min(counted, self.cap), counted > self.cap

    @cached_property
    def count(self) -> int:
        return self._capped_count[0]

    @property
    def capped(self) -> bool:
        return self._capped_count[1]

    def exists_from(self, offset: int) -> bool:
        rows = self.object_list[offset : offset + 1]
        return rows.exists() if isinstance(rows, QuerySet) else bool(len(rows))

    def validate_number(self, number: Any) -> int:
        try:
            return super().validate_number(number)
        except EmptyPage:
            # Past the counted pages of a capped count: served while it has rows.
            if not self.capped:
                raise
            wanted = int(number)  # an integer: Django raised EmptyPage, not PageNotAnInteger
            if wanted > self.num_pages and self.exists_from((wanted - 1) * self.per_page):
                return wanted
            raise

    def page(self, number: Any) -> CappedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if not self.capped and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.object_list[bottom:top], number, self)

    def _get_page(self, *args: Any, **kwargs: Any) -> CappedPage:
        return CappedPage(*args, **kwargs)
