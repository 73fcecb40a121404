from django.urls import path

from audit import access_views, views

urlpatterns = [
    path("historique/", views.history_list, name="history-list"),
    path("historique/export.csv", views.history_export, name="history-export"),
    path("acces/", access_views.access_log_list, name="access-log-list"),
    path("acces/export.csv", access_views.access_log_export, name="access-log-export"),
]
