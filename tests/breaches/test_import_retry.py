"""A failed import offers "Relancer l'import" on the cohort page, reusing the file stored at upload."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from breaches.importing import cohort_failed_sources_discard, cohort_import_retry, cohort_retryable, cohort_upload
from breaches.models import AffectedPerson, Cohort
from breaches.nir import make_nir
from config.errors import ApplicationError, ConflictError, NotFound
from tests.breaches.factories import BreachFactory

pytestmark = pytest.mark.django_db

NIRS = [make_nir(sex=1, year=70 + n, month=3, place="56034", order=n) for n in range(1, 4)]


@pytest.fixture
def failed_upload(national, fund_a, private_root, django_capture_on_commit_callbacks):
    """An uploaded cohort whose import broke on a fault that is not the file's (the database went away)."""
    def broken(**kwargs):
        raise OSError("connexion à la base perdue")

    upload = SimpleUploadedFile("cohorte.csv", ("nir\n" + "\n".join(NIRS) + "\n").encode())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("breaches.importing.service.write_people", broken)
        with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):
            cohort_upload(actor=national, breach=BreachFactory(), uploaded_file=upload)
    cohort = Cohort.objects.get()
    assert cohort.status == Cohort.Status.FAILED and cohort_retryable(cohort)
    return cohort


def test_retry_imports_the_stored_file_then_deletes_it(failed_upload, national, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cohort_import_retry(actor=national, cohort=failed_upload)
    failed_upload.refresh_from_db()
    assert (failed_upload.status, failed_upload.imported, failed_upload.attempts) == (Cohort.Status.DONE, 3, 2)
    assert AffectedPerson.objects.filter(cohort=failed_upload).count() == 3
    assert not cohort_retryable(failed_upload)  # the clear-NIR file went with the successful import
    assert failed_upload.history.first().history_user == national


def test_retry_is_refused_for_fund_users_for_a_done_import_and_for_a_file_no_longer_kept(
        failed_upload, national, manager_a, django_capture_on_commit_callbacks):
    with pytest.raises(NotFound):
        cohort_import_retry(actor=manager_a, cohort=failed_upload)
    Cohort.objects.filter(pk=failed_upload.pk).update(finished_at=timezone.now() - datetime.timedelta(days=2))
    assert cohort_failed_sources_discard() == 1
    with pytest.raises(ApplicationError, match="n'est plus conservé"):
        cohort_import_retry(actor=national, cohort=failed_upload)
    Cohort.objects.filter(pk=failed_upload.pk).update(status=Cohort.Status.DONE)
    with pytest.raises(ConflictError, match="en échec"):
        cohort_import_retry(actor=national, cohort=failed_upload)


def test_a_failure_caused_by_the_file_offers_no_retry(national, fund_a, private_root,
                                                     django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("cohorte.csv", b"nom\nDurand\n")
    with django_capture_on_commit_callbacks(execute=True):
        cohort = cohort_upload(actor=national, breach=BreachFactory(), uploaded_file=upload)
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.FAILED and not cohort_retryable(cohort)


def test_cohort_page_offers_the_button_which_relaunches(failed_upload, client_as, national,
                                                       django_capture_on_commit_callbacks):
    client = client_as(national)
    page = client.get(reverse("breaches:cohort-detail", args=[failed_upload.pk])).content.decode()
    assert "Relancer l'import" in page and reverse("breaches:cohort-retry", args=[failed_upload.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("breaches:cohort-retry", args=[failed_upload.pk]))
    assert response.status_code == 302
    failed_upload.refresh_from_db()
    assert failed_upload.status == Cohort.Status.DONE
    page = client.get(reverse("breaches:cohort-detail", args=[failed_upload.pk])).content.decode()
    assert "Relancer l'import" not in page
