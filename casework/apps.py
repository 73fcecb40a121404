from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"

    verbose_name = "Travail des caisses"

    def ready(self) -> None:
        # Bank accounts are matched only through the register's gate, which throttles and logs (breaches never
        # imports casework: it calls this matcher back).
        from breaches.lookup.gate import register_account_matcher
        from breaches.lookup.history import register_lookup_history
        from casework.history import person_history
        from casework.risk.alerts import iban_sightings_record

        register_account_matcher(iban_sightings_record)
        # The lookup shows the person's history at the caller's fund.
        register_lookup_history(person_history)
