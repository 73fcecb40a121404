from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import healthz

urlpatterns = [
    # The API first: the NIR lookup is the busiest route, and Django tries the patterns in order.
    path("api/v1/", include(("config.api.urls", "api"))),
    path("", include("network.urls")),
    path("", include("casework.urls")),
    path("fuites/", include("breaches.urls")),
    path("consignes/", include("notifications.urls")),
    path("", include("reporting.urls")),
    path("audit/", include("audit.urls")),
    path("", include("accounts.urls")),
    path("connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/ok/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
]

admin.site.site_header = "Administration de Vigie"
admin.site.site_title = "Vigie"
admin.site.index_title = "Référentiels et comptes"

handler404 = "config.api.handlers.not_found"
handler500 = "config.api.handlers.server_error"
