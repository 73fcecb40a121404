from django.core.management.base import BaseCommand

from network.services import funds_load


class Command(BaseCommand):
    help = "Charge (ou met à jour) la liste de référence des caisses du réseau. Idempotent."

    def handle(self, *args, **options):
        result = funds_load()
        self.stdout.write(
            f"Caisses : {result.created} créée(s), {result.updated} mise(s) à jour, {result.unchanged} inchangée(s)."
        )
