from django.urls import path

from . import views

app_name = "service"
urlpatterns = [
    path("service/", views.home, name="home"),
    path("service/officers/", views.officer_list, name="officer_list"),
    path("service/officers/new/", views.officer_edit, name="officer_create"),
    path("service/officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("service/officers/<int:pk>/edit/", views.officer_edit, name="officer_edit"),
    path("service/coverage/", views.coverage, name="coverage"),
    path("service/unassigned/", views.unassigned, name="unassigned"),
    path("service/assignments/<int:org_pk>/", views.assignment_history,
         name="assignment_history"),
    path("service/optimizer/", views.optimizer_start, name="optimizer"),
    path("service/optimizer/plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("service/optimizer/plans/<int:pk>/apply/", views.plan_apply, name="plan_apply"),
    path("service/visits/", views.visit_list, name="visit_list"),
    path("service/visits/new/", views.visit_new, name="visit_new"),
    path("service/visits/overdue/", views.overdue, name="overdue"),
    path("service/visits/frequent/", views.frequent, name="frequent"),
    path("service/visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("service/visits/<int:pk>/settle/", views.visit_settle, name="visit_settle"),
    path("service/projects/", views.project_list, name="project_list"),
    path("service/projects/<int:pk>/", views.project_detail, name="project_detail"),
]
