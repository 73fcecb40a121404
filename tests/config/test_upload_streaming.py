"""Uploads over their view's limit are cut off while they stream (config.uploads.SizeLimitUploadHandler): the
rest of the body is never read, nothing is stored, and the page or the API says why."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import resolve, reverse

from casework.cases.models import Attachment
from config.uploads import upload_refusal
from tests.casework.factories import open_case

pytestmark = pytest.mark.django_db

LIMIT = 64 * 1024
BIG = b"%PDF-1.4\n" + b"0" * (4 * 1024 * 1024)  # 4 MB, 64 times the limit


@pytest.fixture(autouse=True)
def small_limit(settings, tmp_path):
    settings.CASE_ATTACHMENT_MAX_BYTES = LIMIT
    settings.PRIVATE_ROOT = tmp_path / "private"


class CountingStream:
    """The request body as the server reads it: how many bytes were taken."""

    def __init__(self, stream):
        self.stream, self.taken = stream, 0

    def read(self, size=-1):
        data = self.stream.read(size)
        self.taken += len(data)
        return data

    def readline(self, size=-1):
        data = self.stream.readline(size)
        self.taken += len(data)
        return data


def test_the_handler_stops_reading_the_body_at_the_limit(agent_a, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    url = reverse("case-attachment-add", args=[case.pk])
    request = RequestFactory().post(url, {"file": SimpleUploadedFile("scan.pdf", BIG, "application/pdf")})
    request.resolver_match = resolve(url)
    request._stream = CountingStream(request._stream)
    assert "file" not in request.FILES
    assert request._stream.taken < LIMIT + 2 * 64 * 1024  # at most one chunk past the limit, not 4 MB
    assert upload_refusal(request) == "Fichier trop volumineux : 0.0625 Mo au plus. L'envoi a été interrompu."


def _files_of(url: str, content: bytes):
    request = RequestFactory().post(url, {"file": SimpleUploadedFile("f.csv", content)})
    request.resolver_match = resolve(url)
    return request, request.FILES


def test_undeclared_routes_use_the_global_limit_and_declared_ones_their_own(settings):
    settings.UPLOAD_MAX_BYTES = LIMIT
    body = b"nir\n" * 100_000  # 400 KB
    request, files = _files_of(reverse("case-comment", args=[1]), body)  # declares nothing
    assert "file" not in files and upload_refusal(request)
    request, files = _files_of(reverse("signal-load"), body)  # declares 50 MB
    assert "file" in files and upload_refusal(request) is None


def test_page_refuses_an_oversize_attachment_with_its_reason(client_as, agent_a, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    response = client_as(agent_a).post(reverse("case-attachment-add", args=[case.pk]),
                                       {"file": SimpleUploadedFile("scan.pdf", BIG, "application/pdf")}, follow=True)
    assert "Fichier trop volumineux" in response.content.decode()
    assert not Attachment.objects.exists()


def test_api_refuses_an_oversize_attachment_with_a_400(api, agent_a, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    api.force_authenticate(agent_a)
    response = api.post(f"/api/v1/cases/{case.pk}/attachments/",
                        {"file": SimpleUploadedFile("scan.pdf", BIG, "application/pdf")}, format="multipart")
    assert response.status_code == 400 and "Fichier trop volumineux" in response.json()["detail"]
    assert not Attachment.objects.exists()


def test_a_file_under_the_limit_is_still_stored(client_as, agent_a, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    small = b"%PDF-1.4\n" + b"0" * 1000
    client_as(agent_a).post(reverse("case-attachment-add", args=[case.pk]),
                            {"file": SimpleUploadedFile("scan.pdf", small, "application/pdf")})
    assert Attachment.objects.count() == 1
