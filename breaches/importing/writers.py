"""Where accepted rows go. PostgreSQL: COPY into a temporary staging table, then one INSERT ... SELECT that
skips people already in the breach (ON CONFLICT DO NOTHING). SQLite: batched bulk_create ignoring conflicts.
Both run inside the import's transaction: a failure leaves nothing."""

from collections.abc import Iterable, Iterator

from django.db import connection
from django.utils import timezone

from breaches.importing.rows import Accepted
from breaches.models import AffectedPerson, Cohort

COLUMNS = ("line", "nir_digest", "nir_sealed", "seal_key_id", "nir_masked", "last_name", "first_name",
           "birth_date", "postcode", "department", "source", "sample_date", "fund_id")
_STAGING_TYPES = ("integer", "char(64)", "text", "text", "text", "text", "text", "date", "text", "text", "text",
                  "date", "bigint")
SQLITE_BATCH = 2000


def postgres_write(*, cohort: Cohort, accepted: Iterator[Accepted]) -> int:
    """Stream rows into a staging table with COPY, then move them in one statement. Returns rows inserted."""
    staging = f"breaches_staging_{cohort.pk}"
    columns = ", ".join(COLUMNS)
    definition = ", ".join(f"{name} {kind}" for name, kind in zip(COLUMNS, _STAGING_TYPES, strict=True))
    target = [name for name in COLUMNS if name != "line"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ({definition}) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
            for row in accepted:
                copy.write_row(row.as_tuple())
        cursor.execute(
            f"INSERT INTO {AffectedPerson._meta.db_table} "
            f"(breach_id, cohort_id, created_at, updated_at, {', '.join(target)}) "
            f"SELECT %s, %s, %s, %s, {', '.join(target)} FROM {staging} ORDER BY line "
            "ON CONFLICT (breach_id, nir_digest) DO NOTHING",
            [cohort.breach_id, cohort.pk, timezone.now(), timezone.now()],
        )
        inserted = cursor.rowcount
        cursor.execute(f"DROP TABLE {staging}")
    return inserted


def _batches(accepted: Iterable[Accepted], size: int) -> Iterator[list[Accepted]]:
    batch: list[Accepted] = []
    for row in accepted:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def sqlite_write(*, cohort: Cohort, accepted: Iterator[Accepted]) -> int:
    """Batched inserts; the unique (breach, digest) constraint drops duplicates. Returns rows inserted."""
    for batch in _batches(accepted, SQLITE_BATCH):
        AffectedPerson.objects.bulk_create(
            [AffectedPerson(breach_id=cohort.breach_id, cohort_id=cohort.pk, **{
                name: getattr(row, name) for name in COLUMNS if name != "line"}) for row in batch],
            ignore_conflicts=True,
        )
    return AffectedPerson.objects.filter(cohort_id=cohort.pk).count()


def write_people(*, cohort: Cohort, accepted: Iterator[Accepted]) -> int:
    if connection.vendor == "postgresql":
        return postgres_write(cohort=cohort, accepted=accepted)
    return sqlite_write(cohort=cohort, accepted=accepted)
