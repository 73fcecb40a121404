from axes import apps as axes_apps
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    default = True  # the app's own config; AxesConfig below is for django-axes
    verbose_name = "Comptes et sécurité"


class AxesConfig(axes_apps.AppConfig):
    """django-axes (lock-out after repeated failures), under a French name in the admin."""

    verbose_name = "Tentatives de connexion et verrouillage"
