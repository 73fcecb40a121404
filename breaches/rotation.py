"""Key rotation: re-seal every NIR under the current seal key and recompute its digest under the current digest
key, in chunks, resumable, with lookups working throughout.

Procedure: put the new keys in NIR_DIGEST_KEY / NIR_SEAL_KEY and the old ones in NIR_DIGEST_PREVIOUS_KEYS /
NIR_SEAL_PREVIOUS_KEYS, restart, run `manage.py rotate_keys`. Lookups try the digest under every key
(breaches.crypto.nir_digests), so rows not yet re-keyed are still found. When the command says it has finished,
remove the previous keys. Progress lives in KeyRotation: a run stopped midway resumes where it stopped.

Each chunk is one transaction: read the next people by id, re-key them (breaches.crypto.nirs_rekeyed), stage the
new values in a table (COPY on PostgreSQL), one UPDATE from it, the progress. A lookup sees a chunk entirely before
or entirely after (MVCC).
"""

import hashlib
import hmac
import logging
from collections.abc import Callable
from operator import itemgetter

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from breaches.crypto import current_seal_key_id, nirs_rekeyed
from breaches.models import AffectedPerson, KeyRotation

logger = logging.getLogger(__name__)
BATCH = 50_000
PEOPLE = AffectedPerson._meta.db_table
STAGED = "breaches_rekeyed"
# text, not char(64): compared with the people's varchar digest, char would cast it and miss its index
_STAGED_COLUMNS = "id bigint, breach_id bigint, nir_digest text, nir_sealed text, seal_key_id text"
UPDATE = (f"UPDATE {PEOPLE} SET nir_digest = s.nir_digest, nir_sealed = s.nir_sealed, seal_key_id = s.seal_key_id "
          f"FROM {STAGED} AS s WHERE {PEOPLE}.id = s.id")
# A person imported again under the new keys while their old-key row waited (the import checks the new digest
# only), or twice in the cohort under two old keys: the re-keyed row that would collide goes, the other stays.
MERGE = (f"DELETE FROM {PEOPLE} WHERE id IN (SELECT s.id FROM {STAGED} AS s WHERE "
         f"EXISTS (SELECT 1 FROM {PEOPLE} AS kept WHERE kept.breach_id = s.breach_id "
         "AND kept.nir_digest = s.nir_digest AND kept.id <> s.id) "
         f"OR EXISTS (SELECT 1 FROM {STAGED} AS first WHERE first.breach_id = s.breach_id "
         "AND first.nir_digest = s.nir_digest AND first.id < s.id))")


def digest_key_fingerprint() -> str:
    """Names the current digest key without revealing it."""
    return hmac.new(settings.NIR_DIGEST_KEY.encode(), b"vigie/key-fingerprint", hashlib.sha256).hexdigest()[:16]


def rotation_current(*, actor: AbstractBaseUser | None = None) -> KeyRotation:
    """The open rotation towards the current keys (created if none): the one a new run resumes."""
    rotation, _ = KeyRotation.objects.get_or_create(
        digest_key_fingerprint=digest_key_fingerprint(), seal_key_id=current_seal_key_id(), finished_at=None,
        defaults={"actor": actor},
    )
    return rotation


def _stage(cursor, changed: list[tuple]) -> None:
    """The chunk's new values in a table, in digest order, for one UPDATE."""
    changed.sort(key=itemgetter(2))
    if connection.vendor == "postgresql":
        # Unlogged (no WAL) rather than temporary (the session's small temp_buffers would spill to disk);
        # created in the chunk's transaction, so a rollback or a crash takes it away.
        cursor.execute(f"CREATE UNLOGGED TABLE {STAGED} ({_STAGED_COLUMNS})")
        with cursor.cursor.copy(f"COPY {STAGED} FROM STDIN") as copy:
            # ids, hex digests, base64url tokens and hex key ids need no COPY escaping
            copy.write("".join(f"{a}\t{b}\t{c}\t{d}\t{e}\n" for a, b, c, d, e in changed))
        cursor.execute(f"ANALYZE {STAGED}")
        # Walk the staged rows in their (digest) order and find each person by id: the inserts into the two digest
        # indexes then sweep each index once per chunk. In id order (what a merge join gives) they jump about
        # indexes larger than shared buffers, read and written back several times a chunk (at 500k people: 330k
        # buffer reads instead of 440k to 630k). Only this chunk's transaction plans this way.
        cursor.execute("SET LOCAL enable_hashjoin = off")
        cursor.execute("SET LOCAL enable_mergejoin = off")
        return
    cursor.execute(f"CREATE TEMPORARY TABLE {STAGED} ({_STAGED_COLUMNS})")
    cursor.executemany(f"INSERT INTO {STAGED} VALUES (%s, %s, %s, %s, %s)", changed)


def _apply(cursor) -> tuple[int, int]:
    """(re-keyed, merged): the staged values written over the people's, colliding rows merged first if need be."""
    merged = 0
    try:
        with transaction.atomic():
            cursor.execute(UPDATE)
    except IntegrityError:
        # by index, whatever the join methods allowed (a pass over the staged rows for each would be quadratic)
        cursor.execute(f"CREATE INDEX {STAGED}_digest ON {STAGED} (breach_id, nir_digest)")
        cursor.execute(MERGE)
        merged = cursor.rowcount
        cursor.execute(UPDATE)
    return cursor.rowcount, merged


def _claim(rotation: KeyRotation) -> bool:
    """Lock the rotation and take its committed progress: two runs at once (a task delivered twice) take turns,
    chunk by chunk, instead of re-keying the same people. False when another run has finished it."""
    latest = KeyRotation.objects.select_for_update().get(pk=rotation.pk)
    rotation.last_person_id, rotation.people, rotation.merged = latest.last_person_id, latest.people, latest.merged
    rotation.finished_at = latest.finished_at
    return latest.finished_at is None


@transaction.atomic
def _chunk(rotation: KeyRotation, size: int) -> int:
    if not _claim(rotation):
        return 0
    rows = list(AffectedPerson.objects.filter(id__gt=rotation.last_person_id).order_by("id")
                .values_list("id", "breach_id", "nir_digest", "nir_sealed", "seal_key_id")[:size])
    if not rows:
        return 0
    changed = list(nirs_rekeyed(rows))
    if changed:
        with connection.cursor() as cursor:
            _stage(cursor, changed)
            rekeyed, merged = _apply(cursor)
            cursor.execute(f"DROP TABLE {STAGED}")
        rotation.people, rotation.merged = rotation.people + rekeyed, rotation.merged + merged
    rotation.last_person_id = rows[-1][0]
    rotation.save(update_fields=["last_person_id", "people", "merged"])
    return len(rows)


def keys_rotate(*, actor: AbstractBaseUser | None = None, batch_size: int = BATCH, max_batches: int | None = None,
                progress: Callable[[KeyRotation], None] | None = None) -> KeyRotation:
    """Re-key people after the last one done, chunk by chunk (each chunk commits with its progress).
    `max_batches` stops early (the next call resumes). Finished when no person is left."""
    rotation = rotation_current(actor=actor)
    done = 0
    while max_batches is None or done < max_batches:
        if not _chunk(rotation, batch_size):
            rotation.finished_at = rotation.finished_at or timezone.now()
            rotation.save(update_fields=["finished_at"])
            logger.info("key rotation finished: people=%s merged=%s", rotation.people, rotation.merged)
            break
        done += 1
        if progress:
            progress(rotation)
    return rotation
