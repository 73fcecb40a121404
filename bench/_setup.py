"""Shared by the bench scripts: Django set up on DATABASE_URL, migrated, funds loaded, synthetic cohorts."""

import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from breaches.nir import nir_key  # noqa: E402

PLACES = ["56034", "29019", "35238", "75056", "13055", "59350", "69123", "2A004", "97105", "99350", "33063", "31555"]
POSTCODES = {"56": "56100", "29": "29200", "35": "35000", "75": "75011", "13": "13001", "59": "59000",
             "69": "69003", "2A": "20000", "97": "97110", "99": "", "33": "33000", "31": "31000"}


def prepare_database() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    from network.services import funds_load

    funds_load()


def synthetic_nir(index: int) -> str:
    """A distinct valid NIR for every index below 9,999,000 (deterministic: benches can ask for known ones)."""
    place = PLACES[index % len(PLACES)]
    rest = index // len(PLACES)
    order = rest % 999 + 1
    rest //= 999
    month = rest % 12 + 1
    year = 76 + (rest // 12) % 24  # 1976-1999: Corsican 2A is valid for every year used
    sex = 1 + (rest // 288) % 2
    body = f"{sex}{year:02d}{month:02d}{place}{order:03d}"
    return body + nir_key(body)


def write_cohort_file(path: Path, rows: int, *, start: int = 0) -> None:
    rng = random.Random(rows)
    names = ["Le Gall", "Martin", "Bernard", "Dubois", "Lefèvre", "Guénolé", "Santoni", "Nguyen"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("NIR;Nom;Prénom;Date de naissance;Code postal;Caisse;Laboratoire\n")
        for index in range(start, start + rows):
            nir = synthetic_nir(index)
            postcode = POSTCODES[nir[5:7]]
            handle.write(f"{nir};{rng.choice(names)};Anne;{rng.randint(1, 28):02d}/{int(nir[3:5]):02d}/19{nir[1:3]};"
                         f"{postcode};;Laboratoire {index % 30 + 1}\n")
