from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Réseau et travail des caisses"

    def ready(self) -> None:
        # The lookup shows the person's history at the caller's fund; breaches does not import casework.
        from breaches.lookup.history import register_lookup_history
        from casework.history import person_history

        register_lookup_history(person_history)
