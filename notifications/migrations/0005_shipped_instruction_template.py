"""The template shipped with Vigie: the vigilance measures of the national letter of 31 March 2021, written after
the leak of some 500,000 patients' data from medical laboratories (name, NIR, birth date)."""

from django.db import migrations

NAME = "Vigilance renforcée après une fuite de NIR (lettre du 31 mars 2021)"
TITLE = "Vigilance renforcée : fuite de données d'assurés (NIR, identité)"
BODY = """Des données d'identité d'assurés (nom, prénom, date de naissance, **NIR**) ont été divulguées à la suite
d'une fuite de données hors du réseau. Des fraudeurs peuvent s'en servir pour se faire passer pour un assuré,
modifier ses coordonnées bancaires ou prendre la main sur son compte en ligne.

Jusqu'à nouvel ordre, appliquez les mesures suivantes :

- **Accueil physique et téléphonique** : contrôlez strictement l'identité de toute personne qui se présente ou
  appelle au nom d'un assuré ; la connaissance du NIR et de la date de naissance ne suffit pas.
- **Changement de coordonnées bancaires** : avant toute modification, vérifiez la concordance entre le titulaire
  du RIB et l'assuré ; en cas de doute, suspendez la modification et contactez l'assuré par un canal déjà connu.
- **Compte en ligne** : surveillez les demandes de récupération d'accès au compte (changement d'adresse
  électronique ou de téléphone, réinitialisation du mot de passe) des assurés concernés.
- **Hameçonnage** : relayez auprès des assurés la communication nationale de prévention de l'hameçonnage
  (l'Assurance Maladie ne demande jamais de coordonnées bancaires par courriel ou SMS).

Consultez le registre des personnes exposées avant toute opération sensible et consignez chaque vérification."""
ACTIONS = [
    "Renforcer le contrôle d'identité à l'accueil et au téléphone",
    "Vérifier la concordance titulaire du RIB / assuré avant tout changement de coordonnées bancaires",
    "Surveiller les demandes de récupération de compte en ligne",
    "Relayer la communication nationale contre l'hameçonnage",
]


def ship(apps, schema_editor):
    InstructionTemplate = apps.get_model("notifications", "InstructionTemplate")
    InstructionTemplate.objects.get_or_create(
        name=NAME, defaults={"title": TITLE, "body": BODY, "required_actions": ACTIONS, "reply_days": 7})


def unship(apps, schema_editor):
    apps.get_model("notifications", "InstructionTemplate").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_instruction_templates")]
    operations = [migrations.RunPython(ship, unship)]
