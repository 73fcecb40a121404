"""Shared by the bench scripts: Django set up on DATABASE_URL, migrated, funds loaded, synthetic cohorts, and the
yardstick of the bulk benches (a raw COPY of the same rows)."""

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

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


def raw_copy_seconds(cohort_id: int, workdir: Path) -> float:
    """Seconds to COPY the cohort's stored rows into an equivalent table (same columns, indexes and foreign keys)."""
    from breaches.models import Breach, Cohort
    from network.models import Fund

    dump = workdir / "rows.copy"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_target")
        cursor.execute("CREATE TABLE bench_copy_target (LIKE breaches_affectedperson INCLUDING ALL)")
        # Equivalent means the same foreign keys too (LIKE does not copy them): deferred, checked at commit.
        for column, model in (("breach_id", Breach), ("cohort_id", Cohort), ("fund_id", Fund)):
            table = model._meta.db_table
            cursor.execute(f"ALTER TABLE bench_copy_target ADD FOREIGN KEY ({column}) REFERENCES {table} (id) "
                           "DEFERRABLE INITIALLY DEFERRED")
        with dump.open("wb") as handle, cursor.cursor.copy(
                f"COPY (SELECT * FROM breaches_affectedperson WHERE cohort_id = {int(cohort_id)}) TO STDOUT") as copy:
            for chunk in copy:
                handle.write(chunk)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        with dump.open("rb") as handle, cursor.cursor.copy("COPY bench_copy_target FROM STDIN") as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
    elapsed = time.perf_counter() - started  # the commit (and its deferred key checks) included
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_copy_target")
    dump.unlink()
    return elapsed
