"""Where accepted rows go. PostgreSQL: COPY into a temporary staging table, then one INSERT ... SELECT that
skips people already in the breach (ON CONFLICT DO NOTHING). SQLite: batched bulk_create ignoring conflicts.
Both run inside the import's transaction: a failure leaves nothing."""

import logging
import time
from collections.abc import Iterable, Iterator

from django.db import connection
from django.utils import timezone

from breaches.importing.rows import COLUMNS, Accepted
from breaches.models import AffectedPerson, Breach, Cohort

_STAGING_TYPES = ("integer", "char(64)", "text", "text", "text", "text", "text", "date", "text", "text", "text",
                  "date", "bigint")
SQLITE_BATCH = 2000
logger = logging.getLogger(__name__)


def postgres_write(*, cohort: Cohort, accepted: Iterator[Accepted]) -> tuple[int, int]:
    """Stream rows into a staging table with COPY, then move them in one statement.
    Returns (rows inserted, of which unassigned).

    The move keeps the first line of each NIR (DISTINCT ON), skips people already in the breach (NOT EXISTS:
    imports into one breach are serialised by a lock on the breach row) and inserts in digest order, which keeps
    the index inserts sequential: faster than ON CONFLICT, and than a raw COPY into the indexed table."""
    staging = f"breaches_staging_{cohort.pk}"
    columns = ", ".join(COLUMNS)
    definition = ", ".join(f"{name} {kind}" for name, kind in zip(COLUMNS, _STAGING_TYPES, strict=True))
    target = [name for name in COLUMNS if name != "line"]
    with connection.cursor() as cursor:
        # Unlogged (no WAL) and created inside the import's transaction: a rollback or a crash removes it.
        # Not TEMPORARY: temporary tables live in the session's small temp_buffers and spill to disk.
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(f"CREATE UNLOGGED TABLE {staging} ({definition})")
        started = time.monotonic()
        with cursor.cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
            for row in accepted:
                copy.write_row(row)
        copied = time.monotonic()
        Breach.objects.select_for_update().filter(pk=cohort.breach_id).exists()
        cursor.execute("SET LOCAL work_mem = '256MB'")  # the DISTINCT ON sort stays in memory
        people = AffectedPerson._meta.db_table
        cursor.execute(
            f"WITH moved AS (INSERT INTO {people} (breach_id, cohort_id, created_at, updated_at, "
            f"{', '.join(target)}) SELECT %s, %s, %s, %s, {', '.join(target)} FROM "
            f"(SELECT DISTINCT ON (nir_digest) * FROM {staging} ORDER BY nir_digest, line) AS first_lines "
            f"WHERE NOT EXISTS (SELECT 1 FROM {people} AS known WHERE known.breach_id = %s "
            "AND known.nir_digest = first_lines.nir_digest) RETURNING fund_id) "
            "SELECT count(*), count(*) - count(fund_id) FROM moved",
            [cohort.breach_id, cohort.pk, timezone.now(), timezone.now(), cohort.breach_id],
        )
        inserted, unassigned = cursor.fetchone()
        cursor.execute(f"DROP TABLE {staging}")
        # Fresh statistics at once, not at autovacuum's next pass: with none, the lookup's plan probes the people
        # of every breach instead of going straight to the digest.
        cursor.execute(f"ANALYZE {people}")
    logger.info("cohort %s: read and staged in %.1f s, moved in %.1f s", cohort.pk, copied - started,
                time.monotonic() - copied)
    return inserted, unassigned


def _batches(accepted: Iterable[Accepted], size: int) -> Iterator[list[Accepted]]:
    batch: list[Accepted] = []
    for row in accepted:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def sqlite_write(*, cohort: Cohort, accepted: Iterator[Accepted]) -> tuple[int, int]:
    """Batched inserts; the unique (breach, digest) constraint drops duplicates.
    Returns (rows inserted, of which unassigned)."""
    for batch in _batches(accepted, SQLITE_BATCH):
        AffectedPerson.objects.bulk_create(
            [AffectedPerson(breach_id=cohort.breach_id, cohort_id=cohort.pk,
                            **dict(zip(COLUMNS[1:], row[1:], strict=True))) for row in batch],
            ignore_conflicts=True,
        )
    stored = AffectedPerson.objects.filter(cohort_id=cohort.pk)
    return stored.count(), stored.filter(fund__isnull=True).count()


def write_people(*, cohort: Cohort, accepted: Iterator[Accepted]) -> tuple[int, int]:
    if connection.vendor == "postgresql":
        return postgres_write(cohort=cohort, accepted=accepted)
    return sqlite_write(cohort=cohort, accepted=accepted)
