"""Demo data of the GDPR record: the 2021 laboratory leak as the network documented it (third party, the labs'
software vendor as processor, the director general's letter, the national communication), and a small breach
where the network is controller, its 72-hour clock running. Idempotent. Figures are the demo's, not an archive."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from breaches.gdpr.pdf import html_to_pdf
from breaches.gdpr.services import breach_event_add, breach_record_update
from breaches.models import Breach
from breaches.services import breach_create, breach_update

PARIS = ZoneInfo("Europe/Paris")
LAB_DEPARTMENTS = "56,45,27,22,35,41"
MAILING_TITLE = "Relevés de remboursement adressés à d'autres assurés (CPAM du Morbihan)"


def _at(year, month, day, hour=10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=PARIS)


LAB_RECORD = {
    "network_role": "third_party",
    "controller_names": "Les 28 laboratoires de biologie médicale concernés (responsables du traitement)",
    "processor_names": "L'éditeur du logiciel de gestion des laboratoires (sous-traitant des laboratoires)",
    "aware_at": _at(2021, 2, 23, 9),
    "aware_how": "Révélation publique du fichier diffusé en ligne, confirmée par les laboratoires.",
    "nature_confidentiality": True, "origin": "external_malicious",
    "people_categories": "Patients des 28 laboratoires, assurés du réseau pour la plupart.",
    "people_approx": 491_840,
    "consequences": "Usurpation d'identité auprès des caisses (changement de RIB, prise de contrôle du compte en "
                    "ligne), hameçonnage ciblé, atteinte au secret médical.",
    "measures_taken": "Consignes de vigilance aux caisses des départements 56, 45, 27, 22, 35 et 41 ; contrôle "
                      "renforcé des changements de coordonnées bancaires ; cohorte chargée pour la vérification.",
    "measures_proposed": "Suivi des tentatives signalées par les caisses ; effacement de la cohorte à la fin de sa "
                         "durée de conservation.",
    "dpo_opinion": "Le réseau n'est pas responsable du traitement : la notification à la CNIL et l'information "
                   "individuelle incombent aux laboratoires. Le réseau documente son analyse et ses mesures.",
    "inform_decision": "public", "inform_ground": "not_controller", "informed_on": dt.date(2021, 3, 1),
    "inform_channel": "Campagne nationale de prévention de l'hameçonnage (ameli.fr, courriels aux assurés)",
}
LAB_EVENTS = [
    ("discovery", _at(2021, 2, 23, 9), "Fichier de près de 500 000 patients de laboratoires diffusé en ligne."),
    ("analysis", _at(2021, 2, 26), "Analyse : NIR, identité et coordonnées exposés ; risque d'usurpation d'identité "
                                   "auprès des caisses."),
    ("communication", _at(2021, 3, 1), "Communication nationale : campagne de prévention de l'hameçonnage."),
]
LETTER = ("letter_out", _at(2021, 3, 31), "Lettre du directeur général aux directeurs des caisses : consignes "
                                          "de vigilance.")


def _letter_pdf() -> SimpleUploadedFile:
    html = ("<h1>Lettre du directeur général — 31 mars 2021</h1><p>Document de démonstration : consignes de "
            "vigilance aux caisses des départements concernés par la fuite des laboratoires.</p>")
    return SimpleUploadedFile("lettre-directeur-general-2021-03-31.pdf", html_to_pdf(html))


def lab_leak_document(breach: Breach) -> None:
    if breach.network_role:
        return
    breach_update(breach=breach, actor=None, discovered_on=dt.date(2021, 2, 23), reported_on=dt.date(2021, 2, 24),
                  departments=LAB_DEPARTMENTS)
    breach_record_update(breach=breach, actor=None, **LAB_RECORD)
    for kind, when, summary in LAB_EVENTS:
        breach_event_add(breach=breach, actor=None, kind=kind, occurred_at=when, summary=summary)
    kind, when, summary = LETTER
    breach_event_add(breach=breach, actor=None, kind=kind, occurred_at=when, summary=summary, upload=_letter_pdf())


def controller_breach_seed() -> Breach:
    """A fund's misdirected mailing, known since 20 hours: the network is controller, its clock runs."""
    breach = Breach.objects.filter(title=MAILING_TITLE).first()
    if breach is not None:
        return breach
    aware = timezone.now() - dt.timedelta(hours=20)
    breach = breach_create(actor=None, title=MAILING_TITLE, discovered_on=timezone.localdate(aware),
                           data_categories="identity,contact,insurance", departments="56", severity="medium",
                           description="Une mise sous pli a inversé des relevés de remboursement : des assurés ont "
                                       "reçu le relevé d'un autre assuré.")
    breach_record_update(breach=breach, actor=None, network_role="controller", aware_at=aware,
                         aware_how="Appels d'assurés à la plateforme téléphonique de la caisse.",
                         nature_confidentiality=True, origin="error", people_approx=37,
                         people_categories="Assurés de la CPAM du Morbihan")
    breach_event_add(breach=breach, actor=None, kind="discovery", occurred_at=aware,
                     summary="Premiers appels d'assurés ayant reçu le relevé d'un autre assuré.")
    return breach
