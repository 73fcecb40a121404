from django.urls import path

from audit import views

urlpatterns = [
    path("historique/", views.history_list, name="history-list"),
    path("historique/export.csv", views.history_export, name="history-export"),
]
