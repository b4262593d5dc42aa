from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``{"count", "next", "previous", "results"}`` with ``?page=`` and ``?page_size=`` (≤ 200).
    A larger ``page_size`` is capped at 200; a page past the end answers 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "Trang không tồn tại."
    page_query_description = "Số trang, bắt đầu từ 1."
    page_size_query_description = "Số mục mỗi trang (mặc định 50, tối đa 200)."
