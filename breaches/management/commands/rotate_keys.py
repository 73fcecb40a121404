from django.core.management.base import BaseCommand

from breaches.rotation import BATCH, keys_rotate


class Command(BaseCommand):
    # The system checks load every URL and view (a second); they run where the site is deployed and started
    # (`check --deploy`, the web process), not again for each data command.
    requires_system_checks = []
    help = ("Re-chiffre chaque NIR sous la clé de scellement courante et recalcule son empreinte sous la clé "
            "d'empreinte courante, par lots ; reprend là où une exécution interrompue s'est arrêtée.")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH)
        parser.add_argument("--max-batches", type=int, default=None, help="S'arrêter après ce nombre de lots.")
        parser.add_argument("--in-worker", action="store_true",
                            help="Confier la rotation à un worker de la file « imports » au lieu de la faire ici.")

    def handle(self, *args, batch_size: int, max_batches: int | None, in_worker: bool = False, **options):
        if in_worker:
            from breaches.tasks import rotate_keys

            rotate_keys.delay()
            self.stdout.write("Rotation confiée à la file « imports » (suivre les journaux du worker).")
            return
        def report(rotation):
            self.stdout.write(f"… {rotation.people} personnes re-chiffrées (jusqu'à l'id {rotation.last_person_id})")

        rotation = keys_rotate(batch_size=batch_size, max_batches=max_batches, progress=report)
        if rotation.finished_at:
            self.stdout.write(self.style.SUCCESS(
                f"Rotation terminée : {rotation.people} personnes re-chiffrées, "
                f"{rotation.merged} doublon(s) fusionné(s). "
                "Retirez maintenant les anciennes clés de NIR_DIGEST_PREVIOUS_KEYS et NIR_SEAL_PREVIOUS_KEYS."))
        else:
            self.stdout.write(f"Rotation interrompue après {rotation.people} personnes : relancez la commande.")
