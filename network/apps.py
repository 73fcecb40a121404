from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Réseau des caisses"

    def ready(self) -> None:
        import config.api.schema  # noqa: F401  (the API's OpenAPI extensions, registered before any schema is built)
