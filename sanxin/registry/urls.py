from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_edit, name="organization_create"),
    path("organizations/export/", views.organization_export, name="organization_export"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
]
