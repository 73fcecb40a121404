"""Demo instructions: one issued to every fund (some funds answered), one to Brittany due in three days (with the
Morbihan fund, 561, named for information), and a draft.

Idempotent: each instruction is found by its title before being created. Everything goes through the services."""

import datetime

from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from django.utils import timezone

from breaches.demo import DEMO_TITLE as DEMO_BREACH_TITLE
from breaches.models import Breach
from config.celery import app as celery_app
from network.demo import DEMO_PASSWORD
from network.models import Fund, Membership
from network.services import membership_grant, user_provision
from notifications import services
from notifications.models import Instruction, Notice

ALL_FUNDS = "Fuite des laboratoires : vigilance renforcée sur les changements de RIB"
BRITTANY = "Bretagne : rappel des vérifications d'identité au téléphone"
DRAFT = "Récupération de compte en ligne : contrôles complémentaires"
BODY = """Une fuite de données touche les dossiers de patients de laboratoires d'analyses : **nom, NIR et date de
naissance** des personnes concernées circulent.

Des fraudeurs peuvent s'en servir pour se faire passer pour un assuré et **changer le RIB** enregistré. Jusqu'à
nouvel ordre, appliquez les actions ci-dessous à toute demande reçue par téléphone, courrier ou compte en ligne."""
ACTIONS = [
    "Vérifier que le titulaire du RIB est bien l'assuré avant tout changement de coordonnées bancaires",
    "Consulter Vigie pour tout NIR concerné par une demande à risque et consigner la vérification",
    "Exiger une pièce d'identité pour toute récupération de compte en ligne",
]


def _send_now(instruction: Instruction) -> None:
    """Embedded mode (eager Celery): send the demo notices now, into memory, rather than 107 e-mails on the console."""
    if not celery_app.conf.task_always_eager:
        return  # a real worker sends them after commit
    ids = list(Notice.objects.filter(delivery__instruction=instruction, status=Notice.Status.PENDING)
               .values_list("id", flat=True))
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        services.notices_queue(notice_ids=ids)


def _demo_managers(count: int) -> list:
    managers = []
    for fund in Fund.objects.filter(is_active=True).exclude(code="561").order_by("code")[:count]:
        user, _ = user_provision(username=f"resp{fund.code}", password=DEMO_PASSWORD,
                                 email=f"resp{fund.code}@demo.invalid")
        membership_grant(user=user, role=Membership.Role.MANAGER, fund=fund)
        managers.append((user, fund))
    resp561 = get_user_model().objects.filter(username="resp561").first()
    if resp561:
        managers.insert(0, (resp561, Fund.objects.get(code="561")))
    return managers


def _issue(national, title: str, **kwargs) -> Instruction | None:
    if Instruction.objects.filter(title=title).exists():
        return None
    instruction = services.instruction_create(actor=national, title=title, body=BODY, required_actions=ACTIONS,
                                              effective_date=timezone.localdate(), **kwargs)
    services.instruction_issue(instruction=instruction, actor=national)
    _send_now(instruction)
    return instruction


def seed(stdout) -> None:
    national = get_user_model().objects.filter(username="national").first()
    if national is None:
        return
    today = timezone.localdate()
    breach = Breach.objects.filter(title=DEMO_BREACH_TITLE).first()  # from breaches.demo, seeded before
    instruction = _issue(national, ALL_FUNDS, targets=services.TargetSpec(targeting="all"), breach=breach,
                         reply_by=today + datetime.timedelta(days=10))
    if instruction:
        for index, (manager, fund) in enumerate(_demo_managers(8)):
            delivery = instruction.deliveries.get(fund=fund)
            if index % 2:
                services.delivery_acknowledge(delivery=delivery, actor=manager)
            else:
                services.delivery_attest(delivery=delivery, actor=manager, actions_done=[0, 1, 2],
                                         comment="Consigne diffusée aux accueils et plateformes.")
    # Due soon, not overdue: an instruction cannot be late on the day it arrives (reply-by >= effective date).
    _issue(national, BRITTANY, targets=services.TargetSpec(targeting="departments", departments=["22", "29", "35"],
                                                           for_information=["561"]),
           reply_by=today + datetime.timedelta(days=3))
    if not Instruction.objects.filter(title=DRAFT).exists():
        services.instruction_create(actor=national, title=DRAFT, body=BODY, required_actions=ACTIONS[2:],
                                    targets=services.TargetSpec(targeting="all"),
                                    reply_by=today + datetime.timedelta(days=20))
    stdout.write("Consignes de démonstration : "
                 f"{Instruction.objects.filter(status=Instruction.Status.ISSUED).count()} émises, "
                 f"{Instruction.objects.filter(status=Instruction.Status.DRAFT).count()} brouillon(s) ; "
                 "responsables de caisse supplémentaires resp<code> (même mot de passe).")
