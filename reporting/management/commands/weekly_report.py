from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from breaches.models import Breach
from network.models import Fund
from network.regions import regions
from reporting.pdf import report_pdf
from reporting.weekly import Week, report_build


class Command(BaseCommand):
    help = "Écrit le rapport hebdomadaire (PDF) d'une fuite : chiffres agrégés, carte, caisses à appeler."

    def add_arguments(self, parser):
        parser.add_argument("--breach", required=True, help="Référence de la fuite (ex. BR-2026-0001)")
        parser.add_argument("--week", help="Semaine ISO (ex. 2026-W49) ; par défaut la semaine en cours")
        parser.add_argument("--fund", help="Code d'une caisse : sa synthèse hebdomadaire plutôt que le réseau")
        parser.add_argument("--region", help="Code INSEE d'une région (ex. 53) : le rapport de ses caisses")
        parser.add_argument("--output", required=True, help="Fichier PDF à écrire")

    def handle(self, *args, breach, week, fund, region, output, **options):
        breach_obj = Breach.objects.filter(reference=breach).first()
        if breach_obj is None:
            raise CommandError(f"Fuite inconnue : {breach}.")
        fund_obj = Fund.objects.filter(code=fund).first() if fund else None
        if fund and fund_obj is None:
            raise CommandError(f"Caisse inconnue : {fund}.")
        if region and region not in regions():
            raise CommandError(f"Région inconnue : {region} (codes INSEE, ex. 53).")
        try:
            iso_week = Week.parse(week) if week else Week.of(timezone.localdate())
        except ValueError as exc:
            raise CommandError(f"Semaine invalide : {week} (attendu : 2026-W49).") from exc
        pdf, pages = report_pdf(report_build(breach=breach_obj, week=iso_week, fund=fund_obj, region=region or ""))
        Path(output).write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"{output} : {pages} page(s), semaine {iso_week}."))
