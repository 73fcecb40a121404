"""/api/v1/: each app contributes its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("breaches.api.urls")),  # first: it holds the NIR lookup, the busiest route
    path("", include("network.api.urls")),
    path("", include("casework.api.urls")),
    path("", include("notifications.api.urls")),
]
