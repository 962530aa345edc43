from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.case_create, name="create"),
    path("cases/measures/", views.measures, name="measures"),
    path("cases/overdue/", views.overdue, name="overdue"),
    path("cases/notifications/", views.notifications, name="notifications"),
    path("cases/calendar/", views.calendar_page, name="calendar"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/do/<slug:action>/", views.case_transition, name="transition"),
    path("cases/<int:pk>/attach/", views.case_attach, name="attach"),
    path("cases/<int:pk>/rectification/", views.rectification_add, name="rectification_add"),
    path("cases/<int:pk>/rectification/<int:task_id>/", views.rectification_update,
         name="rectification_update"),
]
