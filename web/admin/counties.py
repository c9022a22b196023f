from django.contrib import admin

from counties.models import City, CityOfficeMember, County


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "city"]
    list_filter = ["city"]


@admin.register(CityOfficeMember)
class CityOfficeMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "city", "title"]
    list_filter = ["city"]
    raw_id_fields = ["user"]
