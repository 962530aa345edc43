from django.urls import path

from . import views

app_name = "coverage"
urlpatterns = [
    path("coverage/", views.overview, name="overview"),
    path("coverage/organizations/", views.organization_list, name="organization_list"),
    path("coverage/organizations/export/", views.organization_export, name="organization_export"),
    path("coverage/findings/", views.finding_list, name="finding_list"),
    path("coverage/findings/export/", views.finding_export, name="finding_export"),
    path("coverage/trend/", views.trend_view, name="trend"),
    path("coverage/targets/", views.target_list, name="target_list"),
    path("coverage/suggestions/", views.suggestion_list, name="suggestion_list"),
    path("coverage/suggestions/accept/", views.suggestion_accept, name="suggestion_accept"),
]
