"""Re-key N affected people (re-seal + re-digest) with the same service as `manage.py rotate_keys`.

    DATABASE_URL=postgres://... python bench/rotate_keys.py --people 500000

Builds a synthetic cohort sealed under an "old" key pair (COPY on PostgreSQL), times a raw COPY of its rows into an
equivalent table (the yardstick, PostgreSQL only), switches to a "new" pair with the old one as previous (the
deployment step), runs the rotation, checks a sample, then removes what it created.
Last line: one JSON object {"people", "seconds", "copy_s", "ratio", "peak_rss_mb"} (ratio = seconds / copy_s).
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from _setup import raw_copy_seconds  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from breaches.crypto import current_seal_key_id, nir_digest, nir_digests, seal_nir, unseal_nir  # noqa: E402
from breaches.models import AffectedPerson, Breach, Cohort, KeyRotation  # noqa: E402
from breaches.nir import make_nir, mask_nir  # noqa: E402
from breaches.rotation import BATCH, keys_rotate  # noqa: E402

OLD = ("bench-ancienne-cle-empreinte-0123456789", "bench-ancienne-cle-scellement-0123456789")
TITLE = "Banc d'essai rotation"
NEW = ("bench-nouvelle-cle-empreinte-0123456789", "bench-nouvelle-cle-scellement-0123456789")


def use_keys(current: tuple[str, str], previous: tuple[str, str] | None = None) -> None:
    settings.NIR_DIGEST_KEY, settings.NIR_SEAL_KEY = current
    settings.NIR_DIGEST_PREVIOUS_KEYS = [previous[0]] if previous else []
    settings.NIR_SEAL_PREVIOUS_KEYS = [previous[1]] if previous else []


def synthetic_nir(index: int) -> str:
    order, rest = index % 999 + 1, index // 999
    month, rest = rest % 12 + 1, rest // 12
    year, sex = rest % 100, rest // 100 % 2 + 1
    return make_nir(sex=sex, year=year, month=month, place="29019", order=order)


def rows(count: int, *, breach: Breach, cohort: Cohort):
    now = timezone.now()
    for index in range(count):
        nir = synthetic_nir(index)
        token, key_id = seal_nir(nir)
        yield (breach.pk, cohort.pk, nir_digest(nir), token, key_id, mask_nir(nir), now, now, "", "", "", "", "")


COLUMNS = ["breach_id", "cohort_id", "nir_digest", "nir_sealed", "seal_key_id", "nir_masked", "created_at",
           "updated_at", "last_name", "first_name", "postcode", "department", "source"]


def build(count: int, *, breach: Breach, cohort: Cohort) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {AffectedPerson._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows(count, breach=breach, cohort=cohort):
                copy.write_row(row)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {AffectedPerson._meta.db_table}")
        return
    batch = []
    for row in rows(count, breach=breach, cohort=cohort):
        batch.append(AffectedPerson(**dict(zip(COLUMNS, row, strict=True))))
        if len(batch) == 5000:
            AffectedPerson.objects.bulk_create(batch)
            batch = []
    AffectedPerson.objects.bulk_create(batch)


def check_sample(count: int) -> None:
    """A few people: found by their new digest only, sealed under the new key, unsealed to their NIR."""
    key = current_seal_key_id()
    for index in {0, count // 2, count - 1}:
        nir = synthetic_nir(index)
        row = AffectedPerson.objects.get(nir_digest=nir_digest(nir))
        assert row.seal_key_id == key and unseal_nir(row.nir_sealed, row.seal_key_id) == nir
        assert nir_digests(nir)[0] == row.nir_digest


def start_clean() -> None:
    """Earlier runs' rows removed and vacuumed away: each run starts from the same state as the raw COPY's table."""
    for breach in Breach.objects.filter(title=TITLE):
        AffectedPerson.objects.filter(breach=breach)._raw_delete(connection.alias)
        breach.delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {AffectedPerson._meta.db_table}")


def yardstick(cohort: Cohort) -> float | None:
    """Seconds for a raw COPY of the cohort's rows (None on SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with tempfile.TemporaryDirectory() as tmp:
        copy_s = raw_copy_seconds(cohort.pk, Path(tmp))
    print(f"COPY brut des mêmes lignes : {copy_s:.1f} s", file=sys.stderr)
    return copy_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500_000)
    parser.add_argument("--batch-size", type=int, default=BATCH)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    start_clean()
    use_keys(OLD)
    breach = None
    try:
        started = time.perf_counter()
        with transaction.atomic():
            breach = Breach.objects.create(reference=f"ROT{os.getpid() % 10**8}", title=TITLE,
                                           discovered_on=timezone.localdate())
            cohort = Cohort.objects.create(breach=breach, file_name="bench.csv", checksum="1" * 64,
                                           status=Cohort.Status.DONE)
            build(args.people, breach=breach, cohort=cohort)
        print(f"cohorte : {args.people} personnes scellées en {time.perf_counter() - started:.1f} s", file=sys.stderr)
        copy_s = yardstick(cohort)
        use_keys(NEW, previous=OLD)
        started = time.perf_counter()
        rotation = keys_rotate(batch_size=args.batch_size)
        seconds = time.perf_counter() - started
        assert rotation.finished_at and rotation.people >= args.people, rotation.people
        use_keys(NEW)
        check_sample(args.people)
        print(f"rotation : {rotation.people} personnes en {seconds:.1f} s ({connection.vendor})", file=sys.stderr)
    finally:
        if breach is not None:
            AffectedPerson.objects.filter(breach=breach)._raw_delete(connection.alias)
            breach.delete()
        KeyRotation.objects.filter(seal_key_id=current_seal_key_id()).delete()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = round(seconds / copy_s, 2) if copy_s else None
    print(json.dumps({"people": args.people, "seconds": round(seconds, 2), "copy_s": copy_s and round(copy_s, 2),
                      "ratio": ratio, "peak_rss_mb": round(peak, 1)}))


if __name__ == "__main__":
    main()
