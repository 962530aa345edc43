from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("imports/", views.import_home, name="home"),
    path("imports/templates/<slug:target>.<str:fmt>", views.template_download, name="template"),
    path("imports/export/<slug:target>/", views.export, name="export"),
    path("imports/jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("imports/jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("imports/jobs/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("imports/jobs/<int:pk>/problems.csv", views.job_issues, name="job_issues"),
]
