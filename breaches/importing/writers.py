"""Where accepted rows go. PostgreSQL: COPY into an unlogged staging table, then one INSERT ... SELECT that keeps
a NIR's first line and skips people already in the breach. SQLite: bulk_create of each chunk, ignoring conflicts.
Both run inside the import's transaction: a failure leaves nothing."""

import logging
import time
from collections.abc import Iterator

from django.db import connection
from django.utils import timezone

from breaches.importing.rows import COLUMNS, Parsed
from breaches.models import AffectedPerson, Breach, Cohort

# The digest in the "C" collation: DISTINCT ON sorts by bytes (abbreviated keys), twice as fast as under the
# database's locale, and hex digests sort the same either way, so the inserts still follow the index's order.
_STAGING_TYPES = ("integer", 'text COLLATE "C"', "text", "text", "text", "text", "text", "date", "text", "text", "text",
                  "date", "bigint")
logger = logging.getLogger(__name__)


def writes_copy_text() -> bool:
    """Whether the writer takes parsed chunks as COPY text (PostgreSQL) rather than tuples."""
    return connection.vendor == "postgresql"


def postgres_write(*, cohort: Cohort, parsed: Iterator[Parsed]) -> tuple[int, int]:
    """Stream rows into a staging table with COPY, then move them in one statement.
    Returns (rows inserted, of which unassigned)."""
    staging = f"breaches_staging_{cohort.pk}"
    definition = ", ".join(f"{name} {kind}" for name, kind in zip(COLUMNS, _STAGING_TYPES, strict=True))
    with connection.cursor() as cursor:
        # Unlogged (no WAL) and created inside the import's transaction: a rollback or a crash removes it.
        # Not TEMPORARY: temporary tables live in the session's small temp_buffers and spill to disk.
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(f"CREATE UNLOGGED TABLE {staging} ({definition})")
        started = time.monotonic()
        with cursor.cursor.copy(f"COPY {staging} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for chunk in parsed:
                copy.write(chunk.copy_text)
        copied = time.monotonic()
        inserted, unassigned = _move(cursor, staging, cohort)
        cursor.execute(f"DROP TABLE {staging}")
        # Fresh statistics at once, not at autovacuum's next pass: with none, the lookup's plan probes the people
        # of every breach instead of going straight to the digest.
        cursor.execute(f"ANALYZE {AffectedPerson._meta.db_table}")
    logger.info("cohort %s: read and staged in %.1f s, moved in %.1f s", cohort.pk, copied - started,
                time.monotonic() - copied)
    return inserted, unassigned


def _move(cursor, staging: str, cohort: Cohort) -> tuple[int, int]:
    """Keep the first line of each NIR (DISTINCT ON), skip people already in the breach (NOT EXISTS: imports
    into one breach are serialised by a lock on the breach row) and insert in digest order, which keeps the
    index inserts sequential: faster than ON CONFLICT, and than a raw COPY of the file's order into the table.

    No nested loop: the people table's statistics may say it is empty (a new database, or just after a purge),
    and a nested loop would then scan every row inserted so far for each row it inserts."""
    Breach.objects.select_for_update().filter(pk=cohort.breach_id).exists()
    people, target = AffectedPerson._meta.db_table, ", ".join(name for name in COLUMNS if name != "line")
    cursor.execute("SET LOCAL work_mem = '256MB'")  # the DISTINCT ON sort stays in memory
    cursor.execute("SET LOCAL enable_nestloop = off")
    cursor.execute(
        f"WITH moved AS (INSERT INTO {people} (breach_id, cohort_id, created_at, updated_at, {target}) "
        f"SELECT %s, %s, %s, %s, {target} FROM "
        f"(SELECT DISTINCT ON (nir_digest) * FROM {staging} ORDER BY nir_digest, line) AS first_lines "
        f"WHERE NOT EXISTS (SELECT 1 FROM {people} AS known WHERE known.breach_id = %s "
        "AND known.nir_digest = first_lines.nir_digest COLLATE \"default\") RETURNING fund_id) "
        "SELECT count(*), count(*) - count(fund_id) FROM moved",
        [cohort.breach_id, cohort.pk, timezone.now(), timezone.now(), cohort.breach_id],
    )
    counts = cursor.fetchone()
    cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")
    cursor.execute("SET LOCAL work_mem TO DEFAULT")
    return counts


def sqlite_write(*, cohort: Cohort, parsed: Iterator[Parsed]) -> tuple[int, int]:
    """Batched inserts; the unique (breach, digest) constraint drops duplicates.
    Returns (rows inserted, of which unassigned)."""
    for chunk in parsed:
        AffectedPerson.objects.bulk_create(
            [AffectedPerson(breach_id=cohort.breach_id, cohort_id=cohort.pk,
                            **dict(zip(COLUMNS[1:], row[1:], strict=True))) for row in chunk.accepted],
            ignore_conflicts=True,
        )
    stored = AffectedPerson.objects.filter(cohort_id=cohort.pk)
    return stored.count(), stored.filter(fund__isnull=True).count()


def write_people(*, cohort: Cohort, parsed: Iterator[Parsed]) -> tuple[int, int]:
    if connection.vendor == "postgresql":
        return postgres_write(cohort=cohort, parsed=parsed)
    return sqlite_write(cohort=cohort, parsed=parsed)
