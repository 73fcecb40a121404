"""Cohort import: register a file (checksum: the same file twice is refused), then run it all-or-nothing.

The run is claimed with a guarded UPDATE (pending, or running with a stale heartbeat when a worker died), reads
the file once, writes rejected rows to a report under PRIVATE_ROOT and accepted rows to the database inside one
transaction, then sets the final counters only if no later attempt took the cohort over.
"""

import hashlib
import logging
import multiprocessing
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from breaches.importing.parallel import chunk_size, parsed_chunks
from breaches.importing.progress import Progress, Tracker
from breaches.importing.reading import CohortFile
from breaches.importing.routing import Router
from breaches.importing.rows import Parsed
from breaches.importing.writers import write_people, writes_copy_text
from breaches.models import Breach, Cohort
from config.errors import ApplicationError, ConflictError, NotFound
from config.exports import csv_writer
from config.uploads import store_upload, upload_check
from network.permissions import is_national

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=5)
PENDING_GRACE = timedelta(minutes=2)
ACCEPTED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
REPORT_HEADER = ["ligne", "motif", "nir_masque"]
REPORT_CELL_MAX = 200  # what the report keeps of a reason or a masked value: the file's cells are not ours


class _Superseded(Exception):
    """A later attempt took this cohort over (the worker was thought dead): this attempt's work is dropped."""


@dataclass(frozen=True)
class ImportCounts:
    rows: int
    imported: int
    rejected: int
    duplicates: int
    unassigned: int


def private_path(*parts: str) -> Path:
    path = Path(settings.PRIVATE_ROOT).joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def cohort_upload(*, actor: AbstractBaseUser, breach: Breach, uploaded_file, allow_missing_key: bool = False) -> Cohort:
    """Keep an uploaded file under PRIVATE_ROOT (deleted after the import) and register it; the task is queued."""
    suffix = Path(uploaded_file.name).suffix.lower()
    _check_suffix(suffix)
    upload_check(uploaded_file, allowed={"csv", "xlsx"}, max_bytes=settings.COHORT_UPLOAD_MAX_BYTES)  # by content
    path = private_path("imports", "uploads", f"{uuid.uuid4().hex}{suffix}")
    checksum = store_upload(uploaded_file, path)
    try:
        return cohort_register(actor=actor, breach=breach, path=path, file_name=Path(uploaded_file.name).name,
                               owns_source=True, checksum=checksum, allow_missing_key=allow_missing_key)
    except ApplicationError:
        path.unlink(missing_ok=True)
        raise


def _check_suffix(suffix: str) -> None:
    if suffix not in ACCEPTED_SUFFIXES:
        raise ApplicationError("Format non pris en charge : déposez un fichier CSV ou XLSX.")


@transaction.atomic
def cohort_register(*, actor: AbstractBaseUser | None, breach: Breach, path: Path, file_name: str | None = None,
                    owns_source: bool = False, checksum: str | None = None, allow_missing_key: bool = False,
                    queue: bool = True) -> Cohort:
    """A pending cohort for this file. Refused when the breach is closed or this very file (same SHA-256) is
    already loaded or loading in the breach. With `queue`, the import task starts after commit."""
    path = Path(path)
    _check_suffix(path.suffix.lower())
    if breach.status == Breach.Status.CLOSED:
        raise ApplicationError("La fuite est close : aucune cohorte ne peut plus y être chargée.")
    checksum = checksum or file_checksum(path)
    earlier = Cohort.objects.filter(breach=breach, checksum=checksum).exclude(status=Cohort.Status.FAILED).first()
    if earlier is not None:
        raise ConflictError(f"Ce fichier a déjà été chargé dans la fuite {breach.reference} "
                            f"(« {earlier.file_name} », {earlier.created_at:%d/%m/%Y}).")
    try:
        with transaction.atomic():
            cohort = Cohort.objects.create(
                breach=breach, file_name=(file_name or path.name)[:255], checksum=checksum, source_path=str(path),
                owns_source=owns_source, allow_missing_key=allow_missing_key, created_by=actor)
    except IntegrityError:
        raise ConflictError(f"Ce fichier est déjà en cours de chargement dans la fuite {breach.reference}.")
    logger.info("cohort registered: cohort=%s breach=%s by=%s", cohort.pk, breach.reference, actor and actor.pk)
    if queue:
        from breaches.tasks import import_cohort

        transaction.on_commit(lambda: import_cohort.delay(cohort.pk))
    return cohort


def _claim(cohort_id: int) -> int | None:
    """Take the cohort for one attempt; returns the attempt number, or None when it is not ours to run."""
    now = timezone.now()
    claimable = Q(status=Cohort.Status.PENDING) | Q(status=Cohort.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    claimed = Cohort.objects.filter(claimable, pk=cohort_id).update(
        status=Cohort.Status.RUNNING, attempts=F("attempts") + 1, heartbeat_at=now, started_at=now,
        rows=0, imported=0, rejected=0, duplicates=0, unassigned=0, progress=0)
    if not claimed:
        return None
    return Cohort.objects.values_list("attempts", flat=True).get(pk=cohort_id)


def _processes_for(source: CohortFile) -> int:
    """Worker processes for parsing: only for big files (forking costs more than it saves on small ones)."""
    if source.size < settings.COHORT_PARALLEL_FROM_BYTES:
        return 1
    if multiprocessing.current_process().daemon:
        logger.warning("cohort file parsed in one process: a Celery prefork child may not fork (run the imports "
                       "worker with -P solo)")
        return 1
    return max(1, int(settings.COHORT_IMPORT_PROCESSES))


def _read(cohort: Cohort, router: Router, report, tracker: Tracker, *, as_copy_text: bool) -> Iterator[Parsed]:
    # No query may run in here: on PostgreSQL this generator is consumed inside COPY on the same connection.
    source = CohortFile(Path(cohort.source_path))
    processes = _processes_for(source)
    for parsed in parsed_chunks(source.chunks(chunk_size(processes)), router=router, as_copy_text=as_copy_text,
                                allow_missing_key=cohort.allow_missing_key, processes=processes):
        for rejected in parsed.rejected:
            report.writerow([rejected.line, rejected.reason[:REPORT_CELL_MAX], rejected.nir_masked[:REPORT_CELL_MAX]])
        tracker.count(accepted=parsed.accepted_count, rejected=len(parsed.rejected), fraction=parsed.fraction)
        yield parsed


def _run(cohort: Cohort, report_path: Path, tracker: Tracker) -> ImportCounts:
    with report_path.open("w", encoding="utf-8-sig", newline="") as handle:
        report = csv_writer(handle)
        report.writerow(REPORT_HEADER)
        parsed = _read(cohort, Router(), report, tracker, as_copy_text=writes_copy_text())
        inserted, unassigned = write_people(cohort=cohort, parsed=parsed)
    state = tracker.state
    return ImportCounts(rows=state.rows, imported=inserted, rejected=state.rejected,
                        duplicates=state.accepted - inserted, unassigned=unassigned)


def _finish(cohort: Cohort, attempt: int, counts: ImportCounts, report: str) -> None:
    done = Cohort.objects.filter(pk=cohort.pk, attempts=attempt, status=Cohort.Status.RUNNING).update(
        status=Cohort.Status.DONE, progress=100, error_report=report, error_message="",
        finished_at=timezone.now(), heartbeat_at=timezone.now(), **counts.__dict__)
    if not done:
        raise _Superseded


def _fail(cohort: Cohort, attempt: int, message: str, report_path: Path, *, keep_source: bool = False) -> None:
    """`keep_source`: the failure was not the file's (a database fault…), so "Relancer l'import" may reuse it."""
    report_path.unlink(missing_ok=True)
    Cohort.objects.filter(pk=cohort.pk, attempts=attempt).update(
        status=Cohort.Status.FAILED, error_message=message, error_report="", rows=0, imported=0, rejected=0,
        duplicates=0, unassigned=0, progress=0, finished_at=timezone.now())
    if not keep_source:
        _discard_source(cohort)


def _discard_source(cohort: Cohort) -> None:
    """An uploaded file holds clear NIRs: it goes as soon as the import is over (an operator's file stays)."""
    if cohort.owns_source and cohort.source_path:
        Path(cohort.source_path).unlink(missing_ok=True)


def cohort_import(*, cohort_id: int, on_progress: Callable[[Progress], None] | None = None) -> Cohort | None:
    """Run the import of a registered cohort. Returns the cohort (done or failed), or None when another worker
    holds it or it is already over. Domain errors (no NIR column…) mark it failed; other errors also re-raise."""
    attempt = _claim(cohort_id)
    if attempt is None:
        return None
    cohort = Cohort.objects.select_related("breach").get(pk=cohort_id)
    relative = Path("imports", "reports", f"cohorte-{cohort.pk}-{attempt}.csv")
    report_path = private_path(*relative.parts)
    tracker = Tracker(cohort=cohort, attempt=attempt, on_progress=on_progress)
    started = time.monotonic()
    try:
        with transaction.atomic():
            counts = _run(cohort, report_path, tracker)
            _finish(cohort, attempt, counts, str(relative))
    except _Superseded:
        report_path.unlink(missing_ok=True)
        logger.warning("cohort import superseded: cohort=%s attempt=%s", cohort.pk, attempt)
        return None
    except ApplicationError as error:
        _fail(cohort, attempt, error.message, report_path)
    except Exception:
        _fail(cohort, attempt, "Erreur inattendue pendant l'import : rien n'a été enregistré.", report_path,
              keep_source=True)
        raise
    finally:
        tracker.close()
    _discard_source(cohort)
    cohort.refresh_from_db()
    logger.info("cohort import over: cohort=%s status=%s in %.1f s", cohort.pk, cohort.status,
                time.monotonic() - started)
    return cohort


def cohort_imports_resume() -> list[int]:
    """Cohorts whose worker died (stale heartbeat) or whose task never started: queue them again."""
    from breaches.tasks import import_cohort

    now = timezone.now()
    stuck = Cohort.objects.filter(
        Q(status=Cohort.Status.PENDING, created_at__lt=now - PENDING_GRACE)
        | Q(status=Cohort.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    ).values_list("id", flat=True)
    ids = list(stuck)
    for cohort_id in ids:
        import_cohort.delay(cohort_id)
    return ids


def cohort_retryable(cohort: Cohort) -> bool:
    """A failed import whose file is still stored (the failure was not the file's, and it is recent)."""
    return (cohort.status == Cohort.Status.FAILED and bool(cohort.source_path)
            and Path(cohort.source_path).exists())


@transaction.atomic
def cohort_import_retry(*, actor: AbstractBaseUser, cohort: Cohort) -> Cohort:
    """Queue a failed import again on the file stored at upload (no new upload). National staff only. Refused
    when the file is no longer kept or when the same file has been loaded into the breach since."""
    if not is_national(actor):
        raise NotFound
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status != Cohort.Status.FAILED:
        raise ConflictError("Seul un import en échec peut être relancé.")
    if not cohort_retryable(cohort):
        raise ApplicationError("Le fichier de cet import n'est plus conservé : chargez-le de nouveau.")
    cohort.status, cohort.error_message, cohort.finished_at = Cohort.Status.PENDING, "", None
    cohort._history_user = actor
    try:
        with transaction.atomic():
            cohort.save(update_fields=["status", "error_message", "finished_at", "updated_at"])
    except IntegrityError:
        raise ConflictError("Ce fichier a été chargé de nouveau dans la fuite depuis cet échec.")
    logger.info("cohort import retried: cohort=%s attempt=%s by=%s", cohort.pk, cohort.attempts + 1, actor.pk)
    from breaches.tasks import import_cohort

    transaction.on_commit(lambda: import_cohort.delay(cohort.pk))
    return cohort


def cohort_failed_sources_discard() -> int:
    """Uploaded files of failed imports hold clear NIRs: kept COHORT_RETRY_HOURS for "Relancer l'import", then
    deleted. Returns how many were deleted."""
    before = timezone.now() - timedelta(hours=settings.COHORT_RETRY_HOURS)
    stale = Cohort.objects.filter(status=Cohort.Status.FAILED, owns_source=True, finished_at__lt=before)
    discarded = 0
    for cohort in stale.exclude(source_path=""):
        if Path(cohort.source_path).exists():
            _discard_source(cohort)
            discarded += 1
    return discarded


def report_file(cohort: Cohort) -> Path | None:
    if not cohort.error_report:
        return None
    path = Path(settings.PRIVATE_ROOT) / cohort.error_report
    return path if path.exists() else None


__all__ = ["cohort_upload", "cohort_register", "cohort_import", "cohort_imports_resume", "cohort_import_retry",
           "cohort_retryable", "cohort_failed_sources_discard", "report_file"]
