from django.apps import AppConfig


class BreachesConfig(AppConfig):
    name = "breaches"
    verbose_name = "Fuites de données"

    def ready(self) -> None:
        from breaches.access_log import guard_connect

        guard_connect()
