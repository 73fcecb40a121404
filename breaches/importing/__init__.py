"""The cohort import pipeline: reading, routing, row parsing, writers, progress and the service itself."""

from breaches.importing.progress import Progress
from breaches.importing.service import (
    ImportCounts,
    cohort_failed_sources_discard,
    cohort_import,
    cohort_import_retry,
    cohort_imports_resume,
    cohort_register,
    cohort_retryable,
    cohort_upload,
    report_file,
)

__all__ = ["ImportCounts", "Progress", "cohort_failed_sources_discard", "cohort_import", "cohort_import_retry",
           "cohort_imports_resume", "cohort_register", "cohort_retryable", "cohort_upload", "report_file"]
