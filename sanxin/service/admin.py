from django.contrib import admin

from .models import Assignment, MajorProject, Milestone, ProjectProblem, ServiceOfficer, Visit


@admin.register(ServiceOfficer)
class ServiceOfficerAdmin(admin.ModelAdmin):
    list_display = ("user", "area", "department", "capacity", "industries", "active")
    list_filter = ("active", "area")
    raw_id_fields = ("user",)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("organization", "officer", "started_at", "ended_at", "reason")
    raw_id_fields = ("organization", "officer")


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("visited_on", "organization", "officer", "demands_resolved")
    raw_id_fields = ("organization", "officer")


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 1


class ProblemInline(admin.TabularInline):
    model = ProjectProblem
    extra = 0


@admin.register(MajorProject)
class MajorProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "officer", "department")
    raw_id_fields = ("organization", "officer")
    inlines = [MilestoneInline, ProblemInline]
