"""Demo data: a breach of laboratories and a synthetic cohort of a few thousand people (valid keys, never real),
imported through the real pipeline. Idempotent: a second run finds the cohort and changes nothing."""

import datetime
import random
import tempfile
from pathlib import Path

from breaches.gdpr.demo import controller_breach_seed, lab_leak_document
from breaches.importing import cohort_import, cohort_register
from breaches.models import Breach, Cohort
from breaches.nir import make_nir
from breaches.services import breach_create

DEMO_TITLE = "Fuite des laboratoires d'analyses de l'Ouest"
DEMO_SIZE = 3000
# Known flagged people, to try the lookup: (NIR, fund code, name).
SHOWCASE = [
    (make_nir(sex=2, year=77, month=8, place="56178", order=42), "561", "Le Gall", "Anne", "56100"),
    (make_nir(sex=1, year=64, month=11, place="56260", order=7), "561", "Guénolé", "Loïc", "56000"),
    (make_nir(sex=1, year=91, month=2, place="29019", order=118), "291", "Kerouac", "Yann", "29200"),
    (make_nir(sex=2, year=85, month=30, place="29232", order=5), "291", "Morvan", "Nolwenn", "29000"),
]
UNASSIGNED = [
    (make_nir(sex=2, year=70, month=1, place="59350", order=12), "", "Dupré", "Noëlle", "59000"),
    (make_nir(sex=1, year=88, month=6, place="99350", order=3), "", "Benali", "Karim", ""),
]
NOT_FLAGGED = make_nir(sex=1, year=90, month=3, place="35238", order=501)
PLACES = [("56", "56260", "56100"), ("29", "29019", "29200"), ("35", "35238", "35000"), ("22", "22278", "22000"),
          ("44", "44109", "44000"), ("2A", "2A004", "20000"), ("974", "97411", "97400"), ("75", "75056", "75011")]
LABS = [f"Laboratoire {name}" for name in ("Armor", "Océane", "Iroise", "Brocéliande", "Vilaine", "Loire")]


def _rows(rng: random.Random):
    yield from SHOWCASE
    yield from UNASSIGNED
    for n in range(DEMO_SIZE - len(SHOWCASE) - len(UNASSIGNED)):
        _, place, postcode = PLACES[n % len(PLACES)]
        if place[:2].isdigit() and place[:2] not in ("97", "98"):
            place = place[:2] + f"{rng.randint(1, 300):03d}"
        nir = make_nir(sex=1 + n % 2, year=rng.randint(30, 99) if place[:2] != "2A" else rng.randint(76, 99),
                       month=rng.randint(1, 12), place=place, order=n % 999 + 1)
        yield nir, "", "Synthétique", f"Personne {n}", postcode


def _write_file(path: Path) -> None:
    rng = random.Random(2026)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("NIR;Nom;Prénom;Code postal;Caisse;Laboratoire;Date de prélèvement\n")
        for nir, fund, last, first, postcode in _rows(rng):
            sample = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 40))
            handle.write(f"{nir};{last};{first};{postcode};{fund};{rng.choice(LABS)};{sample:%d/%m/%Y}\n")


def seed(stdout) -> None:
    breach = Breach.objects.filter(title=DEMO_TITLE).first()
    if breach is None:
        breach = breach_create(
            actor=None, title=DEMO_TITLE, discovered_on=datetime.date(2026, 2, 9),
            reported_on=datetime.date(2026, 2, 11), data_categories="nir,identity,birth_date,health",
            departments="56,29,35,22,44", severity="critical", organisations="\n".join(LABS),
            description="Le logiciel de gestion de plusieurs laboratoires d'analyses a été piraté : identité, NIR "
                        "et résultats d'analyses de leurs patients ont été exfiltrés.")
    if not Cohort.objects.filter(breach=breach, status=Cohort.Status.DONE).exists():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "cohorte-demo-laboratoires.csv"
            _write_file(path)
            cohort = cohort_register(actor=None, breach=breach, path=path, queue=False)
            cohort_import(cohort_id=cohort.pk)
    lab_leak_document(breach)
    mailing = controller_breach_seed()
    stdout.write(f"Fuite de démonstration {breach.reference} : NIR signalés (CPAM 561 et 291) :")
    for nir, fund, last, first, _ in SHOWCASE:
        stdout.write(f"  {nir}  ({first} {last}, caisse {fund})")
    stdout.write(f"  NIR non signalé pour comparer : {NOT_FLAGGED}")
    stdout.write(f"Fuite dont le réseau est responsable (délai de 72 heures en cours) : {mailing.reference}")
