"""/api/v1/: each app contributes its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("network.api.urls")),
    path("", include("casework.api.urls")),
    path("", include("breaches.api.urls")),
    path("", include("notifications.api.urls")),
]
