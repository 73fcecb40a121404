import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from config.errors import ApplicationError
from network.models import Fund, Membership
from network.services import membership_grant, user_provision


class Command(BaseCommand):
    help = "Crée au besoin un compte et le rattache à une caisse (agent/responsable) ou au niveau national."

    def add_arguments(self, parser):
        parser.add_argument("username")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--fund", help="Code de la caisse (ex. 561)")
        target.add_argument("--national", action="store_true", help="Personnel national")
        target.add_argument("--region", help="Coordination régionale : code INSEE de la région (ex. 53)")
        parser.add_argument("--role", choices=["agent", "manager"], default="agent")
        parser.add_argument("--password", help="Mot de passe (demandé s'il manque et que le compte est à créer)")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, fund, national, region, role, password, email, **options):
        fund_obj = None
        if fund:
            fund_obj = Fund.objects.filter(code=fund).first()
            if fund_obj is None:
                raise CommandError(f"Caisse inconnue : {fund}. Lancez d'abord load_funds.")
        try:
            user, created = user_provision(username=username, password=password, email=email)
        except ApplicationError:
            password = getpass.getpass("Mot de passe : ")
            user, created = self._provision(username, password, email)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        role = Membership.Role.NATIONAL if national else Membership.Role.REGIONAL if region else role
        try:
            membership_grant(user=user, role=role, fund=fund_obj, region=region or "")
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        verb = "créé et rattaché" if created else "rattaché"
        self.stdout.write(self.style.SUCCESS(f"{username} {verb} : {membership_label(role, fund_obj)}"))

    def _provision(self, username, password, email):
        try:
            return user_provision(username=username, password=password, email=email)
        except (ApplicationError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc


def membership_label(role: str, fund: Fund | None) -> str:
    label = Membership.Role(role).label
    return f"{label} ({fund.code})" if fund else str(label)
