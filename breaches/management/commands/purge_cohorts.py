from django.core.management.base import BaseCommand

from breaches.retention import cohorts_purge


class Command(BaseCommand):
    help = "Efface les cohortes des fuites closes depuis plus de COHORT_RETENTION_MONTHS mois (garde les comptes)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Affiche ce qui serait effacé, sans rien effacer.")

    def handle(self, *args, dry_run: bool, **options):
        report = cohorts_purge(dry_run=dry_run)
        verb = "seraient effacées" if dry_run else "effacées"
        for reference, people in report.breaches:
            self.stdout.write(f"{reference} : {people} personnes {verb}")
        self.stdout.write(self.style.SUCCESS(
            f"{len(report.breaches)} fuite(s), {report.people} personnes {verb} "
            f"(fuites closes avant le {report.cutoff:%d/%m/%Y})."))
