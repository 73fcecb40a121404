from django.urls import path

from accounts import views
from accounts.oidc import views as oidc_views

urlpatterns = [
    path("compte/securite/", views.account_security, name="account-security"),
    path("compte/double-authentification/", views.mfa_verify, name="mfa-verify"),
    path("compte/double-authentification/activer/", views.mfa_setup, name="mfa-setup"),
    path("compte/double-authentification/lien/<str:token>/", views.mfa_enrol_by_link, name="mfa-enrol-link"),
    path("compte/double-authentification/desactiver/", views.mfa_disable, name="mfa-disable"),
    path("compte/codes-de-secours/", views.recovery_codes_renew, name="mfa-recovery-codes"),
    path("compte/jetons/", views.api_tokens, name="api-tokens"),
    path("compte/jetons/<str:token_key>/revoquer/", views.api_token_revoke, name="api-token-revoke"),
    path("oidc/authenticate/", oidc_views.authenticate, name="oidc_authentication_init"),
    path("oidc/callback/", oidc_views.callback, name="oidc_authentication_callback"),
]
