from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}`, 50 a page unless `page_size` (at most 200) says.

    Both parameters are read strictly: `?page_size=abc` or `?page=0` is a 400 naming the parameter
    (not the default page size, silently); a page past the last is a 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        size = _whole_number(request, self.page_size_query_param, self.max_page_size)
        return self.page_size if size is None else size

    def get_page_number(self, request, paginator):
        return _whole_number(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            schema = build_basic_type(OpenApiTypes.INT)
            schema["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                schema["maximum"] = self.max_page_size
            parameter["schema"] = schema
        return parameters


def _whole_number(request, name: str, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return serializers.IntegerField(min_value=1, max_value=maximum).run_validation(raw)
    except exceptions.ValidationError as invalid:
        raise exceptions.ValidationError({name: invalid.detail}) from None
