from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``{"count", "next", "previous", "results"}`` with ``?page=`` and ``?page_size=`` (≤ 200)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "Trang không tồn tại."
