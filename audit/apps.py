from django.apps import AppConfig


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = "Audit et traçabilité"

    def ready(self) -> None:
        from audit.access_log import guard_connect

        guard_connect()
        import config.api.schema  # noqa: F401  (registers the OpenAPI extensions before any schema is built)
