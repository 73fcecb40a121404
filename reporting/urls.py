from django.urls import path

from reporting import views

urlpatterns = [
    path("reseau/carte/", views.network_map, name="network-map"),
    path("rapports/<str:reference>/hebdomadaire.pdf", views.weekly_report, name="weekly-report"),
]
