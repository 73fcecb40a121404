from django.urls import path

from network import views

urlpatterns = [
    path("", views.home, name="home"),
    path("reseau/", views.fund_list, name="fund-list"),
    path("caisses/<str:code>/", views.fund_detail, name="fund-detail"),
]
