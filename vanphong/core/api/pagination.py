from typing import Any

from rest_framework import pagination
from rest_framework.response import Response

from vanphong.core.paging import CappedPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """``{"count", "count_capped", "next", "previous", "results"}`` with ``?page=`` and
    ``?page_size=`` (≤ 200). A larger ``page_size`` is capped at 200; a page past the end
    answers 404. The count stops at ``VANPHONG_LIST_COUNT_CAP`` (1000): with more rows,
    ``count`` is the cap, ``count_capped`` is true and the pages go on while there are rows
    (``vanphong.core.paging``)."""

    django_paginator_class = CappedPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "Trang không tồn tại."
    page_query_description = "Số trang, bắt đầu từ 1."
    page_size_query_description = "Số mục mỗi trang (mặc định 50, tối đa 200)."

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_capped": isinstance(paginator, CappedPaginator) and paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        properties = described["properties"]
        properties["count"]["description"] = (
            "Số mục; khi count_capped là true, việc đếm dừng ở con số này và thực tế còn nhiều hơn."
        )
        properties["count_capped"] = {
            "type": "boolean",
            "description": "Đúng khi có nhiều mục hơn count (đếm dừng ở VANPHONG_LIST_COUNT_CAP).",
        }
        described["required"] = [*described.get("required", []), "count_capped"]
        ordered = {key: properties[key] for key in ("count", "count_capped", "next", "previous", "results")}
        described["properties"] = ordered
        return described
