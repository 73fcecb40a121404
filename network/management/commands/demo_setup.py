import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Installe les données de démonstration (idempotent) : caisses, comptes, fuite, cohorte, consignes."

    def handle(self, *args, **options):
        # Each app may offer `<app>.demo.seed(stdout)`. They run in INSTALLED_APPS order, which is the layers'
        # order (network first: the funds and users every other demo needs), so no app imports one above it.
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
