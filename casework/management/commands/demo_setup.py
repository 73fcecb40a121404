import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app may offer `<app>.demo.seed(stdout)`; order matters (funds first).
DEMO_APPS = ["casework", "breaches", "notifications"]


class Command(BaseCommand):
    help = "Installe les données de démonstration (idempotent) : caisses, comptes, fuite, cohorte, consignes."

    def handle(self, *args, **options):
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError:
                continue
            with transaction.atomic():
                module.seed(self.stdout)
        # Demo signals must hit the demo cohort, which the breaches demo loads after casework's seed.
        from casework.demo_cases import seed_signals

        with transaction.atomic():
            seed_signals(self.stdout)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
