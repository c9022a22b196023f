from django.contrib import admin

from counties.models import City, CityDepartment, CityDepartmentStaff, CityOfficeMember, County


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


@admin.register(CityDepartment)
class CityDepartmentAdmin(admin.ModelAdmin):
    """市直部门: the city's departments, to which its office assigns escalated cases."""

    list_display = ["name", "city", "active"]
    list_filter = ["city", "active"]


@admin.register(CityDepartmentStaff)
class CityDepartmentStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "department"]
    list_filter = ["department__city"]
    raw_id_fields = ["user"]
