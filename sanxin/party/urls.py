from django.urls import path

from . import privacy_views, views

app_name = "party"
urlpatterns = [
    path("party/organizations/", views.party_org_list, name="party_org_list"),
    path("party/organizations/new/", views.party_org_edit, name="party_org_create"),
    path("party/organizations/export/", views.party_org_export, name="party_org_export"),
    path("party/organizations/<int:pk>/", views.party_org_detail, name="party_org_detail"),
    path("party/organizations/<int:pk>/edit/", views.party_org_edit, name="party_org_edit"),
    path("party/members/", views.member_list, name="member_list"),
    path("party/members/new/", views.member_edit, name="member_create"),
    path("party/members/export/", views.member_export, name="member_export"),
    path("party/members/<int:pk>/", views.member_detail, name="member_detail"),
    path("party/members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("party/members/<int:pk>/data.json", privacy_views.member_data_export, name="member_data"),
    path("party/members/<int:pk>/erase/", privacy_views.member_erase, name="member_erase"),
    path("party/instructors/", views.instructor_list, name="instructor_list"),
    path("party/instructors/new/", views.instructor_edit, name="instructor_create"),
    path("party/instructors/<int:pk>/edit/", views.instructor_edit, name="instructor_edit"),
]
