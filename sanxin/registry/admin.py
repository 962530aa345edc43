from django.contrib import admin

from .models import Area, Department, Organization


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent")
    search_fields = ("code", "name")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind")
    search_fields = ("code", "name")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "domain", "area", "industry", "status", "is_sanyou")
    list_filter = ("domain", "status", "industry")
    search_fields = ("name", "credit_code")
    raw_id_fields = ("area", "authority")
