from django.urls import path

from accounts import views
from accounts.oidc import views as oidc_views

urlpatterns = [
    path("compte/securite/", views.account_security, name="account-security"),
    path("compte/double-authentification/", views.mfa_verify, name="mfa-verify"),
    path("compte/double-authentification/activer/", views.mfa_setup, name="mfa-setup"),
    path("compte/double-authentification/desactiver/", views.mfa_disable, name="mfa-disable"),
    path("compte/codes-de-secours/", views.recovery_codes_renew, name="mfa-recovery-codes"),
    path("oidc/authenticate/", oidc_views.authenticate, name="oidc_authentication_init"),
    path("oidc/callback/", oidc_views.callback, name="oidc_authentication_callback"),
]
