from django.apps import AppConfig


class BreachesConfig(AppConfig):
    name = "breaches"
    verbose_name = "Fuites de données"

    def ready(self) -> None:
        from breaches.access_log import guard_connect

        guard_connect()

        from breaches.metrics import breach_gauges
        from config.metrics import register_gauges

        register_gauges(breach_gauges)
