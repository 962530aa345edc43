from django.urls import path

from . import views

app_name = "partylife"
urlpatterns = [
    path("partylife/", views.home, name="home"),
    path("partylife/meetings/", views.meeting_list, name="meeting_list"),
    path("partylife/meetings/new/", views.meeting_new, name="meeting_new"),
    path("partylife/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("partylife/compliance/", views.compliance, name="compliance"),
    path("partylife/alerts/", views.alerts, name="alerts"),
    path("partylife/absences/", views.absences, name="absences"),
    path("partylife/study/", views.study, name="study"),
    path("partylife/study/new/", views.study_new, name="study_new"),
    path("partylife/places/", views.places, name="places"),
    path("partylife/vanguard/", views.vanguard_list, name="vanguard_list"),
    path("partylife/vanguard/new/", views.vanguard_new, name="vanguard_new"),
    path("partylife/vanguard/<int:pk>/", views.vanguard_detail, name="vanguard_detail"),
    path("partylife/volunteering/", views.volunteer_list, name="volunteer_list"),
    path("partylife/volunteering/new/", views.volunteer_new, name="volunteer_new"),
    path("partylife/volunteering/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("partylife/development/", views.candidate_list, name="candidate_list"),
    path("partylife/development/new/", views.candidate_new, name="candidate_new"),
    path("partylife/development/<int:pk>/", views.candidate_detail, name="candidate_detail"),
]
