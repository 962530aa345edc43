from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Role, User


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class SanxinUserAdmin(UserAdmin):
    inlines = [RoleInline]
    fieldsets = (*UserAdmin.fieldsets, ("Sanxin", {"fields": ("full_name", "phone")}))
    list_display = ("username", "full_name", "is_active", "is_staff")
    search_fields = ("username", "full_name")
