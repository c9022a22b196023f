from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}`, 50 a page unless `page_size` (at most 200) says."""

    page_size_query_param = "page_size"
    max_page_size = 200
