from django.contrib import admin

from .models import CalendarYear, Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "is_workday")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source")
