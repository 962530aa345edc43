from django.urls import path

from . import views

app_name = "pairings"
urlpatterns = [
    path("pairings/", views.pairing_list, name="pairing_list"),
    path("pairings/areas/", views.pairing_areas, name="pairing_areas"),
    path("pairings/new/", views.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/edit/", views.pairing_edit, name="pairing_edit"),
    path("pairings/<int:pk>/activities/", views.pairing_record, {"what": "activity"},
         name="pairing_activity_add"),
    path("pairings/<int:pk>/problems/", views.pairing_record, {"what": "problem"},
         name="pairing_problem_add"),
    path("pairings/<int:pk>/end/", views.pairing_record, {"what": "end"}, name="pairing_end"),
    path("brands/", views.brand_list, name="brand_list"),
    path("brands/new/", views.brand_create, name="brand_create"),
    path("brands/<int:pk>/", views.brand_detail, name="brand_detail"),
    path("brands/<int:pk>/edit/", views.brand_edit, name="brand_edit"),
    path("brands/<int:pk>/photos/", views.brand_photo_add, name="brand_photo_add"),
    path("brands/photos/<int:pk>/delete/", views.brand_photo_delete, name="brand_photo_delete"),
    path("brands/photos/<int:pk>/", views.brand_photo, name="brand_photo"),
    path("brands/cases/", views.case_library, name="case_library"),
    path("brands/cases/new/", views.case_create, name="case_create"),
    path("brands/cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("brands/cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("brands/cases/<int:pk>/honours/", views.honour_add, name="honour_add"),
    path("brands/cases/honours/<int:pk>/edit/", views.honour_edit, name="honour_edit"),
]
