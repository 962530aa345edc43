from django.urls import path

from . import views

app_name = "chains"
urlpatterns = [
    path("chains/", views.chain_list, name="chain_list"),
    path("chains/<int:pk>/", views.chain_detail, name="chain_detail"),
    path("chains/<int:pk>/edit/", views.chain_edit, name="chain_edit"),
    path("chains/<int:pk>/links/", views.link_add, name="link_add"),
    path("chains/links/<int:pk>/edit/", views.link_edit, name="link_edit"),
    path("chains/members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("chains/<int:pk>/members/", views.member_add, name="member_add"),
    path("chains/<int:pk>/problems/", views.problem_raise, name="problem_raise"),
    path("chains/problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("chains/problems/<int:pk>/case/", views.problem_to_case, name="problem_to_case"),
    path("chains/<int:pk>/market/", views.market, name="market"),
    path("chains/<int:pk>/posts/new/", views.post_create, name="post_create"),
    path("chains/posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("chains/posts/<int:pk>/deals/", views.deal_record, name="deal_record"),
]
