"""What every API view shares: the user's Actor (computed once per request), the schema, pages."""

from __future__ import annotations

from functools import cached_property

from api.pagination import Pagination
from api.schema import ApiAutoSchema
from cases.roles import Actor
from web.middleware import remembered_actor


# Mixed into DRF views: `self.actor` for the selectors and the workflow, and in serializers.
class ApiView:
    schema = ApiAutoSchema()
    pagination_class = Pagination
    # Ids are whole numbers: /api/v1/cases/abc/ or /cases/1.5/ matches no URL (a JSON 404 for
    # everyone, api.middleware), rather than a route that first asks who is calling.
    lookup_value_regex = "[0-9]+"

    @cached_property
    def actor(self) -> Actor:
        return remembered_actor(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["actor"] = self.actor
        return context
