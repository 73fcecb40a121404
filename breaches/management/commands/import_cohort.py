import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from breaches.importing import Progress, cohort_import, cohort_register
from breaches.models import Breach, Cohort
from config.errors import ApplicationError


class ProgressBar:
    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, progress: Progress) -> None:
        filled = int(progress.fraction * self.WIDTH)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {progress.fraction:4.0%} "
            f"{progress.rows} lignes, {progress.accepted} acceptées, {progress.rejected} rejetées"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    # The system checks load every URL and view (a second); they run where the site is deployed and started
    # (`check --deploy`, the web process), not again for each data command.
    requires_system_checks = []
    help = "Charge une cohorte (CSV ou XLSX) dans une fuite : import_cohort --breach BR-2026-0001 FICHIER"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--breach", required=True, help="référence de la fuite (BR-AAAA-NNNN)")
        parser.add_argument("--json", action="store_true", help="affiche le résultat en un objet JSON")
        parser.add_argument("--allow-missing-key", action="store_true", help="accepte les NIR de 13 caractères")
        parser.add_argument("--no-progress", action="store_true", help="sans barre de progression")

    def handle(self, *args, **options):
        path: Path = options["file"].resolve()
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        breach = Breach.objects.filter(reference=options["breach"]).first()
        if breach is None:
            raise CommandError(f"Fuite inconnue : {options['breach']}")
        bar = None if options["no_progress"] else ProgressBar(sys.stderr)
        try:
            cohort = cohort_register(actor=None, breach=breach, path=path, queue=False,
                                     allow_missing_key=options["allow_missing_key"])
            cohort = cohort_import(cohort_id=cohort.pk, on_progress=bar)
        except ApplicationError as error:
            raise CommandError(error.message)
        finally:
            if bar:
                bar.close()
        if cohort is None or cohort.status != Cohort.Status.DONE:
            raise CommandError(cohort.error_message if cohort else "Import déjà pris en charge par un worker.")
        result = {"rows": cohort.rows, "imported": cohort.imported, "rejected": cohort.rejected,
                  "duplicates": cohort.duplicates, "unassigned": cohort.unassigned, "cohort": cohort.pk}
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Cohorte {cohort.pk} : {cohort.rows} lignes, {cohort.imported} importées, {cohort.rejected} "
                f"rejetées, {cohort.duplicates} doublons, {cohort.unassigned} à répartir."))
            if cohort.rejected:
                self.stdout.write(f"Rapport des rejets : {cohort.error_report}")
