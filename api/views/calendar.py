"""The working-day calendar (DESIGN §5) for any signed-in user: when a count of working days ends,
and a year's days off and days worked, each with where its status comes from.

Sources: `override` (the office's own entry), `official` (the State Council's published schedule),
`statutory` (a year nobody has published: the statutory holidays and their 补假, estimated),
`weekday` (Monday to Friday). `estimated` is true when the answer rests on a statutory estimate.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import errors
from api.serializers import DayField
from api.views.base import ApiView
from cases.validators import FIRST_YEAR, LAST_YEAR
from cases.workdays import OFFICIAL, OVERRIDE, STATUTORY, WEEKDAY, add_working_days, end_of_day
from web.middleware import remembered_calendar

MAX_WORKING_DAYS = 60


class CalendarDueQuerySerializer(serializers.Serializer):
    start = DayField(help_text="The day the count starts from (not counted itself), YYYY-MM-DD.")
    working_days = serializers.IntegerField(min_value=1, max_value=MAX_WORKING_DAYS)


class CalendarYearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    working = serializers.BooleanField()
    source = serializers.ChoiceField(choices=[OFFICIAL, STATUTORY, OVERRIDE, WEEKDAY])
    name = serializers.CharField(allow_blank=True, help_text="The holiday's name, or the note.")


class CalendarDueSerializer(serializers.Serializer):
    start = serializers.DateField()
    working_days = serializers.IntegerField()
    due = serializers.DateField()
    due_at = serializers.DateTimeField(help_text="The end of the due day, Beijing time.")
    estimated = serializers.BooleanField()
    days = CalendarDaySerializer(many=True, help_text="From the day after start through due.")


class CalendarYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    estimated = serializers.BooleanField(help_text="No schedule published or entered yet.")
    days = CalendarDaySerializer(
        many=True, help_text="The weekdays off and the weekend days worked, in order."
    )


class CalendarDueView(ApiView, APIView):
    @extend_schema(
        summary="When a number of working days after a day ends",
        parameters=[CalendarDueQuerySerializer],
        responses={200: CalendarDueSerializer, **errors(400)},
    )
    def get(self, request):
        query = CalendarDueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, count = query.validated_data["start"], query.validated_data["working_days"]
        calendar = remembered_calendar(self.actor.county_id)  # the caller's county's days
        due = add_working_days(start, count, calendar)
        answer = {
            "start": start,
            "working_days": count,
            "due": due,
            "due_at": end_of_day(due),
            "estimated": calendar.rests_on_estimate(start, due),
            "days": calendar.days_after(start, due),
        }
        return Response(CalendarDueSerializer(answer).data)


class CalendarYearView(ApiView, APIView):
    @extend_schema(
        summary="A year's weekdays off and weekend days worked",
        parameters=[CalendarYearQuerySerializer],
        responses={200: CalendarYearSerializer, **errors(400)},
    )
    def get(self, request):
        query = CalendarYearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data["year"]
        calendar = remembered_calendar(self.actor.county_id)  # the caller's county's days
        answer = {
            "year": year,
            "estimated": calendar.is_estimated(year),
            "days": calendar.exceptions(year),
        }
        return Response(CalendarYearSerializer(answer).data)
