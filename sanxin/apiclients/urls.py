from django.urls import path

from . import views

app_name = "apiclients"
urlpatterns = [
    path("api-clients/", views.client_list, name="client_list"),
    path("api-clients/new/", views.client_create, name="client_create"),
    path("api-clients/<int:pk>/", views.client_detail, name="client_detail"),
    path("api-clients/<int:pk>/tokens/new/", views.token_issue, name="token_issue"),
    path("api-clients/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
