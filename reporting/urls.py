from django.urls import path

from reporting import views

urlpatterns = [
    path("reseau/carte/", views.network_map, name="network-map"),
]
