"""Key rotation: re-seal every NIR under the current seal key and recompute its digest under the current digest
key, in batches, resumable, with lookups working throughout.

Procedure: put the new keys in NIR_DIGEST_KEY / NIR_SEAL_KEY and the old ones in NIR_DIGEST_PREVIOUS_KEYS /
NIR_SEAL_PREVIOUS_KEYS, restart, run `manage.py rotate_keys`. Lookups try the digest under every key
(breaches.crypto.nir_digests), so rows not yet re-keyed are still found. When the command says it has finished,
remove the previous keys. Progress lives in audit.KeyRotation: a run stopped midway resumes where it stopped.
"""

import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from breaches.crypto import current_seal_key_id, nir_digest, seal_nir, unseal_nir
from breaches.models import AffectedPerson, KeyRotation

logger = logging.getLogger(__name__)
BATCH = 5000


@dataclass(frozen=True)
class Rekeyed:
    id: int
    breach_id: int
    nir_digest: str
    nir_sealed: str
    seal_key_id: str


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


def _rekey(rows: list[tuple]) -> list[Rekeyed]:
    target_key = current_seal_key_id()
    changed = []
    for person_id, breach_id, digest, sealed, key_id in rows:
        nir = unseal_nir(sealed, key_id)
        new_digest = nir_digest(nir)
        if key_id != target_key:
            sealed, key_id = seal_nir(nir)
        elif new_digest == digest:
            continue
        changed.append(Rekeyed(person_id, breach_id, new_digest, sealed, key_id))
    return changed


def _write_postgresql(changed: list[Rekeyed]) -> None:
    values = ", ".join(["(%s, %s, %s, %s)"] * len(changed))
    params = [v for row in changed for v in (row.id, row.nir_digest, row.nir_sealed, row.seal_key_id)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE breaches_affectedperson AS p SET nir_digest = v.d, nir_sealed = v.s, seal_key_id = v.k "
            f"FROM (VALUES {values}) AS v(id, d, s, k) WHERE p.id = v.id::bigint", params)


def _write(changed: list[Rekeyed]) -> None:
    if connection.vendor == "postgresql":
        _write_postgresql(changed)
        return
    people = [AffectedPerson(id=r.id, nir_digest=r.nir_digest, nir_sealed=r.nir_sealed, seal_key_id=r.seal_key_id)
              for r in changed]
    AffectedPerson.objects.bulk_update(people, ["nir_digest", "nir_sealed", "seal_key_id"], batch_size=1000)


def _write_one_by_one(changed: list[Rekeyed]) -> int:
    """Fallback when a batch collides: a person imported twice during the rotation (once under each key) is
    merged by dropping the old-key row. Returns how many were merged."""
    merged = 0
    for row in changed:
        duplicate = AffectedPerson.objects.filter(breach_id=row.breach_id, nir_digest=row.nir_digest).exclude(id=row.id)
        if duplicate.exists():
            AffectedPerson.objects.filter(id=row.id).delete()
            merged += 1
        else:
            _write([row])
    return merged


@transaction.atomic
def _batch(rotation: KeyRotation, size: int) -> int:
    rows = list(AffectedPerson.objects.filter(id__gt=rotation.last_person_id).order_by("id")
                .values_list("id", "breach_id", "nir_digest", "nir_sealed", "seal_key_id")[:size])
    if not rows:
        return 0
    changed = _rekey(rows)
    if changed:
        try:
            with transaction.atomic():
                _write(changed)
        except IntegrityError:
            rotation.merged += _write_one_by_one(changed)
    rotation.last_person_id, rotation.people = rows[-1][0], rotation.people + len(changed)
    rotation.save(update_fields=["last_person_id", "people", "merged"])
    return len(rows)


def keys_rotate(*, actor: AbstractBaseUser | None = None, batch_size: int = BATCH, max_batches: int | None = None,
                progress: Callable[[KeyRotation], None] | None = None) -> KeyRotation:
    """Re-key people after the last one done, batch by batch (each batch commits with its progress).
    `max_batches` stops early (the next call resumes). Finished when no person is left."""
    rotation = rotation_current(actor=actor)
    done = 0
    while max_batches is None or done < max_batches:
        if not _batch(rotation, batch_size):
            rotation.finished_at = timezone.now()
            rotation.save(update_fields=["finished_at"])
            logger.info("key rotation finished: people=%s merged=%s", rotation.people, rotation.merged)
            break
        done += 1
        if progress:
            progress(rotation)
    return rotation
