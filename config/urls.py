from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import healthz
from config.metrics import metrics_view


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on their own (downloads, files shown as they are): the DSFR's, not a 404.
    Resolved per request: the hashed name is known only once collectstatic has run."""
    return HttpResponseRedirect(static("dsfr/dist/favicon/favicon.ico"))


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
    # Browsers ask for /favicon.ico on their own (downloads, files shown as is): the DSFR's, not a 404.
    path("favicon.ico", favicon, name="favicon"),
    path("metrics", metrics_view, name="metrics"),
]

admin.site.site_header = "Administration de Vigie"
admin.site.site_title = "Vigie"
admin.site.index_title = "Référentiels et comptes"

handler404 = "config.api.handlers.not_found"
handler500 = "config.api.handlers.server_error"
